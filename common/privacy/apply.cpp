#include "common/accounts/rules.hpp"
#include "common/privacy/rules.hpp"

namespace creneau {

// The same placeholders as a fact whose key is gone reads with (server/journal/vault.cpp):
// a replay gives the same state whether the key was deleted yet or not.
void apply_fact(state& s, const fact&, const personal_data_erased& x) {
    if (x.subject.rfind("reservation:", 0) != 0) s.erased.insert(x.subject);  // sealed ones
    if (x.subject.rfind("user:", 0) == 0) {
        auto id = x.subject.substr(5);
        auto u = s.users.find(id);
        if (u == s.users.end()) return;
        auto e = s.user_by_email.find(email_key(u->second.email));
        if (e != s.user_by_email.end() && e->second == id) s.user_by_email.erase(e);
        u->second.name = std::string(erased_name);
        u->second.email.clear();
        u->second.password_hash.clear();
        u->second.disabled = true;
        u->second.muted.clear();
        u->second.copies = false;
        std::erase_if(s.sessions, [&](const auto& kv) { return kv.second.user == id; });
        std::erase_if(s.account_links, [&](const auto& kv) { return kv.second.user == id; });
        s.last_active.erase(id);
    } else if (x.subject.rfind("registration:", 0) == 0) {
        auto r = s.registrations.find(x.subject.substr(13));
        if (r == s.registrations.end()) return;
        r->second.name = std::string(erased_name);
        r->second.email.clear();
        r->second.answers.clear();
    } else if (x.subject.rfind("reservation:", 0) == 0) {
        // Billing keeps the organisation, room, period and quote; the person goes.
        auto r = s.reservations.find(x.subject.substr(12));
        if (r == s.reservations.end()) return;
        for (auto& h : r->second.history)
            if (h.actor == r->second.requester) h.actor.clear();
        r->second.requester.clear();
    }
}

void apply_fact(state& s, const fact& f, const account_kept& x) {
    s.last_active[x.user] = f.at;
}

}  // namespace creneau
