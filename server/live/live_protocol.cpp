#include "server/live/live_protocol.hpp"

#include "common/core/json.hpp"

#include <cstdint>
#include <limits>

namespace creneau::server {

std::variant<live_request, std::string> parse_live_request(std::string_view text) {
    if (!json_depth_within(text)) return std::string("messages are JSON objects");
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::string("messages are JSON objects");
    live_request r;
    auto op = j.find("op");
    if (op == j.end() || !op->is_string())
        return std::string("'op' is subscribe, unsubscribe or ping");
    const auto& name = op->get_ref<const std::string&>();
    if (name == "subscribe")
        r.what = live_request::kind::subscribe;
    else if (name == "unsubscribe")
        r.what = live_request::kind::unsubscribe;
    else if (name == "ping")
        r.what = live_request::kind::ping;
    else
        return std::string("'op' is subscribe, unsubscribe or ping");
    if (auto t = j.find("topics"); t != j.end() && !t->is_null()) {
        if (!t->is_array() || t->size() > 100)
            return std::string("'topics' is an array of topic names");
        for (const auto& topic : *t) {
            if (!topic.is_string() || topic.get_ref<const std::string&>().size() > 200)
                return std::string("'topics' is an array of topic names");
            r.topics.push_back(topic.get<std::string>());
        }
    }
    if (auto since = j.find("since");
        since != j.end() && !since->is_null() && r.what == live_request::kind::subscribe) {
        // A sequence number is never negative, and one past the signed range is not read as
        // its wrapped value.
        const bool in_range =
            since->is_number_unsigned()
                ? since->get<std::uint64_t>() <=
                      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                : since->is_number_integer() && since->get<std::int64_t>() >= 0;
        if (!in_range) return std::string("'since' is a sequence number");
        r.since = since->get<std::int64_t>();
    }
    return r;
}

}  // namespace creneau::server
