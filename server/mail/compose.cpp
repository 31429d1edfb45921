#include "server/mail/compose.hpp"

#include "server/api/events.hpp"

#include "common/agreements/quote.hpp"
#include "common/core/text.hpp"
#include "common/events/queries.hpp"
#include "common/jobdating/problem.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

namespace creneau::server {
namespace {

bool english(const std::string& lang) {
    return lang == "en";
}

// "le 03/03/2026 de 09:00 à 12:00" / "on 2026-03-03 from 09:00 to 12:00", in `zone`.
std::string when_text(instant start, instant end, const std::string& zone,
                      const std::string& lang) {
    auto a = format_in_zone(start, zone), b = format_in_zone(end, zone);
    auto day = a.substr(0, 10), from = a.substr(11, 5), to = b.substr(11, 5);
    if (english(lang)) return "on " + day + " from " + from + " to " + to;
    auto fr = day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4);
    if (b.substr(0, 10) != day)
        return "du " + fr + " " + from + " au " + b.substr(8, 2) + "/" + b.substr(5, 2) + "/" +
               b.substr(0, 4) + " " + to;
    return "le " + fr + " de " + from + " à " + to;
}

std::string resource_label(const state& s, const std::string& id) {
    auto r = s.resources.find(id);
    return r == s.resources.end() ? id : r->second.name;
}

struct recipient {
    std::string email;
    std::string name;
    std::string lang;
};

bool muted(const user& u, std::string_view kind) {
    return std::find(u.muted.begin(), u.muted.end(), kind) != u.muted.end();
}

std::optional<recipient> account(const state& s, const std::string& id, std::string_view kind) {
    auto u = s.users.find(id);
    if (u == s.users.end() || u->second.disabled || blank(u->second.email)) return std::nullopt;
    if (!kind.empty() && muted(u->second, kind)) return std::nullopt;
    return recipient{u->second.email, u->second.name, u->second.lang};
}

// The administrators of an organisation who receive `kind`; with `copies`, only those who
// asked for copies of their organisation's decisions.
std::vector<recipient> admins_of(const state& s, const std::string& org, std::string_view kind,
                                 bool copies = false) {
    std::vector<recipient> out;
    for (const auto& [id, u] : s.users)
        if (u.organisation == org && u.role == role::admin && !u.disabled && !blank(u.email) &&
            (copies ? u.copies : !muted(u, kind)))
            out.push_back({u.email, u.name, u.lang});
    return out;
}

class mailer {
  public:
    mailer(const fact& f, const std::string& base_url) : f_(f), base_(base_url) {}

    // A mail to `r`, once per address for this fact; none to an address outside the one rule
    // (common/core/text.hpp), which could say more than one address to the SMTP server.
    mail* add(const recipient& r, std::string kind, const std::string& subject_fr,
              const std::string& subject_en, const std::string& text_fr, const std::string& text_en,
              const std::string& link) {
        auto key = email_key(r.email);
        if (!valid_email(r.email) || !seen_.insert(key).second) return nullptr;
        mail m;
        m.seq = f_.seq;
        m.kind = std::move(kind);
        // The address itself stays out of the key (the outbox's marks outlive the mail).
        unsigned char digest[8];
        crypto_generichash(digest, sizeof digest,
                           reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr,
                           0);
        char hex[2 * sizeof digest + 1];
        sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
        m.key = std::to_string(f_.seq) + "." + m.kind + "." + hex;
        m.to = r.email;
        m.to_name = r.name;
        m.lang = english(r.lang) ? "en" : "fr";
        m.subject = english(r.lang) ? subject_en : subject_fr;
        m.link = base_ + link;
        const auto& body = english(r.lang) ? text_en : text_fr;
        m.text = body + "\n\n" + m.link + "\n\n-- \n" +
                 (english(r.lang) ? "Créneau, the reservations of Louvre-Lens Vallée.\n"
                                    "Choose which mails you receive: "
                                  : "Créneau, les réservations de Louvre-Lens Vallée.\n"
                                    "Choisir les mails que vous recevez : ") +
                 base_ + "/#/account\n";
        m.at = f_.at;
        out_.push_back(std::move(m));
        return &out_.back();
    }

