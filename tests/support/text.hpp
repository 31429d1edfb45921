#pragma once
// Test support: small text helpers.

#include <string>

namespace creneau::test {

// `prefix` followed by the number: "s" + 12 → "s12". Built by appending, because GCC 12 at
// -O3 reports `"literal" + std::to_string(n)` as an overlapping copy (-Wrestrict, a false
// positive of that version, GCC bug 105651) and the suite builds with -Werror.
inline std::string numbered(std::string prefix, long long n) {
    return prefix.append(std::to_string(n));
}

// How many times `what` occurs in `text`.
inline std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); !what.empty() && at != std::string::npos;
         at = text.find(what, at + 1))
        ++n;
    return n;
}

}  // namespace creneau::test
