#!/usr/bin/env python3
"""A webhook on 127.0.0.1 for examples/http-webhook.  POST /orders takes
an order and answers 202 with the URL where a caller subscribes to its
decision; POST /orders/ID/callback takes {"token"} and, a moment later, as
a person or another system would, answers the token with
asl send-task-success (the store: ASL_STORE).  Orders of 1000 or more
are declined.  Its port goes to PORTFILE.

    webhook.py PORTFILE
"""
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

orders = {}


def decide(order_id, token):
    time.sleep(0.5)
    order = orders.get(order_id, {})
    answer = {"approved": order.get("total", 0) < 1000, "by": "webhook"}
    subprocess.run(["asl", "send-task-success", "--task-token", token,
                    "--output", json.dumps(answer)], timeout=30,
                   stdout=subprocess.DEVNULL)


class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("webhook: " + fmt % args + "\n")

    def answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        doc = json.loads(self.rfile.read(n) or b"{}")
        parts = self.path.strip("/").split("/")
        if parts == ["orders"]:
            orders[doc["id"]] = doc
            self.answer(202, {"id": doc["id"], "callback": "http://%s:%d/orders/%s/callback"
                              % (self.server.server_address + (doc["id"],))})
        elif len(parts) == 3 and parts[0] == "orders" and parts[2] == "callback":
            self.answer(202, {"subscribed": parts[1]})
            threading.Thread(target=decide, args=(parts[1], doc["token"])).start()
        else:
            self.answer(404, {"error": "no such resource"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
server.daemon_threads = True
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
