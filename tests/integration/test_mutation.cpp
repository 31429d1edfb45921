// A black-box attack on the real process: at least 20,000 mutated requests over every
// write route (wrong types, missing and unknown fields, huge and deep values, invalid
// UTF-8, hostile identifiers and headers, flipped and cut bytes), sent by callers of every
// kind on keep-alive connections. The process must live, never answer 5xx, and never
// change its journal on a refusal.

#include "support/site.hpp"
#include "support/text.hpp"

#include "common/core/time.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace creneau::test;
using nlohmann::json;
namespace http = boost::beast::http;
namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

struct seed {
    http::verb method;
    std::string target;  // with "{id}" where an identifier may be mutated
    std::string id;
    json body;
};

// One keep-alive connection; reopened when the server closes it.
class connection {
  public:
    explicit connection(std::uint16_t port) : port_(port) { open(); }

    http::response<http::string_body> send(http::request<http::string_body>& req) {
        for (int attempt = 0;; ++attempt) {
            try {
                stream_->expires_after(std::chrono::seconds(30));
                http::write(*stream_, req);
                http::response_parser<http::string_body> parser;
                parser.body_limit(64 * 1024 * 1024);
                http::read(*stream_, buffer_, parser);
                auto res = parser.release();
                if (!res.keep_alive()) open();
                return res;
            } catch (const boost::system::system_error&) {
                if (attempt == 2) throw;
                open();
            }
        }
    }

  private:
    void open() {
        stream_ = std::make_unique<beast::tcp_stream>(ioc_);
        stream_->connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
        buffer_.clear();
    }
    net::io_context ioc_;
    std::uint16_t port_;
    std::unique_ptr<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
};

const std::vector<json> hostile_values = {nullptr,
                                          true,
                                          0,
                                          -1,
                                          1e308,
                                          -9223372036854775807LL,
                                          18446744073709551615ULL,
                                          "",
                                          " ",
                                          std::string(20000, 'a'),
                                          "../../etc/passwd",
                                          "a\r\nX-Injected: 1",
                                          std::string("nul\0byte", 8),
                                          "=HYPERLINK(\"x\")",
                                          "🙂🙂",
                                          "2027-02-30T25:61:00Z",
                                          "0000-01-01T00:00:00Z",
                                          json::array(),
                                          json::object(),
                                          json::array({1, "a", nullptr}),
                                          json{{"a", {{"b", 1}}}}};

const std::vector<std::string> hostile_ids = {
    "%ff%fe",    "a%0d%0aX:y", "%00", "..",    "%2e%2e%2f%2e%2e", std::string(300, 'x'),
    "caf%C3%A9", "%252e",      "a/b", "-dash", "UPPER",           "r999999999",
    "g0",        "t-%ZZ",      ""};

// A deep JSON text, or raw bytes that are not UTF-8.
std::string raw_body(std::mt19937& rng) {
    switch (rng() % 4) {
        case 0:
            return std::string(80, '[') + std::string(80, ']');
        case 1:
            return "{\"title\":\"\xff\xfe\xc3\x28\",\"name\":\"\xed\xa0\x80\"}";
        case 2:
            return "{\"a\":" + std::string(5000, '{');
        default:
            return std::string("{\"title\":\"x\"") +
                   std::string(1, static_cast<char>(rng() % 256)) + "}";
    }
}

json mutate_json(json body, std::mt19937& rng) {
    if (!body.is_object() || body.empty()) return hostile_values[rng() % hostile_values.size()];
    auto it = body.begin();
    std::advance(it, static_cast<long>(rng() % body.size()));
    switch (rng() % 5) {
        case 0:
            body.erase(it.key());
            break;
        case 1:
            body["unknown_" + std::to_string(rng() % 3)] =
                hostile_values[rng() % hostile_values.size()];
            break;
        case 2:
            if (it->is_object() || it->is_array()) {
                *it = mutate_json(it->is_object() ? *it : json::object({{"x", *it}}), rng);
                break;
            }
            [[fallthrough]];
        default:
            *it = hostile_values[rng() % hostile_values.size()];
    }
    return body;
}

}  // namespace

