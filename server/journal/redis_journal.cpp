#include "server/journal/redis_journal.hpp"

#include "server/journal/redis_link.hpp"
#include "server/ops/log.hpp"
#include "server/ops/thread_name.hpp"

#include "common/core/json.hpp"

#include <hiredis/hiredis.h>
#include "common/core/json.hpp"

#include <charconv>
#include <future>
#include <random>

namespace creneau::server {
namespace net = boost::asio;

namespace {

// The append function. Its library name carries the version: a new version loads beside
// the old one, so instances of both versions can run during an upgrade.
const char* const function_code = R"LUA(#!lua name=creneau_journal_v1
local function append(keys, args)
  local stream, headkey = keys[1], keys[2]
  local channel = args[1]
  local expected = tonumber(args[2])
  local head = tonumber(redis.call('GET', headkey) or '0')
  if head ~= expected then
    return {'conflict', head}
  end
  local n = (#args - 2) / 4
  local out = {}
  for i = 0, n - 1 do
    local seq = head + i + 1
    local b = 3 + i * 4
    redis.call('XADD', stream, seq .. '-0', 'at', args[b], 'actor', args[b + 1], 'kind', args[b + 2], 'body', args[b + 3])
    out[#out + 1] = {seq = seq, at = args[b], actor = args[b + 1], kind = args[b + 2], body = args[b + 3]}
  end
  redis.call('SET', headkey, head + n)
  redis.call('PUBLISH', channel, cjson.encode({facts = out}))
  return {'ok', head + n}
end
redis.register_function('creneau_append_v1', append)
)LUA";

}  // namespace

struct redis_journal::reply_value {
    int type = 0;
    std::string str;
    long long integer = 0;
    std::vector<reply_value> elements;

    static reply_value of(const redisReply* r) {
        reply_value v;
        v.type = r->type;
        v.integer = r->integer;
        if (r->str) v.str.assign(r->str, r->len);
        for (std::size_t i = 0; i < r->elements; ++i) v.elements.push_back(of(r->element[i]));
        return v;
    }
    bool is_error() const { return type == REDIS_REPLY_ERROR; }
};

redis_endpoint parse_redis_url(const std::string& url) {
    redis_endpoint ep;
    const std::string scheme = "redis://";
    if (url.rfind(scheme, 0) != 0)
        throw std::invalid_argument("expected a redis:// URL, got '" + url + "'");
    std::string rest = url.substr(scheme.size());
    if (auto q = rest.find('?'); q != std::string::npos) {
        std::string query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        if (query.rfind("prefix=", 0) != 0 || query.size() == 7)
            throw std::invalid_argument("unknown Redis URL option '" + query +
                                        "' (only prefix=NAME)");
        ep.prefix = query.substr(7);
    }
    if (auto at = rest.rfind('@'); at != std::string::npos) {
        std::string auth = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = auth.find(':');
        ep.password = colon == std::string::npos ? auth : auth.substr(colon + 1);
    }
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        std::string db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!db.empty()) {
            auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), ep.db);
            if (ec != std::errc{} || p != db.data() + db.size() || ep.db < 0)
                throw std::invalid_argument("invalid Redis database '" + db + "'");
        }
    }
    if (auto colon = rest.rfind(':'); colon != std::string::npos) {
        std::string port = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), ep.port);
        if (ec != std::errc{} || p != port.data() + port.size() || ep.port <= 0 || ep.port > 65535)
            throw std::invalid_argument("invalid Redis port '" + port + "'");
    }
    if (!rest.empty()) ep.host = rest;
    return ep;
}

redis_journal::redis_journal(redis_endpoint ep, std::chrono::milliseconds connect_timeout,
                             std::chrono::milliseconds reply_timeout)
    : ep_(std::move(ep)), reply_timeout_(reply_timeout), work_(net::make_work_guard(ioc_)) {
    thread_ = std::thread([this] {
        name_this_thread("redis");
        ioc_.run();
    });
    net::post(ioc_, [this] {
        connect_commands();
        connect_subscriber();
    });
    auto deadline = std::chrono::steady_clock::now() + connect_timeout;
    while (!commands_up_ && !refused_ && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!commands_up_) {
        auto why = problem();
        close();
        throw journal_error(why.empty() ? "cannot reach Redis at " + ep_.host + ":" +
                                              std::to_string(ep_.port)
                                        : why);
    }
}

std::string redis_journal::problem() const {
    std::lock_guard lock(problem_mutex_);
    return problem_;
}

void redis_journal::set_problem(std::string p) {
    std::lock_guard lock(problem_mutex_);
    problem_ = std::move(p);
}

