#include "common/state_codec.hpp"

#include <array>
#include <concepts>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <vector>

namespace creneau {
namespace {

// ---- the fields of each part, in declaration order ------------------------------------------
//
// One list per type, read by the writer (S const) and the reader (S mutable) alike, so the two
// can never disagree. When a type gains or loses a field, add it to its list and bump
// state_format: the size checks below fail the build for the larger types, and a test
// compares every list's length with the type's JSON fields (tests/common/test_facts.cpp).

#define CRENEAU_FIELDS(T)                            \
    template <class A, class S>                      \
    requires std::same_as<std::remove_const_t<S>, T> \
    void fields(A& a, S& v)

CRENEAU_FIELDS(site) {
    a(v.id, v.name, v.zone, v.owner);
}
CRENEAU_FIELDS(layout) {
    a(v.id, v.label, v.capacity);
}
CRENEAU_FIELDS(day_hours) {
    a(v.open, v.close);
}
CRENEAU_FIELDS(weekly_hours) {
    a(v.days);
}
CRENEAU_FIELDS(closure) {
    a(v.start, v.end, v.reason);
}
CRENEAU_FIELDS(resource) {
    a(v.id, v.name, v.site, v.kind, v.layouts, v.hours, v.closures, v.setup_minutes,
      v.cleanup_minutes, v.equipment);
}
CRENEAU_FIELDS(organisation) {
    a(v.id, v.name, v.category, v.accredited_by);
}
CRENEAU_FIELDS(resource_prices) {
    a(v.by_unit);
}
CRENEAU_FIELDS(service_fee) {
    a(v.label, v.amount_cents);
}
CRENEAU_FIELDS(tariff_grid) {
    a(v.id, v.name, v.owner, v.example, v.half_day_minutes, v.day_minutes, v.prices,
      v.service_fees);
}
CRENEAU_FIELDS(resource_terms) {
    a(v.free_per_year, v.unlimited_free, v.hour_quota, v.alert_percents);
}
CRENEAU_FIELDS(notice) {
    a(v.months, v.days);
}
CRENEAU_FIELDS(agreement) {
    a(v.id, v.name, v.provider, v.beneficiary, v.reciprocal, v.zone, v.valid_from, v.valid_to,
      v.resources, v.min_notice, v.approval_required, v.tariff_grid, v.billed_as,
      v.window_operator);
}
CRENEAU_FIELDS(counter_key) {
    a(v.agreement, v.resource, v.year);
}
CRENEAU_FIELDS(allowance_counter) {
    a(v.held, v.used);
}
CRENEAU_FIELDS(quota_counter) {
    a(v.used_minutes, v.held_minutes, v.alerts);
}
CRENEAU_FIELDS(user) {
    a(v.id, v.email, v.name, v.role, v.organisation, v.password_hash, v.disabled, v.lang, v.muted,
      v.copies);
}
CRENEAU_FIELDS(session) {
    a(v.user, v.expires, v.opened);
}
CRENEAU_FIELDS(account_link) {
    a(v.user, v.purpose, v.expires);
}
CRENEAU_FIELDS(audit_entry) {
    a(v.seq, v.at, v.actor, v.action, v.subject, v.organisation);
}
CRENEAU_FIELDS(history_entry) {
    a(v.seq, v.at, v.actor, v.action, v.detail);
}
CRENEAU_FIELDS(allowance_view) {
    a(v.year, v.limit, v.used, v.held, v.left);
}
CRENEAU_FIELDS(hours_view) {
    a(v.year, v.quota_minutes, v.used_minutes, v.held_minutes, v.this_minutes, v.beyond_minutes);
}
CRENEAU_FIELDS(quote_line) {
    a(v.kind, v.label, v.amount_cents);
}
CRENEAU_FIELDS(quote) {
    a(v.free, v.total_cents, v.lines, v.agreement, v.billed_as, v.allowance, v.hours);
}
CRENEAU_FIELDS(reservation) {
    a(v.id, v.resource, v.start, v.end, v.layout, v.attendees, v.organisation, v.requester, v.title,
      v.equipment, v.status, v.reason, v.agreement, v.year, v.holds_unit, v.quota_minutes, v.quote,
      v.created, v.revision, v.rank, v.series, v.history);
}
CRENEAU_FIELDS(moved_occurrence) {
    a(v.date, v.start, v.end);
}
CRENEAU_FIELDS(recurrence) {
    a(v.frequency, v.interval, v.weekdays, v.month_day, v.nth, v.weekday, v.until, v.count, v.skip,
      v.moves);
}
CRENEAU_FIELDS(series_occurrence) {
    a(v.date, v.start, v.end, v.skipped, v.moved, v.reservation, v.code, v.detail);
}
CRENEAU_FIELDS(series) {
    a(v.id, v.resource, v.organisation, v.requester, v.title, v.zone, v.start, v.end, v.rule,
      v.all_or_nothing, v.created, v.occurrences);
}
CRENEAU_FIELDS(window_request) {
    a(v.id, v.agreement, v.organisation, v.requester, v.title, v.description, v.start, v.end,
      v.attendees, v.kind, v.status, v.reason, v.reservation, v.created, v.history);
}
CRENEAU_FIELDS(event_question) {
    a(v.id, v.label, v.required);
}
CRENEAU_FIELDS(event) {
    a(v.id, v.kind, v.title, v.description, v.reservations, v.capacity, v.opens, v.closes,
      v.restricted, v.organisations, v.questions, v.organiser, v.team_min, v.team_max, v.day_start,
      v.slot_minutes, v.slots, v.breaks, v.retention_months);
}
CRENEAU_FIELDS(registration) {
    a(v.id, v.event, v.code, v.name, v.email, v.organisation, v.user, v.answers, v.status,
      v.created, v.role, v.ranking, v.wants, v.declines, v.max_meetings, v.tables, v.first_slot,
      v.last_slot, v.no_show, v.description, v.lang);
}
CRENEAU_FIELDS(team) {
    a(v.id, v.event, v.name, v.code, v.members, v.pepite);
}
CRENEAU_FIELDS(meeting) {
    a(v.student, v.company, v.slot, v.table, v.pinned);
}
CRENEAU_FIELDS(timetable) {
    a(v.meetings, v.dropped, v.published, v.revision);
}
CRENEAU_FIELDS(request_record) {
    a(v.fingerprint, v.first_seq, v.facts, v.at);
}
CRENEAU_FIELDS(state) {
    a(v.seq, v.operator_org, v.sites, v.resources, v.organisations, v.tariffs, v.agreements,
      v.allowances, v.quotas, v.users, v.user_by_email, v.sessions, v.calendar_feeds,
      v.account_links, v.last_active, v.erased, v.audit, v.reservations, v.reservation_counter,
      v.active_by_start, v.room_waiting, v.series, v.window_requests, v.window_counter, v.events,
      v.registrations, v.waiting, v.teams, v.registration_counter, v.resent, v.timetables,
      v.event_inputs, v.requests);
}

#undef CRENEAU_FIELDS

// A type that changes size has gained or lost a field (Debian 12, x86-64, libstdc++): the
// larger types, and those without JSON to compare the lists with.
static_assert(sizeof(site) == 128);
static_assert(sizeof(resource) == 360);
static_assert(sizeof(tariff_grid) == 216);
static_assert(sizeof(agreement) == 368);
static_assert(sizeof(user) == 240);
static_assert(sizeof(reservation) == 568);
static_assert(sizeof(event) == 296);
static_assert(sizeof(registration) == 480);
static_assert(sizeof(team) == 160);
static_assert(sizeof(timetable) == 56);
static_assert(sizeof(request_record) == 56);
static_assert(sizeof(state) == 1384);
static_assert(sizeof(window_request) == 320);
static_assert(sizeof(day_hours) == 8);
static_assert(sizeof(weekly_hours) == 168);
static_assert(sizeof(resource_prices) == 48);
static_assert(sizeof(resource_terms) == 48);
static_assert(sizeof(quote) == 160);
static_assert(sizeof(counter_key) == 72);
static_assert(sizeof(allowance_counter) == 8);
static_assert(sizeof(quota_counter) == 64);
static_assert(sizeof(session) == 48);
static_assert(sizeof(account_link) == 48);

template <class T>
struct is_map : std::false_type {};
template <class K, class V, class C, class Al>
struct is_map<std::map<K, V, C, Al>> : std::true_type {};

template <class T>
struct is_set : std::false_type {};
template <class K, class C, class Al>
struct is_set<std::set<K, C, Al>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class V, class Al>
struct is_vector<std::vector<V, Al>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class V>
struct is_optional<std::optional<V>> : std::true_type {};

template <class T>
struct is_array : std::false_type {};
template <class V, std::size_t N>
struct is_array<std::array<V, N>> : std::true_type {};

template <class T>
struct is_duration : std::false_type {};
template <class R, class P>
struct is_duration<std::chrono::duration<R, P>> : std::true_type {};

template <class T>
struct is_time_point : std::false_type {};
template <class C, class D>
struct is_time_point<std::chrono::time_point<C, D>> : std::true_type {};

// ---- writing --------------------------------------------------------------------------------

class writer {
  public:
    std::string out;

