"""Reading tantivy results: exact keyset pages (by sort key or by score), highlights, stored fields."""

import html
from collections.abc import Callable

import tantivy
from tantivy import DocAddress, Query

from search.port import Candidate, DocKind, SortKey
from search.tantivy_query import FUZZY_MIN_LENGTH, words
from search.tantivy_schema import analyzer

Scored = tuple[SortKey, DocAddress]

RELEVANCE_TIE_FIELD = "k_new"
_FIRST_WINDOW = 64


def count(searcher: tantivy.Searcher, query: Query) -> int:
    # search(limit=0) panics past `except Exception`: count with limit=1.
    found = searcher.search(query, limit=1, count=True)
    return int(found.count or 0)  # type: ignore[attr-defined]  # the stub omits SearchResult.count


def sorted_page(
    searcher: tantivy.Searcher, query: Query, paged: Query, field: str, descending: bool, first: int
) -> tuple[int, list[Scored]]:
    """The total of `query`, and the first hits of `paged` (query plus keyset bound) by one sort key."""
    total = count(searcher, query)
    if first <= 0 or total == 0:
        return total, []
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    found = searcher.search(paged, limit=first, count=False, order_by_field=field, order=order).hits
    keys = searcher.fast_field_values(field, [address for _, address in found])
    return total, [([int(key or 0)], address) for key, (_, address) in zip(keys, found, strict=True)]


def _after(key: SortKey, cursor: SortKey | None) -> bool:
    """Order is score descending, then the tie key descending."""
    if not cursor:
        return True
    return key[0] < cursor[0] or (key[0] == cursor[0] and key[1] < cursor[1])


def relevance_page(
    searcher: tantivy.Searcher, query: Query, first: int, after: SortKey | None
) -> tuple[int, list[Scored]]:
    """Keyset paging by (score, tie key): scores cannot be range-queried, so widen the top-k window until
    every hit on the page scores strictly above the window's lowest score (ties there may be cut)."""
    total = count(searcher, query)
    if first <= 0 or total == 0:
        return total, []
    window = max(_FIRST_WINDOW, 2 * first)
    while True:
        found = searcher.search(query, limit=window, count=False).hits
        ties = searcher.fast_field_values(RELEVANCE_TIE_FIELD, [address for _, address in found])
        keyed: list[Scored] = [
            ([float(score), int(tie or 0)], address)
            for tie, (score, address) in zip(ties, found, strict=True)
        ]
        keyed = sorted((k for k in keyed if _after(k[0], after)), key=lambda k: (-k[0][0], -k[0][1]))
        if len(found) < window:
            return total, keyed[:first]
        lowest = float(found[-1][0])
        safe = [k for k in keyed if k[0][0] > lowest]
        if len(safe) >= first:
            return total, safe[:first]
        window *= 4


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
