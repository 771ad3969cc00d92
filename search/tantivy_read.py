"""Reading tantivy results: exact keyset pages (by sort key or by score), highlights, stored fields."""

import html
from collections.abc import Callable, Sequence

import tantivy
from tantivy import DocAddress, Query

from search.port import Candidate, DocKind, SortKey
from search.tantivy_query import FUZZY_MIN_LENGTH, combine, words
from search.tantivy_schema import analyzer

Scored = tuple[SortKey, DocAddress]

RELEVANCE_TIE_FIELD = "k_new"
# A score level up to this size is read whole and sorted here; a larger one is walked in tie-key order
# (then its members are dense among the matches, so a walk of a few chunks fills a page).
LEVEL_READ = 2048
WALK_CHUNK = 1024
# Chunks a page after a cursor walks before it looks for the level's end (it usually needs one).
WALK_TRY = 2


def count(searcher: tantivy.Searcher, query: Query) -> int:
    # search(limit=0) panics past `except Exception`: count with limit=1.
    found = searcher.search(query, limit=1, count=True)
    return int(found.count or 0)  # type: ignore[attr-defined]  # the stub omits SearchResult.count


def sorted_page(
    searcher: tantivy.Searcher,
    query: Query,
    paged: Query,
    field: str,
    descending: bool,
    first: int,
    counted: bool = True,
) -> tuple[int, list[Scored]]:
    """The total of `query` (only when `counted`: counting visits every match, the page does not; else
    the page's length), and the first hits of `paged` (query plus keyset bound) by one sort key. A first
    page (`paged` is `query`) is counted by the search that reads it."""
    if first <= 0:
        return (count(searcher, query) if counted else 0), []
    counted_here = counted and paged is query
    total = count(searcher, query) if counted and not counted_here else 0
    if counted and not counted_here and total == 0:
        return 0, []
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    result = searcher.search(paged, limit=first, count=counted_here, order_by_field=field, order=order)
    if counted_here:
        total = int(result.count or 0)  # type: ignore[attr-defined]  # the stub omits SearchResult.count
    found = result.hits
    keys = searcher.fast_field_values(field, [address for _, address in found])
    page: list[Scored] = [([int(key or 0)], address) for key, (_, address) in zip(keys, found, strict=True)]
    return (total if counted else len(page)), page


def relevance_page(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    first: int,
    after: SortKey | None,
    counted: bool = True,
) -> tuple[int, list[Scored]]:
    """Keyset paging by (score desc, tie key desc). Scores cannot be range-queried, so pages are found
    by position in tantivy's own score order (ties there by doc address, which is not stable), and only
    the score level cut by a page edge is ordered by the tie key: read whole when small, else walked
    through a tie-key range query (`_level`)."""
    if not after:
        return _first_page(searcher, schema, query, first, counted)
    total = count(searcher, query) if counted else 0
    if first <= 0 or (counted and total == 0):
        return total, []
    page = _after_cursor(searcher, schema, query, first, float(after[0]), int(after[1]))
    return (total if counted else len(page)), page


def _first_page(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, first: int, counted: bool
) -> tuple[int, list[Scored]]:
    """One search counts the matches and reads the best LEVEL_READ + 1 of them. The level cut by the
    page edge is whole in that window unless the window's last hit scores as much (then it is at least
    LEVEL_READ + 1 - start long, and is walked); sorted here, the window gives the exact page."""
    found = searcher.search(query, limit=max(first, LEVEL_READ + 1), count=counted)
    window: list[tuple[float, DocAddress]] = found.hits
    total = int(found.count or 0) if counted else 0  # type: ignore[attr-defined]  # stub omits count
    if first <= 0 or not window:
        return total, []
    level = window[min(first, len(window)) - 1][0]
    # Only the hits that can be on the page are keyed (the window is in descending score order).
    if len(window) <= LEVEL_READ or window[-1][0] < level:
        page = sorted(_keyed(searcher, [h for h in window if h[0] >= level]), key=_key)[:first]
        return (total if counted else len(page)), page
    fixed = sorted(_keyed(searcher, [h for h in window if h[0] > level]), key=_key)
    start = len(fixed)
    if start == 0:  # the level fills the window: too large to read
        rest = _walk(searcher, schema, query, level, None, first)[0]
    else:
        rest = _level(searcher, schema, query, level, start, None, None, first - start)
    page = fixed + rest
    return (total if counted else len(page)), page


