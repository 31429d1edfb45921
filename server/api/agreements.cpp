// The usage of an agreement in a year (JSON and CSV): allowances, hour quotas and what is
// billable, for the agreement's parties (docs/authorisation.md).

#include "server/api/routes.hpp"
#include "server/api/support.hpp"

#include "common/access.hpp"
#include "common/agreements/usage.hpp"

#include <cstdio>

namespace creneau::server {
namespace {

std::string euros(cents amount) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%lld.%02lld", amount < 0 ? "-" : "", std::llabs(amount) / 100,
                  std::llabs(amount) % 100);
    return buf;
}

int year_param(const request& req) {
    auto y = query_param(req.target(), "year");
    if (!y)
        fail(http::status::bad_request, "bad-request", "query parameter 'year' is required",
             "year");
    try {
        std::size_t used = 0;
        int year = std::stoi(*y, &used);
        if (used != y->size() || year < 2000 || year > 2200) throw std::out_of_range("year");
        return year;
    } catch (const std::exception&) {
        fail(http::status::bad_request, "bad-request", "year must be a year such as 2026", "year");
    }
}

std::string usage_csv(const usage& u) {
    std::string csv =
        "agreement,year,reservation,resource,organisation,start,end,title,kind,label,amount_"
        "eur\r\n";
    const auto year = std::to_string(u.year);
    for (const auto& l : u.billable)
        csv += csv_cell(u.agreement) + "," + year + "," + csv_cell(l.reservation) + "," +
               csv_cell(l.resource) + "," + csv_cell(l.organisation) + "," + format_utc(l.start) +
               "," + format_utc(l.end) + "," + csv_cell(l.title) + "," + csv_cell(l.kind) + "," +
               csv_cell(l.label) + "," + euros(l.amount_cents) + "\r\n";
    csv +=
        csv_cell(u.agreement) + "," + year + ",,,,,,,total,Total," + euros(u.total_cents) + "\r\n";
    return csv;
}

net::awaitable<response> usage_route(const api_base& api, call& c) {
    auto who = api.identify(c.req);
    require_user(who);
    const int year = year_param(c.req);
    auto found = api.book.read([&](const state& s) -> std::optional<usage> {
        auto a = s.agreements.find(c.param("id"));
        if (a == s.agreements.end() || !may_see_agreement(s, who.as_actor(), a->second))
            return std::nullopt;
        return usage_of(s, a->second, year);
    });
    if (!found) fail(http::status::not_found, "not-found", "no agreement '" + c.param("id") + "'");
    auto format = query_param(c.req.target(), "format");
    if (format && *format == "csv") {
        auto res =
            text_response(c.req, http::status::ok, usage_csv(*found), "text/csv; charset=utf-8");
        res.set(http::field::content_disposition,
                attachment("usage-" + c.param("id") + "-" + std::to_string(year) + ".csv"));
        co_return res;
    }
    if (format && *format != "json")
        fail(http::status::bad_request, "bad-request", "format is json or csv", "format");
    co_return json_response(c.req, http::status::ok, *found);
}

}  // namespace

void add_agreement_routes(router& routes, const api_base& api) {
    routes.add(http::verb::get, "/api/agreements/{id}/usage",
               guarded([api](call& c) { return usage_route(api, c); }));
}

}  // namespace creneau::server
