"""Translating posts through a pluggable HTTP service: LibreTranslate or DeepL, chosen by settings.

TRANSLATION_SERVICE picks the client ("" = none: no Translate links are shown). The Markdown source is
translated as plain text and rendered again through blog.markdown, so a translation is sanitised exactly
like the original. Translations are cached per post version and target language.
"""

import json
import logging
import socket
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache

from blog.markdown import render_markdown

logger = logging.getLogger(__name__)


class TranslationError(Exception):
    """The service failed, timed out or answered something unusable."""


class TranslationTimeout(TranslationError):
    pass


class Client:
    name = ""

    def __init__(self, *, url, api_key, timeout):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text, *, source, target):
        raise NotImplementedError

    def _post_json(self, path, payload, headers=None):
        request = urllib.request.Request(  # noqa: S310 - the address is the operator's setting, http(s) only
            f"{self.url}{path}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except TimeoutError as error:
            raise TranslationTimeout(f"{self.name} did not answer within {self.timeout} s") from error
        except urllib.error.HTTPError as error:
            raise TranslationError(f"{self.name} answered HTTP {error.code}") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise TranslationTimeout(f"{self.name} did not answer within {self.timeout} s") from error
            raise TranslationError(f"{self.name} could not be reached: {error.reason}") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise TranslationError(f"{self.name} answered something that is not JSON") from error


class LibreTranslate(Client):
    """https://libretranslate.com/docs: POST /translate {q, source, target, format, api_key}."""

    name = "LibreTranslate"

    def translate(self, text, *, source, target):
        payload = {"q": text, "source": source or "auto", "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._post_json("/translate", payload)
        if not isinstance(answer, dict) or not isinstance(answer.get("translatedText"), str):
            raise TranslationError(f"{self.name} answered without a translation: {str(answer)[:200]}")
        return answer["translatedText"]


class DeepL(Client):
    """https://developers.deepl.com/docs/api-reference/translate: POST /v2/translate."""

    name = "DeepL"
    TARGETS = {"en": "EN-US", "pt": "PT-PT"}

    def translate(self, text, *, source, target):
        payload = {"text": [text], "target_lang": self.TARGETS.get(target, target.upper())}
        if source:
            payload["source_lang"] = source.upper()
        answer = self._post_json(
            "/v2/translate", payload, {"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        )
        try:
            return answer["translations"][0]["text"]
        except (KeyError, IndexError, TypeError) as error:
            raise TranslationError(
                f"{self.name} answered without a translation: {str(answer)[:200]}"
            ) from error


CLIENTS = {"libretranslate": LibreTranslate, "deepl": DeepL}
DEFAULT_URLS = {"libretranslate": "http://localhost:5000", "deepl": "https://api-free.deepl.com"}


def client():
    """The configured client, or None when no service is configured."""
    service = settings.TRANSLATION_SERVICE
    if service not in CLIENTS:
        return None
    return CLIENTS[service](
        url=settings.TRANSLATION_URL or DEFAULT_URLS[service],
        api_key=settings.TRANSLATION_API_KEY,
        timeout=settings.TRANSLATION_TIMEOUT,
    )


def is_enabled():
    return settings.TRANSLATION_SERVICE in CLIENTS


def can_translate(post, language):
    """Offer a translation when the post's language is known and is not the reader's."""
    return is_enabled() and bool(post.language) and post.language != language


def translate_post(post, target):
    """The post translated into ``target`` as sanitised HTML (cached); raises TranslationError."""
    key = f"translation:{post.pk}:{post.updated.timestamp():.0f}:{target}"
    html = cache.get(key)
    if html is None:
        text = "\n\n".join(part for part in (post.title, post.body) if part)
        try:
            translated = client().translate(text, source=post.language, target=target)
        except TranslationError:
            logger.warning("Translation of post %s into %s failed", post.pk, target, exc_info=True)
            raise
        html = render_markdown(translated)
        cache.set(key, html, settings.TRANSLATION_CACHE_SECONDS)
    return html
