"""A loopback OpenAI-compatible chat-completions server for benchmarks: reads the whole request,
answers at once (or after ?delay_ms / a delay given at start), streaming or not."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0
    disable_nagle_algorithm = True   # a reused connection would otherwise wait 40 ms for a delayed ACK before the body

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
        if self.delay:
            time.sleep(self.delay)
        stream = b'"stream":true' in self.headers.get("X-Bench-Stream", "").encode() or self._streamed
        self._answer(stream)

    @property
    def _streamed(self):
        return self.headers.get("Accept", "") == "text/event-stream"

    def _answer(self, stream):
        text = "A test image."
        if stream:
            events = [
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": text}}], "model": "bench"},
                {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "model": "bench"},
                {"choices": [], "usage": {"prompt_tokens": 100, "completion_tokens": 4, "total_tokens": 104}},
            ]
            body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"
            content_type = "text/event-stream"
        else:
            body = json.dumps({"id": "b", "object": "chat.completion", "model": "bench", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 4, "total_tokens": 104}}).encode()
            content_type = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start(delay_seconds=0.0):
    """Starts the server on an ephemeral loopback port; returns (server, base_url)."""
    handler = type("BenchHandler", (Handler,), {"delay": delay_seconds})
    server_class = type("BenchServer", (ThreadingHTTPServer,), {"request_queue_size": 256})  # batch benches open many connections at once
    server = server_class(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/v1" % server.server_address[1]
