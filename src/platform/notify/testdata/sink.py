#!/usr/bin/python3
"""Receivers for the notify tests, started by them as child processes:

  sink.py smtp PORT DIR [USER PASSWORD]
      An aiosmtpd server on 127.0.0.1:PORT. Each message is written to DIR/N.eml exactly as it
      arrived, and DIR/N.env gets "MAIL FROM", then one "RCPT TO" a line, then "login=USER"
      (empty when none). With USER and PASSWORD, AUTH is required and only that login passes.
  sink.py http PORT DIR
      An HTTP server on 127.0.0.1:PORT. Each POST is written to DIR/N.json as
      {"path", "authorization", "content_type", "body"}; the reply status is the last path
      segment when it is a number (POST /hook/500 -> 500), otherwise 200.

Runs until killed. Needs Debian's python3-aiosmtpd for smtp (run with /usr/bin/python3).
"""
import http.server
import json
import logging
import os
import sys
import threading
import time
import warnings

_lock = threading.Lock()


def _save(folder, suffix_to_bytes):
    """Writes the files of the next message number atomically (rename), so a reader never
    sees half a message."""
    with _lock:
        n = len([f for f in os.listdir(folder) if not f.startswith(".")]) // len(suffix_to_bytes) + 1
        for suffix, data in suffix_to_bytes.items():
            tmp = os.path.join(folder, f".{n}{suffix}")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(folder, f"{n}{suffix}"))


def smtp(port, folder, user=None, password=None):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
            env = [envelope.mail_from, *envelope.rcpt_tos, f"login={login}"]
            _save(folder, {".eml": envelope.original_content, ".env": "\n".join(env).encode()})
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=data)  # handled=False: the server replies 535

    # AUTH without TLS is what the test wants; keep aiosmtpd's warnings about it quiet.
    warnings.filterwarnings("ignore", message="Requiring AUTH")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    kwargs = {}
    if user is not None:
        kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    while True:
        time.sleep(3600)


def http_sink(port, folder):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {
                "path": self.path,
                "authorization": self.headers.get("Authorization", ""),
                "content_type": self.headers.get("Content-Type", ""),
                "body": body.decode("utf-8", "replace"),
            }
            _save(folder, {".json": json.dumps(record, ensure_ascii=False).encode()})
            last = self.path.rstrip("/").rsplit("/", 1)[-1]
            self.send_response(int(last) if last.isdigit() else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    kind, port, folder, *login = sys.argv[1:]
    if kind == "smtp":
        smtp(int(port), folder, *login)
    else:
        http_sink(int(port), folder)
