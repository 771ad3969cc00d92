"""Products: `product(id)`, its node lookup, and saving products (buyers)."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain.ids import key_of
from app.schema.base import user_errors
from app.schema.products import Product, SavePayload, catalog_view, load_products


async def product_node(info: Info, key: str) -> Product | None:
    [found] = await load_products(info, [key])
    return found


@strawberry.type
class ProductQuery:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        """A malformed, foreign or unknown id is null, not an error."""
        key = key_of(id, "Product")
        return await product_node(info, key) if key is not None else None


async def _set_saved(info: Info, id: strawberry.ID, saved: bool) -> SavePayload:
    account = info.context.require_viewer()
    result = await info.context.services.catalog.set_saved(account, key_of(id, "Product"), saved)
    if result.product is None:
        return SavePayload(product=None, user_errors=user_errors(result.violations))
    # The payload shows the state just written, whatever this request's loader read before.
    pair = (account.key, result.product.key)
    info.context.loaders.saved_by_user_product.prime(pair, result.saved, force=True)
    return SavePayload(product=Product.from_domain(result.product, await catalog_view(info)), user_errors=[])


@strawberry.type
class ProductMutation:
    @strawberry.mutation
    async def save_product(self, info: Info, id: strawberry.ID) -> SavePayload:
        return await _set_saved(info, id, True)

    @strawberry.mutation
    async def unsave_product(self, info: Info, id: strawberry.ID) -> SavePayload:
        return await _set_saved(info, id, False)
