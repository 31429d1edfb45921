#pragma once
// Who acts, when, and what a decision answers: the values every `decide` takes and returns
// (docs/architecture.md, "Adding a command or a fact").

#include "common/core/error.hpp"
#include "common/core/text.hpp"
#include "common/core/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace creneau {

// An account's role in its organisation (docs/authorisation.md).
enum class role { admin, member, organiser };

// Who acts. The system (the server itself, `creneau user add`, the catalogue) may do
// anything; an anonymous caller belongs to no organisation.
struct actor {
    std::string id = "system";
    role user_role = role::admin;
    std::string organisation;  // empty for the system and for anonymous callers
    bool system = true;

    static actor anonymous() { return {"anonymous", role::member, "", false}; }
    bool signed_in() const { return system || !organisation.empty(); }
};

// Who acts, and when. Time is a parameter: the domain never reads a clock.
struct context {
    instant now;
    actor who;
};

// What `decide` answers: the facts a command causes, or why it is refused.
template <class Fact>
struct basic_decision {
    std::vector<Fact> facts;
    std::optional<refusal> refused;

    bool ok() const { return !refused; }
    static basic_decision refuse(error code, std::string detail, std::string field = {}) {
        return {{}, refusal{code, std::move(detail), std::move(field)}};
    }
};

}  // namespace creneau
