#!/usr/bin/python3
"""Reads a message written by smtp_sink.py with Python's email package and prints it as
JSON: its decoded headers, its plain text and HTML parts, and its attachments (calendar
files parsed by python3-icalendar). Usage: read_mail.py FILE.eml"""
import email
import email.policy
import json
import sys

import icalendar


def main():
    with open(sys.argv[1], "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = {h.lower(): str(msg[h]) for h in ("From", "To", "Subject", "Date", "Message-ID",
                                             "Content-Language", "X-Creneau-Kind")
           if msg[h] is not None}
    out["defects"] = [str(d) for part in msg.walk() for d in part.defects]
    body = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    out["text"] = body.get_content() if body else None
    out["html"] = html.get_content() if html else None
    out["attachments"] = []
    for part in msg.iter_attachments():
        item = {"filename": part.get_filename(), "content_type": part.get_content_type()}
        if part.get_content_type() == "text/calendar":
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            item["events"] = [{"uid": str(e.get("uid")), "summary": str(e.get("summary")),
                               "start": e.decoded("dtstart").isoformat(),
                               "end": e.decoded("dtend").isoformat()}
                              for e in cal.walk("VEVENT")]
        out["attachments"].append(item)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
