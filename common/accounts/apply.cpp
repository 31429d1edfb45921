#include "common/accounts/rules.hpp"

namespace creneau {

void apply_fact(state& s, const fact&, const user_added& x) {
    s.users[x.value.id] = x.value;
    s.user_by_email[email_key(x.value.email)] = x.value.id;
}

void apply_fact(state& s, const fact& f, const session_opened& x) {
    // Expired sessions go when a new one opens: the fold stays a function of the facts.
    std::erase_if(s.sessions, [&](const auto& kv) { return kv.second.expires <= f.at; });
    s.sessions[x.token_hash] = session{x.user, x.expires};
}

void apply_fact(state& s, const fact&, const session_closed& x) {
    s.sessions.erase(x.token_hash);
}

void apply_fact(state& s, const fact&, const calendar_feed_issued& x) {
    s.calendar_feeds[x.organisation] = x.token_hash;
}

}  // namespace creneau
