"""What the Elasticsearch/OpenSearch bodies ask the server to count (counting visits every match)."""

from search import es_body
from search.port import ProductQuery


def test_a_product_search_tracks_the_total_only_when_asked() -> None:
    assert es_body.product_search(ProductQuery(text="pump"))["track_total_hits"] is True
    assert es_body.product_search(ProductQuery(text="pump", count=False))["track_total_hits"] is False


def test_candidates_and_suggestions_are_never_counted() -> None:
    assert es_body.candidates_search("v-1", "NEW", 20, ["p-1"])["track_total_hits"] is False
    suggest = es_body.suggest_search("pum", "en", 5)
    assert suggest is not None and suggest["track_total_hits"] is False
