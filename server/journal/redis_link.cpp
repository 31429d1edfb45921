#include "server/journal/redis_link.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace creneau::server {

namespace {

// The reply callbacks' private data: a heap copy of the function, freed after the last call.
struct pending_reply {
    redis_link::reply_fn fn;
    bool subscription = false;
};

}  // namespace

redis_link::redis_link(boost::asio::io_context& ioc) : ioc_(ioc) {}

redis_link::~redis_link() {
    if (ctx_) {
        ctx_->data = nullptr;
        ctx_->ev.data = nullptr;
        // Frees the context; pending reply callbacks run with a null reply.
        redisAsyncFree(ctx_);
        ctx_ = nullptr;
    }
    if (socket_) socket_->release();
}

void redis_link::connect(const std::string& host, int port, std::function<void()> on_up,
                         std::function<void(std::string)> on_down) {
    on_up_ = std::move(on_up);
    on_down_ = std::move(on_down);
    up_ = false;
    redisAsyncContext* c = redisAsyncConnect(host.c_str(), port);
    if (!c || c->err) {
        std::string reason = c ? c->errstr : "cannot allocate a Redis context";
        if (c) redisAsyncFree(c);
        boost::asio::post(ioc_, [self = shared_from_this(), reason] { self->lost(reason); });
        return;
    }
    ctx_ = c;
    c->data = this;
    socket_ = std::make_unique<boost::asio::posix::stream_descriptor>(ioc_, c->c.fd);
    c->ev.data = this;
    c->ev.addRead = &redis_link::add_read;
    c->ev.delRead = &redis_link::del_read;
    c->ev.addWrite = &redis_link::add_write;
    c->ev.delWrite = &redis_link::del_write;
    c->ev.cleanup = &redis_link::cleanup;
    redisAsyncSetConnectCallback(c, &redis_link::on_connect);
    redisAsyncSetDisconnectCallback(c, &redis_link::on_disconnect);
    // A non-blocking connect completes when the socket becomes writable.
    add_write(this);
}

bool redis_link::command(const std::vector<std::string>& argv, reply_fn on_reply) {
    if (!connected()) return false;
    std::vector<const char*> args;
    std::vector<std::size_t> lens;
    for (const auto& a : argv) {
        args.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* p = new pending_reply{std::move(on_reply), !argv.empty() && (argv[0] == "SUBSCRIBE")};
    if (redisAsyncCommandArgv(ctx_, &redis_link::on_command_reply, p, static_cast<int>(args.size()),
                              args.data(), lens.data()) != REDIS_OK) {
        delete p;
        return false;
    }
    return true;
}

void redis_link::disconnect() {
    if (ctx_) redisAsyncDisconnect(ctx_);
}

void redis_link::close() {
    on_down_ = nullptr;
    on_up_ = nullptr;
    if (auto* c = ctx_) {
        ctx_ = nullptr;
        // Runs the pending callbacks with null replies and the cleanup hook (which cancels
        // the socket waits), then frees the context.
        redisAsyncFree(c);
    }
}

void redis_link::on_command_reply(redisAsyncContext* c, void* reply, void* privdata) {
    auto* p = static_cast<pending_reply*>(privdata);
    if (!p) return;
    auto* r = static_cast<redisReply*>(reply);
    p->fn(r);
    // A subscription's callback stays registered until the connection ends (null reply).
    bool keep = p->subscription && r && c && !(c->c.flags & REDIS_DISCONNECTING) &&
                !(c->c.flags & REDIS_FREEING);
    if (!keep) delete p;
}

void redis_link::on_connect(const redisAsyncContext* c, int status) {
    auto* self = static_cast<redis_link*>(c->data);
    if (!self) return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        self->ctx_ = nullptr;
        self->lost(c->errstr ? c->errstr : "connection failed");
        return;
    }
    self->up_ = true;
    if (self->on_up_) self->on_up_();
}

void redis_link::on_disconnect(const redisAsyncContext* c, int status) {
    auto* self = static_cast<redis_link*>(c->data);
    if (!self) return;
    self->ctx_ = nullptr;  // hiredis frees it after this callback
    self->lost(status == REDIS_OK ? "disconnected" : (c->errstr ? c->errstr : "connection lost"));
}

void redis_link::lost(std::string reason) {
    up_ = false;
    auto down = std::move(on_down_);
    on_down_ = nullptr;
    on_up_ = nullptr;
    if (down) down(std::move(reason));
}

void redis_link::add_read(void* p) {
    auto* self = static_cast<redis_link*>(p);
    if (!self) return;
    self->want_read_ = true;
    self->arm_read();
}

void redis_link::del_read(void* p) {
    if (auto* self = static_cast<redis_link*>(p)) self->want_read_ = false;
}

void redis_link::add_write(void* p) {
    auto* self = static_cast<redis_link*>(p);
    if (!self) return;
    self->want_write_ = true;
    self->arm_write();
}

void redis_link::del_write(void* p) {
    if (auto* self = static_cast<redis_link*>(p)) self->want_write_ = false;
}

void redis_link::cleanup(void* p) {
    auto* self = static_cast<redis_link*>(p);
    if (!self) return;
    self->want_read_ = self->want_write_ = false;
    self->ctx_ = nullptr;
    if (self->socket_) {
        boost::system::error_code ec;
        self->socket_->cancel(ec);
        // hiredis closes the descriptor itself.
        self->socket_->release();
    }
}

void redis_link::arm_read() {
    if (reading_ || !want_read_ || !socket_ || !socket_->is_open()) return;
    reading_ = true;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [self = shared_from_this()](const boost::system::error_code& ec) {
                            self->reading_ = false;
                            if (ec || !self->ctx_ || !self->want_read_) return;
                            redisAsyncHandleRead(self->ctx_);
                            self->arm_read();
                        });
}

void redis_link::arm_write() {
    if (writing_ || !want_write_ || !socket_ || !socket_->is_open()) return;
    writing_ = true;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_write,
                        [self = shared_from_this()](const boost::system::error_code& ec) {
                            self->writing_ = false;
                            if (ec || !self->ctx_ || !self->want_write_) return;
                            redisAsyncHandleWrite(self->ctx_);
                            self->arm_write();
                        });
}

}  // namespace creneau::server
