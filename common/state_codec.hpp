#pragma once
// The state as bytes, for snapshots (docs/architecture.md, "Snapshots"): every field of every
// part, in declaration order, written as it is in memory (integers in the machine's byte
// order, strings and containers with their length first). Reading builds the same state,
// equal by ==, without parsing any JSON, so that a start-up can load the state of a long
// journal in a fraction of the time its replay takes.
//
// The bytes are not a format for exchange: a snapshot is only ever read by the build of the
// same format on the same kind of machine, and anything else is refused, never guessed at.

#include "common/state.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace creneau {

// Bumped whenever a field of the state is added, removed or changes type: a snapshot of
// another format is ignored and the journal replayed in full.
inline constexpr std::uint32_t state_format = 8;

std::string encode_state(const state& s);

// How many fields the list of each type names, by type (the test compares them with the
// types' JSON, which names every field too).
std::map<std::string, std::size_t> state_codec_fields();

// Throws std::invalid_argument if the bytes are cut short, too long, or hold a value no state
// can have (an enumeration out of its range, a length beyond the bytes).
state decode_state(std::string_view bytes);

}  // namespace creneau
