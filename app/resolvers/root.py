"""The schema: root types merged from each domain's resolvers."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from app.resolvers.accounts import AccountMutation, AccountQuery
from app.resolvers.nodes import NodeQuery
from app.resolvers.verticals import VerticalQuery
from app.schema.scalars import SCALARS


@strawberry.type
class Query(NodeQuery, AccountQuery, VerticalQuery):
    pass


@strawberry.type
class Mutation(AccountMutation):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map=SCALARS),
    )
