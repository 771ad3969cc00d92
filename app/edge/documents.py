"""Documents: parsed and validated once, found by text, APQ hash or trusted-document id."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)
from graphql.error import GraphQLSyntaxError
from graphql.validation import NoSchemaIntrospectionCustomRule

from app.edge.limits import MAX_TOKENS, CountedFields, Shape, shape_of


class TooManyTokens(Exception):
    pass


@dataclass
class Prepared:
    """A document that parsed and validated, with its static shape per operation."""

    text: str
    document: DocumentNode | None
    errors: list[GraphQLError]
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    shapes: dict[str | None, Shape] = field(default_factory=dict)
    counted: CountedFields = field(default_factory=dict)
    """The actual-cost walk's collected fields (keyed by node ids, so they live with this document)."""

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        if self.document is None:
            return None
        operations = [d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)]
        if name is None:
            return operations[0] if len(operations) == 1 else None
        return next((o for o in operations if o.name is not None and o.name.value == name), None)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class DocumentCache:
    """An LRU of prepared documents; trusted ones are pinned and never evicted."""

    def __init__(self, schema: GraphQLSchema, *, production: bool, size: int = 2000) -> None:
        self._schema = schema
        self._rules = (
            [*specified_rules, NoSchemaIntrospectionCustomRule] if production else list(specified_rules)
        )
        self._size = size
        self._lru: OrderedDict[str, Prepared] = OrderedDict()
        self._pinned: dict[str, Prepared] = {}

    def prepare(self, text: str) -> Prepared:
        key = sha256_hex(text)
        pinned = self._pinned.get(key)
        if pinned is not None:
            return pinned
        cached = self._lru.get(key)
        if cached is not None:
            self._lru.move_to_end(key)
            return cached
        prepared = self._prepare(text)
        self._lru[key] = prepared
        if len(self._lru) > self._size:
            self._lru.popitem(last=False)
        return prepared

    def pin(self, document_id: str, text: str) -> Prepared:
        prepared = self._prepare(text)
        self._pinned[document_id] = prepared
        self._pinned[sha256_hex(text)] = prepared
        return prepared

    def pinned(self, document_id: str) -> Prepared | None:
        return self._pinned.get(document_id)

    def is_trusted_text(self, text: str) -> bool:
        return sha256_hex(text) in self._pinned

    def _prepare(self, text: str) -> Prepared:
        try:
            document = parse(text, max_tokens=MAX_TOKENS)
        except GraphQLSyntaxError as error:
            if "more than" in error.message and "tokens" in error.message:
                raise TooManyTokens(error.message) from None
            return Prepared(text, None, [error])
        errors = validate(self._schema, document, self._rules)
        if errors:
            return Prepared(text, None, list(errors))
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        shapes = {
            (d.name.value if d.name else None): shape_of(d, fragments)
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        }
        return Prepared(text, document, [], fragments, shapes)


class ManifestError(Exception):
    """A trusted-documents manifest that cannot be loaded; the message names the file and entry."""


def read_manifest(path: str) -> dict[str, str]:
    """Apollo's persisted-query manifest: `format` apollo-persisted-query-manifest, `operations` [...]."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: {error}") from None
    if data.get("format") != "apollo-persisted-query-manifest" or not isinstance(
        data.get("operations"), list
    ):
        raise ManifestError(f"{path}: not an apollo-persisted-query-manifest")
    documents: dict[str, str] = {}
    for entry in data["operations"]:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("id"), str)
            or not isinstance(entry.get("body"), str)
        ):
            raise ManifestError(f"{path}: every operation needs an id and a body")
        documents[entry["id"]] = entry["body"]
    return documents


def load_trusted(cache: DocumentCache, paths: Sequence[str]) -> int:
    """Parses and validates every trusted document once; an invalid one stops the start with its name."""
    count = 0
    for path in paths:
        for document_id, body in read_manifest(path).items():
            try:
                prepared = cache.pin(document_id, body)
            except TooManyTokens as error:
                raise ManifestError(f"{path}: {document_id}: {error}") from None
            if prepared.errors:
                raise ManifestError(f"{path}: {document_id} does not validate: {prepared.errors[0].message}")
            count += 1
    return count


def build_manifest(folder: Path) -> dict[str, object]:
    """The manifest of every `.graphql` operation under a folder (id = SHA-256 hex of the file's text)."""
    operations = []
    for path in sorted(folder.rglob("*.graphql")):
        body = path.read_text()
        document = parse(body)
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
                operations.append(
                    {
                        "id": sha256_hex(body),
                        "body": body,
                        "name": definition.name.value,
                        "type": definition.operation.value,
                    }
                )
    return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
