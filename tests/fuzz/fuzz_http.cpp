// Raw bytes through the HTTP parser and the router into the handlers, on an in-memory
// journal seeded with the default catalogue, people of three organisations and their
// sessions (seeds sign in with "Authorization: Bearer fuzz-<who>"). Whatever arrives, the
// answer is never a 5xx and nothing throws out of a handler.

#include "server/api/routes.hpp"
#include "server/api/support.hpp"
#include "server/catalogue/default_catalogue.hpp"
#include "server/mail/outbox.hpp"
#include "server/net/shared_state.hpp"
#include "server/net/static_files.hpp"
#include "server/ops/passwords.hpp"

#include "common/catalogue/document.hpp"

#include <boost/beast/http/write.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace creneau;
using namespace creneau::server;

namespace {

// The journal held in memory: the same contract as SQLite and Redis, nothing durable.
class memory_journal final : public journal {
  public:
    append_result append(std::int64_t expected, const std::vector<stored_fact>& facts) override {
        auto head = static_cast<std::int64_t>(facts_.size());
        if (head != expected) return {append_status::conflict, head, {}};
        for (const auto& f : facts) facts_.push_back(f);
        return {append_status::ok, static_cast<std::int64_t>(facts_.size()), {}};
    }
    std::vector<stored_fact> read(std::int64_t after, std::size_t max) override {
        std::vector<stored_fact> out;
        for (auto i = static_cast<std::size_t>(after); i < facts_.size() && out.size() < max; ++i)
            out.push_back(facts_[i]);
        return out;
    }
    void on_appended(std::function<void(std::vector<stored_fact>)>) override {}
    bool available() const override { return true; }
    std::string backend() const override { return "memory"; }
    bool local() const override { return true; }
    void close() override {}

  private:
    std::vector<stored_fact> facts_;
};

struct world {
    metrics stats;
    std::shared_ptr<ledger> book;
    std::shared_ptr<shared_state> st;
    net::io_context ioc;
    // Sign-in failures never wait here: a wait would only slow the fuzzer down.
    sign_in_throttle by_account{sign_in_throttle::policy{1 << 30}};
    sign_in_throttle by_address{sign_in_throttle::policy{1 << 30}};
    net::thread_pool crypto{1};
    net::thread_pool solver{1};
    // The outbox's routes and the sealing of links; its worker is not started: nothing is sent.
    std::filesystem::path outbox_file =
        std::filesystem::temp_directory_path() /
        ("creneau-fuzz-outbox-" + std::to_string(::getpid()) + ".db");
    std::unique_ptr<outbox> mail;

    ~world() {
        mail.reset();
        for (const char* end : {"", "-wal", "-shm"})
            std::filesystem::remove(outbox_file.string() + end);
    }

    world() {
        init_crypto();
        mail = std::make_unique<outbox>(sqlite_outbox_store(outbox_file), outbox_options{}, stats);
        mail->prepare();
        book = std::make_shared<ledger>(std::make_unique<memory_journal>());
        book->start();
        book->seed(catalogue_facts(creneau::json::parse(default_catalogue_text()), "default"));
        const std::string hash = hash_password("fuzz-password");
        struct person {
            const char* id;
            role r;
            const char* org;
        };
        const person people[] = {{"llv-admin", role::admin, "llv"},
                                 {"artois-member", role::member, "univ-artois"},
                                 {"artois-organiser", role::organiser, "univ-artois"},
                                 {"artois-admin", role::admin, "univ-artois"},
                                 {"lille-admin", role::admin, "univ-lille"}};
        auto far = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()) +
                   std::chrono::hours(24 * 365);
        for (const auto& p : people) {
            user u{p.id, std::string(p.id) + "@example.org", p.id, p.r, p.org, hash};
            book->execute(add_user{u}, actor{});
            book->execute(open_session{token_hash(std::string("fuzz-") + p.id), p.id, far},
                          actor{});
        }
        config cfg;
        cfg.web_root = CRENEAU_SOURCE_DIR "/web";
        st = std::make_shared<shared_state>(cfg, book, stats);
        st->hub = std::make_unique<live_hub>(*book, stats, live_hub::options{});
        book->add_listener(
            [hub = st->hub.get()](const std::vector<fact>& facts) { hub->publish(facts); });
        add_routes(st->routes, st->api,
                   sign_in_services{by_account, by_address, crypto, false, "fuzz-setup",
                                    [m = mail.get()](const std::string& t) { return m->seal(t); }},
                   operations_services{*book, stats, [] { return std::size_t{0}; }, *mail}, solver);
    }
};

world& the_world() {
    static world w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto& w = the_world();
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    beast::error_code ec;
    std::size_t used = 0;
    while (used < size && !parser.is_done()) {
        auto n = parser.put(net::buffer(data + used, size - used), ec);
        if (ec || n == 0) break;
        used += n;
    }
    // The end of the stream, as Beast's read meets it: only a parser that got some bytes
    // takes it (put_eof's precondition, asserted in a build with assertions).
    if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
    request req = parser.release();

    unsigned status = 0;
    std::string pattern;
    std::map<std::string, std::string> params;
    bool path_matched = false;
    // Matched once, as the server's connections do (server/net/http_session.cpp, serve).
    const auto path = target_path(req.target());
    const route* r = w.st->routes.match(req.method(), path, params, path_matched);
    if ((req.method() == http::verb::get || req.method() == http::verb::head) &&
        path.rfind("/api/", 0) != 0 && !r && !path_matched) {
        auto answer = serve_static(w.st->web_root, req);
        status = std::visit([](auto& r) { return r.result_int(); }, answer);
    } else {
        net::co_spawn(
            w.ioc,
            [&]() -> net::awaitable<void> {
                call c{req, std::move(params), "127.0.0.1:1"};
                auto res = co_await w.st->routes.dispatch(c, r, path_matched, pattern);
                status = res.result_int();
                // The head as the server writes it is Beast's.
                if (!res.chunked()) {
                    std::ostringstream beast_text;
                    beast_text << res;
                    if (head_text(res.base()) + res.body() != beast_text.str()) std::abort();
                }
            },
            [&](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    std::cerr << "handler threw: " << x.what() << "\n";
                }
                std::abort();
            });
        w.ioc.restart();
        w.ioc.run();
    }
    if (status >= 500 || status == 0) {
        std::cerr << "answered " << status << " to " << req.method_string() << " " << req.target()
                  << "\n";
        std::abort();
    }
    return 0;
}
