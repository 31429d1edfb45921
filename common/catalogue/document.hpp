#pragma once
// Catalogue documents: the JSON file of sites, organisations, resources, tariff grids and
// agreements that an empty journal starts from (the shipped default encodes docs/domain.md).

#include "common/facts.hpp"

namespace creneau {

// Reads a catalogue document and checks every entry, in order, with the same rules as the
// API (decide on a state that holds the entries before it). Returns the facts to append.
// Throws std::invalid_argument "FILE: /agreements/1/resources/atrium: unknown resource …"
// naming `file`, the JSON place and the problem.
std::vector<fact_body> catalogue_facts(const json& doc, const std::string& file);

}  // namespace creneau
