#pragma once
// Test support for the domain: the shipped default catalogue, a few users, a clock, and a
// helper that decides a command and applies its facts as the ledger would.

#include "common/catalogue/document.hpp"
#include "common/domain.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace creneau::test {

inline instant at(const char* rfc3339) {
    auto t = parse_rfc3339(rfc3339);
    if (!t) throw std::invalid_argument(std::string("bad instant in test: ") + rfc3339);
    return *t;
}

inline nlohmann::json default_catalogue_json() {
    std::ifstream in(std::string(CRENEAU_SOURCE_DIR) + "/server/catalogue/default.json");
    return nlohmann::json::parse(in);
}

struct world {
    state s;
    std::vector<fact> journal;
    instant now = at("2026-03-02T08:00:00Z");

    actor system{};
    actor llv_admin{"u-llv-admin", role::admin, "llv", false};
    actor artois{"u-artois", role::member, "univ-artois", false};
    actor artois_organiser{"u-artois-org", role::organiser, "univ-artois", false};
    actor lille{"u-lille", role::member, "univ-lille", false};
    actor city{"u-city", role::member, "ville-lille", false};
    actor city_admin{"u-city-admin", role::admin, "ville-lille", false};

    world() {
        for (auto& body : catalogue_facts(default_catalogue_json(), "default.json")) append(body);
    }

    void append(const fact_body& body) {
        fact f{s.seq + 1, now, "system", body};
        apply(s, f);
        journal.push_back(f);
    }

    decision run(const command& c, const actor& who) {
        auto d = decide(s, c, context{now, who});
        if (d.ok())
            for (const auto& body : d.facts) {
                fact f{s.seq + 1, now, who.id, body};
                apply(s, f);
                journal.push_back(f);
            }
        return d;
    }

    // A request for `org` by `who`; returns the decision.
    decision request(const actor& who, const std::string& resource, const char* start,
                     const char* end, int attendees = 10, const std::string& layout = "",
                     const std::string& org = "", std::vector<std::string> equipment = {}) {
        std::string lay = layout;
        // Resources with several layouts need one: take the first unless the test names one.
        if (auto it = s.resources.find(resource);
            lay.empty() && it != s.resources.end() && !it->second.layouts.empty())
            lay = it->second.layouts.front().id;
        request_reservation r{resource,  at(start),           at(end),
                              lay,       attendees,           org.empty() ? who.organisation : org,
                              "Réunion", std::move(equipment)};
        return run(r, who);
    }

    static std::string id_of(const decision& d) {
        return std::get<reservation_requested>(d.facts.front()).value.id;
    }
    static const quote& quote_of(const decision& d) {
        return std::get<reservation_requested>(d.facts.front()).value.quote;
    }
};

inline std::string code(const decision& d) {
    return d.refused ? std::string(code_of(d.refused->code)) : std::string("ok");
}

}  // namespace creneau::test
