#pragma once
// A fact's body as the journal stores it, written as text where a document costs most
// (docs/architecture.md, "Answers written as text").

#include "common/facts.hpp"

#include <optional>
#include <string>

namespace creneau {

// to_json(q) as text (common/agreements/model.cpp), the bytes its dump gives; false if a
// string had to be replaced (not well-formed UTF-8), as append_json_string says.
bool append_quote(std::string& out, const quote& q);

// A reservation request's stored form written as text (the reservation's members but its
// history, with the fact's type and version), or nullopt if one of its strings is not
// well-formed UTF-8, which only the document's dump may answer (by refusing it).
std::optional<std::string> requested_text(const reservation& r);

// A reservation's approval as the journal stores it, or nullopt if its id is not well-formed
// UTF-8 (as requested_text).
std::optional<std::string> approved_text(const reservation_approved& a);

// to_json(body).dump(): the bytes the journal stores. A reservation request and its approval,
// the two facts of a booking approved at once, are written as text; the other facts are dumped from
// their document. As a document's dump does, it throws on a string that is not well-formed UTF-8.
std::string stored_body(const fact_body& body);

}  // namespace creneau
