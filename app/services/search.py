"""Search requests from GraphQL arguments: validation, display-currency price bounds, facet labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from app.domain.money import BASE_CURRENCY, convert, minor_digits
from search.port import ArticleQuery, ProductQuery, ProductSort, SortKey

MAX_TEXT = 200
# tantivy's integer fields are i64; amounts beyond it bound nothing more.
_I64_MAX = 2**63 - 1
# Index prices are USD minor units; far above any price, and small enough to convert without overflow.
_USD_CEILING = 10**15

_YES_NO: Mapping[str, tuple[str, str]] = {
    "en": ("Yes", "No"),
    "zh": ("是", "否"),
    "es": ("Sí", "No"),
    "ru": ("Да", "Нет"),
    "pt": ("Sim", "Não"),
    "fr": ("Oui", "Non"),
    "ar": ("نعم", "لا"),
}
# The supplier countries of the demo catalog; any other country is labelled with its code.
_COUNTRIES: Mapping[str, Mapping[str, str]] = {
    "CN": {
        "en": "China",
        "zh": "中国",
        "es": "China",
        "ru": "Китай",
        "pt": "China",
        "fr": "Chine",
        "ar": "الصين",
    },
    "VN": {
        "en": "Vietnam",
        "zh": "越南",
        "es": "Vietnam",
        "ru": "Вьетнам",
        "pt": "Vietnã",
        "fr": "Viêt Nam",
        "ar": "فيتنام",
    },
    "IN": {
        "en": "India",
        "zh": "印度",
        "es": "India",
        "ru": "Индия",
        "pt": "Índia",
        "fr": "Inde",
        "ar": "الهند",
    },
    "TR": {
        "en": "Türkiye",
        "zh": "土耳其",
        "es": "Turquía",
        "ru": "Турция",
        "pt": "Turquia",
        "fr": "Turquie",
        "ar": "تركيا",
    },
    "TH": {
        "en": "Thailand",
        "zh": "泰国",
        "es": "Tailandia",
        "ru": "Таиланд",
        "pt": "Tailândia",
        "fr": "Thaïlande",
        "ar": "تايلاند",
    },
    "MY": {
        "en": "Malaysia",
        "zh": "马来西亚",
        "es": "Malasia",
        "ru": "Малайзия",
        "pt": "Malásia",
        "fr": "Malaisie",
        "ar": "ماليزيا",
    },
    "ID": {
        "en": "Indonesia",
        "zh": "印度尼西亚",
        "es": "Indonesia",
        "ru": "Индонезия",
        "pt": "Indonésia",
        "fr": "Indonésie",
        "ar": "إندونيسيا",
    },
    "PK": {
        "en": "Pakistan",
        "zh": "巴基斯坦",
        "es": "Pakistán",
        "ru": "Пакистан",
        "pt": "Paquistão",
        "fr": "Pakistan",
        "ar": "باكستان",
    },
    "BD": {
        "en": "Bangladesh",
        "zh": "孟加拉国",
        "es": "Bangladés",
        "ru": "Бангладеш",
        "pt": "Bangladesh",
        "fr": "Bangladesh",
        "ar": "بنغلاديش",
    },
}


class SearchInputError(ValueError):
    """Arguments only a broken client sends (the resolver answers BAD_USER_INPUT with this message)."""


@dataclass(frozen=True)
class ProductFilterInput:
    """`ProductFilter` with the vertical's global id already turned into its store key."""

    vertical_key: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    max_moq: int | None = None
    has_video: bool | None = None
    verified_supplier: bool | None = None
    trade_assurance: bool | None = None
    supplier_countries: Sequence[str] | None = None


@dataclass(frozen=True)
class Display:
    """The request's language, display currency and the rates to it."""

    locale: str
    currency: str
    rates: dict[str, Decimal]


def checked_text(text: str | None, field: str) -> str | None:
    """The text to search for, None when blank (a blank query lists by the sort)."""
    if text is None:
        return None
    if len(text) > MAX_TEXT:
        raise SearchInputError(f"`{field}` may have at most {MAX_TEXT} characters; got {len(text)}.")
    return text.strip() or None