void redis_journal::handshake(const std::shared_ptr<redis_link>& link, std::function<void()> then) {
    auto refused = [this, link](const std::string& what, redisReply* r) {
        std::string detail = r && r->str ? std::string(r->str, r->len) : "no reply";
        set_problem("Redis at " + ep_.host + ":" + std::to_string(ep_.port) + " refused " + what +
                    ": " + detail);
        refused_ = true;
        log::error("Redis refused the connection's set-up", {{"error", problem()}});
        link->disconnect();
    };
    auto select = [this, link, refused, then] {
        link->command({"SELECT", std::to_string(ep_.db)}, [refused, then](redisReply* r) {
            if (!r) return;
            if (r->type == REDIS_REPLY_ERROR) return refused("the database number", r);
            then();
        });
    };
    if (ep_.password.empty()) return select();
    link->command({"AUTH", ep_.password}, [refused, select](redisReply* r) {
        if (!r) return;
        if (r->type == REDIS_REPLY_ERROR) return refused("the password", r);
        select();
    });
}

redis_journal::~redis_journal() {
    close();
}

void redis_journal::close() {
    if (closing_.exchange(true)) {
        if (thread_.joinable()) thread_.join();
        return;
    }
    net::post(ioc_, [this] {
        if (commands_) commands_->close();
        if (subscriber_) subscriber_->close();
        commands_.reset();
        subscriber_.reset();
        work_.reset();
    });
    if (thread_.joinable()) thread_.join();
    commands_up_ = false;
}

void redis_journal::schedule(std::function<void()> fn, std::chrono::milliseconds& backoff) {
    if (closing_) return;
    static thread_local std::mt19937 rng{std::random_device{}()};
    auto delay = backoff / 2 + std::chrono::milliseconds(
                                   std::uniform_int_distribution<long>(0, backoff.count())(rng));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    auto timer = std::make_shared<net::steady_timer>(ioc_, delay);
    timer->async_wait([timer, fn = std::move(fn), this](const boost::system::error_code& ec) {
        if (!ec && !closing_) fn();
    });
}

void redis_journal::connect_commands() {
    auto link = std::make_shared<redis_link>(ioc_);
    commands_ = link;
    link->connect(
        ep_.host, ep_.port,
        [this, link] {
            handshake(link, [this, link] {
                link->command({"FUNCTION", "LOAD", "REPLACE", function_code}, [this, link](
                                                                                  redisReply* r) {
                    if (!r) return;
                    if (r->type == REDIS_REPLY_ERROR) {
                        set_problem(
                            "Redis cannot load the journal's function (Redis 7 or later is "
                            "needed): " +
                            std::string(r->str ? std::string(r->str, r->len) : ""));
                        refused_ = true;
                        log::error("cannot load the Redis journal function",
                                   {{"error", problem()}});
                        link->disconnect();
                        return;
                    }
                    set_problem({});
                    refused_ = false;
                    bool was_down = !commands_up_.exchange(true);
                    command_backoff_ = std::chrono::milliseconds(50);
                    if (was_down) {
                        log::info("journal connected",
                                  {{"backend", "redis"}, {"host", ep_.host}, {"port", ep_.port}});
                        deliver({});  // catch up on what was appended while we were away
                    }
                });
            });
        },
        [this](std::string reason) {
            if (commands_up_.exchange(false))
                log::warn("journal disconnected", {{"backend", "redis"}, {"error", reason}});
            schedule([this] { connect_commands(); }, command_backoff_);
        });
}

void redis_journal::connect_subscriber() {
    auto link = std::make_shared<redis_link>(ioc_);
    subscriber_ = link;
    const std::string channel = ep_.prefix + ":db" + std::to_string(ep_.db) + ":facts";
    link->connect(
        ep_.host, ep_.port,
        [this, link, channel] {
            handshake(link, [this, link, channel] { subscribe(link, channel); });
        },
        [this](std::string) { schedule([this] { connect_subscriber(); }, subscriber_backoff_); });
}

void redis_journal::subscribe(const std::shared_ptr<redis_link>& link, const std::string& channel) {
    {
        {
            link->command({"SUBSCRIBE", channel}, [this](redisReply* r) {
                if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
                std::string kind(r->element[0]->str ? r->element[0]->str : "", r->element[0]->len);
                if (kind == "subscribe") {
                    subscriber_backoff_ = std::chrono::milliseconds(50);
                    deliver({});  // subscribed (again): fill whatever was missed
                    return;
                }
                if (kind != "message" || !r->element[2]->str) return;
                std::vector<stored_fact> facts;
                try {
                    // A notification is only a hint: anything odd in it sends the ledger to
                    // the stream itself.
                    std::string_view text(r->element[2]->str, r->element[2]->len);
                    if (!json_depth_within(text, 8)) throw std::invalid_argument("nested too deep");
                    auto j = json::parse(text);
                    for (const auto& f : j.at("facts"))
                        facts.push_back(
                            {f.at("seq").get<std::int64_t>(), f.at("at").get<std::string>(),
                             f.at("actor").get<std::string>(), f.at("kind").get<std::string>(),
                             f.at("body").get<std::string>()});
                } catch (const std::exception& e) {
                    log::warn("unreadable journal notification", {{"error", e.what()}});
                    facts.clear();  // an empty list makes the ledger read from the stream
                }
                deliver(std::move(facts));
            });
        }
    }
}

