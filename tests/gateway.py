"""A message gateway for the tests: a real HTTP server on 127.0.0.1 that answers as told and
counts what it was sent, and members who agreed to messages."""

import http.server
import json
import threading


class Gateway:
    """A real HTTP server on 127.0.0.1 answering as told, counting what it was sent."""

    def __init__(self, answers):
        self.answers, self.received = list(answers), []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append((self.headers["Authorization"], body))
                status, payload = gateway.answers.pop(0) if gateway.answers else (200, None)
                payload = payload or json.dumps({"id": f"gw-{len(gateway.received)}"})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def consenting(group, count):
    members = [m.participant for m in group.memberships.select_related("participant")]
    for number, person in enumerate(members[:count]):
        person.messages_consent = True
        person.phone = f"08123456{number:04d}"
        person.save()
    return members
