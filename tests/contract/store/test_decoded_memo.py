"""Decoded products and suppliers are reused only while their stored version holds, across processes and
transactions (`app.store.decoded`)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest

from app.domain.products import Product, StoredTier
from app.domain.verticals import Vertical
from app.store.decoded import DecodedMemo
from app.store.port import Database, Document
from app.store.products import ProductRepository
from app.store.suppliers import SupplierRepository
from app.store.verticals import VerticalRepository

Connect = Callable[[], Awaitable[Database]]
_keys = itertools.count()


class Boom(Exception):
    pass


def a_product(title: str = "Lamp") -> Product:
    n = next(_keys)
    return Product(
        key=f"p-memo-{n}",
        seq=n,
        version=0,
        supplier_key="s-1",
        vertical_key="v-1",
        titles={"en": title},
        descriptions={"en": f"{title}, described"},
        currency="USD",
        tiers=(StoredTier(1, 500),),
        unit="pieces",
        specs=(("Color", "Red"),),
        media=(),
        lead_time_days=7,
        trade_assurance=True,
        created_at=1_700_000_000_000,
    )


async def test_a_product_written_by_another_process_is_read_fresh_after_the_memo_was_warmed(
    database: Database, connections: Connect
) -> None:
    # given: this process has read (and memoized) the product
    mine = ProductRepository(database)
    product = await mine.put(a_product("Lamp"))
    assert await mine.get_many([product.key]) == [product]
    # when: another process writes it
    theirs = ProductRepository(await connections())
    changed = await theirs.put(replace(product, titles={"en": "Desk lamp"}))
    # then
    [read] = await mine.get_many([product.key])
    assert read == changed
    assert read is not None and read.titles == {"en": "Desk lamp"} and read.version == product.version + 1


@pytest.mark.parametrize("read_inside", [False, True], ids=["written", "written-and-read"])
async def test_a_rolled_back_write_stays_unseen_when_a_later_commit_reaches_its_version(
    database: Database, connections: Connect, read_inside: bool
) -> None:
    # given
    mine = ProductRepository(database)
    product = await mine.put(a_product("Lamp"))
    assert await mine.get_many([product.key]) == [product]
    # when: a write inside a transaction that rolls back, then another process's committed write, which
    # reaches the very version number the rolled-back write had
    with pytest.raises(Boom):
        async with database.transaction():
            doomed = await mine.put(replace(product, titles={"en": "Rolled back"}))
            if read_inside:
                assert await mine.get_many([product.key]) == [doomed]
            raise Boom
    theirs = ProductRepository(await connections())
    assert await theirs.get_many([product.key]) == [product]
    committed = await theirs.put(replace(product, titles={"en": "Committed"}))
    assert committed.version == doomed.version
    # then
    assert await mine.get_many([product.key]) == [committed]


async def test_a_read_inside_a_transaction_sees_its_writes_beside_memoized_products(
    database: Database,
) -> None:
    repository = ProductRepository(database)
    kept, changed = await repository.put(a_product("Kept")), await repository.put(a_product("Changed"))
    async with database.transaction():
        written = await repository.put(replace(changed, titles={"en": "Changed inside"}))
        assert await repository.get_many([kept.key, changed.key]) == [kept, written]
    assert await repository.get_many([kept.key, changed.key]) == [kept, written]


async def test_get_many_keeps_key_order_and_gives_none_for_missing_keys(database: Database) -> None:
    # given
    repository = ProductRepository(database)
    one, two, three = a_product("One"), a_product("Two"), a_product("Three")
    await repository.insert_many([one, two])
    keys = [two.key, "p-missing", one.key, two.key, three.key]
    # when: cold, then warm, then warm with a key that was not stored before
    cold = await repository.get_many(keys)
    warm = await repository.get_many(keys)
    await repository.insert_many([three])
    mixed = await repository.get_many(keys)
    # then
    assert cold == warm == [two, None, one, two, None]
    assert mixed == [two, None, one, two, three]
    assert await repository.get_many([]) == []


async def test_a_memo_hit_returns_an_entity_equal_to_a_fresh_read(
    database: Database, connections: Connect
) -> None:
    # given
    repository = ProductRepository(database)
    product = a_product("Lamp")
    await repository.insert_many([product])
    [first] = await repository.get_many([product.key])
    # when
    [again] = await repository.get_many([product.key])
    # then
    [fresh] = await ProductRepository(await connections()).get_many([product.key])
    assert again == fresh == product
    assert again is first  # served from the memo, not decoded again


async def test_a_deleted_product_is_none_even_after_it_was_memoized(
    database: Database, connections: Connect
) -> None:
    repository = ProductRepository(database)
    product = await repository.put(a_product("Lamp"))
    other = await connections()
    await other.collection("products").delete_one({"_id": product.key})
    assert await repository.get_many([product.key]) == [None]


async def test_a_supplier_written_by_another_process_is_read_fresh(
    database: Database, connections: Connect
) -> None:
    # given
    mine = SupplierRepository(database)
    await database.collection("suppliers").insert_one(
        {
            "_id": "s-memo",
            "seq": 1,
            "version": 1,
            "name": "Acme",
            "country": "CN",
            "joined_at": 1,
            "created_at": 1,
        }
    )
    [supplier] = await mine.get_many(["s-memo"])
    assert supplier is not None and supplier.response_rate is None
    # when
    assert await SupplierRepository(await connections()).set_response_stats("s-memo", 0.9, 30)
    # then
    [read] = await mine.get_many(["s-memo"])
    assert read == replace(supplier, version=2, response_rate=0.9, median_response_minutes=30)


async def test_the_memo_keeps_the_most_recently_used_entries_up_to_its_capacity(database: Database) -> None:
    # given
    things = database.collection("things")
    await things.insert_many([{"_id": f"t{i}", "version": 1, "n": i} for i in range(4)])

    def decode(doc: Document) -> list[int]:
        return [doc["n"]]  # a new object per decoding, so that a hit is told by identity

    memo = DecodedMemo(database, things, decode, capacity=2)
    # when
    t0, t1 = await memo.get_many(["t0", "t1"])
    assert (await memo.get_many(["t0"]))[0] is t0  # t0 is now the most recently used
    await memo.get_many(["t2"])
    # then: t1 was evicted, t0 and t2 kept
    assert len(memo) == 2
    again = await memo.get_many(["t0", "t1", "t2"])
    assert again[0] is t0 and again[2] is not None
    assert again[1] == t1 and again[1] is not t1


async def test_in_transaction_is_true_only_inside_a_transaction_block(database: Database) -> None:
    assert not database.in_transaction()
    async with database.transaction():
        assert database.in_transaction()
        async with database.transaction():
            assert database.in_transaction()
    assert not database.in_transaction()


async def test_a_product_checked_under_an_unchanged_mark_is_read_fresh_once_another_process_writes(
    database: Database, connections: Connect
) -> None:
    # given: read twice, the second time vouched for by the collection's change mark where there is one
    mine = ProductRepository(database)
    product = await mine.put(a_product("Chair"))
    await mine.get_many([product.key])
    assert await mine.get_many([product.key]) == [product]
    # when
    theirs = ProductRepository(await connections())
    changed = await theirs.put(replace(product, titles={"en": "Armchair"}))
    # then
    assert await mine.get_many([product.key]) == [changed]


async def test_a_product_changed_in_this_process_past_the_repository_is_read_fresh(
    database: Database,
) -> None:
    # given
    mine = ProductRepository(database)
    product = await mine.put(a_product("Stool"))
    await mine.get_many([product.key])
    await mine.get_many([product.key])
    # when: written by another use of the same connection, which the memo does not see
    products = database.collection("products")
    await products.update_one(
        {"_id": product.key}, {"$set": {"titles": {"en": "Bar stool"}}, "$inc": {"version": 1}}
    )
    # then
    [read] = await mine.get_many([product.key])
    assert read is not None and read.titles == {"en": "Bar stool"}


async def test_a_change_mark_holds_until_a_write_here_or_elsewhere(
    database: Database, connections: Connect
) -> None:
    products = database.collection("products")
    await products.insert_one({"_id": "p-mark", "version": 1})
    first = await products.change_mark()
    if first is None:
        pytest.skip("this engine offers no change mark (readers check versions)")
    assert await products.change_mark() == first
    await products.update_one({"_id": "p-mark"}, {"$inc": {"version": 1}})
    here = await products.change_mark()
    assert here != first
    other = (await connections()).collection("products")
    await other.update_one({"_id": "p-mark"}, {"$inc": {"version": 1}})
    assert await products.change_mark() not in (first, here)


async def test_verticals_kept_decoded_are_read_fresh_once_written_here_or_elsewhere(
    database: Database, connections: Connect
) -> None:
    # given: kept after two reads
    mine = VerticalRepository(database)
    vertical = Vertical(key="v-kept", slug="kept", names={"en": "Kept"}, hs_headings=("9403",), position=1)
    await mine.upsert_many([vertical])
    await mine.all()
    assert await mine.get_many(["v-kept", "v-none"]) == [vertical, None]
    # when: renamed by another process, then by this one
    await VerticalRepository(await connections()).upsert_many([replace(vertical, names={"en": "Theirs"})])
    theirs = await mine.get_many(["v-kept"])
    await mine.upsert_many([replace(vertical, names={"en": "Mine"})])
    # then
    assert [v.names if v else None for v in theirs] == [{"en": "Theirs"}]
    assert [v.names for v in await mine.all() if v.key == "v-kept"] == [{"en": "Mine"}]
