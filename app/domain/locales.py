"""Locales: the languages we carry, and Accept-Language negotiation with quality values."""

from __future__ import annotations

SUPPORTED_LOCALES = ("en", "zh", "es", "ru", "pt", "fr", "ar")
DEFAULT_LOCALE = "en"


def negotiate(accept_language: str | None, supported: tuple[str, ...] = SUPPORTED_LOCALES) -> str:
    """The best supported language of an Accept-Language header, else English."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in supported and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


def normalize_locale(tag: str | None) -> str:
    """A BCP 47 tag reduced to the language we serve, English when we do not carry it."""
    if not tag:
        return DEFAULT_LOCALE
    language = tag.strip().lower().replace("_", "-").split("-")[0]
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


def pick_text(texts: dict[str, str], locale: str) -> str:
    """The text in the locale, else English, else any."""
    if locale in texts:
        return texts[locale]
    if DEFAULT_LOCALE in texts:
        return texts[DEFAULT_LOCALE]
    return next(iter(texts.values()), "")
