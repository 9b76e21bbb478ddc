"""A loopback OpenAI-compatible chat-completions server for benchmarks: reads the whole request,
answers at once (or after ?delay_ms / a delay given at start), streaming or not."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0
    # (count, seconds): at most `count` requests answered in any sliding window of `seconds`; the rest get 429.
    limit = None
    limit_state = None
    # Whether a 429 says when to come back (Retry-After); some services and mocks do not.
    retry_after = True
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
        if self.limit and not self._admit():
            return
        if self.delay:
            time.sleep(self.delay)
        stream = b'"stream":true' in self.headers.get("X-Bench-Stream", "").encode() or self._streamed
        self._answer(stream)

    def _admit(self):
        """Sliding-window rate limit like an OpenAI-compatible service's: 429 with Retry-After when the window is full."""
        count, seconds = self.limit
        state = self.limit_state
        with state["lock"]:
            now = time.monotonic()
            state["times"] = [t for t in state["times"] if now - t < seconds]
            if len(state["times"]) < count:
                state["times"].append(now)
                return True
            state["refused"] += 1
            wait = seconds - (now - state["times"][0])
        body = json.dumps({"error": {"message": "Rate limit reached for requests per minute", "type": "requests"}}).encode()
        self.send_response(429)
        if self.retry_after:
            self.send_header("Retry-After", str(max(1, int(wait + 0.999))))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return False

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


def start(delay_seconds=0.0, limit=None, retry_after=True):
    """Starts the server on an ephemeral loopback port; returns (server, base_url). `limit` = (requests, seconds);
    the server's `limit_state["refused"]` counts the 429s it sent."""
    state = {"lock": threading.Lock(), "times": [], "refused": 0}
    handler = type("BenchHandler", (Handler,), {"delay": delay_seconds, "limit": limit, "limit_state": state,
                                                  "retry_after": retry_after})
    server_class = type("BenchServer", (ThreadingHTTPServer,), {"request_queue_size": 256})  # batch benches open many connections at once
    server = server_class(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.limit_state = state
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/v1" % server.server_address[1]
