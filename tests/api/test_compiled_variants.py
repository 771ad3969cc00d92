"""Variables for the differential test: synthesized from each operation's variable types and the seeded data.

No tests here: the module gives `tests/api/test_compiled_differential.py` its variants per operation (valid
ids of the right kind, other valid ids, ids that name nothing, malformed ids, several page sizes, each
role's token and none), so every contract operation runs with inputs that reach data, nulls, userErrors
and top-level errors alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    type_from_ast,
)

from app.domain.ids import to_global_id

MALFORMED = "not-a-global-id!"

# What a bare `id` names, by operation (the other id variables say it in their names).
KIND_BY_OPERATION = {
    "Product": ("ProductPage", "SaveProduct", "UnsaveProduct"),
    "Supplier": ("SupplierPage", "FollowSupplier", "UnfollowSupplier"),
    "Article": (
        "ArticlePage",
        "EditorArticle",
        "PublishArticle",
        "UnpublishArticle",
        "UpdateArticle",
        "TranslateArticle",
    ),
    "Order": ("OrderTracking", "SupplierOrder", "OrderUpdated", "SupplierOrderUpdated"),
}
KIND_BY_NAME = {
    "productId": "Product",
    "supplierId": "Supplier",
    "orderId": "Order",
    "inquiryId": "Inquiry",
    "articleId": "Article",
    "subjectId": "Product",
    "vertical": "Vertical",
    "verticalId": "Vertical",
}
TEXT_BY_NAME = {
    "query": "chair",
    "prefix": "ch",
    "token": "differential-device-token-0001",
    "locale": "en",
    "country": "US",
    "countryCode": "US",
    "postalCode": "10001",
    "carrier": "DHL",
    "trackingNumber": "1234567890",
    "idempotencyKey": "differential-key-1",
    "coverImageUrl": "https://cdn.buyer-demo.example/a.jpg",
}


@dataclass
class Seeded:
    """Keys of seeded records, in pairs so that a second valid target exists."""

    keys: dict[str, list[str]]
    slug: str
    owners: dict[str, tuple[str, str]] = field(default_factory=dict)  # order/inquiry key -> (buyer, supplier)


@dataclass(frozen=True)
class Variant:
    label: str
    role: str | None  # None: anonymous; "buyer", "supplier", "editor"; "fresh-buyer": a new account
    variables: dict[str, Any]
    language: str | None = None
    owner: tuple[str, str] | None = None  # (buyer subject, supplier key) owning the target


def id_kind(operation: str, name: str) -> str | None:
    if name in KIND_BY_NAME:
        return KIND_BY_NAME[name]
    if name != "id":
        return None
    for kind, names in KIND_BY_OPERATION.items():
        if operation in names:
            return kind
    return "Inquiry" if "Inquiry" in operation else None


def synthesize(
    schema: GraphQLSchema, operation: OperationDefinitionNode, seeded: Seeded, pick: int
) -> dict[str, Any]:
    """Variables for every definition: required ones always, optional ones left to their defaults."""
    name = operation.name.value if operation.name else ""
    values: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        variable = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if variable in ("network",):
            values[variable] = "CELLULAR" if pick else "WIFI"
        elif variable == "slug":
            values[variable] = seeded.slug
        elif isinstance(type_, GraphQLNonNull) or id_kind(name, variable) is not None:
            values[variable] = value_for(name, variable, type_, seeded, pick)  # type: ignore[arg-type]
    return values


def value_for(operation: str, name: str, type_: GraphQLInputType, seeded: Seeded, pick: int) -> Any:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        return [value_for(operation, name, type_.of_type, seeded, pick)]
    if isinstance(type_, GraphQLInputObjectType) and not any(_required(f) for f in type_.fields.values()):
        # No required field: a @oneOf input (strawberry marks it by directive only) gets its first text field.
        key = next(k for k, f in type_.fields.items() if getattr(f.type, "name", "") == "String")
        return {key: f"Differential {key}"}
    if isinstance(type_, GraphQLInputObjectType):
        return {
            key: value_for(operation, key, field_.type, seeded, pick)
            for key, field_ in type_.fields.items()
            if _required(field_)
        }
    if isinstance(type_, GraphQLEnumType):
        return list(type_.values)[pick % len(type_.values)]
    kind = id_kind(operation, name)
    scalar = type_.name
    if kind is not None:
        keys = seeded.keys.get(kind, [])
        return to_global_id(kind, keys[pick % len(keys)]) if keys else MALFORMED
    if scalar == "Int":
        return {"first": 5 if pick == 0 else 1, "quantity": 100, "expectedRevision": 1}.get(name, 1)
    if scalar == "Boolean":
        return name == "muted"
    if scalar == "DateTime":
        return "2026-11-20T10:00:00Z"
    if scalar == "Decimal":
        return "1.00"
    if scalar == "ID":
        return MALFORMED
    return TEXT_BY_NAME.get(name, f"Differential {name}")


def _required(field_: Any) -> bool:
    from graphql import Undefined

    return isinstance(field_.type, GraphQLNonNull) and field_.default_value is Undefined


def with_ids(
    schema: GraphQLSchema, operation: OperationDefinitionNode, variables: dict[str, Any], replace: str
) -> dict[str, Any]:
    """The same variables with every top-level id (and ids in inputs) replaced: missing or malformed."""
    name = operation.name.value if operation.name else ""

    def swap(key: str, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: swap(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(key, v) for v in value]
        kind = id_kind(name, key)
        if kind is None or not isinstance(value, str):
            return value
        return MALFORMED if replace == "malformed" else to_global_id(kind, "missing-0")

    return {key: swap(key, value) for key, value in variables.items()}


def variants(
    schema: GraphQLSchema, operation: OperationDefinitionNode, folder: str, seeded: Seeded
) -> list[Variant]:
    role = {"buyer": "buyer", "supplier": "supplier", "editor": "editor"}[folder]
    other = "supplier" if role == "buyer" else "buyer"
    base = synthesize(schema, operation, seeded, 0)
    second = synthesize(schema, operation, seeded, 1)
    owner = _owner(base, seeded)
    found = [
        Variant("owner", role, base, owner=owner),
        Variant("owner-es", role, base, "es-MX,es;q=0.9", owner=owner),
        Variant("second-target", role, second, "zh-CN", owner=_owner(second, seeded)),
        Variant("anonymous", None, base),
        Variant(f"as-{other}", other, base),
        Variant(
            "editor" if role != "editor" else "as-supplier",
            "editor" if role != "editor" else "supplier",
            base,
        ),
        Variant("missing-ids", role, with_ids(schema, operation, base, "missing"), owner=owner),
        Variant("malformed-ids", role, with_ids(schema, operation, base, "malformed"), owner=owner),
    ]
    if "first" in base:
        found.append(Variant("first-1", role, {**base, "first": 1}, owner=owner))
        found.append(Variant("first-over-limit", role, {**base, "first": 500}, owner=owner))
    return found


def _owner(variables: dict[str, Any], seeded: Seeded) -> tuple[str, str] | None:
    """Who owns the order or inquiry the variables name: their buyer's and supplier's tokens see it."""
    from app.domain.ids import from_global_id

    def ids(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [i for v in value.values() for i in ids(v)]
        if isinstance(value, list):
            return [i for v in value for i in ids(v)]
        return [value] if isinstance(value, str) else []

    for candidate in ids(variables):
        try:
            _, key = from_global_id(candidate)
        except Exception:
            continue
        if key in seeded.owners:
            return seeded.owners[key]
    return None
