#include "common/facts_text.hpp"

#include "common/core/json_text.hpp"

namespace creneau {
namespace {

// A reservation request's document: the reservation's members (common/reservations/model.hpp)
// but its history, with the fact's type and version beside them, sorted by name; false if a
// string had to be replaced.
bool append_requested(std::string& out, const reservation& r) {
    object_text o(out);
    o.string("agreement", r.agreement);
    o.integer("attendees", r.attendees);
    o.time("created", r.created);
    o.time("end", r.end);
    o.strings("equipment", r.equipment);
    o.boolean("holds_unit", r.holds_unit);
    o.string("id", r.id);
    o.string("layout", r.layout);
    o.string("organisation", r.organisation);
    o.integer("quota_minutes", r.quota_minutes);
    const bool quote_exact = append_quote(o.key("quote"), r.quote);
    o.integer("rank", r.rank);
    o.string("reason", r.reason);
    o.string("requester", r.requester);
    o.string("resource", r.resource);
    o.integer("revision", r.revision);
    o.string("series", r.series);
    o.time("start", r.start);
    o.string("status", name_of(r.status));
    o.string("title", r.title);
    o.string("type", reservation_requested::type);
    o.integer("v", fact_version);
    o.integer("year", r.year);
    o.close();
    return o.exact() && quote_exact;
}

}  // namespace

bool append_quote(std::string& out, const quote& q) {
    object_text o(out);
    if (q.agreement.empty())
        o.key("agreement") += "null";
    else
        o.string("agreement", q.agreement);
    if (q.allowance) {
        object_text a(o.key("allowance"));
        a.integer("held", q.allowance->held);
        a.integer("left", q.allowance->left);
        a.integer("limit", q.allowance->limit);
        a.integer("used", q.allowance->used);
        a.integer("year", q.allowance->year);
        a.close();
    } else {
        o.key("allowance") += "null";
    }
    o.string("billed_as", name_of(q.billed_as));
    o.string("currency", "EUR");
    o.boolean("free", q.free);
    if (q.hours) {
        object_text h(o.key("hours"));
        h.integer("beyond_minutes", q.hours->beyond_minutes);
        h.integer("held_minutes", q.hours->held_minutes);
        h.integer("quota_minutes", q.hours->quota_minutes);
        h.integer("this_minutes", q.hours->this_minutes);
        h.integer("used_minutes", q.hours->used_minutes);
        h.integer("year", q.hours->year);
        h.close();
    }
    auto& lines = o.key("lines");
    lines += '[';
    bool exact = true;
    for (std::size_t i = 0; i < q.lines.size(); ++i) {
        if (i) lines += ',';
        object_text l(lines);
        l.integer("amount_cents", q.lines[i].amount_cents);
        l.string("kind", q.lines[i].kind);
        l.string("label", q.lines[i].label);
        l.close();
        exact = l.exact() && exact;
    }
    lines += ']';
    o.integer("total_cents", q.total_cents);
    o.close();
    return o.exact() && exact;
}

std::optional<std::string> requested_text(const reservation& r) {
    std::string out;
    out.reserve(1024);
    if (!append_requested(out, r)) return std::nullopt;
    return out;
}

std::optional<std::string> approved_text(const reservation_approved& a) {
    std::string out;
    out.reserve(128);
    object_text o(out);
    o.boolean("automatic", a.automatic);
    o.string("id", a.id);
    o.integer("quota_minutes", a.quota_minutes);
    o.string("type", reservation_approved::type);
    o.integer("v", fact_version);
    o.close();
    if (!o.exact()) return std::nullopt;
    return out;
}

std::string stored_body(const fact_body& body) {
    if (const auto* requested = std::get_if<reservation_requested>(&body)) {
        if (auto text = requested_text(requested->value)) return std::move(*text);
    } else if (const auto* approved = std::get_if<reservation_approved>(&body)) {
        if (auto text = approved_text(*approved)) return std::move(*text);
    }
    return to_json(body).dump();
}

}  // namespace creneau