def _display_minor(amount: Decimal, currency: str, rounding: str) -> int:
    if not amount.is_finite():
        raise SearchInputError("Prices must be finite numbers.")
    scaled = amount.scaleb(minor_digits(currency)).to_integral_value(rounding=rounding)
    return max(-_I64_MAX, min(_I64_MAX, int(scaled)))


def _first_usd(shown: Callable[[int], int], holds: Callable[[int], bool]) -> int:
    """The smallest USD amount in [0, ceiling] whose display amount `holds` (monotone), else ceiling + 1."""
    low, high = 0, _USD_CEILING + 1
    while low < high:
        middle = (low + high) // 2
        if holds(shown(middle)):
            high = middle
        else:
            low = middle + 1
    return low


def usd_bounds(
    price_min: Decimal | None, price_max: Decimal | None, display: Display
) -> tuple[int | None, int | None]:
    """USD minor bounds of the index matching inclusive bounds in the display currency: a product
    qualifies when its lowest unit price, converted and rounded as it is shown, lies within them."""
    if price_min is not None and price_max is not None and price_min > price_max:
        raise SearchInputError("`filter.priceMin` must not be above `filter.priceMax`.")

    def shown(usd: int) -> int:
        return convert(usd, BASE_CURRENCY, display.currency, display.rates)

    low = high = None
    if price_min is not None:
        wanted_low = _display_minor(price_min, display.currency, ROUND_CEILING)
        low = _first_usd(shown, lambda minor: minor >= wanted_low) if wanted_low > 0 else None
    if price_max is not None:
        wanted_high = _display_minor(price_max, display.currency, ROUND_FLOOR)
        high = _first_usd(shown, lambda minor: minor > wanted_high) - 1
    return low, high


def _countries(codes: Sequence[str] | None) -> list[str] | None:
    """Upper-cased, without repeats; an empty list filters nothing (as if absent)."""
    if not codes:
        return None
    if len(codes) > 100:
        raise SearchInputError("`filter.supplierCountries` may hold at most 100 codes.")
    return list(dict.fromkeys(code.strip().upper() for code in codes))


def product_query(
    text: str | None,
    chosen: ProductFilterInput,
    sort: ProductSort,
    display: Display,
    first: int,
    after: object | None,
    facets: bool,
) -> ProductQuery:
    """The engine request for `searchProducts`; raises SearchInputError for arguments out of bounds."""
    low, high = usd_bounds(chosen.price_min, chosen.price_max, display)
    max_moq = None if chosen.max_moq is None else max(-_I64_MAX, min(_I64_MAX, chosen.max_moq))
    return ProductQuery(
        text=checked_text(text, "query"),
        locale=display.locale,
        vertical_id=chosen.vertical_key,
        price_min=low,
        price_max=high,
        max_moq=max_moq,
        has_video=chosen.has_video,
        verified_supplier=chosen.verified_supplier,
        trade_assurance=chosen.trade_assurance,
        supplier_countries=_countries(chosen.supplier_countries),
        sort=sort,
        first=first,
        after=sort_key(after),
        facets=facets,
    )


def article_query(
    text: str, vertical_key: str | None, locale: str, first: int, after: object | None
) -> ArticleQuery:
    return ArticleQuery(
        text=checked_text(text, "query"),
        locale=locale,
        vertical_id=vertical_key,
        first=first,
        after=sort_key(after),
    )


def sort_key(after: object | None) -> SortKey | None:
    """A decoded cursor is signed by us, but its shape is checked before it reaches an engine."""
    if after is None:
        return None
    if (
        isinstance(after, list)
        and 1 <= len(after) <= 3
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in after)
    ):
        return list(after)
    raise SearchInputError("The `after` cursor was not issued for this list.")


def facet_label(field: str, value: str, locale: str, vertical_names: Mapping[str, str]) -> str:
    """What a facet bucket shows: the vertical's name, the country's name, or yes/no, in `locale`."""
    if field == "vertical":
        return vertical_names.get(value, value)
    if field == "supplierCountry":
        names = _COUNTRIES.get(value, {})
        return names.get(locale) or names.get("en") or value
    yes, no = _YES_NO.get(locale, _YES_NO["en"])
    return yes if value == "true" else no if value == "false" else value
