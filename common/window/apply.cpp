#include "common/window/rules.hpp"

namespace creneau {
namespace {

void record(window_request& w, const fact& f, const char* action, const std::string& detail = {}) {
    w.history.push_back({f.seq, f.at, f.actor, action, detail});
}

}  // namespace

void apply_fact(state& s, const fact& f, const window_request_submitted& x) {
    auto& w = s.window_requests[x.value.id];
    w = x.value;
    w.history.clear();
    record(w, f, "submitted");
    s.window_counter += 1;
}

void apply_fact(state& s, const fact& f, const window_request_assigned& x) {
    auto& w = s.window_requests.at(x.id);
    w.status = window_status::assigned;
    w.reservation = x.reservation;
    w.reason.clear();
    record(w, f, "assigned", x.reservation);
}

void apply_fact(state& s, const fact& f, const window_request_declined& x) {
    auto& w = s.window_requests.at(x.id);
    w.status = window_status::declined;
    w.reason = x.reason;
    record(w, f, "declined", x.reason);
}

void apply_fact(state& s, const fact& f, const window_request_withdrawn& x) {
    auto& w = s.window_requests.at(x.id);
    w.status = window_status::withdrawn;
    w.reason = x.reason;
    record(w, f, "withdrawn", x.reason);
}

}  // namespace creneau
