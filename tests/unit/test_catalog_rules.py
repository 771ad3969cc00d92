"""Pure catalog rules: price tiers, service index, related ordering, media renditions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.domain.media import StoredImage, StoredVideo
from app.domain.money import Money
from app.domain.products import RelatedCandidate, StoredTier, price_range, price_tiers, rank_related
from app.domain.suppliers import YEAR_MS, Certificate, CertificateKind, Supplier, service_index

RATES = {"USD": Decimal(1), "EUR": Decimal("0.92"), "JPY": Decimal(150)}
NOW = 1_800_000_000_000

SUPPLIER = Supplier(
    key="s-1",
    seq=1,
    version=1,
    name="Acme",
    country="CN",
    region="Zhejiang",
    verified=True,
    joined_at=NOW - 3 * YEAR_MS,
    logo=None,
    trade_assurance_limit_usd=None,
    response_rate=None,
    median_response_minutes=None,
    on_time_rate=None,
    certificates=(),
    vertical_keys=("v-toys",),
    created_at=NOW,
)


def test_tiers_are_sorted_contiguous_and_open_ended() -> None:
    stored = [StoredTier(100, 800), StoredTier(10, 1000), StoredTier(500, 700)]
    shown = price_tiers(stored, "USD", "USD", RATES)
    assert [(t.min_quantity, t.max_quantity) for t in shown] == [(10, 99), (100, 499), (500, None)]
    assert [t.unit_price for t in shown] == [Money(1000, "USD"), Money(800, "USD"), Money(700, "USD")]


def test_duplicate_tier_starts_keep_the_first_stored() -> None:
    shown = price_tiers([StoredTier(10, 900), StoredTier(10, 500)], "USD", "USD", RATES)
    assert [(t.min_quantity, t.max_quantity, t.unit_price.minor) for t in shown] == [(10, None, 900)]


def test_tier_prices_convert_half_even_to_the_display_currency() -> None:
    # 1.25 USD at 0.92 is 1.15 EUR; 0.01 USD at 150 JPY is 1.5 yen, which rounds to the even 2
    shown = price_tiers([StoredTier(1, 125), StoredTier(5, 1)], "USD", "EUR", RATES)
    yen = price_tiers([StoredTier(1, 1)], "USD", "JPY", RATES)
    assert shown[0].unit_price == Money(115, "EUR")
    assert yen[0].unit_price == Money(2, "JPY")


@given(st.lists(st.tuples(st.integers(1, 10_000), st.integers(1, 10**7)), min_size=1, max_size=6))
def test_range_and_moq_always_match_the_tiers(raw: list[tuple[int, int]]) -> None:
    shown = price_tiers([StoredTier(q, p) for q, p in raw], "USD", "EUR", RATES)
    low, high = price_range(shown, "EUR")
    assert low.minor == min(t.unit_price.minor for t in shown)
    assert high.minor == max(t.unit_price.minor for t in shown)
    assert shown[0].min_quantity == min(q for q, _ in raw)
    for tier, following in pairwise(shown):
        assert tier.max_quantity == following.min_quantity - 1
    assert shown[-1].max_quantity is None


def test_service_index_of_an_unknown_newcomer_is_low_and_sums() -> None:
    index = service_index(SUPPLIER, NOW)
    assert index.opportunity_handling == 0
    assert index.transaction_fulfillment == 0
    assert index.total == index.information_display + index.opportunity_acquisition


def test_fast_replies_and_a_complete_profile_score_higher() -> None:
    strong = replace(
        SUPPLIER,
        logo=StoredImage("cdn", "logo.png", 100, 100),
        response_rate=0.95,
        median_response_minutes=30,
        on_time_rate=0.98,
        popularity=5_000.0,
        certificates=tuple(Certificate(CertificateKind.PRODUCT, f"C{i}", True) for i in range(3)),
    )
    slow = replace(strong, response_rate=0.4, median_response_minutes=3_000)
    assert service_index(strong, NOW).opportunity_handling > service_index(slow, NOW).opportunity_handling
    assert service_index(strong, NOW).information_display > service_index(SUPPLIER, NOW).information_display


@given(
    rate=st.none() | st.floats(0, 1),
    minutes=st.none() | st.integers(0, 100_000),
    on_time=st.none() | st.floats(0, 1),
    popularity=st.floats(0, 1e12),
    years=st.integers(0, 40),
    certificates=st.integers(0, 10),
)
def test_service_index_parts_stay_within_0_and_25_and_total_is_their_sum(
    rate: float | None,
    minutes: int | None,
    on_time: float | None,
    popularity: float,
    years: int,
    certificates: int,
) -> None:
    supplier = replace(
        SUPPLIER,
        response_rate=rate,
        median_response_minutes=minutes,
        on_time_rate=on_time,
        popularity=popularity,
        joined_at=NOW - years * YEAR_MS,
        certificates=tuple(Certificate(CertificateKind.PATENT, "P", True) for _ in range(certificates)),
    )
    index = service_index(supplier, NOW)
    parts = [
        index.information_display,
        index.opportunity_acquisition,
        index.opportunity_handling,
        index.transaction_fulfillment,
    ]
    assert all(0 <= part <= 25 for part in parts)
    assert index.total == sum(parts)


def test_related_ranks_by_price_closeness_within_the_vertical_without_itself_or_repeats() -> None:
    candidates = [
        RelatedCandidate("p-self", "v-toys", 1000, 9.0),
        RelatedCandidate("p-far", "v-toys", 9000, 50.0),
        RelatedCandidate("p-close", "v-toys", 1100, 1.0),
        RelatedCandidate("p-close", "v-toys", 1100, 1.0),
        RelatedCandidate("p-other-vertical", "v-lighting", 1000, 99.0),
        RelatedCandidate("p-half", "v-toys", 500, 3.0),
        RelatedCandidate("p-double", "v-toys", 2000, 7.0),
    ]
    ranked = rank_related("p-self", "v-toys", 1000, candidates, 10)
    # half and double are equally far in ratio: the more popular one goes first
    assert ranked == ["p-close", "p-double", "p-half", "p-far"]
    assert rank_related("p-self", "v-toys", 1000, candidates, 2) == ["p-close", "p-double"]
    assert rank_related("p-self", "v-toys", 1000, candidates, 0) == []


def test_video_renditions_come_from_the_ladder_of_its_heights() -> None:
    video = StoredVideo("cdn.example", "v/p-1", 30, (720, 480, 360))
    renditions = video.renditions()
    assert [(r.width, r.height, r.bitrate_kbps) for r in renditions] == [
        (1280, 720, 2500),
        (854, 480, 1200),
        (640, 360, 700),
    ]
    assert renditions[0].url == "https://cdn.example/v/p-1/720p.mp4"
    assert video.hls_url == "https://cdn.example/v/p-1/master.m3u8"
    assert video.poster.path == "v/p-1/poster.jpg"


def test_a_product_documents_version_grows_with_a_product_or_a_supplier_write() -> None:
    from app.domain.products import Product
    from app.services.indexing import product_doc_version

    product = Product(
        "p-1",
        1,
        3,
        "s-1",
        "v-toys",
        {"en": "Toy"},
        {},
        "USD",
        (StoredTier(1, 100),),
        "pieces",
        (),
        (),
        None,
        False,
        0,
    )
    base = product_doc_version(product, SUPPLIER)
    assert product_doc_version(product, replace(SUPPLIER, version=2)) > base
    assert product_doc_version(replace(product, version=4), SUPPLIER) > product_doc_version(
        product, replace(SUPPLIER, version=500)
    )