    template <class... T>
    void operator()(const T&... v) {
        (put(v), ...);
    }

    template <class T>
    void put(const T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            out.push_back(v ? '\1' : '\0');
        } else if constexpr (std::is_integral_v<T>) {
            raw(v);
        } else if constexpr (std::is_enum_v<T>) {
            raw(static_cast<std::int64_t>(v));
        } else if constexpr (std::is_same_v<T, std::string>) {
            length(v.size());
            out.append(v);
        } else if constexpr (is_duration<T>::value) {
            raw(static_cast<std::int64_t>(v.count()));
        } else if constexpr (is_time_point<T>::value) {
            raw(static_cast<std::int64_t>(v.time_since_epoch().count()));
        } else if constexpr (is_optional<T>::value) {
            put(v.has_value());
            if (v) put(*v);
        } else if constexpr (is_array<T>::value) {
            for (const auto& x : v) put(x);
        } else if constexpr (is_vector<T>::value || is_set<T>::value) {
            length(v.size());
            for (const auto& x : v) put(x);
        } else if constexpr (is_map<T>::value) {
            length(v.size());
            for (const auto& [k, x] : v) {
                put(k);
                put(x);
            }
        } else {
            fields(*this, v);
        }
    }

  private:
    template <class I>
    void raw(I v) {
        char b[sizeof v];
        std::memcpy(b, &v, sizeof v);
        out.append(b, sizeof v);
    }
    void length(std::size_t n) { raw(static_cast<std::uint64_t>(n)); }
};

// ---- the fewest bytes a value takes written -------------------------------------------------
//
// A count of n items is believed only if n times that many bytes are left; a vector of them is
// then reserved at once, instead of grown by doubling (a snapshot's largest hold hundreds of
// thousands of items).

template <class T>
std::size_t least_bytes();

struct least_counter {
    std::size_t n = 0;
    template <class... T>
    void operator()(const T&...) {
        n = (std::size_t{0} + ... + least_bytes<T>());
    }
};

template <class T>
std::size_t least_bytes() {
    if constexpr (std::is_same_v<T, bool> || is_optional<T>::value) {
        return 1;
    } else if constexpr (std::is_integral_v<T>) {
        return sizeof(T);
    } else if constexpr (std::is_enum_v<T> || std::is_same_v<T, std::string> ||
                         is_duration<T>::value || is_time_point<T>::value || is_vector<T>::value ||
                         is_set<T>::value || is_map<T>::value) {
        return 8;
    } else if constexpr (is_array<T>::value) {
        return std::tuple_size_v<T> * least_bytes<typename T::value_type>();
    } else {
        static const std::size_t n = [] {
            least_counter c;
            const T v{};
            fields(c, v);
            return c.n;
        }();
        return n;
    }
}

// ---- reading --------------------------------------------------------------------------------

class reader {
  public:
    explicit reader(std::string_view in) : in_(in) {}

