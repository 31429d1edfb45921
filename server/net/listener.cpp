#include "server/net/listener.hpp"

#include "server/net/http_session.hpp"
#include "server/net/shared_state.hpp"
#include "server/ops/log.hpp"

namespace creneau::server {

listener::listener(net::io_context& ioc, std::vector<net::io_context*> workers,
                   tcp::endpoint endpoint, std::shared_ptr<shared_state> state)
    : workers_(std::move(workers)), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::start() {
    net::co_spawn(
        acceptor_.get_executor(), [self = shared_from_this()] { return self->accept_loop(); },
        log_escape("accept"));
}

void listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        // Closing cancels the pending accept; the loop then ends.
        self->acceptor_.close(ec);
    });
}

net::awaitable<void> listener::accept_loop() {
    while (acceptor_.is_open()) {
        // One thread runs `worker`: its executor serialises the connection (its strand).
        auto& worker = *workers_[next_++ % workers_.size()];
        auto [ec, socket] = co_await acceptor_.async_accept(worker.get_executor(),
                                                            net::as_tuple(net::use_awaitable));
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
            // Out of file descriptors and the like: log, pause briefly, keep accepting.
            log::warn("accept failed", {{"error", ec.message()}});
            net::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
            co_await pause.async_wait(net::as_tuple(net::use_awaitable));
            continue;
        }
        std::make_shared<http_session>(std::move(socket), state_)->start();
    }
}

}  // namespace creneau::server
