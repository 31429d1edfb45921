#include "common/accounts/rules.hpp"

namespace creneau {

void apply_fact(state& s, const fact& f, const user_added& x) {
    s.users[x.value.id] = x.value;
    // An erased address (the key of the fact is gone) is empty, and indexes nothing.
    if (!x.value.email.empty()) s.user_by_email[email_key(x.value.email)] = x.value.id;
    s.last_active[x.value.id] = f.at;
}

void apply_fact(state& s, const fact& f, const session_opened& x) {
    // Expired sessions go when a new one opens: the fold stays a function of the facts.
    std::erase_if(s.sessions, [&](const auto& kv) { return kv.second.expires <= f.at; });
    s.sessions[x.token_hash] = session{x.user, x.expires, f.at};
    s.last_active[x.user] = f.at;
}

bool long_inactive(const state& s, const std::string& user, instant now) {
    auto at = s.last_active.find(user);
    return at != s.last_active.end() && now - at->second > inactivity_limit;
}

void apply_fact(state& s, const fact&, const session_closed& x) {
    s.sessions.erase(x.token_hash);
}

namespace {

// A user's sessions end (all but one), and so do their links when asked.
void end_sessions(state& s, const std::string& user, const std::string& kept) {
    std::erase_if(s.sessions,
                  [&](const auto& kv) { return kv.second.user == user && kv.first != kept; });
}

}  // namespace

void apply_fact(state& s, const fact& f, const account_link_issued& x) {
    // One link per user at a time, and expired links go: the fold stays a function of the facts.
    std::erase_if(s.account_links, [&](const auto& kv) {
        return kv.second.user == x.user || kv.second.expires <= f.at;
    });
    s.account_links[x.token_hash] = account_link{x.user, x.purpose, x.expires};
}

void apply_fact(state& s, const fact&, const password_set& x) {
    s.users.at(x.user).password_hash = x.password_hash;
    std::erase_if(s.account_links, [&](const auto& kv) { return kv.second.user == x.user; });
    end_sessions(s, x.user, x.kept_session);
}

void apply_fact(state& s, const fact&, const user_changed& x) {
    auto& u = s.users.at(x.id);
    // Disabled, moved or given another role: what was issued for the account before (its
    // sessions, its one-time links, held perhaps by the old organisation's admins) ends.
    const bool ends = x.disabled || x.role != u.role || x.organisation != u.organisation;
    u.name = x.name;
    u.role = x.role;
    u.organisation = x.organisation;
    u.disabled = x.disabled;
    if (ends) {
        end_sessions(s, x.id, "");
        std::erase_if(s.account_links, [&](const auto& kv) { return kv.second.user == x.id; });
    }
}

void apply_fact(state& s, const fact&, const preferences_set& x) {
    auto& u = s.users.at(x.user);
    u.lang = x.lang;
    u.muted = x.muted;
    u.copies = x.copies;
}

void apply_fact(state& s, const fact&, const calendar_feed_issued& x) {
    s.calendar_feeds[x.organisation] = x.token_hash;
}

}  // namespace creneau
