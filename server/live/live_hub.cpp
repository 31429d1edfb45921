#include "server/live/live_hub.hpp"

#include "server/api/views.hpp"
#include "server/journal/ledger.hpp"

#include "common/core/json_text.hpp"
#include "common/events/queries.hpp"
#include "common/jobdating/problem.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <array>

namespace creneau::server {
namespace {

// A fact's message data as text, for the public (none: for its audience only) and for its
// audience.
struct view {
    std::string topic;
    audience detail;
    std::optional<std::string> shown;
    std::string detailed;
    std::optional<audience> readers;  // who may get `shown`; none: everyone
};

// A view of two documents (null `shown`: for its audience only).
view view_from(std::string topic, audience detail, const json& shown, const json& detailed) {
    return view{std::move(topic), std::move(detail),
                shown.is_null() ? std::nullopt : std::optional(json_text(shown)),
                json_text(detailed)};
}

// A restricted event's public messages go only to those who may see it, as its topic is
// only subscribed by them: one who subscribed before it was restricted gets none.
view for_readers(view v, const event& e) {
    if (e.restricted) v.readers = event_readers(e);
    return v;
}

// A reservation's period, with the reason of its change if it has one.
std::string period_of(const reservation& r, std::string_view status, std::string_view reason = {}) {
    std::string out;
    out.reserve(160 + reason.size());
    object_text o(out);
    o.time("end", r.end);
    o.string("id", r.id);
    if (!reason.empty()) o.string("reason", reason);
    o.string("resource", r.resource);
    o.time("start", r.start);
    o.string("status", status);
    o.close();
    return out;
}

// The messages of one fact (docs/live-protocol.md). Facts the live channel does not carry
// (catalogue, users, sessions: nothing a calendar or a board shows) have none.
template <class Fact>
std::optional<view> view_of(const state&, const Fact&) {
    return std::nullopt;
}

// Reservations: the public sees busy periods, the reservation's audience the details.
std::optional<view> reservation_change(const state& s, const std::string& id,
                                       std::string_view status, const std::string& reason) {
    auto r = s.find_reservation(id);
    if (!r) return std::nullopt;
    // A request that only ever waited was never on the public calendar.
    return view{"calendar:" + r->resource, reservation_audience(s, *r),
                r->ever_booked() ? std::optional(period_of(*r, status)) : std::nullopt,
                period_of(*r, status, reason)};
}

std::optional<view> view_of(const state& s, const reservation_requested& x) {
    const auto& r = x.value;
    // A request that waits takes nothing: the public hears nothing of it.
    const bool waits = r.status == reservation_status::waiting;
    view v{"calendar:" + r.resource,
           reservation_audience(s, r),
           waits ? std::nullopt : std::optional(period_of(r, "pending")),
           {}};
    v.detailed.reserve(1024);
    append_reservation(v.detailed, s, r, {false, waits ? "waiting" : "pending"});
    return v;
}
std::optional<view> view_of(const state& s, const reservation_promoted& x) {
    return reservation_change(s, x.id, "pending", "");
}
// A new quote changes nothing on the public calendar: the reservation's audience only.
std::optional<view> view_of(const state& s, const reservation_requoted& x) {
    auto r = s.find_reservation(x.id);
    if (!r) return std::nullopt;
    // The state may already be past this fact: the quote is the fact's.
    reservation quoted = *r;
    quoted.quote = x.value;
    quoted.holds_unit = x.holds_unit;
    view v{"calendar:" + r->resource, reservation_audience(s, quoted), std::nullopt, {}};
    v.detailed.reserve(1024);
    append_reservation(v.detailed, s, quoted, {false, name_of(r->status)});
    return v;
}
// A new order of a room's waiting list: its administrators and the requesters' organisations.
std::optional<view> view_of(const state& s, const room_waitlist_reordered& x) {
    auto r = s.resources.find(x.resource);
    if (r == s.resources.end()) return std::nullopt;
    audience who{{}, {}, {s.owner_of(x.resource), s.operator_org}};
    json detailed = {{"resource", x.resource}, {"order", x.order}};
    return view_from("calendar:" + x.resource, who, json(), detailed);
}
std::optional<view> view_of(const state& s, const reservation_approved& x) {
    return reservation_change(s, x.id, "approved", "");
}
std::optional<view> view_of(const state& s, const reservation_refused& x) {
    return reservation_change(s, x.id, "refused", x.reason);
}
std::optional<view> view_of(const state& s, const reservation_cancelled& x) {
    return reservation_change(s, x.id, "cancelled", x.reason);
}

// The single windows: a request's new state, for its association and the window's operator
// (docs/live-protocol.md); the public hears nothing.
std::optional<view> window_change(const state& s, const std::string& id, std::string_view status) {
    auto w = s.window_requests.find(id);
    if (w == s.window_requests.end()) return std::nullopt;
    const auto& x = w->second;
    json detailed = {
        {"id", x.id},       {"agreement", x.agreement},     {"organisation", x.organisation},
        {"title", x.title}, {"start", format_utc(x.start)}, {"end", format_utc(x.end)},
        {"status", status}, {"reason", x.reason},           {"reservation", x.reservation}};
    return view_from("window:" + x.agreement, window_audience(s, x), json(), detailed);
}
std::optional<view> view_of(const state& s, const window_request_submitted& x) {
    return window_change(s, x.value.id, "submitted");
}
std::optional<view> view_of(const state& s, const window_request_assigned& x) {
    return window_change(s, x.id, "assigned");
}
std::optional<view> view_of(const state& s, const window_request_declined& x) {
    return window_change(s, x.id, "declined");
}
std::optional<view> view_of(const state& s, const window_request_withdrawn& x) {
    return window_change(s, x.id, "withdrawn");
}

// A resource's definition changed (hours, closures, buffers …): its calendar redraws.
std::optional<view> view_of(const state&, const resource_defined& x) {
    json shown = {{"resource", x.value}};
    return view_from("calendar:" + x.value.id, {}, shown, shown);
}

// Administrative changes, on "catalogue": a change of the catalogue (a room, an agreement …)
// for everyone, and who changed which for the admins of its organisation and of the operator
// (the audit view's rule). A change of accounts (an invitation, a password, an erasure …) is
// for those admins only: nobody else learns when someone is invited or signs up.
bool catalogue_change(std::string_view action) {
    for (std::string_view a :
         {site_defined::type, resource_defined::type, organisation_defined::type,
          tariff_grid_defined::type, agreement_defined::type, operator_designated::type})
        if (action == a) return true;
    return false;
}

std::optional<view> audit_view(const state& s, const fact& f) {
    if (s.audit.empty() || s.audit.back().seq < f.seq) return std::nullopt;
    for (auto it = s.audit.rbegin(); it != s.audit.rend() && it->seq >= f.seq; ++it) {
        if (it->seq != f.seq) continue;
        json shown = catalogue_change(it->action) ? json{{"action", it->action}} : json();
        json detailed = *it;
        return view_from("catalogue", audience{{}, {}, {it->organisation, s.operator_org}}, shown,
                         detailed);
    }
    return std::nullopt;
}

// A change of an event's registrations: everyone sees its counts, its organisers also
// `detail` under `key` (a person, a team, the waiting list's order).
view event_change(const state& s, const event& e, const char* key, json detail) {
    json counts = counts_of(s, e.id);
    counts["event"] = e.id;
    json detailed = counts;
    detailed[key] = std::move(detail);
    return for_readers(view_from("event:" + e.id, event_audience(e), counts, detailed), e);
}

// Registrations: the person for the organisers.
std::optional<view> registration_change(const state& s, const std::string& id,
                                        std::string_view what) {
    auto r = s.registrations.find(id);
    if (r == s.registrations.end()) return std::nullopt;
    auto e = s.events.find(r->second.event);
    if (e == s.events.end()) return std::nullopt;
    return event_change(
        s, e->second, "registration",
        {{"id", id}, {"name", r->second.name}, {"status", r->second.status}, {"change", what}});
}

std::optional<view> view_of(const state& s, const registered& x) {
    return registration_change(s, x.value.id, "registered");
}
std::optional<view> view_of(const state& s, const wishes_changed& x) {
    return registration_change(s, x.id, "wishes");
}
std::optional<view> view_of(const state& s, const registration_left& x) {
    return registration_change(s, x.id, "left");
}
std::optional<view> view_of(const state& s, const registration_promoted& x) {
    return registration_change(s, x.id, "promoted");
}
std::optional<view> view_of(const state& s, const checked_in& x) {
    return registration_change(s, x.id, "checked-in");
}
// An erased registrant reads as the placeholder in their organisers' list (docs/privacy.md).
std::optional<view> view_of(const state& s, const personal_data_erased& x) {
    if (x.subject.rfind("registration:", 0) != 0) return std::nullopt;
    return registration_change(s, x.subject.substr(13), "erased");
}

// Culturathon teams: the event's counts for all (its members' pages read themselves again),
// the team for its organisers.
std::optional<view> team_change(const state& s, const std::string& team_id, std::string_view what) {
    auto t = s.teams.find(team_id);
    if (t == s.teams.end()) return std::nullopt;
    auto e = s.events.find(t->second.event);
    if (e == s.events.end()) return std::nullopt;
    return event_change(s, e->second, "team",
                        {{"id", t->second.id},
                         {"name", t->second.name},
                         {"members", t->second.members.size()},
                         {"change", what}});
}
std::optional<view> view_of(const state& s, const team_created& x) {
    return team_change(s, x.value.id, "created");
}
std::optional<view> view_of(const state& s, const team_joined& x) {
    return team_change(s, x.team, "joined");
}
std::optional<view> view_of(const state& s, const team_left& x) {
    return team_change(s, x.team, "left");
}

std::optional<view> view_of(const state& s, const waitlist_reordered& x) {
    auto e = s.events.find(x.event);
    if (e == s.events.end()) return std::nullopt;
    return event_change(s, e->second, "order", x.order);
}

// The Job Dating board: tables and their meetings once published; students' names for the
// organisers only.
std::optional<view> view_of(const state& s, const timetable_set& x) {
    auto e = s.events.find(x.event);
    if (e == s.events.end()) return std::nullopt;
    auto name = [&](const std::string& id) {
        auto r = s.registrations.find(id);
        return r == s.registrations.end() ? std::string{} : r->second.name;
    };
    auto shown = json::array(), detailed = json::array();
    for (const auto& m : x.value.meetings) {
        json j = {{"slot", m.slot},
                  {"table", m.table},
                  {"start", slot_start(e->second, m.slot)},
                  {"company", m.company},
                  {"company_name", name(m.company)}};
        if (x.value.published) shown.push_back(j);
        j["student_name"] = name(m.student);
        detailed.push_back(j);
    }
    json base = {
        {"event", x.event}, {"published", x.value.published}, {"revision", x.value.revision}};
    json pub = base, org = base;
    pub["meetings"] = shown;
    org["meetings"] = detailed;
    return for_readers(view_from("jobdating:" + x.event, event_audience(e->second), pub, org),
                       e->second);
}

// The envelope is written around `data`'s text rather than built as a document holding a copy
// of it: the same bytes, keys in the order a document would print them.
std::shared_ptr<const std::string> message(const fact& f, const std::string& topic,
                                           const std::string& data) {
    const auto type = type_of(f.body);
    std::string out;
    out.reserve(96 + data.size() + topic.size() + type.size());
    object_text o(out);
    o.time("at", f.at);
    o.key("data") += data;
    o.integer("seq", f.seq);
    o.string("topic", topic);
    o.string("type", type);
    o.close();
    return std::make_shared<const std::string>(std::move(out));
}

}  // namespace

live_hub::live_hub(ledger& book, metrics& stats, options opts)
    : book_(book), stats_(stats), opts_(opts) {
    head_ = base_ = book_.head();
}

bool live_hub::matches(const std::set<std::string>& topics, const entry& e) {
    return topics.count(e.topic) || (!e.any.empty() && topics.count(e.any));
}

bool live_hub::wants(const member& m, const entry& e) {
    if (m.seen_up_to.empty()) return matches(m.topics, e);
    auto unseen = [&](const std::string& topic) {
        if (topic.empty() || !m.topics.count(topic)) return false;
        auto seen = m.seen_up_to.find(topic);
        return seen == m.seen_up_to.end() || seen->second < e.seq;
    };
    return unseen(e.topic) || unseen(e.any);
}

const live_message* live_hub::entry::for_whom(const actor& who) const {
    if (detail.admits(who)) return &detailed;
    if (!shown.text || (readers && !readers->admits(who))) return nullptr;  // for others only
    return &shown;
}

void live_hub::send(const member& m, const entry& e,
                    std::vector<std::shared_ptr<live_subscriber>>& hold) {
    const auto* message = e.for_whom(m.who);
    if (!message) return;
    auto s = m.self.lock();
    if (!s) return;  // its last owner is gone: it is leaving
    s->deliver(*message);
    hold.push_back(std::move(s));
}

void live_hub::publish(const std::vector<fact>& facts) {
    if (facts.empty()) return;
    auto now = std::chrono::steady_clock::now();
    // Serialise outside the hub's lock; the state is read for names only.
    std::vector<entry> entries;
    book_.read([&](const state& s) {
        for (const auto& f : facts) {
            // An array, not a braced list: that one's elements could only be copied out.
            std::array<std::optional<view>, 2> views{
                std::visit([&](const auto& x) { return view_of(s, x); }, f.body), audit_view(s, f)};
            for (auto& v : views) {
                if (!v) continue;
                const auto colon = v->topic.find(':');
                std::string any;
                if (colon != std::string::npos) any.append(v->topic, 0, colon).append(":*");
                entries.push_back(
                    {f.seq,
                     v->topic,
                     std::move(any),
                     std::move(v->detail),
                     {f.seq, v->shown ? message(f, v->topic, *v->shown) : nullptr, now},
                     {f.seq, message(f, v->topic, v->detailed), now},
                     std::move(v->readers)});
            }
        }
        return 0;
    });
    // One batch per I/O thread: its connections and their messages, in order, posted once.
    struct batch {
        boost::asio::any_io_executor executor;
        std::vector<std::pair<std::shared_ptr<live_subscriber>, live_message>> items;
    };
    std::vector<batch> batches;
    {
        std::lock_guard lock(mutex_);
        for (auto& e : entries) {
            if (e.seq <= head_) continue;  // already seen
            for (auto& member : members_) {
                const auto& m = member.second;
                if (!wants(m, e)) continue;
                const auto* message = e.for_whom(m.who);
                if (!message) continue;
                auto s = m.self.lock();
                if (!s) continue;  // its last owner is gone: it is leaving
                auto b = std::find_if(batches.begin(), batches.end(),
                                      [&](const batch& x) { return x.executor == m.executor; });
                if (b == batches.end()) b = batches.insert(batches.end(), batch{m.executor, {}});
                b->items.emplace_back(std::move(s), *message);
            }
            recent_.push_back(std::move(e));
        }
        // Posted under the lock, as one post per connection was: a subscription that takes
        // the lock after this publication finds these messages queued before its replay.
        for (auto& b : batches)
            boost::asio::post(b.executor, [items = std::move(b.items)] {
                // Everything queued first, then written: a connection's messages of one
                // publication go out together where its protocol gathers them.
                for (const auto& [s, m] : items) s->deliver_here(m);
                for (const auto& item : items) item.first->flush();
            });
        head_ = std::max(head_, facts.back().seq);
        // What the hub has now passed needs no floor (a walk as cheap as one delivery's).
        for (auto& [p, m] : members_)
            if (!m.seen_up_to.empty())
                std::erase_if(m.seen_up_to, [&](const auto& t) { return t.second <= head_; });
        while (recent_.size() > opts_.history) {
            base_ = recent_.front().seq;
            recent_.pop_front();
        }
        // The history before an erasure may name the erased person: it goes, and a client
        // resuming from before it reloads through the API (docs/privacy.md, "Erasure").
        for (const auto& f : facts)
            if (std::holds_alternative<personal_data_erased>(f.body)) {
                while (!recent_.empty() && recent_.front().seq < f.seq) recent_.pop_front();
                base_ = std::max(base_, f.seq - 1);
            }
    }
    for (const auto& f : facts)
        if (std::holds_alternative<session_closed>(f.body) ||
            std::holds_alternative<password_set>(f.body) ||
            std::holds_alternative<user_changed>(f.body) ||
            std::holds_alternative<personal_data_erased>(f.body)) {
            end_lost_sessions();
            break;
        }
    // The batches own their connections until they have run, on the connections' threads,
    // outside the lock: a connection whose last owner one was leaves the hub from its
    // destructor, which takes the lock.
}

void live_hub::end_lost_sessions() {
    std::vector<std::pair<std::weak_ptr<live_subscriber>, std::string>> signed_in;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [p, m] : members_)
            if (!m.session.empty()) signed_in.emplace_back(m.self, m.session);
    }
    if (signed_in.empty()) return;
    std::vector<std::shared_ptr<live_subscriber>> lost;
    book_.read([&](const state& s) {
        for (const auto& [self, session] : signed_in)
            if (!s.sessions.count(session))
                if (auto c = self.lock()) lost.push_back(std::move(c));
        return 0;
    });
    for (auto& c : lost) c->shut(1008, "session ended");
}

