#include "server/net/io_loop.hpp"

#include "server/ops/log.hpp"

namespace creneau::server {

void run_io(boost::asio::io_context& ioc) {
    for (;;) {
        try {
            ioc.run();
            return;
        } catch (const std::exception& e) {
            log::error("an I/O handler failed", {{"error", e.what()}});
        } catch (...) {
            log::error("an I/O handler failed");
        }
    }
}

}  // namespace creneau::server
