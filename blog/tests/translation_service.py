"""A local HTTP server that speaks the LibreTranslate and DeepL protocols, for the translation tests.

Only services on the internet are stood in for; the site's own client talks to this over real HTTP."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DICTIONARY = {
    ("es", "en"): {
        "Hola mundo": "Hello world",
        "Me gusta correr por el parque": "I like running in the park",
        # With a no-break space, as services write before French-style punctuation.
        "Me gusta el té: ¿y a ti?": "I like tea\u00a0: and you?",
    },
    ("en", "es"): {"Hello world": "Hola mundo"},
}
DEEPL_KEY = "test-deepl-key"


class TranslationService(ThreadingHTTPServer):
    """``mode`` decides the next answers: "ok", "error" (HTTP 500), "slow" (sleeps), "garbage" (not JSON),
    "empty" (JSON without a translation)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


def translate(text, source, target):
    translated = DICTIONARY.get((source, target), {})
    return "\n\n".join(translated.get(part, f"[{target}] {part}") for part in text.split("\n\n"))


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - the name http.server calls
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "payload": payload, "headers": dict(self.headers)})
        mode = self.server.mode
        if mode == "slow":
            time.sleep(2)
        if mode == "error":
            return self._answer(500, {"error": "Internal error"})
        if mode == "garbage":
            return self._answer(200, "<html>nope</html>", raw=True)
        if self.path == "/translate":
            return self._libretranslate(payload, mode)
        if self.path == "/v2/translate":
            return self._deepl(payload, mode)
        return self._answer(404, {"error": "Not Found"})

    def _libretranslate(self, payload, mode):
        if mode == "empty":
            return self._answer(200, {"detectedLanguage": {"language": "es"}})
        return self._answer(
            200, {"translatedText": translate(payload["q"], payload["source"], payload["target"])}
        )

    def _deepl(self, payload, mode):
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {DEEPL_KEY}":
            return self._answer(403, {"message": "Authorization failure, check auth_key"})
        if mode == "empty":
            return self._answer(200, {"translations": []})
        source = payload.get("source_lang", "").lower()
        target = payload["target_lang"].split("-")[0].lower()
        texts = [translate(text, source, target) for text in payload["text"]]
        return self._answer(
            200, {"translations": [{"detected_source_language": source.upper(), "text": t} for t in texts]}
        )

    def _answer(self, status, body, raw=False):
        data = body.encode() if raw else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if raw else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout tests)
