"""Suppliers: `supplier(id)`, its node lookup, and following suppliers (buyers)."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain.ids import key_of
from app.schema.base import user_errors
from app.schema.products import catalog_view
from app.schema.suppliers import FollowPayload, Supplier, load_supplier
from app.services.transactions import now_ms


async def supplier_node(info: Info, key: str) -> Supplier | None:
    return await load_supplier(info, key)


@strawberry.type
class SupplierQuery:
    @strawberry.field
    async def supplier(self, info: Info, id: strawberry.ID) -> Supplier | None:
        """A malformed, foreign or unknown id is null, not an error."""
        key = key_of(id, "Supplier")
        return await supplier_node(info, key) if key is not None else None


async def _set_following(info: Info, id: strawberry.ID, following: bool) -> FollowPayload:
    account = info.context.require_viewer()
    result = await info.context.services.catalog.set_following(account, key_of(id, "Supplier"), following)
    if result.supplier is None:
        return FollowPayload(supplier=None, user_errors=user_errors(result.violations))
    pair = (account.key, result.supplier.key)
    info.context.loaders.followed_by_user_supplier.prime(pair, result.following, force=True)
    supplier = Supplier.from_domain(result.supplier, await catalog_view(info), now_ms())
    return FollowPayload(supplier=supplier, user_errors=[])


@strawberry.type
class SupplierMutation:
    @strawberry.mutation
    async def follow_supplier(self, info: Info, id: strawberry.ID) -> FollowPayload:
        return await _set_following(info, id, True)

    @strawberry.mutation
    async def unfollow_supplier(self, info: Info, id: strawberry.ID) -> FollowPayload:
        return await _set_following(info, id, False)