bool live_hub::join(const std::shared_ptr<live_subscriber>& s, const std::string& address,
                    actor who, std::string session) {
    std::lock_guard lock(mutex_);
    auto count = per_address_.find(address);
    if (members_.size() >= opts_.max_connections ||
        (count != per_address_.end() && count->second >= opts_.max_per_address))
        return false;
    ++per_address_[address];
    members_[s.get()] =
        member{s, address, std::move(who), std::move(session), {}, {}, s->executor()};
    stats_.live_connections++;
    return true;
}

void live_hub::leave(live_subscriber* s) {
    std::lock_guard lock(mutex_);
    auto it = members_.find(s);
    if (it == members_.end()) return;
    if (--per_address_[it->second.address] == 0) per_address_.erase(it->second.address);
    stats_.live_subscriptions -= static_cast<std::int64_t>(it->second.topics.size());
    members_.erase(it);
    stats_.live_connections--;
}

bool live_hub::valid_topic(const std::string& topic, const actor& who) const {
    if (topic == "calendar:*" || topic == "catalogue") return true;
    if (topic.rfind("window:", 0) == 0)
        return book_.read([&](const state& s) {
            auto g = s.agreements.find(topic.substr(7));
            return g != s.agreements.end() && !g->second.window_operator.empty();
        });
    if (topic.rfind("calendar:", 0) == 0)
        return book_.read([&](const state& s) { return s.resources.count(topic.substr(9)) > 0; });
    for (std::string prefix : {"event:", "jobdating:"})
        if (topic.rfind(prefix, 0) == 0)
            return book_.read([&](const state& s) {
                auto e = s.events.find(topic.substr(prefix.size()));
                return e != s.events.end() && may_see_event(who, e->second);
            });
    return false;
}

