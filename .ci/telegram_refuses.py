"""A stand-in for the Telegram Bot API during API fuzzing: it answers every call as Telegram
answers an unknown token ({"ok": false, "error_code": 401, "description": "Unauthorized"}), so a
fuzzed token of the right shape is refused as such instead of reaching out of the machine.

    python3 .ci/telegram_refuses.py PORT
"""
import http.server
import sys


class Refuse(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        body = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Refuse).serve_forever()
