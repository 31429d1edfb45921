// The headers of a mail say nothing more than their fields: a name or a subject held from
// before the name rules (docs/domain.md, "Events"), or from anywhere else, with line breaks in
// it stays on its own header line and adds no header.
#include "server/mail/smtp.hpp"

#include <catch2/catch.hpp>

using namespace creneau;
using namespace creneau::server;

namespace {

// The header lines of a message, folded lines joined to the line they continue.
std::vector<std::string> header_lines(const std::string& message) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    for (;;) {
        auto end = message.find("\r\n", at);
        REQUIRE(end != std::string::npos);
        if (end == at) break;  // the blank line that ends the headers
        auto line = message.substr(at, end - at);
        if ((line[0] == ' ' || line[0] == '\t') && !lines.empty())
            lines.back() += line;
        else
            lines.push_back(line);
        at = end + 2;
    }
    return lines;
}

// A registration's mail to eve@etu.example.
mail a_mail() {
    mail m;
    m.key = "42-registration-abc";
    m.kind = "registration";
    m.lang = "fr";
    m.to = "eve@etu.example";
    return m;
}

}  // namespace

TEST_CASE("a mail's name and subject with line breaks in them add no header", "[mail]") {
    mail m = a_mail();
    for (const std::string& name : {std::string("Eve\r\nBcc: victim@else.example"),
                                    std::string("\xc3\x88ve\r\nBcc: victim@else.example"),
                                    std::string("Eve\" <victim@else.example>\r\nX: y")}) {
        INFO(name);
        m.to_name = name;
        m.subject = "Votre inscription\r\nBcc: victim@else.example";
        m.text = "Bonjour";
        const auto message = mime_message(m, "Créneau <noreply@creneau.example>",
                                          *parse_rfc3339("2026-12-06T10:00:00Z"));
        int to = 0, subject = 0;
        for (const auto& line : header_lines(message)) {
            CHECK(line.rfind("Bcc:", 0) != 0);
            CHECK(line.rfind("X:", 0) != 0);
            if (line.rfind("To:", 0) == 0) {
                ++to;
                // One mailbox: the address in angle brackets is the line's last.
                CHECK(line.size() > 18);
                CHECK(line.substr(line.size() - 18) == " <eve@etu.example>");
            }
            if (line.rfind("Subject:", 0) == 0) ++subject;
        }
        CHECK(to == 1);
        CHECK(subject == 1);
    }
}

TEST_CASE("the sender's name is the one --mail-from gives, else Créneau", "[mail]") {
    mail m = a_mail();
    m.subject = "Votre inscription";
    m.text = "Bonjour";
    const auto from_of = [&](const std::string& sender) {
        for (const auto& line :
             header_lines(mime_message(m, sender, *parse_rfc3339("2026-12-06T10:00:00Z"))))
            if (line.rfind("From:", 0) == 0) return line;
        return std::string{};
    };
    // "Créneau", as RFC 2047 writes a name outside ASCII.
    const std::string creneau = "From: =?UTF-8?B?Q3LDqW5lYXU=?= <accueil@llv.example>";
    CHECK(from_of("accueil@llv.example") == creneau);
    CHECK(from_of("<accueil@llv.example>") == creneau);
    CHECK(from_of("\"LLV, accueil\" <accueil@llv.example>") ==
          "From: \"LLV, accueil\" <accueil@llv.example>");
    CHECK(from_of("LLV <accueil@llv.example>") == "From: \"LLV\" <accueil@llv.example>");
    // A quoted name is read as RFC 5322 writes it: its \" and \\ stand for " and \, written
    // again once, where the old reading kept the backslashes and lost the closing quote.
    CHECK(from_of("\"LLV \\\"accueil\\\"\" <accueil@llv.example>") ==
          "From: \"LLV \\\"accueil\\\"\" <accueil@llv.example>");
    CHECK(from_of("\"a\\\\b\" <accueil@llv.example>") == "From: \"a\\\\b\" <accueil@llv.example>");
    CHECK(from_of("  \"\" <accueil@llv.example>") == creneau);
}

TEST_CASE("a sender is split the same way where it is checked and where it is written", "[mail]") {
    const auto s = split_sender("\"LLV, \\\"accueil\\\"\" <accueil@llv.example>");
    CHECK(s.name == "LLV, \"accueil\"");
    CHECK(s.address == "accueil@llv.example");
    CHECK(s.bracketed);
    const auto plain = split_sender("accueil@llv.example");
    CHECK(plain.name.empty());
    CHECK(plain.address == "accueil@llv.example");
    CHECK_FALSE(plain.bracketed);
    CHECK(split_sender("Louvre-Lens Vallée  <a@llv.example>").name == "Louvre-Lens Vallée");
    CHECK(split_sender("<a@llv.example>").name.empty());
    // A phrase of quoted and plain words, as RFC 5322 allows.
    const auto phrase = split_sender("\"LLV\" accueil <a@llv.example>");
    CHECK(phrase.name == "LLV accueil");
    CHECK(phrase.closed);
    CHECK(split_sender("\"A <b\" <a@llv.example>").name == "A <b");
    CHECK_FALSE(split_sender("\"LLV <a@llv.example>").closed);
    CHECK_FALSE(split_sender("LLV <a@llv.example").bracketed);  // not closed: no address in it
}
