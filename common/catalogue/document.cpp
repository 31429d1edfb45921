#include "common/catalogue/document.hpp"

#include "common/domain.hpp"

#include <stdexcept>

namespace creneau {

std::vector<fact_body> catalogue_facts(const json& doc, const std::string& file) {
    if (!doc.is_object()) throw std::invalid_argument(file + ": a catalogue is a JSON object");
    for (const auto& [key, value] : doc.items()) {
        if (key != "organisations" && key != "sites" && key != "resources" &&
            key != "tariff_grids" && key != "agreements" && key != "note" && key != "operator")
            throw std::invalid_argument(file + ": /" + key + ": unknown section");
    }

    state scratch;
    context ctx{instant{}, actor{}};
    std::vector<fact_body> out;
    std::int64_t seq = 0;

    auto section = [&](const char* name, auto read) {
        if (!doc.contains(name)) return;
        const auto& list = doc.at(name);
        if (!list.is_array())
            throw std::invalid_argument(file + ": /" + name + ": expected an array");
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string place = std::string("/") + name + "/" + std::to_string(i);
            command c;
            try {
                // A copy of its own, so that the paths in messages start at the entry.
                const json entry = list[i];
                c = read(entry);
            } catch (const std::invalid_argument& e) {
                // e.what() starts with the place inside the entry ("/layouts/0/capacity: …").
                std::string inner = e.what();
                throw std::invalid_argument(file + ": " + place +
                                            (inner.rfind("/", 0) == 0 ? "" : " ") + inner);
            }
            auto d = decide(scratch, c, ctx);
            if (!d.ok()) {
                const auto& r = *d.refused;
                throw std::invalid_argument(
                    file + ": " + place + (r.field.empty() ? "" : "/" + r.field) + ": " + r.detail);
            }
            for (auto& body : d.facts) {
                apply(scratch, fact{++seq, instant{}, "system", body});
                out.push_back(std::move(body));
            }
        }
    };
    section("organisations",
            [](const json& j) -> command { return define_organisation{decode<organisation>(j)}; });
    if (doc.contains("operator")) {
        if (!doc.at("operator").is_string())
            throw std::invalid_argument(file + ": /operator: expected an organisation id");
        const command c = designate_operator{doc.at("operator").get<std::string>()};
        auto d = decide(scratch, c, ctx);
        if (!d.ok()) throw std::invalid_argument(file + ": /operator: " + d.refused->detail);
        for (auto& body : d.facts) {
            apply(scratch, fact{++seq, instant{}, "system", body});
            out.push_back(std::move(body));
        }
    }
    section("sites", [](const json& j) -> command { return define_site{decode<site>(j)}; });
    section("resources",
            [](const json& j) -> command { return define_resource{decode<resource>(j)}; });
    section("tariff_grids",
            [](const json& j) -> command { return define_tariff_grid{decode<tariff_grid>(j)}; });
    section("agreements",
            [](const json& j) -> command { return define_agreement{decode<agreement>(j)}; });
    return out;
}

}  // namespace creneau
