#pragma once
// Counters and histograms for GET /metrics (Prometheus text format 0.0.4).
//
// Thread safety: every member may be called from any thread (atomics and a mutex).

#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace creneau::server {

// A latency histogram in seconds with fixed buckets.
class histogram {
  public:
    static constexpr std::array<double, 12> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    void observe(std::uint64_t micros);
    // Appends the _bucket, _sum and _count lines; `labels` is "" or `key="value",…`.
    void render(std::string& out, const std::string& name, const std::string& labels) const;

  private:
    std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{};
    std::atomic<std::uint64_t> sum_micros_{0};
    std::atomic<std::uint64_t> count_{0};
};

// A request's labels, held (std::string) or looked up (std::string_view).
template <class Text>
struct request_label {
    Text method;
    Text route;
    unsigned status;
};

// Orders labels of either kind alike, so that a lookup copies nothing.
struct label_order {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const request_label<A>& a, const request_label<B>& b) const {
        if (int c = std::string_view(a.method).compare(b.method)) return c < 0;
        if (int c = std::string_view(a.route).compare(b.route)) return c < 0;
        return a.status < b.status;
    }
};

class metrics {
  public:
    // One answered request. The labels stay bounded whatever clients send: the method is one
    // of the standard ones or "other", the route is a pattern of the router (or "unmatched",
    // or "static" for the web root's files).
    void request(boost::beast::http::verb method, const std::string& route, unsigned status,
                 std::uint64_t micros);
    histogram& journal_append() { return journal_append_; }
    histogram& live_delay() { return live_delay_; }

    // The live channel's counters.
    std::atomic<std::int64_t> live_connections{0};
    std::atomic<std::int64_t> live_subscriptions{0};
    std::atomic<std::uint64_t> live_messages{0};
    std::atomic<std::uint64_t> live_slow_closes{0};
    // Connections closed at once for being over a cap (in all, or per address).
    std::atomic<std::uint64_t> connections_refused{0};
    // The outbox: mails the mail server accepted, and attempts that failed.
    std::atomic<std::uint64_t> mail_sent{0};
    std::atomic<std::uint64_t> mail_failures{0};

    // Everything as Prometheus text; `extra` lines (gauges known elsewhere) are appended.
    std::string render(const std::string& extra) const;

  private:
    mutable std::mutex mutex_;
    // Looked up by views (std::less<>): a request that finds its labels allocates nothing.
    std::map<request_label<std::string>, std::uint64_t, label_order> requests_;
    std::map<std::string, histogram, std::less<>> latency_;  // by route
    histogram journal_append_;
    histogram live_delay_;
};

}  // namespace creneau::server
