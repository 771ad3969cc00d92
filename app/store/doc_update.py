"""Applies the store port's update operators to a JSON document in Python, as MongoDB does.

Pure functions (no I/O), used by the SQLite adapter, which reads the matched documents,
updates them here and writes them back inside one transaction:

- `apply_update(doc, update, inserting=...)`: `$set`, `$unset`, `$inc`, `$max`, `$min`,
  `$setOnInsert` (only when inserting), `$push` (`$each`, `$slice`), `$addToSet` (`$each`),
  `$pull` (a value, or a sub-document of field equalities matched against each element).
- `upsert_seed(filter)`: the document an upsert starts from (the filter's equalities).
- `array_paths(doc)`: the dotted paths at which `doc` holds arrays.
- `bson_key(value)`: a sort key following MongoDB's comparison order for JSON types.

Paths are dotted; an all-digit segment indexes into an array. Operator errors MongoDB
would report (`$inc` of a string, `$push` to a non-array, changing `_id`...) raise ValueError.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from bson import ObjectId

from app.store.port import Document, Filter, Update

UPDATE_OPERATORS = frozenset(
    {"$set", "$unset", "$inc", "$max", "$min", "$setOnInsert", "$push", "$addToSet", "$pull"}
)

# MongoDB's order of the JSON types: null < numbers < strings < objects < arrays < booleans.
_NULL, _NUMBER, _STRING, _OBJECT, _ARRAY, _BOOL = 1, 2, 3, 4, 5, 8


def projected_fields(names: Sequence[str]) -> list[str]:
    """The fields a `find` projection names, once each and `_id` aside (every result holds it).
    Only top-level names: dotted or operator names are refused on every engine alike."""
    for name in names:
        if not name or "." in name or name.startswith("$"):
            raise ValueError(f"a projection names top-level fields only, not {name!r}")
    return [name for name in dict.fromkeys(names) if name != "_id"]


def new_id() -> str:
    """A fresh `_id`: the hex of a BSON ObjectId, as a str."""
    return str(ObjectId())


def bson_key(value: Any) -> tuple[Any, ...]:
    """Sort key in MongoDB's order; equal keys mean MongoDB-equal values (1 == 1.0)."""
    if value is None:
        return (_NULL,)
    if isinstance(value, bool):
        return (_BOOL, value)
    if isinstance(value, int | float):
        return (_NUMBER, value)
    if isinstance(value, str):
        return (_STRING, value)
    if isinstance(value, Mapping):
        pairs = []
        for key, item in value.items():
            item_key = bson_key(item)
            pairs.append((item_key[0], key, item_key))
        return (_OBJECT, tuple(pairs))
    if isinstance(value, list | tuple):
        return (_ARRAY, tuple(bson_key(item) for item in value))
    raise ValueError(f"not a JSON value: {type(value).__name__}")


def bson_equal(a: Any, b: Any) -> bool:
    return bson_key(a) == bson_key(b)


def array_paths(doc: Mapping[str, Any]) -> set[str]:
    """Dotted paths holding arrays, MongoDB style: `lines.tags` for the `tags` arrays of
    the sub-documents of the `lines` array."""
    found: set[str] = set()

    def walk(obj: Mapping[str, Any], prefix: str) -> None:
        for key, value in obj.items():
            path = prefix + key
            if isinstance(value, list):
                found.add(path)
                for item in value:
                    if isinstance(item, dict):
                        walk(item, path + ".")
            elif isinstance(value, dict):
                walk(value, path + ".")

    walk(doc, "")
    return found


def upsert_seed(filter: Filter) -> Document:
    """The fields an upsert inserts from its filter: equalities, also inside `$and`."""
    seed: Document = {}

    def visit(part: Filter) -> None:
        for key, condition in part.items():
            if key == "$and":
                for sub in condition:
                    visit(sub)
            elif key.startswith("$"):
                continue
            elif isinstance(condition, Mapping) and condition and all(k.startswith("$") for k in condition):
                if "$eq" in condition:
                    _set(seed, key.split("."), copy.deepcopy(condition["$eq"]))
            else:
                _set(seed, key.split("."), copy.deepcopy(condition))

    visit(filter)
    return seed


def validate_update(update: Update) -> None:
    if not isinstance(update, Mapping) or not update:
        raise ValueError("an update is a non-empty mapping of update operators")
    for op, fields in update.items():
        if op not in UPDATE_OPERATORS:
            raise ValueError(f"unsupported update operator {op!r}")
        if not isinstance(fields, Mapping):
            raise ValueError(f"{op} needs a mapping of fields")


