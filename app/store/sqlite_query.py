"""Compiles the store port's filters and sorts to SQLite SQL over `json_extract(doc, '$.path')`.

Pure functions, no I/O. A collection is a table `(id TEXT PRIMARY KEY, doc TEXT NOT NULL)`.

Index use: a field is read as `json_extract(doc, '<path>')`, always spelled by `field_sql()`,
the very expression `create_index` indexes, so SQLite matches them. Equality and range
conditions put that expression alone on one side of `=`, `IN`, `<`, `>`...; the type checks
that make comparisons bracket types the way MongoDB does (`{n: 1}` does not match `true`,
`{n: {$gt: 5}}` does not match strings) are separate residual conjuncts.

Arrays: MongoDB's "equality on an array field matches any element" (and comparisons,
`$in`, and paths through arrays of sub-documents such as `lines.sku`) needs a
`json_each` EXISTS branch that no index can serve. So the compiler takes `array_paths`,
the dotted paths at which the collection has ever stored an array (the SQLite adapter
records them on every write), and adds those branches only on such paths. Scalar fields
get plain, indexable conditions.

Not supported (a `ValueError` names them): operators outside the port's subset, numeric
path segments as array indexes (`a.0` is the key "0"), keys containing `"`.
Sort caveats: a field holding booleans sorts them as 0/1 among numbers; an array-valued
sort field sorts by its JSON text (MongoDB uses its smallest or largest element).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import orjson

from app.store.port import Filter, SortSpec

COMPARISONS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
FIELD_OPERATORS = frozenset({"$eq", "$ne", "$in", "$nin", "$exists", *COMPARISONS})
NUMBER_TYPES = "('integer','real')"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# A leaf condition: given the SQL of a value and of its json type, the SQL of the test.
Leaf = Callable[[str, str], str]


def split_path(path: str) -> list[str]:
    """The segments of a dotted field path; ValueError when it is not a plain field path."""
    segments = path.split(".")
    for segment in segments:
        if not segment or segment.startswith("$") or '"' in segment or "\x00" in segment:
            raise ValueError(f"unsupported field path {path!r}")
    return segments


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    if '"' in name or "\x00" in name or not name:
        raise ValueError(f"unsupported SQL identifier {name!r}")
    return f'"{name}"'


def json_path(segments: Sequence[str]) -> str:
    """The SQL string literal of the JSON path of `segments`, e.g. `'$.a.b'`."""
    parts = ["$"]
    for segment in segments:
        parts.append(segment if _IDENTIFIER.match(segment) else f'"{segment}"')
    return sql_string(".".join(parts))


def field_sql(path: str) -> str:
    """The expression indexes and queries share for a field path."""
    if path == "_id":
        return "id"
    return f"json_extract(doc, {json_path(split_path(path))})"


def index_columns(keys: SortSpec) -> list[str]:
    """The indexed expressions of `create_index(keys)`, with their direction."""
    if not keys:
        raise ValueError("an index needs at least one key")
    return [f"{field_sql(path)}{' DESC' if _direction(direction) < 0 else ''}" for path, direction in keys]


def unique_index_columns(keys: SortSpec) -> list[str]:
    """Expressions of the uniqueness index: null and missing count as one value, as in MongoDB."""
    return [f"ifnull({field_sql(path)}, x'00')" for path, _ in keys]


def compile_sort(sort: SortSpec | None) -> str:
    """`ORDER BY ...` (empty string for no sort). Missing and null come first ascending."""
    if not sort:
        return ""
    terms = [f"{field_sql(path)} {'DESC' if _direction(d) < 0 else 'ASC'}" for path, d in sort]
    return "ORDER BY " + ", ".join(terms)


def _direction(direction: Any) -> int:
    if isinstance(direction, bool) or direction not in (1, -1):
        raise ValueError(f"sort direction must be 1 or -1, not {direction!r}")
    return int(direction)


def compile_filter(filter: Filter, array_paths: Collection[str] = ()) -> tuple[str, list[Any]]:
    """The SQL condition (for a WHERE clause) and its parameters that match `filter`."""
    keys = _plain_id_list(filter)
    if keys:
        return f"(id IN ({', '.join('?' * len(keys))}))", keys
    compiler = _Compiler(array_paths)
    return compiler.document(filter), compiler.params


def _plain_id_list(filter: Filter) -> list[str] | None:
    """The keys of `{"_id": {"$in": [...]}}` when all are plain strings: every DataLoader batch asks
    this, and it compiles to what the general walk gives, at a tenth of its cost."""
    if len(filter) != 1:
        return None
    condition = filter.get("_id")
    if type(condition) is not dict or len(condition) != 1:
        return None
    keys = condition.get("$in")
    if type(keys) is not list or not all(type(k) is str and k[:1] not in ("[", "{") for k in keys):
        return None
    return list(keys)


class _Compiler:
    def __init__(self, array_paths: Collection[str]) -> None:
        self.array_paths = frozenset(array_paths)
        self.params: list[Any] = []
        self.aliases = 0

    def param(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    # -- documents and fields -------------------------------------------------------------

    def document(self, filter: Filter) -> str:
        if not isinstance(filter, Mapping):
            raise ValueError(f"a filter is a mapping, not {type(filter).__name__}")
        terms: list[str] = []
        for key, condition in filter.items():
            if key in ("$and", "$or"):
                if not isinstance(condition, list | tuple) or not condition:
                    raise ValueError(f"{key} needs a non-empty list of filters")
                parts = [self.document(part) for part in condition]
                joiner = " AND " if key == "$and" else " OR "
                terms.append("(" + joiner.join(parts) + ")")
            elif key.startswith("$"):
                raise ValueError(f"unsupported filter operator {key!r}")
            else:
                terms.append(self.field(key, condition))
        return "(" + " AND ".join(terms) + ")" if terms else "1"

    def field(self, path: str, condition: Any) -> str:
        if _is_operator_dict(condition):
            return " AND ".join(self.operator(path, op, arg) for op, arg in condition.items())
        return self.operator(path, "$eq", condition)

    def operator(self, path: str, op: str, arg: Any) -> str:
        if op == "$eq":
            return self.match(path, lambda v, t: self.equal(v, t, arg))
        if op == "$ne":
            return _negate(self.match(path, lambda v, t: self.equal(v, t, arg)))
        if op in ("$in", "$nin"):
            if not isinstance(arg, list | tuple):
                raise ValueError(f"{op} needs a list")
            positive = self.match(path, lambda v, t: self.member(v, t, arg))
            return positive if op == "$in" else _negate(positive)
        if op in COMPARISONS:
            return self.match(path, lambda v, t: self.compare(v, t, COMPARISONS[op], arg))
        if op == "$exists":
            exists = self.match(path, lambda v, t: f"{t} IS NOT NULL", elementwise=False)
            return exists if arg else _negate(exists)
        raise ValueError(f"unsupported field operator {op!r} (on {path!r})")

    def match(self, path: str, leaf: Leaf, *, elementwise: bool = True) -> str:
        """`leaf` applied to the field, with MongoDB's array semantics on known array paths."""
        if path == "_id":
            return leaf("id", "'text'")
        return self.walk("doc", [], split_path(path), 0, leaf, elementwise)

    def walk(
        self, base: str, prefix: list[str], segments: list[str], start: int, leaf: Leaf, elementwise: bool
    ) -> str:
        """`segments` read from the JSON `base`, whose own path in the document is `prefix`.

        `start` skips the array-path checks of the first segments (already handled).
        """
        for i in range(start + 1, len(segments) + 1):
            if ".".join(prefix + segments[:i]) not in self.array_paths:
                continue
            here = json_path(segments[:i])
            scalar = self.walk(base, prefix, segments, i, leaf, elementwise)
            alias = self.alias()
            is_array = f"json_type({base}, {here}) = 'array'"
            if i == len(segments):
                if not elementwise:
                    return scalar
                element = leaf(f"{alias}.value", f"{alias}.type")
                return (
                    f"({scalar} OR ({is_array} AND EXISTS (SELECT 1 FROM json_each({base}, {here}) "
                    f"AS {alias} WHERE {element})))"
                )
            element_base = f"(CASE WHEN {alias}.type = 'object' THEN {alias}.value END)"
            inner = self.walk(element_base, prefix + segments[:i], segments[i:], 0, leaf, elementwise)
            return (
                f"((ifnull(json_type({base}, {here}), '') <> 'array' AND {scalar}) OR ({is_array} AND "
                f"EXISTS (SELECT 1 FROM json_each({base}, {here}) AS {alias} "
                f"WHERE {alias}.type = 'object' AND {inner})))"
            )
        path = json_path(segments)
        return leaf(f"json_extract({base}, {path})", f"json_type({base}, {path})")

    def alias(self) -> str:
        self.aliases += 1
        return f"e{self.aliases}"

    # -- leaf conditions ----------------------------------------------------------------------

    def equal(self, v: str, t: str, value: Any) -> str:
        if value is None:
            return f"{v} IS NULL"
        if isinstance(value, bool):
            return f"({v} = {int(value)} AND {t} = '{'true' if value else 'false'}')"
        if isinstance(value, int | float):
            return f"({v} = {self.param(value)} AND {t} IN {NUMBER_TYPES})"
        if isinstance(value, str):
            if value[:1] in ("[", "{"):  # could equal the JSON text of an array or object
                return f"({v} = {self.param(value)} AND {t} = 'text')"
            return f"{v} = {self.param(value)}"
        if isinstance(value, dict | list | tuple):
            kind = "object" if isinstance(value, dict) else "array"
            return f"({v} = json({self.param(_json(value))}) AND {t} = '{kind}')"
        raise ValueError(f"unsupported filter value of type {type(value).__name__}")

    def member(self, v: str, t: str, values: Sequence[Any]) -> str:
        for x in values:
            if x is not None and not isinstance(x, str | int | float | dict | list | tuple):
                raise ValueError(f"unsupported $in value of type {type(x).__name__}")
        strings = [x for x in values if isinstance(x, str)]
        others = [x for x in values if not isinstance(x, str)]
        terms: list[str] = []
        if strings:
            marks = ", ".join(self.param(x) for x in strings)
            check = f" AND {t} = 'text'" if any(x[:1] in ("[", "{") for x in strings) else ""
            terms.append(f"({v} IN ({marks}){check})" if check else f"{v} IN ({marks})")
        numbers = [x for x in others if isinstance(x, int | float) and not isinstance(x, bool)]
        if numbers:
            marks = ", ".join(self.param(x) for x in numbers)
            terms.append(f"({v} IN ({marks}) AND {t} IN {NUMBER_TYPES})")
        rest = [x for x in others if x is None or isinstance(x, bool | dict | list | tuple)]
        terms.extend(self.equal(v, t, x) for x in rest)
        if not terms:
            return "0"
        return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"

    def compare(self, v: str, t: str, sql_op: str, value: Any) -> str:
        if value is None:  # only $gte / $lte null match, and only null or missing
            return f"{v} IS NULL" if sql_op in (">=", "<=") else "0"
        if isinstance(value, bool):
            return f"({v} {sql_op} {int(value)} AND {t} IN ('true','false'))"
        mark = self.param(value) if isinstance(value, int | float | str) else None
        if isinstance(value, int | float):
            # Numbers sort below all text in SQLite: `< ''` closes the index range.
            bound = f" AND {v} < ''" if sql_op in (">", ">=") else ""
            return f"({v} {sql_op} {mark}{bound} AND {t} IN {NUMBER_TYPES})"
        if isinstance(value, str):
            bound = f" AND {v} >= ''" if sql_op in ("<", "<=") else ""
            return f"({v} {sql_op} {mark}{bound} AND {t} = 'text')"
        raise ValueError(f"unsupported comparison value of type {type(value).__name__}")


def _is_operator_dict(condition: Any) -> bool:
    if not isinstance(condition, Mapping) or not condition:
        return False
    keys = [key.startswith("$") for key in condition]
    if any(keys) and not all(keys):
        raise ValueError(f"mixed operators and fields in {dict(condition)!r}")
    return all(keys)


def _negate(condition: str) -> str:
    # SQL NULL (a missing field) must count as "no match" before the negation.
    return f"NOT ifnull({condition}, 0)"


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()
