"""An SMTP server for the tests that mail (mail_sink.rs): aiosmtpd on 127.0.0.1 at the given
port, keeping each message it receives as NNNN.json in the given folder (envelope
recipients, sender, subject, and the plain-text and HTML parts decoded). It prints
"ready" once it listens and runs until its standard input closes.

    smtp_sink.py PORT FOLDER
"""

import itertools
import json
import pathlib
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "to": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "text": plain.get_content() if plain is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        n = next(self.numbers)
        partial = self.folder / f".{n:04d}.json"
        partial.write_text(json.dumps(record), encoding="utf-8")
        # Whole files only: the test lists *.json.
        partial.rename(self.folder / f"{n:04d}.json")
        return "250 Message accepted"


def main() -> None:
    port = int(sys.argv[1])
    folder = pathlib.Path(sys.argv[2])
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