def apply_update(doc: Document, update: Update, *, inserting: bool = False) -> Document:
    """A copy of `doc` with `update` applied. `$setOnInsert` applies only when `inserting`."""
    validate_update(update)
    result = copy.deepcopy(doc)
    changes = [
        (path.split("."), op, arg)
        for op, fields in update.items()
        if op != "$setOnInsert" or inserting
        for path, arg in fields.items()
    ]
    # MongoDB (5.0+) applies the changes in the order of their paths, so new fields appear so.
    changes.sort(key=lambda change: [_segment_order(segment) for segment in change[0]])
    for segments, op, arg in changes:
        _apply(result, op, segments, arg)
    if "_id" in doc and not bson_equal(result.get("_id"), doc["_id"]):
        raise ValueError("an update cannot change _id")
    return result


def _segment_order(segment: str) -> tuple[int, int, str]:
    return (0, int(segment), "") if segment.isdigit() else (1, 0, segment)


def _apply(doc: Document, op: str, segments: list[str], arg: Any) -> None:
    if op in ("$set", "$setOnInsert"):
        _set(doc, segments, copy.deepcopy(arg))
        return
    if op == "$unset":
        _unset(doc, segments)
        return
    found, current = _get(doc, segments)
    if op == "$inc":
        if not _is_number(arg):
            raise ValueError(f"$inc needs a number, not {arg!r}")
        if found and not _is_number(current):
            raise ValueError(f"cannot $inc the non-numeric {'.'.join(segments)!r}")
        _set(doc, segments, current + arg if found else arg)
    elif op in ("$max", "$min"):
        greater = bson_key(arg) > bson_key(current) if found else True
        smaller = bson_key(arg) < bson_key(current) if found else True
        if (op == "$max" and greater) or (op == "$min" and smaller):
            _set(doc, segments, copy.deepcopy(arg))
    elif op in ("$push", "$addToSet", "$pull"):
        if found and not isinstance(current, list):
            raise ValueError(f"{op} needs an array at {'.'.join(segments)!r}")
        if op == "$pull":
            if found:
                _set(doc, segments, [item for item in current if not _pull_matches(item, arg)])
            return
        items = list(current) if found else []
        if op == "$push":
            _push(items, arg)
        else:
            for value in _each(arg, allowed=("$each",)):
                if not any(bson_equal(value, item) for item in items):
                    items.append(copy.deepcopy(value))
        _set(doc, segments, items)


def _push(items: list[Any], arg: Any) -> None:
    items.extend(copy.deepcopy(value) for value in _each(arg, allowed=("$each", "$slice")))
    if isinstance(arg, Mapping) and "$slice" in arg:
        size = arg["$slice"]
        if isinstance(size, bool) or not isinstance(size, int):
            raise ValueError("$slice needs an integer")
        items[:] = items[max(0, len(items) + size) :] if size < 0 else items[:size]


def _each(arg: Any, allowed: tuple[str, ...]) -> list[Any]:
    if isinstance(arg, Mapping) and "$each" in arg:
        unknown = [key for key in arg if key not in allowed]
        if unknown:
            raise ValueError(f"unsupported modifiers {unknown}")
        if not isinstance(arg["$each"], list | tuple):
            raise ValueError("$each needs a list")
        return list(arg["$each"])
    if isinstance(arg, Mapping) and any(key.startswith("$") for key in arg):
        raise ValueError(f"unsupported modifiers in {dict(arg)!r}")
    return [arg]


def _pull_matches(item: Any, condition: Any) -> bool:
    if isinstance(condition, Mapping):
        if any(key.startswith("$") for key in condition):
            raise ValueError("$pull supports equality conditions only")
        if not isinstance(item, Mapping):
            return False
        return all(_field_equals(item, path, value) for path, value in condition.items())
    return bson_equal(item, condition)


def _field_equals(doc: Mapping[str, Any], path: str, value: Any) -> bool:
    found, current = _get(doc, path.split("."))
    if not found:
        return value is None
    if bson_equal(current, value):
        return True
    return isinstance(current, list) and any(bson_equal(item, value) for item in current)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _get(doc: Any, segments: list[str]) -> tuple[bool, Any]:
    current = doc
    for segment in segments:
        if isinstance(current, Mapping) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            return False, None
    return True, current


def _set(doc: Document, segments: list[str], value: Any) -> None:
    container: Any = doc
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if isinstance(container, dict):
            if last:
                container[segment] = value
                return
            if segment not in container:
                container[segment] = {}
            container = container[segment]
        elif isinstance(container, list) and segment.isdigit():
            index = int(segment)
            container.extend([None] * (index + 1 - len(container)))
            if last:
                container[index] = value
                return
            if container[index] is None:
                container[index] = {}
            container = container[index]
        else:
            raise ValueError(f"cannot create field {segment!r} in {container!r}")


def _unset(doc: Document, segments: list[str]) -> None:
    found, parent = _get(doc, segments[:-1])
    if not found:
        return
    last = segments[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = None