    std::vector<mail> take() { return std::move(out_); }

  private:
    const fact& f_;
    const std::string& base_;
    std::set<std::string> seen_;
    std::vector<mail> out_;
};

std::string requester_name(const state& s, const reservation& r) {
    auto u = s.users.find(r.requester);
    auto o = s.organisations.find(r.organisation);
    std::string who = u == s.users.end() ? std::string{} : u->second.name;
    std::string org = o == s.organisations.end() ? r.organisation : o->second.name;
    return who.empty() ? org : who + " (" + org + ")";
}

void about_request(const state& s, const fact&, const reservation& r, mailer& m) {
    auto owner = s.owner_of(r.resource);
    auto room = resource_label(s, r.resource);
    auto zone = s.zone_of(r.resource);
    const auto requester = s.users.find(r.requester);
    for (const auto& a : admins_of(s, owner, "request-new")) {
        if (requester != s.users.end() && a.email == requester->second.email)
            continue;  // nobody is told of their own request
        m.add(a, "request-new", "Nouvelle demande : " + room + ", " + r.title,
              "New request: " + room + ", " + r.title,
              requester_name(s, r) + " demande " + room + " " +
                  when_text(r.start, r.end, zone, "fr") + " pour « " + r.title + " » (" +
                  std::to_string(r.attendees) + " personnes).\nElle attend votre décision.",
              requester_name(s, r) + " asks for " + room + " " +
                  when_text(r.start, r.end, zone, "en") + " for \"" + r.title + "\" (" +
                  std::to_string(r.attendees) + " people).\nIt awaits your decision.",
              "/#/admin");
    }
}

// Approved, refused or cancelled: the requester, and the admins who asked for copies.
void about_decision(const state& s, const fact& f, const std::string& id, std::string_view what,
                    const std::string& reason, mailer& m) {
    const auto* r = s.find_reservation(id);
    if (!r) return;
    auto room = resource_label(s, r->resource);
    auto zone = s.zone_of(r->resource);
    std::string fr_word = what == "approved"  ? "acceptée"
                          : what == "refused" ? "refusée"
                                              : "annulée";
    std::string en_word = what == "approved"  ? "approved"
                          : what == "refused" ? "refused"
                                              : "cancelled";
    auto body = [&](const std::string& lang) {
        bool en = english(lang);
        std::string t =
            en ? "Your request for " + room + " " + when_text(r->start, r->end, zone, lang) +
                     " (\"" + r->title + "\") was " + en_word + "."
               : "Votre demande de " + room + " " + when_text(r->start, r->end, zone, lang) +
                     " (« " + r->title + " ») a été " + fr_word + ".";
        if (!reason.empty()) t += en ? "\nReason: " + reason : "\nMotif : " + reason;
        if (what == "approved" && r->quote.total_cents > 0)
            t += (en ? "\nAmount billed: " : "\nMontant facturé : ") +
                 std::to_string(r->quote.total_cents / 100) + "," +
                 (r->quote.total_cents % 100 < 10 ? "0" : "") +
                 std::to_string(r->quote.total_cents % 100) + " €";
        return t;
    };
    auto subject_fr = "Demande " + fr_word + " : " + room + ", " + r->title;
    auto subject_en = "Request " + en_word + ": " + room + ", " + r->title;
    if (f.actor != r->requester)
        if (auto req = account(s, r->requester, "request-decided"))
            m.add(*req, "request-decided", subject_fr, subject_en, body("fr"), body("en"),
                  "/#/mine");
    for (const auto& a : admins_of(s, r->organisation, "", true)) {
        if (s.users.count(f.actor) && s.users.at(f.actor).email == a.email) continue;
        m.add(a, "request-decided", subject_fr, subject_en, body("fr"), body("en"), "/#/mine");
    }
}

// A series requested: the lender's administrators, once, with the dates booked.
void about_series(const state& s, const fact& f, const series& sr, mailer& m) {
    auto owner = s.owner_of(sr.resource);
    auto room = resource_label(s, sr.resource);
    std::string fr_dates, en_dates;
    int booked = 0;
    for (const auto& o : sr.occurrences) {
        if (o.reservation.empty()) continue;
        ++booked;
        fr_dates += "\n- " + when_text(o.start, o.end, sr.zone, "fr");
        en_dates += "\n- " + when_text(o.start, o.end, sr.zone, "en");
    }
    auto u = s.users.find(sr.requester);
    const std::string who = u == s.users.end() ? sr.requester : u->second.name;
    for (const auto& a : admins_of(s, owner, "request-new")) {
        if (u != s.users.end() && a.email == u->second.email) continue;
        m.add(a, "request-new",
              "Nouvelle série : " + room + ", " + sr.title + " (" + std::to_string(booked) +
                  " dates)",
              "New series: " + room + ", " + sr.title + " (" + std::to_string(booked) + " dates)",
              who + " demande " + room + " pour « " + sr.title + " », " + std::to_string(booked) +
                  " fois :" + fr_dates + "\nChaque date attend votre décision.",
              who + " asks for " + room + " for \"" + sr.title + "\", " + std::to_string(booked) +
                  " times:" + en_dates + "\nEach date awaits your decision.",
              "/#/admin");
    }
    (void)f;
}

// A waiting request whose period freed up: its requester, then the lender's administrators,
// who now have a request to decide.
void about_promotion(const state& s, const fact& f, const reservation_promoted& x, mailer& m) {
    const auto* r = s.find_reservation(x.id);
    if (!r) return;
    auto room = resource_label(s, r->resource);
    auto zone = s.zone_of(r->resource);
    if (auto req = account(s, r->requester, "request-decided"))
        m.add(*req, "request-decided", "Place libérée : " + room + ", " + r->title,
              "Period freed up: " + room + ", " + r->title,
              room + " s'est libérée " + when_text(r->start, r->end, zone, "fr") +
                  " : votre demande (« " + r->title +
                  " ») a quitté la liste d'attente et attend maintenant la décision.",
              room + " freed up " + when_text(r->start, r->end, zone, "en") + ": your request (\"" +
                  r->title + "\") left the waiting list and now awaits a decision.",
              "/#/mine");
    about_request(s, f, *r, m);
}

// A request quoted again, for less: its requester, and the admins of its organisation who asked
// for copies (docs/domain.md, "Quotes of requests not yet decided").
void about_requote(const state& s, const reservation_requoted& x, mailer& m) {
    const auto* r = s.find_reservation(x.id);
    if (!r) return;
    auto room = resource_label(s, r->resource);
    auto zone = s.zone_of(r->resource);
    const auto total = format_euros(x.value.total_cents);
    const auto was = format_euros(r->quote.total_cents);
    const bool waits = r->status == reservation_status::waiting;
    const std::string fr =
        "Une part de la mise à disposition gratuite de la convention s'est libérée : la demande "
        "« " +
        r->title + " » (" + room + " " + when_text(r->start, r->end, zone, "fr") +
        ") coûte maintenant " + total + " au lieu de " + was + ".\n" +
        (waits ? "Elle attend toujours que son créneau se libère."
               : "Elle attend toujours la décision de l'hôte.");
    const std::string en = "Part of the agreement's free allowance came back: the request \"" +
                           r->title + "\" (" + room + " " +
                           when_text(r->start, r->end, zone, "en") + ") now costs " + total +
                           " instead of " + was + ".\n" +
                           (waits ? "It still waits for its period to free up."
                                  : "It still awaits the host's decision.");
    const auto subject_fr = "Nouveau devis : " + room + ", " + r->title;
    const auto subject_en = "New quote: " + room + ", " + r->title;
    std::string told;
    if (auto req = account(s, r->requester, "request-decided")) {
        m.add(*req, "request-decided", subject_fr, subject_en, fr, en, "/#/mine");
        told = req->email;
    }
    for (const auto& a : admins_of(s, r->organisation, "", true))
        if (a.email != told) m.add(a, "request-decided", subject_fr, subject_en, fr, en, "/#/mine");
}

// The single windows: a request submitted reaches the window operator's administrators; its
// routing or refusal by the window reaches its requester (docs/notifications.md).
void about_window(const state& s, const fact& f, const window_request& w, std::string_view what,
                  mailer& m, const std::string& reservation_id = {}) {
    auto g = s.agreements.find(w.agreement);
    if (g == s.agreements.end()) return;
    const auto zone = g->second.zone;
    auto org = s.organisations.find(w.organisation);
    const std::string asso = org == s.organisations.end() ? w.organisation : org->second.name;
    const auto when_fr = when_text(w.start, w.end, zone, "fr");
    const auto when_en = when_text(w.start, w.end, zone, "en");
    if (what == "submitted") {
        for (const auto& a : admins_of(s, g->second.window_operator, "request-new"))
            m.add(a, "request-new", "Guichet unique : " + w.title + " (" + asso + ")",
                  "Single window: " + w.title + " (" + asso + ")",
                  asso + " demande une salle pour « " + w.title + " » " + when_fr + ", " +
                      std::to_string(w.attendees) +
                      " personnes.\nAttribuez-lui une salle de l'une des parties, ou refusez.",
                  asso + " asks for a room for \"" + w.title + "\" " + when_en + ", " +
                      std::to_string(w.attendees) +
                      " people.\nRoute it to a room of either party, or decline it.",
                  "/#/window");
        return;
    }
    if (f.actor == w.requester) return;
    // Only while they are still in the association (its requests are its own, not a former
    // member's).
    if (auto u = s.users.find(w.requester);
        u == s.users.end() || u->second.organisation != w.organisation)
        return;
    auto req = account(s, w.requester, "request-decided");
    if (!req) return;
    if (what == "assigned") {
        const reservation* r = s.find_reservation(reservation_id);
        if (!r) return;
        auto room = resource_label(s, r->resource);
        m.add(*req, "request-decided", "Salle proposée : " + room + ", " + w.title,
              "Room proposed: " + room + ", " + w.title,
              "Le guichet unique a transmis votre demande (« " + w.title + " », " + when_fr +
                  ") pour " + room + ". Elle attend maintenant la décision de son gestionnaire.",
              "The single window passed on your request (\"" + w.title + "\", " + when_en +
                  ") for " + room + ". It now awaits the decision of the room's lender.",
              "/#/window");
    } else if (what == "declined") {
        m.add(*req, "request-decided", "Demande non retenue : " + w.title,
              "Request declined: " + w.title,
              "Le guichet unique n'a pas retenu votre demande (« " + w.title + " », " + when_fr +
                  ").\nMotif : " + w.reason,
              "The single window declined your request (\"" + w.title + "\", " + when_en +
                  ").\nReason: " + w.reason,
              "/#/window");
    }
}

void about_quota(const state& s, const quota_alert_raised& x, mailer& m) {
    auto ag = s.agreements.find(x.agreement);
    if (ag == s.agreements.end()) return;
    auto what = resource_label(s, x.resource);
    auto hours = [](std::int64_t minutes) { return std::to_string(minutes / 60); };
    auto fr = "Le contingent d'heures « " + what + " » de la convention « " + ag->second.name +
              " » a atteint " + std::to_string(x.threshold) + " % pour " + std::to_string(x.year) +
              " : " + hours(x.used_minutes) + " h sur " + hours(x.quota_minutes) + " h.";
    auto en = "The hour quota \"" + what + "\" of the agreement \"" + ag->second.name +
              "\" reached " + std::to_string(x.threshold) + " % for " + std::to_string(x.year) +
              ": " + hours(x.used_minutes) + " h of " + hours(x.quota_minutes) + " h.";
    if (x.threshold >= 100) {
        fr += "\nLes heures au-delà sont facturées au tarif de la convention.";
        en += "\nHours beyond it are billed at the agreement's tariff.";
    }
    for (const auto* org : {&ag->second.provider, &ag->second.beneficiary})
        for (const auto& a : admins_of(s, *org, "quota-alert"))
            m.add(a, "quota-alert", "Alerte : " + what + " à " + std::to_string(x.threshold) + " %",
                  "Alert: " + what + " at " + std::to_string(x.threshold) + " %", fr, en,
                  "/#/usage");
}

std::optional<recipient> registrant(const registration& r) {
    if (blank(r.email)) return std::nullopt;
    return recipient{r.email, r.name, r.lang};
}

std::string pass_link(const registration& r) {
    return "/#/pass/" + r.event + "/" + r.code;
}

// Registering, leaving and registering again makes a mail each time: past three registrations
// of one address for one event, no more are sent (a form is not a way to flood a mailbox).
bool registered_often(const state& s, const registration& r) {
    auto key = email_key(r.email);
    int n = 0;
    for (const auto& [id, other] : s.registrations)
        if (other.event == r.event && email_key(other.email) == key) ++n;
    return n >= 3;
}

// A registration's mail: where it stands, its code, the link to its page and the event's .ics.
void registration_mail(const state& s, const registration& r, const event& ev,
                       std::size_t waiting_position, const std::string& subject_fr,
                       const std::string& subject_en, mailer& m, instant at) {
    auto to = registrant(r);
    if (!to) return;
    std::string fr, en;
    if (r.status == registration_status::waiting) {
        auto position = std::to_string(waiting_position);
        fr = "Vous êtes sur la liste d'attente de « " + ev.title + " », en position " + position +
             ". Si une place se libère, vous la recevez et un mail vous le dit.";
        en = "You are on the waiting list of \"" + ev.title + "\", in position " + position +
             ". If a place frees up, it is yours and a mail tells you.";
    } else {
        fr = "Vous êtes inscrit·e à « " + ev.title + " ».";
        en = "You are registered for \"" + ev.title + "\".";
    }
    fr += "\nVotre code : " + r.code +
          " (il sert à vous désinscrire, à vous présenter à l'entrée et à retrouver votre page).";
    en += "\nYour code: " + r.code + " (to leave, to check in at the door and to find your page).";
    auto* mail = m.add(*to, "registration", subject_fr, subject_en, fr, en, pass_link(r));
    if (mail)
        mail->attachments.push_back(
            {ev.id + ".ics", "text/calendar; charset=utf-8; method=PUBLISH", event_ics(s, ev, at)});
}

void about_registration(const state& s, const registered& x, mailer& m, instant at) {
    const auto& r = x.value;
    auto e = s.events.find(r.event);
    if (e == s.events.end() || registered_often(s, r)) return;
    const auto& ev = e->second;
    // The request is not on the waiting list yet: it goes at its end.
    auto w = s.waiting.find(r.event);
    const std::size_t position = (w == s.waiting.end() ? 0 : w->second.size()) + 1;
    const bool waits = r.status == registration_status::waiting;
    registration_mail(s, r, ev, position,
                      (waits ? "Liste d'attente : " : "Inscription : ") + ev.title,
                      (waits ? "Waiting list: " : "Registered: ") + ev.title, m, at);
}

// The registration's mail again, as it stands now, at its registrant's request.
void about_resend(const state& s, const registration_resent& x, mailer& m, instant at) {
    auto r = s.registrations.find(x.id);
    if (r == s.registrations.end()) return;
    auto e = s.events.find(r->second.event);
    if (e == s.events.end()) return;
    std::size_t position = 0;
    if (auto w = s.waiting.find(r->second.event); w != s.waiting.end())
        position = static_cast<std::size_t>(std::find(w->second.begin(), w->second.end(), x.id) -
                                            w->second.begin()) +
                   1;
    registration_mail(s, r->second, e->second, position, "Votre inscription : " + e->second.title,
                      "Your registration: " + e->second.title, m, at);
}

void about_promotion(const state& s, const registration_promoted& x, mailer& m, instant at) {
    auto r = s.registrations.find(x.id);
    if (r == s.registrations.end()) return;
    auto to = registrant(r->second);
    auto e = s.events.find(r->second.event);
    if (!to || e == s.events.end()) return;
    auto* mail = m.add(*to, "registration", "Une place pour vous : " + e->second.title,
                       "A place for you: " + e->second.title,
                       "Une place s'est libérée : vous êtes maintenant inscrit·e à « " +
                           e->second.title + " ».\nVotre code : " + r->second.code + ".",
                       "A place freed up: you are now registered for \"" + e->second.title +
                           "\".\nYour code: " + r->second.code + ".",
                       pass_link(r->second));
    if (mail)
        mail->attachments.push_back({e->second.id + ".ics",
                                     "text/calendar; charset=utf-8; method=PUBLISH",
                                     event_ics(s, e->second, at)});
}

// A change of what registrants rely on (the title, the day, the rooms): each is told.
void about_event_change(const state& s, const event_defined& x, mailer& m, instant at) {
    const auto& now = x.value;
    auto was = s.events.find(now.id);
    if (was == s.events.end()) return;
    const auto& old = was->second;
    if (old.title == now.title && old.reservations == now.reservations &&
        old.day_start == now.day_start && old.slots == now.slots &&
        old.slot_minutes == now.slot_minutes)
        return;
    state after = s;  // the calendar file shows the event as it is now
    after.events[now.id] = now;
    for (const auto& [id, r] : s.registrations) {
        if (r.event != now.id || r.status == registration_status::left) continue;
        auto to = registrant(r);
        if (!to) continue;
        auto* mail = m.add(
            *to, "event-changed", "Changement : " + now.title, "Changed: " + now.title,
            "L'événement « " + old.title + " » auquel vous êtes inscrit·e a changé" +
                (old.title != now.title ? " (il s'appelle maintenant « " + now.title + " »)" : "") +
                ". Le fichier joint le met à jour dans votre agenda.",
            "The event \"" + old.title + "\" you registered for has changed" +
                (old.title != now.title ? " (it is now called \"" + now.title + "\")" : "") +
                ". The attached file updates it in your calendar.",
            pass_link(r));
        if (mail)
            mail->attachments.push_back({now.id + ".ics",
                                         "text/calendar; charset=utf-8; method=PUBLISH",
                                         event_ics(after, now, at)});
    }
}

// A Job Dating timetable published, or changed once published: each participant gets theirs.
// Those who no longer take part (left, marked no-shows) or still wait for a place get none.
void about_timetable(const state& s, const timetable_set& x, mailer& m, instant at) {
    if (!x.value.published) return;
    auto e = s.events.find(x.event);
    if (e == s.events.end()) return;
    auto before = s.timetables.find(x.event);
    bool again = before != s.timetables.end() && before->second.published;
    for (const auto& [id, r] : s.registrations) {
        if (r.event != x.event || !takes_part(r)) continue;
        auto to = registrant(r);
        if (!to) continue;
        std::vector<std::pair<int, std::string>> mine;
        for (const auto& meet : x.value.meetings) {
            if (meet.student != id && meet.company != id) continue;
            auto other = s.registrations.find(meet.student == id ? meet.company : meet.student);
            auto start = format_in_zone(slot_start(e->second, meet.slot), "Europe/Paris");
            mine.push_back({meet.slot, start.substr(11, 5) + " — " +
                                           (other == s.registrations.end() ? std::string{}
                                                                           : other->second.name) +
                                           ", table " + std::to_string(meet.table + 1)});
        }
        if (again) {  // re-planned: only those whose own meetings changed are told
            std::vector<meeting> was, now;
            for (const auto& meet : before->second.meetings)
                if (meet.student == id || meet.company == id) was.push_back(meet);
            for (const auto& meet : x.value.meetings)
                if (meet.student == id || meet.company == id) now.push_back(meet);
            auto order = [](const meeting& a, const meeting& b) {
                return std::tie(a.slot, a.student, a.company) <
                       std::tie(b.slot, b.student, b.company);
            };
            std::sort(was.begin(), was.end(), order);
            std::sort(now.begin(), now.end(), order);
            auto same = [](const meeting& a, const meeting& b) {
                return a.student == b.student && a.company == b.company && a.slot == b.slot &&
                       a.table == b.table;
            };
            if (std::equal(was.begin(), was.end(), now.begin(), now.end(), same)) continue;
        }
        std::sort(mine.begin(), mine.end());
        std::string list;
        for (const auto& [slot, line] : mine) list += "\n  " + line;
        auto fr = std::string(again ? "Le planning" : "Votre planning") + " du « " +
                  e->second.title + " » " + (again ? "a changé. " : "est publié. ") +
                  (mine.empty() ? "Vous n'avez pas de rendez-vous." : "Vos rendez-vous :" + list);
        auto en = "The timetable of \"" + e->second.title + "\" " +
                  (again ? "has changed. " : "is published. ") +
                  (mine.empty() ? "You have no meeting." : "Your meetings:" + list);
        auto* mail = m.add(*to, "timetable",
                           (again ? "Planning modifié : " : "Votre planning : ") + e->second.title,
                           (again ? "Timetable changed: " : "Your timetable: ") + e->second.title,
                           fr, en, pass_link(r));
        if (mail)
            mail->attachments.push_back({x.event + "-" + id + ".ics",
                                         "text/calendar; charset=utf-8; method=PUBLISH",
                                         personal_ics(s, e->second, x.value, r, at)});
    }
}

// An invitation or a reset: the link goes to the person, always (it cannot be turned off).
void about_link(const state& s, const account_link_issued& x, const unsealer& unseal, mailer& m) {
    auto u = s.users.find(x.user);
    if (u == s.users.end() || x.sealed_token.empty() || blank(u->second.email)) return;
    auto token = unseal(x.sealed_token);
    if (!token) return;  // sealed with another key (a journal moved without its outbox)
    auto to = recipient{u->second.email, u->second.name, u->second.lang};
    auto until_fr = format_in_zone(x.expires, "Europe/Paris"),
         until_en = until_fr.substr(0, 10) + " " + until_fr.substr(11, 5);
    until_fr = until_fr.substr(8, 2) + "/" + until_fr.substr(5, 2) + "/" + until_fr.substr(0, 4) +
               " à " + until_fr.substr(11, 5);
    mail* made = nullptr;
    if (x.purpose == link_purpose::invitation)
        made = m.add(to, "invitation", "Votre compte Créneau", "Your Créneau account",
                     "Un compte Créneau a été créé pour vous. Choisissez votre mot de passe avec "
                     "ce lien, valable jusqu'au " +
                         until_fr + " (heure de Paris) :",
                     "A Créneau account was made for you. Choose your password with this link, "
                     "valid until " +
                         until_en + " (Paris time):",
                     "/#/welcome/" + *token);
    else
        made =
            m.add(to, "reset", "Nouveau mot de passe Créneau", "New Créneau password",
                  "Choisissez un nouveau mot de passe avec ce lien, valable jusqu'au " + until_fr +
                      " (heure de Paris). Si vous ne l'avez pas demandé, ignorez ce mail.",
                  "Choose a new password with this link, valid until " + until_en +
                      " (Paris time). If you did not ask for it, ignore this mail.",
                  "/#/reset/" + *token);
    if (made) made->expires = x.expires;
}

}  // namespace

