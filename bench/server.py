"""A loopback server for benchmarks that speaks each api vq knows (OpenAI chat completions, Responses, Anthropic,
Gemini, Ollama): reads the whole request, answers at once (or after a delay given at start), streaming or not.
`X-Bench-Events: N` asks for a streamed answer of N text events, to measure decoding; `X-Bench-Shape: real` for
OpenAI's own chunk shape."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USAGE = {"prompt_tokens": 100, "completion_tokens": 4, "total_tokens": 104}


def sse(obj, name=None, compact=False):
    text = json.dumps(obj, separators=(",", ":")) if compact else json.dumps(obj)
    return (b"event: " + name.encode() + b"\n" if name else b"") + b"data: " + text.encode() + b"\n\n"


def openai_stream(pieces):
    out = [sse({"choices": [{"index": 0, "delta": {"role": "assistant", "content": p}}], "model": "bench"}) for p in pieces]
    out.append(sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "model": "bench"}))
    out.append(sse({"choices": [], "usage": USAGE}))
    return b"".join(out) + b"data: [DONE]\n\n", "text/event-stream"


def openai_real_stream(pieces):
    """The chunk shape OpenAI itself sends (~200 bytes each: id, object, created, model, system_fingerprint,
    logprobs, usage null), as captured from api.openai.com with stream_options.include_usage."""
    def chunk(delta, finish=None, usage=None, choices=True):
        return {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion.chunk", "created": 1741569952,
                "model": "gpt-4o-2024-08-06", "service_tier": "default", "system_fingerprint": "fp_f9f4fb6dbf",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else [],
                "usage": usage}
    out = [sse(chunk({"role": "assistant", "content": "", "refusal": None}), compact=True)]
    out += [sse(chunk({"content": p}), compact=True) for p in pieces]
    out.append(sse(chunk({}, "stop"), compact=True))
    out.append(sse(chunk(None, usage=dict(USAGE, prompt_tokens_details={"cached_tokens": 0, "audio_tokens": 0},
                                          completion_tokens_details={"reasoning_tokens": 0, "audio_tokens": 0,
                                                                     "accepted_prediction_tokens": 0,
                                                                     "rejected_prediction_tokens": 0}), choices=False),
                   compact=True))
    return b"".join(out) + b"data: [DONE]\n\n", "text/event-stream"


def responses_stream(pieces):
    out = [sse({"type": "response.created", "response": {"model": "bench", "status": "in_progress"}}, "response.created")]
    out += [sse({"type": "response.output_text.delta", "delta": p}, "response.output_text.delta") for p in pieces]
    out.append(sse({"type": "response.completed", "response": {"status": "completed", "usage": {
        "input_tokens": 100, "output_tokens": len(pieces), "total_tokens": 100 + len(pieces)}}}, "response.completed"))
    return b"".join(out), "text/event-stream"


def anthropic_stream(pieces):
    out = [sse({"type": "message_start", "message": {"model": "bench", "usage": {"input_tokens": 100, "output_tokens": 1}}}, "message_start")]
    out += [sse({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}, "content_block_delta") for p in pieces]
    out.append(sse({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": len(pieces)}}, "message_delta"))
    out.append(sse({"type": "message_stop"}, "message_stop"))
    return b"".join(out), "text/event-stream"


def gemini_stream(pieces):
    out = [sse({"candidates": [{"content": {"role": "model", "parts": [{"text": p}]}}],
                "usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": i + 1, "totalTokenCount": 101 + i}})
           for i, p in enumerate(pieces)]
    out.append(sse({"candidates": [{"content": {"role": "model", "parts": [{"text": ""}]}, "finishReason": "STOP"}]}))
    return b"".join(out), "text/event-stream"


def ollama_stream(pieces):
    out = [json.dumps({"model": "bench", "message": {"role": "assistant", "content": p}, "done": False}).encode() + b"\n" for p in pieces]
    out.append(json.dumps({"model": "bench", "message": {"role": "assistant", "content": ""}, "done": True,
                           "done_reason": "stop", "prompt_eval_count": 100, "eval_count": len(pieces)}).encode() + b"\n")
    return b"".join(out), "application/x-ndjson"


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
        keep = self.path.endswith("/files") or self.path.endswith("/batches")
        body, remaining = [], length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            if keep:
                body.append(chunk)
        if keep:
            return self._batch_api(length, b"".join(body))
        if self.limit and not self._admit():
            return
        if self.delay:
            time.sleep(self.delay)
        accept = self.headers.get("Accept", "")
        self._answer(accept in ("text/event-stream", "application/x-ndjson") or "alt=sse" in self.path)

    def _json(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _batch_api(self, length, body):
        """Enough of OpenAI's Batch API for a whole `vq batch --provider-batch` run: upload (the custom_ids are kept),
        create, a status that is `completed` at once, the output file, deletes."""
        store = self.batch_store
        with store["lock"]:
            store["count"] += 1
            if self.path.endswith("/files"):
                fid = "file-%d" % store["count"]
                store["files"][fid] = re.findall(rb'"custom_id":"(vq-[0-9a-z]+-[0-9]+)"', body)
                return self._json({"id": fid, "object": "file", "purpose": "batch", "bytes": length, "created_at": int(time.time())})
            request = json.loads(body or b"{}")
            bid = "batch_%d" % store["count"]
            store["batches"][bid] = request.get("input_file_id")
        return self._json({"id": bid, "object": "batch", "status": "validating", "input_file_id": request.get("input_file_id")})

    def do_DELETE(self):
        with self.batch_store["lock"]:
            self.batch_store["files"].pop(self.path.rsplit("/", 1)[-1], None)
            self.batch_store["deleted"] += 1
        self._json({"id": self.path.rsplit("/", 1)[-1], "object": "file", "deleted": True})

    def do_GET(self):
        """`GET /batches?limit=100`: no earlier batch; `GET /batches/ID`: completed; `GET /files/ID/content`: its output."""
        store = self.batch_store
        path = self.path.split("?")[0]
        if "/batches/" in path:
            bid = path.rsplit("/", 1)[-1]
            with store["lock"]:
                ids = store["files"].get(store["batches"].get(bid), [])
            return self._json({"id": bid, "object": "batch", "status": "completed", "output_file_id": "out-" + bid,
                               "error_file_id": None, "request_counts": {"total": len(ids), "completed": len(ids), "failed": 0}})
        if path.endswith("/content"):
            bid = path.split("/")[-2][len("out-"):]
            with store["lock"]:
                ids = store["files"].get(store["batches"].get(bid), [])
            lines = []
            for cid in ids:
                lines.append(json.dumps({"custom_id": cid.decode(), "error": None, "response": {"status_code": 200, "body": {
                    "id": "b", "object": "chat.completion", "model": "bench", "usage": USAGE, "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": "A test image."}, "finish_reason": "stop"}]}}}))
            data = ("\n".join(lines) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self._json({"object": "list", "data": [], "has_more": False})

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


    def _answer(self, stream):
        text = "A test image."
        events = int(self.headers.get("X-Bench-Events", "0"))
        pieces = ["w%d " % i for i in range(events)] if events else [text]
        path = self.path
        if stream:
            if path.endswith("/responses"):
                body, content_type = responses_stream(pieces)
            elif path.endswith("/messages"):
                body, content_type = anthropic_stream(pieces)
            elif ":streamGenerateContent" in path:
                body, content_type = gemini_stream(pieces)
            elif path.endswith("/api/chat"):
                body, content_type = ollama_stream(pieces)
            elif self.headers.get("X-Bench-Shape") == "real":
                body, content_type = openai_real_stream(pieces)
            else:
                body, content_type = openai_stream(pieces)
        else:
            body = json.dumps({"id": "b", "object": "chat.completion", "model": "bench", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": USAGE}).encode()
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
    store = {"lock": threading.Lock(), "count": 0, "files": {}, "batches": {}, "deleted": 0}
    handler = type("BenchHandler", (Handler,), {"delay": delay_seconds, "limit": limit, "limit_state": state,
                                                  "retry_after": retry_after, "batch_store": store})
    server_class = type("BenchServer", (ThreadingHTTPServer,), {"request_queue_size": 256})  # batch benches open many connections at once
    server = server_class(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.limit_state = state
    server.batch_store = store
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/v1" % server.server_address[1]
