#include "server/ops/metrics.hpp"

#include <cstdio>

namespace creneau::server {

void histogram::observe(std::uint64_t micros) {
    double s = static_cast<double>(micros) / 1e6;
    std::size_t i = 0;
    while (i < bounds.size() && s > bounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(micros, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

void histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    char buf[64];
    auto with = [&](const std::string& le) {
        return "{" + labels + (labels.empty() ? "" : ",") + "le=\"" + le + "\"}";
    };
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        cumulative += buckets_[i].load();
        std::snprintf(buf, sizeof buf, "%g", bounds[i]);
        out += name + "_bucket" + with(buf) + " " + std::to_string(cumulative) + "\n";
    }
    cumulative += buckets_[bounds.size()].load();
    out += name + "_bucket" + with("+Inf") + " " + std::to_string(cumulative) + "\n";
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(sum_micros_.load()) / 1e6);
    std::string l = labels.empty() ? "" : "{" + labels + "}";
    out += name + "_sum" + l + " " + buf + "\n";
    out += name + "_count" + l + " " + std::to_string(count_.load()) + "\n";
}

void metrics::request(boost::beast::http::verb method, const std::string& route, unsigned status,
                      std::uint64_t micros) {
    using boost::beast::http::verb;
    std::string_view name = "other";
    switch (method) {
        case verb::get:
        case verb::head:
        case verb::post:
        case verb::put:
        case verb::delete_:
        case verb::patch:
        case verb::options:
            name = boost::beast::http::to_string(method);
            break;
        default:
            break;
    }
    const std::string_view label = route.empty() ? std::string_view("unmatched") : route;
    std::lock_guard lock(mutex_);
    auto counter = requests_.find(request_label<std::string_view>{name, label, status});
    if (counter == requests_.end())
        counter =
            requests_
                .emplace(request_label<std::string>{std::string(name), std::string(label), status},
                         0)
                .first;
    ++counter->second;
    auto latency = latency_.find(label);
    if (latency == latency_.end()) latency = latency_.try_emplace(std::string(label)).first;
    latency->second.observe(micros);
}

std::string metrics::render(const std::string& extra) const {
    std::string out;
    out +=
        "# HELP creneau_http_requests_total HTTP requests answered, by method, route and status.\n";
    out += "# TYPE creneau_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : requests_) {
        const auto& [method, route, status] = key;
        out += "creneau_http_requests_total{method=\"" + method + "\",route=\"" + route +
               "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP creneau_http_request_duration_seconds Time to answer a request, by route.\n";
    out += "# TYPE creneau_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_)
        h.render(out, "creneau_http_request_duration_seconds", "route=\"" + route + "\"");
    out +=
        "# HELP creneau_journal_append_seconds Time to append one group of facts to the journal.\n";
    out += "# TYPE creneau_journal_append_seconds histogram\n";
    journal_append_.render(out, "creneau_journal_append_seconds", "");
    out +=
        "# HELP creneau_live_connections Open WebSocket connections.\n# TYPE "
        "creneau_live_connections gauge\n";
    out += "creneau_live_connections " + std::to_string(live_connections.load()) + "\n";
    out +=
        "# HELP creneau_live_subscriptions Topic subscriptions.\n# TYPE creneau_live_subscriptions "
        "gauge\n";
    out += "creneau_live_subscriptions " + std::to_string(live_subscriptions.load()) + "\n";
    out +=
        "# HELP creneau_live_messages_total Messages sent to WebSocket clients.\n# TYPE "
        "creneau_live_messages_total counter\n";
    out += "creneau_live_messages_total " + std::to_string(live_messages.load()) + "\n";
    out +=
        "# HELP creneau_live_slow_closes_total Clients closed for not keeping up.\n# TYPE "
        "creneau_live_slow_closes_total counter\n";
    out += "creneau_live_slow_closes_total " + std::to_string(live_slow_closes.load()) + "\n";
    out +=
        "# HELP creneau_http_connections_refused_total Connections closed at once, over a "
        "connection cap.\n";
    out += "# TYPE creneau_http_connections_refused_total counter\n";
    out += "creneau_http_connections_refused_total " + std::to_string(connections_refused.load()) +
           "\n";
    out +=
        "# HELP creneau_mail_sent_total Mails the mail server accepted.\n"
        "# TYPE creneau_mail_sent_total counter\n";
    out += "creneau_mail_sent_total " + std::to_string(mail_sent.load()) + "\n";
    out +=
        "# HELP creneau_mail_failures_total Attempts to send a mail that failed.\n"
        "# TYPE creneau_mail_failures_total counter\n";
    out += "creneau_mail_failures_total " + std::to_string(mail_failures.load()) + "\n";
    out +=
        "# HELP creneau_live_delay_seconds Delay from a fact's commit to its send to a client.\n";
    out += "# TYPE creneau_live_delay_seconds histogram\n";
    live_delay_.render(out, "creneau_live_delay_seconds", "");
    out += extra;
    return out;
}

}  // namespace creneau::server