    template <class... T>
    void operator()(T&... v) {
        (get(v), ...);
    }

    template <class T>
    void get(T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            auto c = take(1)[0];
            if (c != '\0' && c != '\1') fail("a truth value is neither 0 nor 1");
            v = c == '\1';
        } else if constexpr (std::is_integral_v<T>) {
            v = raw<T>();
        } else if constexpr (std::is_enum_v<T>) {
            auto n = raw<std::int64_t>();
            bool known = false;
            for (const auto& entry : enum_names<T>::table)
                known = known || static_cast<std::int64_t>(entry.first) == n;
            if (!known) fail("an enumeration holds a value it does not have");
            v = static_cast<T>(n);
        } else if constexpr (std::is_same_v<T, std::string>) {
            auto n = length(1);
            v.assign(take(n));
        } else if constexpr (is_duration<T>::value) {
            v = T(raw<std::int64_t>());
        } else if constexpr (is_time_point<T>::value) {
            v = T(typename T::duration(raw<std::int64_t>()));
        } else if constexpr (is_optional<T>::value) {
            bool present = false;
            get(present);
            if (present) {
                v.emplace();
                get(*v);
            } else {
                v.reset();
            }
        } else if constexpr (is_array<T>::value) {
            for (auto& x : v) get(x);
        } else if constexpr (is_vector<T>::value) {
            // A count that lies reserves no more memory than four times the bytes left: a
            // vector is reserved whole only where its items take at most four times in memory
            // what they take written at their smallest (the state's large vectors, of audit and
            // history entries, take about three).
            using V = typename T::value_type;
            auto n = length(least_bytes<V>());
            v.clear();
            if (sizeof(V) <= 4 * least_bytes<V>()) v.reserve(n);
            for (std::size_t i = 0; i < n; ++i) get(v.emplace_back());
        } else if constexpr (is_set<T>::value) {
            auto n = length(least_bytes<typename T::value_type>());
            v.clear();
            for (std::size_t i = 0; i < n; ++i) {
                typename T::value_type x{};
                get(x);
                v.insert(v.end(), std::move(x));
            }
            if (v.size() != n) fail("a set holds the same value twice");
        } else if constexpr (is_map<T>::value) {
            auto n = length(least_bytes<typename T::key_type>() +
                            least_bytes<typename T::mapped_type>());
            v.clear();
            for (std::size_t i = 0; i < n; ++i) {
                typename T::key_type k{};
                get(k);
                // In order and without repeats, as they were written: each goes at the end.
                if (!v.empty() && !(v.rbegin()->first < k)) fail("a map's keys are out of order");
                get(v.emplace_hint(v.end(), std::move(k), typename T::mapped_type{})->second);
            }
        } else {
            fields(*this, v);
        }
    }

