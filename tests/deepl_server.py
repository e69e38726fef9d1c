"""A DeepL-compatible HTTP server for tests and benchmarks, on 127.0.0.1 only.

It speaks the parts of the DeepL API v2 the ``deepl`` library uses for text: ``/v2/translate``,
``/v2/usage``, ``/v2/languages``, ``/v2/glossary-language-pairs`` and ``/v2/glossaries``. Its
"translation" is deterministic: words outside tags are upper-cased, glossary terms are replaced by
their target term, tags and entities are kept. It enforces DeepL's limits (50 texts, 128 KiB body,
formality only where supported, well-formed XML with ``tag_handling="xml"``) and can be told to
misbehave (see ``ServerFaults``). It counts characters received and billed and records every request.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

# Looks like a Free key; distinctive, so a test can prove it never shows up anywhere.
TEST_KEY = "7a1c9e2f-secret-test-key-0042:fx"

TARGET_LANGUAGES = {
    # code: supports formality
    "AR": False, "BG": False, "CS": False, "DA": False, "DE": True, "EL": False, "EN-GB": False,
    "EN-US": False, "ES": True, "ES-419": True, "ET": False, "FI": False, "FR": True, "HE": False,
    "HU": False, "ID": False, "IT": True, "JA": True, "KO": False, "LT": False, "LV": False,
    "NB": False, "NL": True, "PL": True, "PT-BR": True, "PT-PT": True, "RO": False, "RU": True,
    "SK": False, "SL": False, "SV": False, "TH": False, "TR": False, "UK": False, "VI": False,
    "ZH-HANS": False, "ZH-HANT": False,
}
SOURCE_LANGUAGES = sorted({code.split("-")[0] for code in TARGET_LANGUAGES} | {"EN", "PT", "ZH"})
MAX_TEXTS = 50
MAX_BODY_BYTES = 128 * 1024
_MARKUP_RE = re.compile(r"(<[^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);)")
_X_TOKEN_RE = re.compile(r"<x\b[^<>]*/>")


@dataclass
class ServerFaults:
    """What the server should do wrong. Counters count down as faults are served."""

    healthy: int = 0  # serve the next N translate requests normally before any fault below
    fail_429: int = 0  # answer the next N translate requests with 429
    fail_5xx: int = 0  # answer the next N translate requests with status_5xx
    status_5xx: int = 503
    stall: int = 0  # hold the next N translate requests for stall_seconds, then drop them
    stall_seconds: float = 5.0
    quota_characters: int | None = None  # 456 once billed characters would pass this
    latency: float = 0.0  # seconds added to every translate request
    # answer translate requests only once the test sets this event (a server as slow as the test
    # needs, however loaded the machine); set by the server's stop too, at the latest after 60 s
    hold: threading.Event | None = None
    # what to do to the first placeholder token of an answer: "drop" it, "duplicate" it, "move" it
    # to the end, "swap"/"reorder" it with the second, "rename" it (to the second's id, or an
    # unknown one), or replace it by an "unknown" one
    tag_damage: str | None = None
    damage_match: str | None = None  # only damage texts containing this (None: every text with <x>)
    # the glossary endpoint: answer the next N glossary creations with glossary_status (503: a
    # server error; 456: the account's glossary quota is used up)
    glossary_fail: int = 0
    glossary_status: int = 503


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: dict
    status: int = 0
    billed_characters: int = 0
    size: int = 0  # body bytes


@dataclass
class Glossary:
    glossary_id: str
    name: str
    source_lang: str
    target_lang: str
    entries: dict[str, str]


@dataclass
class ServerState:
    valid_keys: set[str]
    faults: ServerFaults = field(default_factory=ServerFaults)
    characters_received: int = 0  # every translate request, failed ones included
    characters_billed: int = 0  # only requests answered 200
    requests: list[RecordedRequest] = field(default_factory=list)
    glossaries: dict[str, Glossary] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    stalled_now: int = 0  # requests the server is holding unanswered at this moment

    def translate_requests(self, status: int | None = None) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if r.path == "/v2/translate"
                    and (status is None or r.status == status)]

    def texts_translated(self) -> list[str]:
        """Every text of every request answered 200, in arrival order."""
        return [text for r in self.translate_requests(200) for text in r.body.get("text", [])]


def billable_length(text: str, xml: bool) -> int:
    """What DeepL bills: code points, tags excluded (an entity counts as one character)."""
    if not xml:
        return len(text)
    return sum(1 if piece.startswith("&") else 0 if piece.startswith("<") else len(piece)
               for piece in _MARKUP_RE.split(text) if piece)


def fake_translate(text: str, glossary: Glossary | None, xml: bool) -> str:
    """Upper-case the words, swap in glossary terms, leave tags and entities alone."""
    pieces = _MARKUP_RE.split(text) if xml else [text]
    output = []
    for piece in pieces:
        if xml and _MARKUP_RE.fullmatch(piece or " "):
            output.append(piece)
            continue
        if glossary and glossary.entries:
            terms = sorted(glossary.entries, key=len, reverse=True)
            term_re = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b")
            parts = term_re.split(piece)
            output.append("".join(glossary.entries[p] if i % 2 else p.upper()
                                  for i, p in enumerate(parts)))
        else:
            output.append(piece.upper())
    return "".join(output)


def damage_tags(text: str, how: str) -> str:
    tokens = _X_TOKEN_RE.findall(text)
    if not tokens:
        return text
    first = tokens[0]
    if how == "drop":
        return text.replace(first, "", 1)
    if how == "duplicate":
        return text.replace(first, first + " " + first, 1)
    if how == "move":
        return text.replace(first, "", 1) + " " + first
    if how == "rename":
        ids = re.findall(r'id="([^"]*)"', " ".join(tokens))
        new_id = ids[1] if len(ids) >= 2 else f"{ids[0]}0"
        return text.replace(first, re.sub(r'id="[^"]*"', f'id="{new_id}"', first), 1)
    if how in ("swap", "reorder") and len(tokens) >= 2:
        second = tokens[1]
        return text.replace(first, "\0", 1).replace(second, first, 1).replace("\0", second, 1)
    if how == "unknown":
        return text.replace(first, '<x id="999"/>', 1)
    return text


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep test output clean
        pass

    # -- plumbing ------------------------------------------------------------------------------
    def _read_body(self) -> tuple[dict, int]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: dict = {}
        content_type = self.headers.get("Content-Type", "")
        if raw and "json" in content_type:
            body = json.loads(raw.decode("utf-8"))
        elif raw:
            for key, values in urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True).items():
                body[key] = values if key in ("text", "ignore_tags", "non_splitting_tags") else values[0]
        query = urllib.parse.urlparse(self.path).query
        for key, values in urllib.parse.parse_qs(query).items():
            body.setdefault(key, values[0])
        return body, len(raw)

    def _send(self, status: int, payload=None, content_type="application/json") -> None:
        data = b""
        if payload is not None:
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        state = self.server.state
        path = urllib.parse.urlparse(self.path).path
        body, size = self._read_body()
        record = RecordedRequest(method, path, body, size=size)
        with state.lock:
            state.requests.append(record)
        key = self.headers.get("Authorization", "").removeprefix("DeepL-Auth-Key ")
        if key not in state.valid_keys:
            record.status = 403
            return self._send(403, {"message": "Invalid authentication key"})
        if path == "/v2/translate" and method == "POST":
            return self._translate(body, size, record)
        if path == "/v2/usage":
            record.status = 200
            limit = state.faults.quota_characters or 500_000
            return self._send(200, {"character_count": state.characters_billed, "character_limit": limit})
        if path == "/v2/languages":
            record.status = 200
            if body.get("type") == "target":
                return self._send(200, [{"language": code, "name": code, "supports_formality": formal}
                                        for code, formal in TARGET_LANGUAGES.items()])
            return self._send(200, [{"language": code, "name": code} for code in SOURCE_LANGUAGES])
        if path == "/v2/glossary-language-pairs":
            record.status = 200
            pairs = [{"source_lang": "en", "target_lang": t.split("-")[0].lower()} for t in TARGET_LANGUAGES]
            return self._send(200, {"supported_languages": pairs})
        if path.startswith("/v2/glossaries"):
            return self._glossaries(method, path, body, record)
        record.status = 404
        return self._send(404, {"message": "Not found"})

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    # -- endpoints -----------------------------------------------------------------------------
    def _translate(self, body: dict, size: int, record: RecordedRequest) -> None:
        state, faults = self.server.state, self.server.state.faults
        texts = body.get("text")
        if isinstance(texts, str):
            texts = [texts]
        xml = body.get("tag_handling") == "xml"
        if faults.latency:
            time.sleep(faults.latency)
        if faults.hold is not None:
            deadline = time.monotonic() + 60
            while not faults.hold.wait(0.05) and not state.stopping.is_set() and time.monotonic() < deadline:
                pass
        if size > MAX_BODY_BYTES:
            record.status = 413
            return self._send(413, {"message": "Request Entity Too Large"})
        if not texts:
            record.status = 400
            return self._send(400, {"message": "Parameter 'text' not specified."})
        requested = sum(billable_length(t, xml) for t in texts)
        with state.lock:
            state.characters_received += requested
            fault = None
            if faults.healthy > 0:
                faults.healthy -= 1
                state.characters_billed += requested
            elif faults.fail_429 > 0:
                faults.fail_429 -= 1
                fault = 429
            elif faults.fail_5xx > 0:
                faults.fail_5xx -= 1
                fault = faults.status_5xx
            elif faults.stall > 0:
                faults.stall -= 1
                fault = "stall"
            elif (faults.quota_characters is not None
                  and state.characters_billed + requested > faults.quota_characters):
                fault = 456
            else:  # reserve under the lock, so concurrent requests cannot both slip under the quota
                state.characters_billed += requested
        if fault == "stall":
            # hold the connection past the client's timeout, then drop it unanswered (not billed)
            record.status = -1
            with state.lock:
                state.stalled_now += 1
            try:
                state.stopping.wait(faults.stall_seconds)
            finally:
                with state.lock:
                    state.stalled_now -= 1
            self.close_connection = True
            return None
        if fault is not None:
            record.status = fault
            messages = {429: "Too many requests", 456: "Quota exceeded"}
            return self._send(fault, {"message": messages.get(fault, "Internal error")})
        error = self._validate(body, texts, xml)
        if error:
            with state.lock:
                state.characters_billed -= requested
            record.status = error[0]
            return self._send(error[0], {"message": error[1]})
        glossary = state.glossaries.get(body.get("glossary_id") or "")
        translations = []
        for text in texts:
            translated = fake_translate(text, glossary, xml)
            if faults.tag_damage and (faults.damage_match is None or faults.damage_match in text):
                translated = damage_tags(translated, faults.tag_damage)
            translations.append({
                "detected_source_language": body.get("source_lang") or "EN",
                "text": translated,
                "billed_characters": billable_length(text, xml),
            })
        record.status, record.billed_characters = 200, requested
        return self._send(200, {"translations": translations})

    def _validate(self, body: dict, texts: list[str], xml: bool) -> tuple[int, str] | None:
        target = str(body.get("target_lang", "")).upper()
        if len(texts) > MAX_TEXTS:
            return 400, f"Too many texts: {len(texts)} > {MAX_TEXTS}"
        if target not in TARGET_LANGUAGES:
            return 400, f"Value for 'target_lang' not supported: {target!r}"
        formality = body.get("formality")
        if formality in ("more", "less") and not TARGET_LANGUAGES[target]:
            return 400, f"Target language '{target}' doesn't support formality"
        glossary_id = body.get("glossary_id")
        if glossary_id:
            glossary = self.server.state.glossaries.get(glossary_id)
            if glossary is None:
                return 404, "Glossary not found"
            if glossary.target_lang.upper() != target.split("-")[0] or not body.get("source_lang"):
                return 400, "Glossary does not match the language pair"
        if xml:
            for text in texts:
                try:
                    ElementTree.fromstring(f"<transkit-root>{text}</transkit-root>")
                except ElementTree.ParseError:
                    return 400, "Tag handling parsing failed, please check input tags"
        return None

    def _glossaries(self, method: str, path: str, body: dict, record: RecordedRequest) -> None:
        state = self.server.state
        parts = path.strip("/").split("/")  # v2, glossaries, [id], [entries]
        record.status = 200
        if method == "POST" and len(parts) == 2:
            with state.lock:
                failing = state.faults.glossary_fail > 0
                if failing:
                    state.faults.glossary_fail -= 1
            if failing:
                status = state.faults.glossary_status
                record.status = status
                return self._send(status, {"message": "Quota exceeded" if status == 456 else "Internal error"})
            separator = "\t" if body.get("entries_format") == "tsv" else ","
            entries = dict(line.split(separator, 1) for line in body["entries"].splitlines() if line)
            glossary = Glossary(f"glossary-{next(self.server.ids)}", body["name"],
                                body["source_lang"].upper(), body["target_lang"].upper(), entries)
            with state.lock:
                state.glossaries[glossary.glossary_id] = glossary
            record.status = 201
            return self._send(201, self._glossary_json(glossary))
        if method == "GET" and len(parts) == 2:
            return self._send(200, {"glossaries": [self._glossary_json(g) for g in state.glossaries.values()]})
        glossary = state.glossaries.get(parts[2]) if len(parts) > 2 else None
        if glossary is None:
            record.status = 404
            return self._send(404, {"message": "Glossary not found"})
        if method == "DELETE":
            with state.lock:
                del state.glossaries[glossary.glossary_id]
            record.status = 204
            return self._send(204)
        if len(parts) == 4 and parts[3] == "entries":
            tsv = "\n".join(f"{s}\t{t}" for s, t in glossary.entries.items())
            return self._send(200, tsv, content_type="text/tab-separated-values")
        return self._send(200, self._glossary_json(glossary))

    @staticmethod
    def _glossary_json(glossary: Glossary) -> dict:
        return {"glossary_id": glossary.glossary_id, "name": glossary.name, "ready": True,
                "source_lang": glossary.source_lang.lower(), "target_lang": glossary.target_lang.lower(),
                "creation_time": "2024-01-01T00:00:00.000000+00:00", "entry_count": len(glossary.entries)}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState
    ids: itertools.count


class FakeDeepLServer:
    """``with FakeDeepLServer(valid_keys={"k"}) as server: ... server.url ... server.state``."""

    def __init__(self, valid_keys: set[str] | None = None, faults: ServerFaults | None = None):
        self.state = ServerState(valid_keys=set(valid_keys or {TEST_KEY}), faults=faults or ServerFaults())
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = self.state
        self._httpd.ids = itertools.count(1)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-deepl", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def faults(self) -> ServerFaults:
        return self.state.faults

    def start(self) -> "FakeDeepLServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeDeepLServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


if __name__ == "__main__":  # a person can point a real `transkit fill` at it (DEEPL_SERVER_URL)
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every translate request")
    parser.add_argument("--quota", type=int, default=None, help="answer 456 once this many characters are billed")
    args = parser.parse_args()
    with FakeDeepLServer() as server:
        server.faults.latency = args.latency
        server.faults.quota_characters = args.quota
        print(f"DEEPL_SERVER_URL={server.url} DEEPL_AUTH_KEY={TEST_KEY}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