TEST_CASE(
    "mutation: 20,000 hostile requests over every write route: no crash, no 5xx, no change on "
    "refusal",
    "[hardening][mutation]") {
    site s;
    // What the seeds refer to: an event of each kind, a registration, a team.
    json event = {{"kind", "job-dating"},
                  {"title", "JD"},
                  {"capacity", 50},
                  {"opens", "2020-01-01T00:00:00Z"},
                  {"closes", "2035-01-01T00:00:00Z"},
                  {"day_start", "2030-03-06T08:00:00Z"},
                  {"slots", 6}};
    REQUIRE(s.organiser.put("/api/events/jd", event).status == 200);
    json hack = event;
    hack["kind"] = "culturathon";
    REQUIRE(s.organiser.put("/api/events/hack", hack).status == 200);
    auto reg = s.anonymous.post("/api/events/hack/registrations", {{"name", "Ada"}}).json();
    auto team =
        s.anonymous.post("/api/events/hack/teams", {{"code", reg["code"]}, {"name", "Les Curieux"}})
            .json();
    auto booked =
        s.artois
            .post("/api/reservations", booking("meeting-room", "2027-03-09T09:00:00+01:00",
                                               "2027-03-09T10:00:00+01:00", 5))
            .json();
    const auto rid = booked["id"].get<std::string>();
    auto resource = s.anonymous.get("/api/resources/meeting-room").json();
    auto agreement = s.admin.get("/api/agreements/artois-llv-2026").json();
    auto grid = s.anonymous.get("/api/tariff-grids").json()[0];
    json reservation =
        booking("meeting-room", "2027-03-10T09:00:00+01:00", "2027-03-10T10:00:00+01:00", 5);

    using V = http::verb;
    const std::vector<seed> seeds = {
        {V::post,
         "/api/session",
         "",
         {{"email", "claire.martin@univ-artois.fr"}, {"password", "wrong password"}}},
        {V::put, "/api/resources/{id}", "meeting-room", resource},
        {V::put,
         "/api/organisations/{id}",
         "llv",
         {{"name", "Louvre-Lens Vallée"}, {"category", "host"}}},
        {V::put, "/api/agreements/{id}", "artois-llv-2026", agreement},
        {V::put, "/api/tariff-grids/{id}", "llv", grid},
        {V::post, "/api/reservations", "", reservation},
        {V::post, "/api/quotes", "", reservation},
        {V::post, "/api/reservations/{id}/approve", rid, json::object()},
        {V::post, "/api/reservations/{id}/refuse", rid, {{"reason", "Non"}}},
        {V::post, "/api/reservations/{id}/cancel", rid, {{"reason", "Plus besoin"}}},
        {V::post, "/api/calendar-feeds", "", {{"organisation", "univ-artois"}}},
        {V::put, "/api/events/{id}", "jd", event},
        {V::post,
         "/api/events/{id}/registrations",
         "jd",
         {{"name", "Étudiante"},
          {"email", "e@example.org"},
          {"role", "student"},
          {"ranking", {"g1"}},
          {"max_meetings", 3},
          {"answers", json::object()}}},
        {V::post, "/api/events/{id}/leave", "jd", {{"code", "ABCDEFGH"}}},
        {V::post, "/api/events/{id}/waitlist", "jd", {{"order", json::array()}}},
        {V::post, "/api/events/{id}/check-in", "jd", {{"code", "ABCDEFGH"}}},
        {V::post, "/api/events/{id}/no-show", "jd", {{"registration", "g1"}, {"no_show", true}}},
        {V::post, "/api/events/{id}/teams", "hack", {{"code", reg["code"]}, {"name", "Équipe"}}},
        {V::post,
         "/api/events/{id}/teams/join",
         "hack",
         {{"code", reg["code"]}, {"team_code", team["code"]}}},
        {V::post, "/api/events/{id}/teams/leave", "hack", {{"code", reg["code"]}}},
        {V::post,
         "/api/events/{id}/timetable",
         "jd",
         {{"publish", false},
          {"pin", json::array({{{"student", "g1"}, {"company", "g2"}, {"slot", 1}}})}}},
        {V::post, "/api/teams/{id}/pepite", team["id"].get<std::string>(), {{"pepite", true}}},
        {V::delete_, "/api/session", "", nullptr},
    };
    const std::vector<std::string> tokens = {"", s.artois.token, s.organiser.token, s.admin.token,
                                             s.lille.token};

    const auto seed_value = std::random_device{}();
    INFO("random seed " << seed_value);
    std::mt19937 rng(seed_value);
    connection conn(s.port());
    auto head_now = [&] {
        http::request<http::string_body> req{V::get, "/healthz", 11};
        req.set(http::field::host, "127.0.0.1");
        return json::parse(conn.send(req).body())["head"].get<std::int64_t>();
    };
    std::int64_t head = head_now();
    int sent = 0, server_errors = 0, changed_on_refusal = 0, accepted = 0;
    std::map<unsigned, int> statuses;
    for (; sent < 20000; ++sent) {
        const auto& sd = seeds[rng() % seeds.size()];
        std::string id = sd.id;
        if (!id.empty() && rng() % 6 == 0) id = hostile_ids[rng() % hostile_ids.size()];
        std::string target = sd.target;
        if (auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, id);
        std::string body;
        switch (rng() % 8) {
            case 0:
                body = raw_body(rng);
                break;
            case 1:
                body = sd.body.is_null() ? std::string{} : sd.body.dump();
                break;
            case 2: {  // flipped or cut bytes
                body = sd.body.dump();
                if (!body.empty()) {
                    if (rng() % 2)
                        body[rng() % body.size()] = static_cast<char>(rng() % 256);
                    else
                        body.resize(rng() % body.size());
                }
                break;
            }
            default: {
                json mutated = sd.body.is_null() ? json::object() : sd.body;
                for (unsigned k = 0, n = 1 + rng() % 3; k < n; ++k)
                    mutated = mutate_json(mutated, rng);
                body = mutated.dump(-1, ' ', false, json::error_handler_t::replace);
            }
        }
        http::request<http::string_body> req{sd.method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        // Signing out would end a session the other requests use: that route gets made-up tokens.
        const auto& token = sd.method == V::delete_ ? hostile_ids[rng() % hostile_ids.size()]
                                                    : tokens[rng() % tokens.size()];
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        switch (rng() % 10) {
            case 0:
                req.set(http::field::content_type, "text/plain");
                break;
            case 1:
                req.set("Idempotency-Key", hostile_ids[rng() % hostile_ids.size()] + "\x7f");
                break;
            case 2:
                req.set("Idempotency-Key", numbered("key-", rng() % 50));
                break;
            default:
                req.set(http::field::content_type, "application/json");
        }
        req.body() = body;
        req.prepare_payload();
        auto res = conn.send(req);
        ++statuses[res.result_int()];
        if (res.result_int() >= 500) {
            ++server_errors;
            UNSCOPED_INFO(http::to_string(sd.method)
                          << " " << target << " " << body.substr(0, 200) << " -> "
                          << res.result_int() << " " << res.body().substr(0, 300));
        }
        auto after = head_now();
        if (res.result_int() >= 400 && after != head) {
            ++changed_on_refusal;
            UNSCOPED_INFO("head moved on a refusal: " << http::to_string(sd.method) << " " << target
                                                      << " -> " << res.result_int());
        }
        if (res.result_int() < 300) ++accepted;
        head = after;
    }
    std::string summary;
    for (const auto& [st, n] : statuses)
        summary += numbered("", st) + ": " + numbered("", n) + "  ";
    INFO("statuses: " << summary);
    CHECK(sent >= 20000);
    CHECK(server_errors == 0);
    CHECK(changed_on_refusal == 0);
    CHECK(accepted > 0);  // some mutations are still valid requests, and they go through
    CHECK(s.server->process().running());
    CHECK(http_get(s.port(), "/readyz").status == 200);
}