def _after_cursor(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, first: int, level: float, below: int
) -> list[Scored]:
    """The rest of the cursor's score level, then the levels below it. A page inside a large level
    (the slow case) is served by a short walk; finding where the level ends costs O(log n) searches."""
    page, exhausted = _walk(searcher, schema, query, level, below, first, chunks=WALK_TRY)
    if len(page) >= first:
        return page
    end = _level_end(searcher, query, level)
    if not exhausted:
        page = _level(searcher, schema, query, level, None, end, below, first)
    if len(page) < first:
        page += _page_from(searcher, schema, query, end, first - len(page))
    return page


def _key(scored: Scored) -> tuple[float, float]:
    return -scored[0][0], -scored[0][1]


def _keyed(searcher: tantivy.Searcher, found: Sequence[tuple[float, DocAddress]]) -> list[Scored]:
    ties = searcher.fast_field_values(RELEVANCE_TIE_FIELD, [address for _, address in found])
    return [([float(s), int(t or 0)], address) for t, (s, address) in zip(ties, found, strict=True)]


def _score_at(searcher: tantivy.Searcher, query: Query, position: int) -> float | None:
    """One hit's score by position: tantivy keeps a heap of `position + 1`, Python sees one tuple."""
    found = searcher.search(query, limit=1, count=False, offset=position).hits
    return float(found[0][0]) if found else None


def _below(searcher: tantivy.Searcher, query: Query, position: int, level: float) -> bool:
    score = _score_at(searcher, query, position)
    return score is None or score < level


def _level_end(searcher: tantivy.Searcher, query: Query, level: float) -> int:
    """The first position scoring below `level`: galloping, then bisecting (O(log n) cheap probes)."""
    low, step = 0, 64
    high = step
    while not _below(searcher, query, high, level):
        low, step = high + 1, step * 2
        high = low + step
    while low < high:
        middle = (low + high) // 2
        if _below(searcher, query, middle, level):
            high = middle
        else:
            low = middle + 1
    return low


def _page_from(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, start: int, want: int
) -> list[Scored]:
    """`want` hits from `start`, a position where a score level begins."""
    found = _keyed(searcher, searcher.search(query, limit=want, offset=start, count=False).hits)
    if len(found) < want or _below(searcher, query, start + want, found[-1][0][0]):
        return sorted(found, key=_key)  # the last level ends inside the page: nothing was cut
    level = found[-1][0][0]
    fixed = sorted((k for k in found if k[0][0] > level), key=_key)
    rest = _level(searcher, schema, query, level, start + len(fixed), None, None, want - len(fixed))
    return fixed + rest


def _level(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    level: float,
    start: int | None,
    end: int | None,
    below: int | None,
    want: int,
) -> list[Scored]:
    """The first `want` hits scoring exactly `level` with a tie key under `below`, by tie key. Give the
    level's first position (`start`) or the position past it (`end`)."""
    if start is None:
        assert end is not None
        start = max(0, end - LEVEL_READ)
        # The level is small when it begins inside the read window.
        small = start == 0 or (_score_at(searcher, query, start - 1) or 0.0) > level
    else:
        small = _below(searcher, query, start + LEVEL_READ, level)
    if not small:
        return _walk(searcher, schema, query, level, below, want)[0]
    found = _keyed(searcher, searcher.search(query, limit=LEVEL_READ, offset=start, count=False).hits)
    kept = [k for k in found if k[0][0] == level and (below is None or k[0][1] < below)]
    return sorted(kept, key=_key)[:want]


def _tie_range(schema: tantivy.Schema, low: int | None, high: int, include_upper: bool) -> Query:
    kind = tantivy.FieldType.Integer
    return Query.range_query(schema, RELEVANCE_TIE_FIELD, kind, low, high, include_upper=include_upper)


