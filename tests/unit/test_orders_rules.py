"""Pure order rules: the state table, pricing, expected totals, visibility and idempotency keys."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from app.domain.accounts import Account, Role
from app.domain.errors import UserErrorCode, Violation
from app.domain.idempotency import Conflict, Replay, check_key, decide, fingerprint
from app.domain.orders import (
    TRANSITIONS,
    Address,
    Move,
    Order,
    OrderStatus,
    Pricing,
    TimelineEntry,
    Via,
    can_read,
    check_expected_total,
    move,
    price,
)
from app.domain.products import Product, StoredTier

S = OrderStatus
EXPECTED = {
    (S.PENDING_CONFIRMATION, S.CONFIRMED, Via.SUPPLIER_UPDATE),
    (S.PENDING_CONFIRMATION, S.CANCELLED, Via.SUPPLIER_UPDATE),
    (S.PENDING_CONFIRMATION, S.CANCELLED, Via.BUYER_CANCEL),
    (S.CONFIRMED, S.CANCELLED, Via.SUPPLIER_UPDATE),
    (S.CONFIRMED, S.CANCELLED, Via.BUYER_CANCEL),
    (S.CONFIRMED, S.IN_PRODUCTION, Via.SUPPLIER_UPDATE),
    (S.IN_PRODUCTION, S.INSPECTION, Via.SUPPLIER_UPDATE),
    (S.CONFIRMED, S.SHIPPED, Via.SUPPLIER_SHIPMENT),
    (S.IN_PRODUCTION, S.SHIPPED, Via.SUPPLIER_SHIPMENT),
    (S.INSPECTION, S.SHIPPED, Via.SUPPLIER_SHIPMENT),
    (S.SHIPPED, S.DELIVERED, Via.CARRIER),
    (S.SHIPPED, S.COMPLETED, Via.BUYER_CONFIRM),
    (S.SHIPPED, S.COMPLETED, Via.WORKER),
    (S.DELIVERED, S.COMPLETED, Via.BUYER_CONFIRM),
    (S.DELIVERED, S.COMPLETED, Via.WORKER),
}


def an_order(status: OrderStatus = S.PENDING_CONFIRMATION, buyer: str = "b1", supplier: str = "s1") -> Order:
    return Order(
        key="o1",
        number="PO-261126-ABCDEFGH",
        buyer_key=buyer,
        supplier_key=supplier,
        vertical_key="v1",
        status=status,
        currency="USD",
        total=1000,
        lines=(),
        trade_assurance=True,
        shipping_address=Address("Ana", "Calle 1", "Madrid", "ES"),
        origin_country="CN",
        created_at=1,
        updated_at=1,
        timeline=(TimelineEntry(S.PENDING_CONFIRMATION, 1),),
    )


def a_product(tiers: list[tuple[int, int]], currency: str = "USD") -> Product:
    return Product(
        key="p1",
        seq=1,
        version=1,
        supplier_key="s1",
        vertical_key="v1",
        titles={"en": "Lamp"},
        descriptions={},
        currency=currency,
        tiers=tuple(StoredTier(q, p) for q, p in tiers),
        unit="pieces",
        specs=(),
        media=(),
        lead_time_days=None,
        trade_assurance=False,
        created_at=1,
    )


def test_the_transition_table_is_exactly_the_contracts() -> None:
    found = {(a, b, via) for (a, b), vias in TRANSITIONS.items() for via in vias}
    assert found == EXPECTED


@pytest.mark.parametrize(("start", "to", "via"), list(itertools.product(S, S, Via)))
def test_every_move_outside_the_table_is_invalid_at_the_given_field(
    start: OrderStatus, to: OrderStatus, via: Via
) -> None:
    result = move(an_order(start), to, via, 50, None, ("input", "status"))
    if start is to:
        assert result == Move(an_order(start), False)
    elif (start, to, via) in EXPECTED:
        assert isinstance(result, Move) and result.changed
        assert result.order.status is to
        assert result.order.timeline[-1] == TimelineEntry(to, 50, None)
        assert result.order.updated_at == 50
    else:
        assert isinstance(result, Violation)
        assert (result.code, result.field) == (UserErrorCode.INVALID, ("input", "status"))


def test_delivery_records_when_it_happened() -> None:
    result = move(an_order(S.SHIPPED), S.DELIVERED, Via.CARRIER, 777, None, ())
    assert isinstance(result, Move) and result.order.delivered_at == 777


def test_the_unit_price_is_the_matching_tiers_and_the_total_is_exact() -> None:
    product = a_product([(100, 450), (10, 500), (1000, 399)])
    rates = {"USD": Decimal(1)}
    assert price(product, 10, "USD", rates) == Pricing(500, 5000, "USD")
    assert price(product, 999, "USD", rates) == Pricing(450, 449550, "USD")
    assert price(product, 1000, "USD", rates) == Pricing(399, 399000, "USD")


def test_prices_convert_half_even_per_unit_then_multiply() -> None:
    # 0.05 USD at 0.9 EUR/USD is 4.5 cents: half-even gives 4, and 3 pieces cost exactly 12 cents
    product = a_product([(1, 5)])
    pricing = price(product, 3, "EUR", {"USD": Decimal(1), "EUR": Decimal("0.9")})
    assert pricing == Pricing(4, 12, "EUR")
    yen = price(a_product([(1, 1999)]), 7, "JPY", {"USD": Decimal(1), "JPY": Decimal("151.37")})
    assert yen == Pricing(3026, 21182, "JPY")


def test_expected_total_compares_decimal_amounts_exactly() -> None:
    pricing = Pricing(unit_price=333, total=5661, currency="USD")
    assert check_expected_total(None, pricing) == []
    assert check_expected_total(Decimal("56.61"), pricing) == []
    assert check_expected_total(Decimal("56.610"), pricing) == []
    for wrong in (Decimal("56.6"), Decimal("56.611"), Decimal("56.62")):
        [violation] = check_expected_total(wrong, pricing)
        assert (violation.code, violation.field) == (UserErrorCode.CONFLICT, ("input", "expectedTotal"))


def test_only_the_buyer_and_the_suppliers_users_read_an_order() -> None:
    order = an_order()

    def account(role: Role, key: str = "x", supplier: str | None = None) -> Account:
        return Account(key, "sub", role, supplier, None, None, None, None, 0)

    assert can_read(account(Role.BUYER, "b1"), order)
    assert can_read(account(Role.SUPPLIER, supplier="s1"), order)
    assert not can_read(account(Role.BUYER, "b2"), order)
    assert not can_read(account(Role.SUPPLIER, supplier="s2"), order)
    assert not can_read(account(Role.SUPPLIER, supplier=None), order)
    assert not can_read(account(Role.EDITOR), order)
    assert not can_read(None, order)


@pytest.mark.parametrize("key", ["12345678", "a" * 128, "Az09_-Az09"])
def test_well_formed_idempotency_keys_pass(key: str) -> None:
    assert check_key(key) == []


@pytest.mark.parametrize("key", ["1234567", "a" * 129, "with space", "naïve-key", ""])
def test_malformed_idempotency_keys_are_invalid(key: str) -> None:
    [violation] = check_key(key)
    assert (violation.code, violation.field) == (UserErrorCode.INVALID, ("input", "idempotencyKey"))


def test_a_held_key_replays_conflicts_or_waits() -> None:
    same = fingerprint({"b": Decimal("1.50"), "a": 1})
    assert same == fingerprint({"a": 1, "b": Decimal("1.50")})
    assert decide(same, {"order": "o1"}, same) == Replay({"order": "o1"})
    assert isinstance(decide(same, {"order": "o1"}, fingerprint({"a": 2})), Conflict)
    assert decide(same, None, same) is None
