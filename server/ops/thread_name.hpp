#pragma once
// Names the calling thread as `top -H`, `ps -L`, perf and gdb show it (docs/operations.md,
// "Threads"). The kernel keeps 15 characters; the main thread keeps the program's name, which
// `pgrep` and `pidof` match.

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <pthread.h>
#include <latch>
#include <memory>
#include <string>

namespace creneau::server {

inline void name_this_thread(std::string name) {
    if (name.size() > 15) name.resize(15);
    // Ignored: a name only helps tools, and at 15 characters the call has no other way to fail.
    ::pthread_setname_np(::pthread_self(), name.c_str());
}

// Names each of a pool's `threads` threads, which must be exactly the pool's size (more would
// wait forever): every task waits until all have started, so no thread can take two of them.
// The tasks share the latch: one may still be leaving its wait when the caller's returns.
inline void name_pool_threads(boost::asio::thread_pool& pool, std::size_t threads,
                              const std::string& name) {
    auto started = std::make_shared<std::latch>(static_cast<std::ptrdiff_t>(threads));
    for (std::size_t i = 0; i < threads; ++i)
        boost::asio::post(pool, [started, name] {
            name_this_thread(name);
            started->arrive_and_wait();
        });
    started->wait();
}

}  // namespace creneau::server
