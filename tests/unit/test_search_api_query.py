"""Search requests from GraphQL arguments: text limits, display-currency price bounds, cursors, labels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.money import convert
from app.services.search import (
    Display,
    ProductFilterInput,
    SearchInputError,
    checked_text,
    facet_label,
    product_query,
    sort_key,
    usd_bounds,
)

RATES = {"USD": Decimal(1), "EUR": Decimal("0.92"), "CNY": Decimal("7.1"), "JPY": Decimal("151.3")}


def display(currency: str, locale: str = "en") -> Display:
    return Display(locale, currency, RATES)


def test_blank_text_means_no_text_and_200_characters_is_the_limit() -> None:
    assert checked_text("  \t", "query") is None
    assert checked_text(" chair ", "query") == "chair"
    assert checked_text("a" * 200, "query") == "a" * 200
    with pytest.raises(SearchInputError):
        checked_text("a" * 201, "query")


def test_usd_bounds_are_exact_for_usd() -> None:
    assert usd_bounds(Decimal("12.50"), Decimal("20"), display("USD")) == (1250, 2000)


@pytest.mark.parametrize("currency", ["EUR", "CNY", "JPY"])
def test_usd_bounds_hold_exactly_the_usd_prices_shown_within_the_display_bounds(currency: str) -> None:
    # given
    low, high = Decimal("3.07"), Decimal("9.12")
    if currency == "JPY":
        low, high = Decimal(307), Decimal(912)
    # when
    usd_low, usd_high = usd_bounds(low, high, display(currency))
    assert usd_low is not None and usd_high is not None
    # then: every USD amount inside shows inside; the ones just outside show outside
    scale = 1 if currency == "JPY" else 100

    def shown(usd: int) -> int:
        return convert(usd, "USD", currency, RATES)

    assert all(low * scale <= shown(u) <= high * scale for u in range(usd_low, usd_high + 1))
    assert shown(usd_low - 1) < low * scale
    assert shown(usd_high + 1) > high * scale


def test_price_min_above_price_max_is_refused_and_equal_bounds_are_fine() -> None:
    with pytest.raises(SearchInputError):
        usd_bounds(Decimal("10"), Decimal("9.99"), display("USD"))
    assert usd_bounds(Decimal("10"), Decimal("10"), display("USD")) == (1000, 1000)


def test_amounts_with_extra_digits_round_inwards_and_huge_ones_bound_nothing_more() -> None:
    assert usd_bounds(Decimal("1.001"), Decimal("1.999"), display("USD")) == (101, 199)
    low, high = usd_bounds(Decimal("-5"), Decimal("1e30"), display("USD"))
    assert low is None and high is not None and high > 10**14


def test_product_query_normalizes_countries_and_keeps_the_sort() -> None:
    chosen = ProductFilterInput(supplier_countries=["cn", " vn", "CN"], max_moq=10**30)
    query = product_query("  ", chosen, "PRICE_ASC", display("USD"), 21, [5, 7], facets=True)
    assert query.text is None
    assert query.supplier_countries == ["CN", "VN"]
    assert query.max_moq == 2**63 - 1
    assert (query.sort, query.first, query.after, query.facets) == ("PRICE_ASC", 21, [5, 7], True)
    assert (
        product_query(
            None, ProductFilterInput(supplier_countries=[]), "NEWEST", display("USD"), 1, None, False
        ).supplier_countries
        is None
    )


@pytest.mark.parametrize("bad", [{"a": 1}, ["x"], [True], [], [1, 2, 3, 4], "12"])
def test_cursors_of_another_shape_are_refused(bad: object) -> None:
    with pytest.raises(SearchInputError):
        sort_key(bad)


def test_cursors_carry_numbers_only() -> None:
    assert sort_key(None) is None
    assert sort_key([1.5, 3]) == [1.5, 3]


def test_facet_labels_are_localized_with_fallbacks() -> None:
    assert facet_label("vertical", "v-seating", "zh", {"v-seating": "座椅"}) == "座椅"
    assert facet_label("supplierCountry", "CN", "fr", {}) == "Chine"
    assert facet_label("supplierCountry", "ZZ", "fr", {}) == "ZZ"
    assert facet_label("hasVideo", "true", "es", {}) == "Sí"
    assert facet_label("tradeAssurance", "false", "xx", {}) == "No"
