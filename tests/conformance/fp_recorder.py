"""A loopback recorder playing the Floor Plan API for wire-compatibility
tests. Prints its port on stdout, then serves until killed.

Scripted answers: POST /v1/extract -> PNG mask with the documented headers;
POST /v1/uploads -> a presigned slot pointing back at this server;
PUT /presigned/* -> 200; POST /v1/analyze with async=true -> 202 job;
GET /v1/status/job_rec -> 503 (Retry-After: 0) on its first call after each
reset, then "completed"; GET /v1/jobs/job_rec/mask -> PNG.
GET /__transcript returns the normalized requests so far; POST /__reset
clears them. Normalized: method, path, sorted query, the Authorization
header, the main Content-Type, multipart parts as (name, filename,
content type, value for text parts), JSON bodies parsed; boundary strings
and User-Agent are ignored."""
import email.parser, email.policy, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qsl

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
state = {"log": [], "status_calls": 0}


def normalize(method, path, headers, body):
    u = urlsplit(path)
    ct = headers.get("Content-Type", "")
    entry = {"method": method, "path": u.path, "query": sorted(parse_qsl(u.query)),
             "authorization": headers.get("Authorization"), "content_type": ct.split(";")[0].strip() or None}
    if ct.startswith("multipart/form-data"):
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ct.encode() + b"\r\n\r\n" + body)
        parts = []
        for p in msg.iter_parts():
            name = p.get_param("name", header="content-disposition")
            filename = p.get_filename()
            value = None if filename else p.get_payload(decode=True).decode()
            parts.append([name, filename, p.get_content_type() if filename else None, value])
        entry["parts"] = parts
    elif ct.startswith("application/json"):
        entry["json"] = json.loads(body or b"null")
    elif body:
        entry["body_bytes"] = len(body)
    return entry


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body=b"", ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", "req_rec")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        path = urlsplit(self.path).path
        if path == "/__transcript":
            return self.reply(200, json.dumps(state["log"]).encode())
        if path == "/__reset":
            state["log"].clear()
            state["status_calls"] = 0
            return self.reply(200, b"{}")
        state["log"].append(normalize(method, self.path, self.headers, body))
        host = self.headers.get("Host")
        if method == "POST" and path == "/v1/extract":
            return self.reply(200, PNG, "image/png", [("X-Mask-Width", "4"), ("X-Mask-Height", "4"), ("X-Job-Id", "job_sync")])
        if method == "POST" and path == "/v1/uploads":
            slot = {"upload_url": f"http://{host}/presigned/uploads/abc.png?sig=1", "key": "uploads/abc.png",
                    "expires_at": "2026-04-28T13:15:00.000Z", "content_type": "image/png"}
            return self.reply(200, json.dumps(slot).encode())
        if method == "PUT" and path.startswith("/presigned/"):
            return self.reply(200, b"")
        if method == "POST" and path == "/v1/analyze":
            job = {"success": True, "job_id": "job_rec", "status": "queued", "created_at": "2026-04-28T13:00:00.000Z", "mode": "test"}
            return self.reply(202, json.dumps(job).encode())
        if method == "GET" and path == "/v1/status/job_rec":
            state["status_calls"] += 1
            if state["status_calls"] == 1:
                err = {"error": {"type": "service_unavailable", "message": "busy"}}
                return self.reply(503, json.dumps(err).encode(), extra=[("Retry-After", "0")])
            job = {"job_id": "job_rec", "status": "completed", "created_at": "2026-04-28T13:00:00.000Z",
                   "completed_at": "2026-04-28T13:00:02.000Z",
                   "result": {"result_url": "/v1/jobs/job_rec/mask", "width": 4, "height": 4}, "error": None}
            return self.reply(200, json.dumps(job).encode())
        if method == "GET" and path == "/v1/jobs/job_rec/mask":
            return self.reply(200, PNG, "image/png", [("X-Mask-Width", "4"), ("X-Mask-Height", "4"), ("X-Job-Id", "job_rec")])
        return self.reply(404, json.dumps({"error": {"type": "not_found_error", "message": path}}).encode())

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
