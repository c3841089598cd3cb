"""A minimal SMTP server that keeps what it receives: a stand-in mail server for tests and the smoke test.

It speaks enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for Django's SMTP backend, can be
stopped and started again to play a mail server that goes down and comes back, and refuses the addresses
in ``refused`` with a permanent 550 (no such mailbox).

    python -m flasky_project.smtp_sink --port 2525 --maildir /tmp/mail   # one file per message
"""

import argparse
import os
import socketserver
import threading
import time
from email import message_from_bytes
from pathlib import Path


class SMTPSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, host="127.0.0.1", port=0, maildir=None):
        super().__init__((host, port), _Session)
        self.messages = []
        self.refused = set()
        self.maildir = Path(maildir) if maildir else None
        self._thread = None

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def keep(self, data):
        message = message_from_bytes(data)
        self.messages.append(message)
        if self.maildir:
            self.maildir.mkdir(parents=True, exist_ok=True)
            # Named by arrival time, so a sink that is stopped and started again never overwrites a message.
            (self.maildir / f"{time.time_ns()}-{os.getpid()}.eml").write_bytes(data)


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 flasky-smtp-sink ready")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip().upper()
            if command.startswith("EHLO"):
                self.wfile.write(b"250-flasky-smtp-sink\r\n250 8BITMIME\r\n")
            elif command.startswith("RCPT") and self._recipient(line) in self.server.refused:
                self.reply("550 5.1.1 No such mailbox")
            elif command.startswith(("HELO", "MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.keep(self._read_data())
                self.reply("250 OK: queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    @staticmethod
    def _recipient(line):
        """The address of "RCPT TO:<a@example.com>", lower-cased."""
        text = line.decode("utf-8", "replace")
        return text[text.find("<") + 1 : text.rfind(">")].strip().lower()

    def _read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--maildir", required=True)
    options = parser.parse_args()
    sink = SMTPSink(options.host, options.port, options.maildir)
    print(f"SMTP sink on {options.host}:{sink.port}, writing to {options.maildir}", flush=True)
    sink.serve_forever()


if __name__ == "__main__":
    main()
