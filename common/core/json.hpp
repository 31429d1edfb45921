#pragma once
// JSON for the domain's values, through nlohmann's own mechanisms: plain structs are
// described once with NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT beside their
// definition; instants, durations and optionals have adl_serializers here; enums are
// written by name from one table per enum (`enum_names`), and an unknown name is refused.
//
// Facts from the journal are read as they are (they were written by us). What clients send
// is read by `decode<T>`, strictly: every value must have the JSON type that T writes it
// with (an integer where an integer goes, never a float, a boolean or a string), and a
// refusal names the member at fault. Nothing recursive runs over client JSON deeper than
// `max_json_depth`.

#include "common/core/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace creneau {

using json = nlohmann::json;

// ---- enums by name --------------------------------------------------------------------------

// Specialised for each enum that is written by name: `static constexpr std::pair<E,
// std::string_view> table[] = {...}`; the first entry is also what an unknown value prints.
template <class E>
struct enum_names;

template <class E>
concept named_enum = std::is_enum_v<E> && requires {
    enum_names<E>::table;
};

template <named_enum E>
std::string_view name_of(E e) {
    for (const auto& [v, n] : enum_names<E>::table)
        if (v == e) return n;
    return enum_names<E>::table[0].second;
}

template <named_enum E>
std::optional<E> parse_name(std::string_view s) {
    for (const auto& [v, n] : enum_names<E>::table)
        if (n == s) return v;
    return std::nullopt;
}

// The names, for messages: "host, founder-member, member, other".
template <named_enum E>
std::string names_of() {
    std::string out;
    for (const auto& [v, n] : enum_names<E>::table) out.append(out.empty() ? "" : ", ").append(n);
    return out;
}

template <named_enum E>
void to_json(json& j, E e) {
    j = name_of(e);
}

// A value a reader of ours refuses, with its place below the member being read (e.g.
// "/mon/0/1" inside "hours"); `decode` puts the member in front.
struct json_value_error : std::invalid_argument {
    json_value_error(std::string where, const std::string& what)
        : std::invalid_argument(what), path(std::move(where)) {}
    std::string path;
};

template <named_enum E>
void from_json(const json& j, E& e) {
    auto v = j.is_string() ? parse_name<E>(j.get_ref<const std::string&>()) : std::nullopt;
    if (!v) throw json_value_error("", "expected one of " + names_of<E>() + ", got " + j.dump());
    e = *v;
}

// ---- client JSON -------------------------------------------------------------------------------

// JSON from clients and from Redis nests at most this deep: deeper documents are refused
// before parsing, so that nothing recursive (copies, dumps, readers) ever runs over them.
inline constexpr int max_json_depth = 64;

// Whether a JSON text nests arrays and objects at most `max_depth` deep (a linear scan that
// skips strings).
bool json_depth_within(std::string_view text, int max_depth = max_json_depth);

// Parses untrusted JSON: discarded (is_discarded()) if it is not JSON or nests too deep.
json parse_untrusted(std::string_view text);

// Turns an exception of nlohmann's, or of our readers, into std::invalid_argument
// "/path: problem" (`path` as far as it is known: nlohmann's own messages do not say where
// they were).
[[noreturn]] void rethrow_with_path(const std::exception& e, const std::string& path = "");

// The member of an object that `read` fails on, read alone; "" if none alone does.
template <class Read>
std::string failing_member(const json& j, Read read) {
    if (!j.is_object()) return {};
    for (const auto& [key, value] : j.items()) {
        try {
            read(json{{key, value}});
        } catch (const json::exception&) {
            return "/" + key;
        } catch (const json_value_error& e) {
            return "/" + key + e.path;
        }
    }
    return {};
}

// Reads a T, turning any refusal into std::invalid_argument "/path: problem".
template <class T>
T read_value(const json& j) {
    try {
        return j.get<T>();
    } catch (const json::exception& e) {
        rethrow_with_path(e, failing_member(j, [](const json& part) { return part.get<T>(); }));
    } catch (const json_value_error& e) {
        rethrow_with_path(e, failing_member(j, [](const json& part) { return part.get<T>(); }));
    }
}

// Compares what a client sent with how the value read from it is written back: a number
// where T has none, a float, an integer out of T's range, a string for a boolean … is
// refused, naming the path. Keys T does not know are ignored.
void check_shape(const json& sent, const json& written, const std::string& path);

// Refuses numbers with a fraction anywhere: no value of the domain takes one (money is in
// cents, durations in minutes), and reading one into an integer would not be defined.
void refuse_fractions(const json& sent, const std::string& path);

// Reads a value from client JSON, strictly; throws std::invalid_argument "/path: problem".
template <class T>
T decode(const json& j) {
    refuse_fractions(j, "");
    T value = read_value<T>(j);
    check_shape(j, json(value), "");
    return value;
}

}  // namespace creneau

// ---- instants, durations, optionals ------------------------------------------------------------

namespace nlohmann {

// Instants are RFC 3339 text on the wire, UTC inside.
template <>
struct adl_serializer<creneau::instant> {
    static void to_json(json& j, const creneau::instant& t) { j = creneau::format_utc(t); }
    static void from_json(const json& j, creneau::instant& t) {
        auto parsed =
            j.is_string() ? creneau::parse_rfc3339(j.get_ref<const std::string&>()) : std::nullopt;
        if (!parsed)
            throw creneau::json_value_error(
                "",
                "expected an RFC 3339 instant such as 2027-03-09T09:00:00+01:00, got " + j.dump());
        t = *parsed;
    }
};

// Durations are whole minutes.
template <>
struct adl_serializer<creneau::minutes> {
    static void to_json(json& j, const creneau::minutes& m) { j = m.count(); }
    static void from_json(const json& j, creneau::minutes& m) {
        if (!j.is_number_integer())
            throw creneau::json_value_error("", "expected a number of minutes, got " + j.dump());
        m = creneau::minutes{j.get<std::int64_t>()};
    }
};

// An optional is null when empty.
template <class T>
struct adl_serializer<std::optional<T>> {
    static void to_json(json& j, const std::optional<T>& v) {
        if (v)
            j = *v;
        else
            j = nullptr;
    }
    static void from_json(const json& j, std::optional<T>& v) {
        if (j.is_null())
            v.reset();
        else
            v = j.get<T>();
    }
};

}  // namespace nlohmann