std::vector<mail> mails_for(const state& before, const fact& f, const std::string& base_url,
                            const unsealer& unseal) {
    mailer m(f, base_url);
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            // A request that waits awaits nobody's decision yet: its administrators hear of it
            // when its period frees up.
            // A series' occurrences are told of once, with the series.
            if constexpr (std::is_same_v<T, reservation_requested>) {
                if (x.value.status != reservation_status::waiting && x.value.series.empty())
                    about_request(before, f, x.value, m);
            } else if constexpr (std::is_same_v<T, series_requested>) {
                about_series(before, f, x.value, m);
            } else if constexpr (std::is_same_v<T, reservation_promoted>) {
                about_promotion(before, f, x, m);
            } else if constexpr (std::is_same_v<T, reservation_requoted>) {
                about_requote(before, x, m);
            } else if constexpr (std::is_same_v<T, reservation_approved>)
                about_decision(before, f, x.id, "approved", "", m);
            else if constexpr (std::is_same_v<T, reservation_refused>)
                about_decision(before, f, x.id, "refused", x.reason, m);
            else if constexpr (std::is_same_v<T, reservation_cancelled>)
                about_decision(before, f, x.id, "cancelled", x.reason, m);
            else if constexpr (std::is_same_v<T, window_request_submitted>)
                about_window(before, f, x.value, "submitted", m);
            else if constexpr (std::is_same_v<T, window_request_assigned>) {
                if (auto w = before.window_requests.find(x.id); w != before.window_requests.end())
                    about_window(before, f, w->second, "assigned", m, x.reservation);
            } else if constexpr (std::is_same_v<T, window_request_declined>) {
                if (auto w = before.window_requests.find(x.id); w != before.window_requests.end()) {
                    auto declined = w->second;
                    declined.reason = x.reason;
                    about_window(before, f, declined, "declined", m);
                }
            } else if constexpr (std::is_same_v<T, quota_alert_raised>)
                about_quota(before, x, m);
            else if constexpr (std::is_same_v<T, registered>)
                about_registration(before, x, m, f.at);
            else if constexpr (std::is_same_v<T, registration_resent>)
                about_resend(before, x, m, f.at);
            else if constexpr (std::is_same_v<T, registration_promoted>)
                about_promotion(before, x, m, f.at);
            else if constexpr (std::is_same_v<T, event_defined>)
                about_event_change(before, x, m, f.at);
            else if constexpr (std::is_same_v<T, timetable_set>)
                about_timetable(before, x, m, f.at);
            else if constexpr (std::is_same_v<T, account_link_issued>)
                about_link(before, x, unseal, m);
        },
        f.body);
    return m.take();
}

std::string html_of(const mail& m) {
    std::string body;
    for (char c : m.text) {
        switch (c) {
            case '&':
                body += "&amp;";
                break;
            case '<':
                body += "&lt;";
                break;
            case '>':
                body += "&gt;";
                break;
            case '"':
                body += "&quot;";
                break;
            case '\n':
                body += "<br>\n";
                break;
            default:
                body += c;
        }
    }
    std::string link;
    for (char c : m.link) {
        switch (c) {
            case '&':
                link += "&amp;";
                break;
            case '<':
                link += "%3C";
                break;
            case '>':
                link += "%3E";
                break;
            case '"':
                link += "%22";
                break;
            case '\'':
                link += "%27";
                break;
            default:
                link += c;
        }
    }
    auto label = m.lang == "en" ? "Open in Créneau" : "Ouvrir dans Créneau";
    return "<!DOCTYPE html>\n<html lang=\"" + m.lang +
           "\"><head><meta charset=\"utf-8\"></head>\n<body "
           "style=\"font-family:sans-serif\">\n<p>" +
           body + "</p>\n<p><a href=\"" + link + "\">" + label + "</a></p>\n</body></html>\n";
}

}  // namespace creneau::server