def _walk(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    level: float,
    below: int | None,
    want: int,
    chunks: int | None = None,
) -> tuple[list[Scored], bool]:
    """Walks the matches by tie key descending, a chunk at a time (at most `chunks`), scoring each chunk
    with one search bounded to its key range (keys are unique, so the range holds exactly the chunk),
    keeping `level`. Also tells whether the walk reached the last match."""
    kept: list[Scored] = []
    upper = below
    while len(kept) < want:
        if chunks is not None and chunks <= 0:
            return kept, False
        chunks = None if chunks is None else chunks - 1
        scope = query if upper is None else combine(query, [_tie_range(schema, None, upper, False)])
        order = tantivy.Order.Desc
        chunk = searcher.search(
            scope, limit=WALK_CHUNK, count=False, order_by_field=RELEVANCE_TIE_FIELD, order=order
        ).hits
        if not chunk:
            return kept[:want], True
        low, high = int(chunk[-1][0]), int(chunk[0][0])
        bounded = combine(query, [_tie_range(schema, low, high, True)])
        scored = searcher.search(bounded, limit=len(chunk), count=False).hits
        # DocAddress is not hashable; the chunk already holds the tie keys in order.
        at_level = {(a.segment_ord, a.doc) for score, a in scored if score == level}
        kept += [([level, int(key)], a) for key, a in chunk if (a.segment_ord, a.doc) in at_level]
        if len(chunk) < WALK_CHUNK:
            return kept[:want], True
        upper = low
    return kept[:want], False


def _near(word: str, token: str) -> bool:
    """Within one edit (a transposition counting as one), as the fuzzy query matches."""
    if abs(len(word) - len(token)) > 1:
        return False
    if len(word) == len(token):
        diff = [i for i, (x, y) in enumerate(zip(word, token, strict=True)) if x != y]
        return len(diff) <= 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == token[diff[1]]
            and word[diff[1]] == token[diff[0]]
        )
    short, long = (word, token) if len(word) < len(token) else (token, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def highlighter(text: str | None, locale: str) -> Callable[[str, str], str]:
    """Marks what the text query matches (stemmed word, one-letter typo, prefix of the last word) in a
    title, escaping the rest. tantivy's SnippetGenerator only sees exact terms, so typos went unmarked."""
    query_words = words(text)
    last = query_words[-1] if query_words else ""

    def matches(plain: str, stem: str, stems: set[str]) -> bool:
        if stem in stems or (last and plain.startswith(last)):
            return True
        return len(plain) >= FUZZY_MIN_LENGTH and any(
            len(w) >= FUZZY_MIN_LENGTH and _near(w, plain) for w in query_words
        )

    def mark(title: str, title_locale: str) -> str:
        stemmer = analyzer(title_locale)
        stems = {s for w in query_words for s in stemmer.analyze(w)}
        plain_tokens = analyzer(None).pre_tokenize(title).tokens
        pieces: list[str] = []
        cursor = 0
        for plain, stemmed in zip(plain_tokens, stemmer.pre_tokenize(title).tokens, strict=False):
            if matches(plain.text, stemmed.text, stems):
                begin, end = plain.char_offset_from, plain.char_offset_to
                pieces += [html.escape(title[cursor:begin]), f"<em>{html.escape(title[begin:end])}</em>"]
                cursor = end
        return "".join([*pieces, html.escape(title[cursor:])])

    return mark


def stored(doc: tantivy.Document, kind: DocKind) -> Candidate:
    doc_id = str(doc.get_first("id"))
    supplier = doc.get_first("supplier")
    return Candidate(
        id=doc_id,
        vertical_ids=tuple(str(v) for v in doc.get_all("vertical")),
        supplier_id=doc_id if kind == "supplier" else (str(supplier) if supplier is not None else None),
        created_at=int(doc.get_first("created_at") or 0),
        popularity=float(doc.get_first("popularity") or 0.0),
    )
