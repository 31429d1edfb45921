#pragma once
// One hiredis asynchronous connection driven by Boost.Asio: hiredis asks to start or stop
// reading and writing through its event hooks, and we wait on the socket with a
// posix::stream_descriptor and call redisAsyncHandleRead/Write when it is ready.
//
// Thread safety: none. A link lives on one io_context run by a single thread; every call,
// and every callback it makes, happens on that thread.

#include <boost/asio.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

struct redisAsyncContext;
struct redisReply;

namespace creneau::server {

class redis_link : public std::enable_shared_from_this<redis_link> {
  public:
    // `on_reply(nullptr)` means the connection went away before the reply came.
    using reply_fn = std::function<void(redisReply*)>;

    explicit redis_link(boost::asio::io_context& ioc);
    ~redis_link();

    // Starts connecting. `on_up` runs once connected, `on_down(reason)` once the connection
    // fails or is lost (never both for the same attempt after `on_down`).
    void connect(const std::string& host, int port, std::function<void()> on_up,
                 std::function<void(std::string)> on_down);

    // Sends a command; false if not connected. For SUBSCRIBE, `on_reply` runs for every message.
    bool command(const std::vector<std::string>& argv, reply_fn on_reply);

    bool connected() const { return ctx_ != nullptr && up_; }
    void disconnect();
    // Frees the connection at once: pending replies get a null reply, no reconnect follows.
    void close();

  private:
    static void add_read(void* p);
    static void del_read(void* p);
    static void add_write(void* p);
    static void del_write(void* p);
    static void cleanup(void* p);
    static void on_connect(const redisAsyncContext* c, int status);
    static void on_disconnect(const redisAsyncContext* c, int status);
    static void on_command_reply(redisAsyncContext* c, void* reply, void* privdata);

    void arm_read();
    void arm_write();
    void lost(std::string reason);

    boost::asio::io_context& ioc_;
    redisAsyncContext* ctx_ = nullptr;
    std::unique_ptr<boost::asio::posix::stream_descriptor> socket_;
    bool want_read_ = false, want_write_ = false;
    bool reading_ = false, writing_ = false;
    bool up_ = false;
    std::function<void()> on_up_;
    std::function<void(std::string)> on_down_;
};

}  // namespace creneau::server
