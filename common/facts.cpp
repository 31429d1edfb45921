#include "common/facts.hpp"

#include <unordered_map>

namespace creneau {
namespace {

using reader = fact_body (*)(const json&);

// The type names of the variant's facts and their readers, built from the variant itself:
// a new fact in the variant is known here with nothing to add. Members a fact does not
// carry (written by an earlier version) take their defaults; a member of the wrong type is
// refused, naming it.
template <std::size_t... I>
const std::unordered_map<std::string_view, reader>& readers(std::index_sequence<I...>) {
    static const std::unordered_map<std::string_view, reader> table{
        {std::variant_alternative_t<I, fact_body>::type, [](const json& j) -> fact_body {
             return read_value<std::variant_alternative_t<I, fact_body>>(j);
         }}...};
    return table;
}

const std::unordered_map<std::string_view, reader>& readers() {
    return readers(std::make_index_sequence<std::variant_size_v<fact_body>>{});
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::invalid_argument((path.empty() ? std::string("/") : path) + ": " + what);
}

}  // namespace

std::string_view type_of(const fact_body& body) {
    return std::visit([](const auto& f) { return std::decay_t<decltype(f)>::type; }, body);
}

json to_json(const fact_body& body) {
    json j = std::visit([](const auto& f) { return json(f); }, body);
    j["v"] = fact_version;
    j["type"] = type_of(body);
    return j;
}

fact_body fact_body_from_json(const json& j) {
    if (!j.is_object()) fail("", "a fact is a JSON object");
    auto v = j.find("v");
    if (v == j.end()) fail("/v", "missing");
    if (!v->is_number_integer()) fail("/v", "expected an integer");
    auto version = v->get<std::int64_t>();
    if (version < 1 || version > fact_version)
        fail("/v", "fact version " + std::to_string(version) +
                       " is not known to this version of creneau");
    auto t = j.find("type");
    if (t == j.end() || !t->is_string()) fail("/type", "missing");
    const auto& type = t->get_ref<const std::string&>();
    auto read = readers().find(type);
    if (read == readers().end()) fail("/type", "unknown fact type '" + type + "'");
    // No fact carries a number with a fraction; reading one into an integer is not defined
    // when it is out of range, and journals can be written by others (Redis).
    refuse_fractions(j, "");
    return read->second(j);
}

json to_json(const fact& f) {
    return {{"seq", f.seq}, {"at", f.at}, {"actor", f.actor}, {"fact", to_json(f.body)}};
}

fact fact_from_json(const json& j) {
    if (!j.is_object() || !j.contains("fact")) fail("/fact", "missing");
    fact f;
    auto seq = j.find("seq");
    if (seq == j.end() || !seq->is_number_integer()) fail("/seq", "expected an integer");
    try {
        f.seq = seq->get<std::int64_t>();
        f.at = j.at("at").get<instant>();
        f.actor = j.at("actor").get<std::string>();
    } catch (const json::exception& e) {
        rethrow_with_path(e);
    }
    f.body = fact_body_from_json(j.at("fact"));
    return f;
}

}  // namespace creneau
