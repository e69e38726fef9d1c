"""A fake LLM server for tests and benchmarks, on 127.0.0.1 only.

It speaks the two HTTP APIs the official libraries use: OpenAI's ``POST /v1/chat/completions``
(``Authorization: Bearer …``; also what Ollama, llama.cpp's server, vLLM and LM Studio offer) and
Anthropic's ``POST /v1/messages`` (``x-api-key`` or a bearer token; the answer comes back as the forced tool call).

The "model" reads the JSON document transkit sends as the user message and translates every form of
every entry by a deterministic rule: words outside the opaque tokens are upper-cased, glossary terms
are replaced by their target term, tokens and entities are kept. Usage is reported like the real
APIs do (input/prompt tokens ~ request bytes / 4, output tokens ~ answer bytes / 4).

It can be told to misbehave (``LLMFaults``): damage tokens, omit an id or a plural form, add keys,
answer malformed or truncated JSON, 429 N times, 5xx N times, stall, refuse every key, run out of
quota, or — ``gullible`` — obey an instruction hidden in a source string, as a naive model might.
It can also behave like a local OpenAI-compatible server (Ollama, llama.cpp, LM Studio): refuse some
``response_format`` types, send no ``usage``, know only some models (404 as Ollama words it, listed
at ``GET /v1/models``), take long over the first request (a model loading). Routes are only under
``/v1`` (a ``base_url`` without it meets a plain-text 404, as Ollama answers).
Every request is recorded (``state.requests``) so tests can assert what was sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Distinctive, so a test can prove it never shows up in output, files or exceptions.
TEST_KEY = "sk-test-7f3a9c-llm-secret-0042"
TOKEN_RE = re.compile(r"<x\s+id=\"\d+\"\s*/>|<g\s+id=\"\d+\">|</g>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);")
_X_RE = re.compile(r"<x\s+id=\"(\d+)\"\s*/>")


@dataclass
class LLMFaults:
    """What the server should do wrong. Counters count down as faults are served."""

    fail_429: int = 0
    fail_5xx: int = 0
    status_5xx: int = 503
    stall: int = 0  # hold the next N requests for stall_seconds, then drop the connection
    stall_seconds: float = 5.0
    latency: float = 0.0  # seconds added to every completion request
    refuse_keys: bool = False  # 401 for every key, even the valid one
    quota_after: int | None = None  # after N answered requests, OpenAI: 429 insufficient_quota;
    #                                  Anthropic: 400 credit balance too low
    # damage to the answer of entries whose source contains ``damage_match`` (None: every entry)
    damage: str | None = None  # drop_token | duplicate_token | rename_token | omit_id | omit_form |
    #                            extra_key | extra_top_key | malformed | truncated | prose
    damage_match: str | None = None
    gullible: bool = False  # obey "ignore previous instructions" found in a source string
    # the model's own output limit in tokens (~4 bytes each; the request's max_tokens counts too): a
    # longer answer stops there, mid-JSON, with finish_reason "length" / stop_reason "max_tokens"
    output_limit: int | None = None
    cut_unannounced: bool = False  # …and the server says "stop" all the same (the JSON just ends)
    # -- what local OpenAI-compatible servers do
    refuse_formats: tuple[str, ...] = ()  # response_format types answered 400 (json_schema, json_object)
    keyless: bool = False  # any key, or none, is fine (Ollama, llama.cpp and LM Studio ignore it)
    omit_usage: bool = False  # no "usage" in the answer
    models: tuple[str, ...] | None = None  # the models the server has (None: any name is served)
    # Ollama's context window (num_ctx): a longer request is cut from its start, so the model answers
    # only the entries it still sees, and the usage counts the window
    context_window: int | None = None
    first_latency: float = 0.0  # the next completion request takes this long (loading the model), once


@dataclass
class RecordedRequest:
    api: str  # openai | anthropic
    path: str
    body: dict
    status: int = 0
    payload: dict | None = None  # the JSON document transkit sent as the user message
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def entry_ids(self) -> list[str]:
        return [str(e.get("id")) for e in (self.payload or {}).get("entries", [])]


@dataclass
class ServerState:
    valid_keys: set[str]
    faults: LLMFaults = field(default_factory=LLMFaults)
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def completions(self, status: int | None = None) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if status is None or r.status == status]

    def sources_sent(self, status: int | None = 200) -> list[str]:
        """Every form's source text of every request (answered ``status``), in arrival order."""
        return [form["source"] for r in self.completions(status) for entry in (r.payload or {}).get("entries", [])
                for form in entry.get("forms", [])]

    @property
    def tokens_used(self) -> tuple[int, int]:
        done = self.completions(200)
        return sum(r.input_tokens for r in done), sum(r.output_tokens for r in done)


def fake_translate(text: str, glossary: list[dict]) -> str:
    """Upper-case the words outside tokens and entities; glossary terms become their target."""
    terms = {g["source"].lower(): g["target"] for g in glossary or [] if g.get("source")}
    term_re = (re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b",
                          re.I) if terms else None)
    output = []
    for piece in re.split(f"({TOKEN_RE.pattern})", text):
        if TOKEN_RE.fullmatch(piece or " "):
            output.append(piece)
        elif term_re is None:
            output.append(piece.upper())
        else:
            output.append("".join(terms[p.lower()] if i % 2 else p.upper()
                                  for i, p in enumerate(term_re.split(piece))))
    return "".join(output)


