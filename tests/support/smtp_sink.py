#!/usr/bin/python3
"""A private SMTP server for the tests (aiosmtpd): every message it accepts is written to
DIR/NNNNNN.eml (the raw message) with DIR/NNNNNN.json (the envelope), atomically.

Usage: smtp_sink.py PORT DIR [--refuse ADDRESS]...   (runs until SIGTERM)
A --refuse address gets a permanent 550 at RCPT, as a mailbox that does not exist would."""
import asyncio
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, refused):
        self.folder = folder
        self.refused = {a.lower() for a in refused}
        self.count = len([f for f in os.listdir(folder) if f.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%06d" % self.count)
        for suffix, data in ((".json", json.dumps({"from": envelope.mail_from,
                                                    "to": envelope.rcpt_tos}).encode()),
                             (".eml", envelope.original_content or envelope.content)):
            with open(base + suffix + ".part", "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.rename(base + suffix + ".part", base + suffix)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    refused = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--refuse"]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder, refused), hostname="127.0.0.1", port=port)
    controller.start()
    print("smtp-sink listening on 127.0.0.1:%d" % port, flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    loop.add_signal_handler(signal.SIGINT, lambda: stop.done() or stop.set_result(None))
    loop.run_until_complete(stop)
    controller.stop()


if __name__ == "__main__":
    main()
