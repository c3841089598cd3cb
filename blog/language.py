"""Which language a post is written in, detected with lingua (its models ship inside the package).

High-accuracy mode, because posts can be short: low-accuracy mode took "Hola mundo. Me gusta correr por
el parque" for Portuguese. The models load on the first detection in a process (about a second) and then
take about 150 MB of memory in it. When the detector is unsure the answer is "" (unknown), and then no
Translate link is offered.
"""

import functools

from lingua import Language, LanguageDetectorBuilder

# The languages a post may be detected as; anything else comes out as unknown.
LANGUAGES = {
    "en": Language.ENGLISH,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "de": Language.GERMAN,
    "it": Language.ITALIAN,
    "pt": Language.PORTUGUESE,
}
CODES = {language: code for code, language in LANGUAGES.items()}
MINIMUM_LETTERS = 12


@functools.cache
def _detector():
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES.values())
        .with_minimum_relative_distance(0.05)
        .build()
    )


def detect_language(text):
    """An ISO 639-1 code such as "en" or "es", or "" when the text is too short or the detector unsure."""
    if sum(character.isalpha() for character in text or "") < MINIMUM_LETTERS:
        return ""
    language = _detector().detect_language_of(text)
    return CODES.get(language, "")
