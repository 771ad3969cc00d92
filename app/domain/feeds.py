"""Feeds: the items a feed shows, why each one is there, and the localized reason texts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.locales import pick_text

SNAPSHOT_TTL_MS = 2 * 3600 * 1000
"""A feed cursor stays valid this long (the contract asks for at least an hour)."""


class ItemKind(StrEnum):
    PRODUCT = "product"
    ARTICLE = "article"
    SUPPLIER = "supplier"


class ReasonCode(StrEnum):
    INTEREST = "INTEREST"
    TRENDING = "TRENDING"
    RISING = "RISING"
    NEW = "NEW"
    EDITORIAL = "EDITORIAL"
    SAVED_SIMILAR = "SAVED_SIMILAR"
    EXPLORE = "EXPLORE"
    FOLLOWED = "FOLLOWED"
    """Shown to clients as NEW with its own text: a new product of a supplier the buyer follows."""


@dataclass(frozen=True)
class FeedItem:
    """One ranked entry of a feed snapshot: what it is, and why it was chosen."""

    kind: ItemKind
    key: str
    reason: ReasonCode


REASON_TEXTS: dict[ReasonCode, dict[str, str]] = {
    ReasonCode.INTEREST: {
        "en": "Because you browse this category",
        "zh": "因为您浏览过此类目",
        "es": "Porque exploras esta categoría",
        "ru": "Потому что вы смотрите эту категорию",
        "pt": "Porque você navega nesta categoria",
        "fr": "Parce que vous consultez cette catégorie",
        "ar": "لأنك تتصفح هذه الفئة",
    },
    ReasonCode.TRENDING: {
        "en": "Popular with buyers now",
        "zh": "买家正在关注",
        "es": "Popular entre compradores ahora",
        "ru": "Популярно у покупателей сейчас",
        "pt": "Popular entre compradores agora",
        "fr": "Populaire auprès des acheteurs en ce moment",
        "ar": "رائج بين المشترين الآن",
    },
    ReasonCode.RISING: {
        "en": "Rising fast",
        "zh": "热度快速上升",
        "es": "En rápido ascenso",
        "ru": "Быстро набирает популярность",
        "pt": "Em rápida ascensão",
        "fr": "En forte progression",
        "ar": "يصعد بسرعة",
    },
    ReasonCode.NEW: {
        "en": "New arrival",
        "zh": "新品上架",
        "es": "Novedad",
        "ru": "Новинка",
        "pt": "Novidade",
        "fr": "Nouveauté",
        "ar": "وصل حديثاً",
    },
    ReasonCode.EDITORIAL: {
        "en": "From our editors",
        "zh": "编辑推荐",
        "es": "De nuestros editores",
        "ru": "От наших редакторов",
        "pt": "Dos nossos editores",
        "fr": "De notre rédaction",
        "ar": "من محررينا",
    },
    ReasonCode.SAVED_SIMILAR: {
        "en": "Similar to what you saved",
        "zh": "与您收藏的相似",
        "es": "Similar a lo que guardaste",
        "ru": "Похоже на сохранённое вами",
        "pt": "Semelhante ao que você salvou",
        "fr": "Similaire à ce que vous avez enregistré",
        "ar": "مشابه لما حفظته",
    },
    ReasonCode.EXPLORE: {
        "en": "Something different to explore",
        "zh": "探索新类目",
        "es": "Algo distinto para explorar",
        "ru": "Что-то новое для вас",
        "pt": "Algo diferente para explorar",
        "fr": "Quelque chose de différent à découvrir",
        "ar": "شيء مختلف لتستكشفه",
    },
    ReasonCode.FOLLOWED: {
        "en": "New from a supplier you follow",
        "zh": "您关注的供应商上新",
        "es": "Novedad de un proveedor que sigues",
        "ru": "Новинка поставщика, на которого вы подписаны",
        "pt": "Novidade de um fornecedor que você segue",
        "fr": "Nouveauté d'un fournisseur que vous suivez",
        "ar": "جديد من مورد تتابعه",
    },
}


def public_code(reason: ReasonCode) -> str:
    """The `FeedReasonCode` clients see (followed suppliers' arrivals are NEW)."""
    return ReasonCode.NEW.value if reason is ReasonCode.FOLLOWED else reason.value


def reason_text(reason: ReasonCode, locale: str) -> str:
    return pick_text(REASON_TEXTS[reason], locale)
