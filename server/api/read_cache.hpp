#pragma once
// Hot reads (availability, resources, events, published timetables) rendered once per
// journal head: the bytes and their ETag are kept per (route, query, audience), so a read
// repeated while the journal has not moved costs a lookup, and a client that holds those
// bytes gets 304 without anything being rendered (docs/architecture.md, "Reads").
//
// Thread safety: every member may be called from any thread.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace creneau::server {

class read_cache {
  public:
    struct page {
        std::int64_t head = 0;  // the journal head the bytes were rendered at
        std::string body;
        std::string etag;  // strong, from the bytes (http.hpp, etag_of)
    };

    // At most `capacity` pages and `max_bytes` of bodies; past either, pages of older heads
    // go first, then all.
    explicit read_cache(std::size_t capacity = 4096, std::size_t max_bytes = 64u << 20);

    // The page kept under `key` if it was rendered at `head`.
    std::shared_ptr<const page> find(const std::string& key, std::int64_t head) const;
    // Keeps `p` under `key`, unless a page of a later head is there already.
    void keep(const std::string& key, std::shared_ptr<const page> p);

  private:
    void make_room(std::int64_t newest);

    const std::size_t capacity_, max_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const page>> pages_;
    std::size_t bytes_ = 0;
};

}  // namespace creneau::server
