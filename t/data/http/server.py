#!/usr/bin/env python3
"""A small HTTP server for the HTTP Task's tests: 127.0.0.1 only, on a
free port it writes to PORTFILE once it listens.  Every request is logged
as a JSON line to LOGFILE (method, path, query, headers, body).

    server.py PORTFILE LOGFILE [CERT KEY]

With CERT and KEY (PEM files) it answers HTTPS instead: cert.pem and
key.pem here are a self-signed pair for 127.0.0.1, for tests only.

Routes:
  /json            200, a JSON body: {"ok": true, "method", "query"}
  /text            200, text/plain "hello, world"
  /echo            200, JSON: the request as received
  /status/NNN      NNN, a JSON body {"status": NNN}
  /flaky/N/KEY     503 for the first N requests of KEY, then 200
  /slow/S          waits S seconds, then 200
  /big             200, 300 KiB of text
  /redirect        302 to /json
  /token           OAuth client-credentials token endpoint: client
                   "client" with secret "s3cret"; tokens "tok-N", for an
                   hour or the seconds of ?expires_in=S; counts its
                   requests
  /count           {"token": the token requests so far}
  /webhook         202; then, in the background, answers the task token
                   in the JSON body's "token" with asl send-task-success
                   (ASL_STORE from the environment), output {"approved":
                   true, "order": the body's "order"}
"""
import base64
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
counts = {"token": 0}
flaky = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        req = {"method": self.command, "path": url.path,
               "query": url.query, "headers": dict(self.headers.items()),
               "body": body}
        with lock:
            with open(sys.argv[2], "a") as log:
                log.write(json.dumps(req) + "\n")
        parts = url.path.strip("/").split("/")
        route = parts[0]
        if route == "json":
            self.reply(200, json.dumps({"ok": True, "method": self.command,
                                        "query": url.query}))
        elif route == "text":
            self.reply(200, "hello, world", "text/plain")
        elif route == "echo":
            self.reply(200, json.dumps(req))
        elif route == "status":
            code = int(parts[1])
            self.reply(code, json.dumps({"status": code}))
        elif route == "flaky":
            with lock:
                seen = flaky.get(parts[2], 0)
                flaky[parts[2]] = seen + 1
            if seen < int(parts[1]):
                self.reply(503, json.dumps({"try": seen + 1}))
            else:
                self.reply(200, json.dumps({"try": seen + 1}))
        elif route == "slow":
            time.sleep(float(parts[1]))
            self.reply(200, json.dumps({"slept": float(parts[1])}))
        elif route == "big":
            self.reply(200, "x" * (300 * 1024), "text/plain")
        elif route == "redirect":
            self.reply(302, "", "text/plain", [("Location", "/json")])
        elif route == "token":
            with lock:
                counts["token"] += 1
                n = counts["token"]
            auth = self.headers.get("Authorization", "")
            want = "Basic " + base64.b64encode(b"client:s3cret").decode()
            form = urllib.parse.parse_qs(body)
            if auth != want or form.get("grant_type") != ["client_credentials"]:
                self.reply(401, json.dumps({"error": "invalid_client"}))
            else:
                life = urllib.parse.parse_qs(url.query).get("expires_in", ["3600"])
                self.reply(200, json.dumps({"access_token": "tok-%d" % n,
                                            "token_type": "Bearer",
                                            "expires_in": int(life[0])}))
        elif route == "count":
            with lock:
                self.reply(200, json.dumps(counts))
        elif route == "webhook":
            doc = json.loads(body or "{}")
            self.reply(202, json.dumps({"accepted": True}))
            threading.Thread(target=approve, args=(doc,)).start()
        else:
            self.reply(404, json.dumps({"error": "no such route"}))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = \
        do_OPTIONS = handle_any


def approve(doc):
    # the webhook's own work, then its answer to the waiting task
    time.sleep(0.2)
    out = json.dumps({"approved": True, "order": doc.get("order")})
    subprocess.run(["asl", "send-task-success", "--task-token",
                    doc["token"], "--output", out], timeout=30,
                   stdout=subprocess.DEVNULL)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) > 4:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    # the port file appears whole: readers never see half a number
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