void redis_journal::deliver(std::vector<stored_fact> facts) {
    std::function<void(std::vector<stored_fact>)> cb;
    {
        std::lock_guard lock(callback_mutex_);
        cb = callback_;
    }
    if (cb) cb(std::move(facts));
}

void redis_journal::on_appended(std::function<void(std::vector<stored_fact>)> callback) {
    std::lock_guard lock(callback_mutex_);
    callback_ = std::move(callback);
}

std::optional<redis_journal::reply_value> redis_journal::call(std::vector<std::string> argv,
                                                              std::string& error, bool& sent) {
    sent = false;
    if (!commands_up_) {
        error = "Redis is not connected";
        return std::nullopt;
    }
    struct result {
        bool sent = false;
        std::optional<reply_value> reply;
    };
    auto promise = std::make_shared<std::promise<result>>();
    auto future = promise->get_future();
    net::post(ioc_, [this, argv = std::move(argv), promise] {
        bool ok = commands_ && commands_->command(argv, [promise](redisReply* r) {
            promise->set_value(
                result{true, r ? std::optional<reply_value>(reply_value::of(r)) : std::nullopt});
        });
        if (!ok) promise->set_value(result{false, std::nullopt});
    });
    if (future.wait_for(reply_timeout_) != std::future_status::ready) {
        // Queued on the connection, or still waiting for the I/O thread to queue it: either
        // way it may still reach Redis, so its effect is unknown.
        sent = true;
        error = "no reply from Redis within " + std::to_string(reply_timeout_.count()) + " ms";
        return std::nullopt;
    }
    auto r = future.get();
    sent = r.sent;
    if (!r.reply)
        error =
            r.sent ? "the Redis connection was lost before the reply" : "Redis is not connected";
    return r.reply;
}

append_result redis_journal::append(std::int64_t expected, const std::vector<stored_fact>& facts) {
    const std::string stream = ep_.prefix + ":facts";
    const std::string head = ep_.prefix + ":head";
    const std::string channel = ep_.prefix + ":db" + std::to_string(ep_.db) + ":facts";
    std::vector<std::string> argv = {"FCALL", "creneau_append_v1",     "2", stream, head,
                                     channel, std::to_string(expected)};
    for (const auto& f : facts) {
        argv.push_back(f.at);
        argv.push_back(f.actor);
        argv.push_back(f.kind);
        argv.push_back(f.body);
    }
    std::string error;
    bool sent = false;
    auto reply = call(std::move(argv), error, sent);
    if (!reply)
        return {sent ? append_status::unknown : append_status::unavailable, expected, error};
    if (reply->is_error()) return {append_status::unavailable, expected, "Redis: " + reply->str};
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements.size() != 2)
        return {append_status::unavailable, expected, "unexpected reply to the append function"};
    auto status = reply->elements[0].str;
    std::int64_t new_head = reply->elements[1].integer;
    if (status == "ok") return {append_status::ok, new_head, {}};
    if (status == "conflict") return {append_status::conflict, new_head, {}};
    return {append_status::unavailable, expected, "unexpected append status '" + status + "'"};
}

std::vector<stored_fact> redis_journal::read(std::int64_t after, std::size_t max) {
    std::string error;
    bool sent = false;
    auto reply = call({"XRANGE", ep_.prefix + ":facts", std::to_string(after + 1) + "-0", "+",
                       "COUNT", std::to_string(max)},
                      error, sent);
    if (!reply) throw journal_error("cannot read the Redis journal: " + error);
    if (reply->is_error()) throw journal_error("cannot read the Redis journal: " + reply->str);
    std::vector<stored_fact> out;
    std::int64_t expected = after + 1;
    for (const auto& entry : reply->elements) {
        if (entry.elements.size() != 2)
            throw journal_error("journal fact " + std::to_string(expected) +
                                ": malformed stream entry");
        const std::string& id = entry.elements[0].str;
        stored_fact f;
        auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), f.seq);
        if (ec != std::errc{} || f.seq != expected)
            throw journal_error("journal fact " + std::to_string(expected) +
                                " is missing (stream entry '" + id + "')");
        const auto& fields = entry.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
            const auto& k = fields[i].str;
            const auto& v = fields[i + 1].str;
            if (k == "at")
                f.at = v;
            else if (k == "actor")
                f.actor = v;
            else if (k == "kind")
                f.kind = v;
            else if (k == "body")
                f.body = v;
        }
        if (f.at.empty() || f.kind.empty() || f.body.empty())
            throw journal_error("journal fact " + std::to_string(f.seq) +
                                ": a field is missing in the stream entry");
        out.push_back(std::move(f));
        ++expected;
    }
    return out;
}

}  // namespace creneau::server
