"""Demo catalog wording: product phrases per vertical in our seven languages (a data file), and templates."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LOCALES = ("en", "zh", "es", "ru", "pt", "fr", "ar")


@cache
def _phrases() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("app").joinpath("data/catalog_phrases.json").read_text()
    )
    return data


def _by_locale(words: list[str]) -> dict[str, str]:
    return dict(zip(LOCALES, words, strict=True))


@cache
def phrases(slug: str) -> tuple[dict[str, str], ...]:
    """The product phrases of a vertical (by slug) in every language, or a generic one.

    Cached: the seed asks once per product, and callers only read them."""
    found = _phrases()["phrases"].get(slug) or [_phrases()["generic"]]
    return tuple(_by_locale(words) for words in found)


# {phrase}, {place}, {moq}, {days}: one sentence per language.
DESCRIPTIONS: dict[str, str] = {
    "en": "{phrase} made in {place}. Minimum order {moq} pieces, ships in {days} days. "
    "OEM and custom logos welcome.",
    "zh": "{phrase}，产地{place}。起订量{moq}件，{days}天内发货。支持OEM和定制标志。",
    "es": "{phrase} fabricado en {place}. Pedido mínimo {moq} unidades, envío en {days} días. "
    "Aceptamos OEM y logotipos.",
    "ru": "{phrase}, производство: {place}. Минимальный заказ {moq} шт., отгрузка за {days} дн. "
    "Возможен OEM и логотип.",
    "pt": "{phrase} fabricado em {place}. Pedido mínimo de {moq} peças, envio em {days} dias. "
    "Aceitamos OEM e logotipos.",
    "fr": "{phrase} fabriqué à {place}. Commande minimum {moq} pièces, expédition sous {days} jours. "
    "OEM et logos acceptés.",
    "ar": "{phrase} مصنوع في {place}. الحد الأدنى للطلب {moq} قطعة، الشحن خلال {days} يومًا. "
    "نقبل OEM والشعارات.",
}

MATERIALS = ("Steel", "Aluminium", "ABS plastic", "Cotton", "Oak wood", "Copper", "Silicone", "Polyester")
COLORS = ("Black", "White", "Grey", "Blue", "Red", "Natural", "Custom")
CERTIFICATES = (
    ("PRODUCT", "CE"),
    ("PRODUCT", "RoHS"),
    ("PRODUCT", "FCC"),
    ("PRODUCT", "UL"),
    ("MANAGEMENT", "ISO 9001"),
    ("MANAGEMENT", "BSCI"),
    ("MANAGEMENT", "ISO 14001"),
    ("PATENT", "Utility model patent"),
    ("PATENT", "Design patent"),
    ("TRADEMARK", "Registered trademark"),
)
COMPANY_WORDS = (
    "Bright",
    "Golden",
    "Ever",
    "Sun",
    "Hua",
    "Jin",
    "Tian",
    "Fortune",
    "Star",
    "Ocean",
    "Rich",
    "Wise",
)
COMPANY_KINDS = ("Industrial", "Technology", "Trading", "Manufacturing", "Import & Export", "Home Products")