def _damage_form(text: str, how: str) -> str:
    tokens = _X_RE.findall(text)
    if not tokens:
        return text
    first = f'<x id="{tokens[0]}"/>'
    if how == "drop_token":
        return text.replace(first, "", 1)
    if how == "duplicate_token":
        return text.replace(first, first + " " + first, 1)
    if how == "rename_token":
        return text.replace(first, "@@PH1@@", 1)
    return text


def answer_for(payload: dict, faults: LLMFaults, max_tokens: int | None = None) -> tuple[str, bool]:
    """The model's answer text for transkit's JSON document, and whether it was cut off (at
    ``faults.output_limit`` or the request's ``max_tokens``, whichever is lower)."""
    glossary_by_entry = {}
    translations = []
    obeyed = None
    for entry in payload.get("entries", []):
        glossary_by_entry[entry["id"]] = entry.get("glossary", [])
        sources = [form["source"] for form in entry.get("forms", [])]
        if faults.gullible and any("ignore previous instructions" in s.lower() for s in sources):
            obeyed = entry["id"]
        hit = faults.damage and (faults.damage_match is None or any(faults.damage_match in s for s in sources))
        if hit and faults.damage == "omit_id":
            continue
        forms = [fake_translate(s, entry.get("glossary", [])) for s in sources]
        if hit and faults.damage in ("drop_token", "duplicate_token", "rename_token"):
            forms = [_damage_form(f, faults.damage) for f in forms]
        if hit and faults.damage == "omit_form" and len(forms) > 1:
            forms = forms[:-1]
        item = {"id": entry["id"], "forms": forms}
        if hit and faults.damage == "extra_key":
            item["note"] = "I also improved the wording."
        translations.append(item)
    if obeyed is not None:
        # a naive model doing what the string said: drop everything else, answer something else
        translations = [{"id": obeyed, "forms": ["PWNED"]}]
    document = {"translations": translations}
    if faults.damage == "extra_top_key" and faults.damage_match is None:
        document["comment"] = "Here are your translations!"
    text = json.dumps(document, ensure_ascii=False)
    matched_batch = faults.damage_match is None or any(
        faults.damage_match in form["source"] for e in payload.get("entries", []) for form in e.get("forms", []))
    if faults.damage == "malformed" and matched_batch:
        return text.replace('"translations":', "translations:", 1), False
    if faults.damage == "truncated" and matched_batch:
        return text[: max(len(text) // 2, 1)], True
    if faults.damage == "prose" and matched_batch:
        return "Sure! Here are the translations:\n```json\n" + text + "\n```", False
    limit = min((n for n in (faults.output_limit, max_tokens) if n), default=None)
    encoded = text.encode()
    if limit is not None and len(encoded) // 4 > limit:
        return encoded[: limit * 4].decode(errors="ignore"), True
    return text, False


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self) -> None:
        data = b"404 page not found"  # what Ollama answers off its routes, as plain text
        self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.split("?")[0].rstrip("/") == "/v1/models":
            names = self.server.state.faults.models or ("fake-model",)
            return self._send(200, {"object": "list", "data": [{"id": n, "object": "model"} for n in names]})
        return self._not_found()

    def do_POST(self):
        state, faults = self.server.state, self.server.state.faults
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0].rstrip("/")
        api = {"/v1/messages": "anthropic", "/v1/chat/completions": "openai"}.get(path, "")
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._send(400, {"error": {"message": "body is not JSON"}})
        record = RecordedRequest(api, path, body)
        with state.lock:
            state.requests.append(record)
        if not api:
            record.status = 404
            return self._not_found()
        # Anthropic's API takes x-api-key; its newer libraries send a bearer token instead
        key = (self.headers.get("x-api-key") if api == "anthropic" else None) \
            or self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if faults.refuse_keys or (key not in state.valid_keys and not faults.keyless):
            record.status = 401
            return self._error(api, 401, "authentication_error", "invalid x-api-key" if api == "anthropic"
                               else "Incorrect API key provided")
        if faults.latency:
            time.sleep(faults.latency)
        with state.lock:  # the model loads once: only the first request waits for it
            loading, faults.first_latency = faults.first_latency, 0.0
        if loading:
            state.stopping.wait(loading)
        model = body.get("model", "fake-model")
        if api == "openai" and faults.models is not None and model not in faults.models:
            record.status = 404
            return self._send(404, {"error": {"message": f'model "{model}" not found, try pulling it first',
                                              "type": "api_error", "param": None, "code": None}})
        asked_format = (body.get("response_format") or {}).get("type") if api == "openai" else None
        if asked_format in faults.refuse_formats:
            record.status = 400
            if asked_format == "json_object":  # LM Studio's words (its error is a bare string)
                return self._send(400, {"error": "'response_format.type' must be 'json_schema' or 'text'"})
            return self._send(400, {"error": {"message": f"response_format type {asked_format} is not supported",
                                              "type": "invalid_request_error", "param": "response_format",
                                              "code": None}})
        with state.lock:
            fault = None
            if faults.fail_429 > 0:
                faults.fail_429, fault = faults.fail_429 - 1, 429
            elif faults.fail_5xx > 0:
                faults.fail_5xx, fault = faults.fail_5xx - 1, faults.status_5xx
            elif faults.stall > 0:
                faults.stall, fault = faults.stall - 1, "stall"
        if fault == "stall":
            record.status = -1
            state.stopping.wait(faults.stall_seconds)
            self.close_connection = True
            return None
        if fault == 429:
            record.status = 429
            return self._error(api, 429, "rate_limit_error", "Rate limit reached", {"retry-after": "0"})
        if fault is not None:
            record.status = fault
            return self._error(api, fault, "overloaded_error" if api == "anthropic" else "server_error",
                               "The server had an error")
        with state.lock:
            answered = sum(1 for r in state.requests if r.status == 200)
        if faults.quota_after is not None and answered >= faults.quota_after:
            if api == "openai":
                record.status = 429
                return self._send(429, {"error": {"message": "You exceeded your current quota",
                                                  "type": "insufficient_quota", "code": "insufficient_quota"}})
            record.status = 400
            return self._error(api, 400, "invalid_request_error",
                               "Your credit balance is too low to access the Anthropic API.")
        user_text = self._user_text(api, body)
        try:
            payload = json.loads(user_text)
        except ValueError:
            record.status = 400
            return self._error(api, 400, "invalid_request_error", "the fake model only reads transkit's JSON")
        record.payload = payload
        seen = payload
        if faults.context_window is not None and len(raw) // 4 > faults.context_window:
            excess = len(raw) - faults.context_window * 4
            kept = list(payload.get("entries", []))
            while kept and excess > 0:  # the first entries are cut, as they sit in the request (escaped)
                excess -= len(json.dumps(json.dumps(kept.pop(0), ensure_ascii=False)).encode())
            seen = {**payload, "entries": kept}
        answer, truncated = answer_for(seen, faults,
                                       body.get("max_completion_tokens") or body.get("max_tokens"))
        announced = truncated and not faults.cut_unannounced
        record.input_tokens = max(1, len(raw) // 4)
        if faults.context_window is not None:
            record.input_tokens = min(record.input_tokens, faults.context_window)
        record.output_tokens = max(1, len(answer.encode()) // 4)
        record.status = 200
        if api == "openai":
            reply = {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                             "finish_reason": "length" if announced else "stop"}],
                "usage": {"prompt_tokens": record.input_tokens, "completion_tokens": record.output_tokens,
                          "total_tokens": record.input_tokens + record.output_tokens}}
            if faults.omit_usage:
                del reply["usage"]
            return self._send(200, reply)
        if body.get("tools") and not truncated and faults.damage not in ("malformed", "prose"):
            content = [{"type": "tool_use", "id": "toolu_fake", "name": body["tools"][0]["name"],
                        "input": json.loads(answer)}]
        else:  # what a model does when it writes the JSON as text (or runs out of tokens)
            content = [{"type": "text", "text": answer}]
        return self._send(200, {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": content,
            "stop_reason": "max_tokens" if announced else ("tool_use" if content[0]["type"] == "tool_use"
                                                           else "end_turn"),
            "stop_sequence": None,
            "usage": {"input_tokens": record.input_tokens, "output_tokens": record.output_tokens}})

    @staticmethod
    def _user_text(api: str, body: dict) -> str:
        for message in reversed(body.get("messages", [])):
            if message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "".join(part.get("text", "") for part in content or [] if isinstance(part, dict))
        return ""

    def _error(self, api: str, status: int, kind: str, message: str, headers: dict | None = None) -> None:
        if api == "anthropic":
            return self._send(status, {"type": "error", "error": {"type": kind, "message": message}}, headers)
        return self._send(status, {"error": {"message": message, "type": kind, "code": None}}, headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState


class FakeLLMServer:
    """``with FakeLLMServer() as server: ... server.openai_url / server.anthropic_url ...``."""

    def __init__(self, valid_keys: set[str] | None = None, faults: LLMFaults | None = None):
        self.state = ServerState(valid_keys=set(valid_keys or {TEST_KEY}), faults=faults or LLMFaults())
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = self.state
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-llm", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_url(self) -> str:
        """What ``openai.OpenAI(base_url=...)`` takes (Ollama's is http://localhost:11434/v1)."""
        return self.url + "/v1"

    @property
    def anthropic_url(self) -> str:
        return self.url

    @property
    def faults(self) -> LLMFaults:
        return self.state.faults

    def start(self) -> "FakeLLMServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeLLMServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


if __name__ == "__main__":  # a person can point a real `transkit fill` at it
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    with FakeLLMServer() as server:
        server.faults.latency = args.latency
        print(f"OpenAI-compatible: {server.openai_url}  Anthropic: {server.anthropic_url}  key: {TEST_KEY}",
              flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