std::optional<live_hub::refusal> live_hub::subscribe(live_subscriber* s, const actor& who,
                                                     const std::vector<std::string>& topics,
                                                     std::optional<std::int64_t> since,
                                                     bool& reload, std::int64_t& seq) {
    reload = false;
    refusal unknown{"unknown topic", {}};
    for (const auto& t : topics)
        if (!valid_topic(t, who)) unknown.topics.push_back(t);
    if (!unknown.topics.empty()) return unknown;
    std::vector<std::shared_ptr<live_subscriber>> hold;
    std::lock_guard lock(mutex_);
    auto it = members_.find(s);
    if (it == members_.end()) return refusal{"not connected", {}};
    auto& m = it->second;
    seq = head_;
    // All or nothing: a subscription over the cap adds none of its topics.
    std::set<std::string> added;
    for (const auto& t : topics)
        if (!m.topics.count(t)) added.insert(t);
    if (m.topics.size() + added.size() > opts_.max_topics)
        return refusal{"too many topics on one connection", {}};
    m.topics.insert(added.begin(), added.end());
    stats_.live_subscriptions += static_cast<std::int64_t>(added.size());
    if (since && *since < head_) {
        if (*since < base_) {
            reload = true;  // older than the history kept: the client reloads through the API
        } else {
            // The facts it missed on the topics just added, in order, before anything newer.
            for (const auto& e : recent_)
                if (e.seq > *since && matches(added, e)) send(m, e, hold);
        }
    } else if (since && *since > head_ && !added.empty()) {
        // Ahead of this hub (docs/live-protocol.md, "Resuming"): what it publishes up to
        // `since` on these topics was seen.
        for (const auto& t : added) m.seen_up_to[t] = *since;
    }
    return std::nullopt;
}

void live_hub::unsubscribe(live_subscriber* s, const std::vector<std::string>& topics) {
    std::lock_guard lock(mutex_);
    auto it = members_.find(s);
    if (it == members_.end()) return;
    auto& m = it->second;
    for (const auto& t : topics) {
        if (m.topics.erase(t)) stats_.live_subscriptions--;
        m.seen_up_to.erase(t);
    }
}

std::int64_t live_hub::head() const {
    std::lock_guard lock(mutex_);
    return head_;
}

void live_hub::close_all() {
    std::vector<std::shared_ptr<live_subscriber>> hold;
    {
        std::lock_guard lock(mutex_);
        for (auto& [s, m] : members_)
            if (auto alive = m.self.lock()) hold.push_back(std::move(alive));
    }
    for (auto& s : hold) s->shut(1001, "server going away");
}

}  // namespace creneau::server
