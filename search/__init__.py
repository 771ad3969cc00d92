"""Discovery: index documents, run searches and feed candidates behind one port (see search.port)."""

from search.port import (
    ArticleDoc,
    ArticleQuery,
    Candidate,
    FacetBucket,
    Hit,
    ProductDoc,
    ProductQuery,
    SearchEngine,
    SearchHits,
    SearchUnavailable,
    SupplierDoc,
)

__all__ = [
    "ArticleDoc",
    "ArticleQuery",
    "Candidate",
    "FacetBucket",
    "Hit",
    "ProductDoc",
    "ProductQuery",
    "SearchEngine",
    "SearchHits",
    "SearchUnavailable",
    "SupplierDoc",
]