    bool done() const { return pos_ == in_.size(); }

  private:
    [[noreturn]] static void fail(const std::string& why) {
        throw std::invalid_argument("snapshot: " + why);
    }
    std::string_view take(std::size_t n) {
        if (n > in_.size() - pos_) fail("cut short");
        auto s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    template <class I>
    I raw() {
        I v;
        std::memcpy(&v, take(sizeof v).data(), sizeof v);
        return v;
    }
    // A count of items, each at least `least` bytes long: never more than the bytes left.
    std::size_t length(std::size_t least) {
        auto n = raw<std::uint64_t>();
        if (n > (in_.size() - pos_) / least) fail("a length goes beyond the end");
        return static_cast<std::size_t>(n);
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

// Counts the fields a type's list names.
struct counter {
    std::size_t n = 0;
    template <class... T>
    void operator()(const T&...) {
        n = sizeof...(T);
    }
};

template <class T>
std::pair<std::string, std::size_t> count_of(const char* name) {
    counter c;
    const T v{};
    fields(c, v);
    return {name, c.n};
}

}  // namespace

std::map<std::string, std::size_t> state_codec_fields() {
    return {count_of<site>("site"),
            count_of<layout>("layout"),
            count_of<day_hours>("day_hours"),
            count_of<weekly_hours>("weekly_hours"),
            count_of<closure>("closure"),
            count_of<resource>("resource"),
            count_of<organisation>("organisation"),
            count_of<resource_prices>("resource_prices"),
            count_of<service_fee>("service_fee"),
            count_of<tariff_grid>("tariff_grid"),
            count_of<resource_terms>("resource_terms"),
            count_of<notice>("notice"),
            count_of<agreement>("agreement"),
            count_of<counter_key>("counter_key"),
            count_of<allowance_counter>("allowance_counter"),
            count_of<quota_counter>("quota_counter"),
            count_of<user>("user"),
            count_of<session>("session"),
            count_of<account_link>("account_link"),
            count_of<audit_entry>("audit_entry"),
            count_of<history_entry>("history_entry"),
            count_of<allowance_view>("allowance_view"),
            count_of<hours_view>("hours_view"),
            count_of<quote_line>("quote_line"),
            count_of<quote>("quote"),
            count_of<reservation>("reservation"),
            count_of<window_request>("window_request"),
            count_of<event_question>("event_question"),
            count_of<event>("event"),
            count_of<registration>("registration"),
            count_of<team>("team"),
            count_of<meeting>("meeting"),
            count_of<timetable>("timetable"),
            count_of<request_record>("request_record"),
            count_of<state>("state")};
}

std::string encode_state(const state& s) {
    writer w;
    w.put(s);
    return std::move(w.out);
}

state decode_state(std::string_view bytes) {
    reader r(bytes);
    state s;
    r.get(s);
    if (!r.done()) throw std::invalid_argument("snapshot: bytes left after the state");
    return s;
}

}  // namespace creneau
