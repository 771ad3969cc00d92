"""tantivy schemas, analyzers and document conversion for products, articles and suppliers."""

import functools
import struct
from collections.abc import Mapping
from typing import Any

import tantivy

from search.port import LOCALES, ArticleDoc, DocKind, ProductDoc, SupplierDoc

# One token per Han character (tantivy has no CJK segmenter), other words as runs of letters/digits.
TOKEN_PATTERN = r"\p{Han}|[^\p{Han}\W_]+"
STEMMERS: Mapping[str, str] = {
    "en": "english",
    "es": "spanish",
    "ru": "russian",
    "pt": "portuguese",
    "fr": "french",
    "ar": "arabic",
}
PLAIN = "plain"
SORT_FIELDS: tuple[str, ...] = ("k_new", "k_popular", "k_price_asc", "k_price_desc")
_MAX_VALUE = 2**31 - 1


@functools.cache
def analyzer(locale: str | None) -> tantivy.TextAnalyzer:
    """Lowercased tokens, stemmed for the locale's language; `None` gives the unstemmed analyzer."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(TOKEN_PATTERN))
    builder = builder.filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
    language = STEMMERS.get(locale or "")
    if language is not None:
        builder = builder.filter(tantivy.Filter.stemmer(language))
    return builder.build()


def analyzer_name(locale: str) -> str:
    return f"text_{locale}"


def register_analyzers(index: tantivy.Index) -> None:
    """Custom analyzers live in memory only: register them every time an index is opened."""
    index.register_tokenizer(PLAIN, analyzer(None))
    for locale in LOCALES:
        index.register_tokenizer(analyzer_name(locale), analyzer(locale))


def _common(builder: tantivy.SchemaBuilder) -> None:
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    builder.add_integer_field("seq", stored=True, indexed=True, fast=True)
    builder.add_integer_field("version", stored=True, indexed=True, fast=True)
    builder.add_integer_field("created_at", stored=True, indexed=True, fast=True)
    builder.add_float_field("popularity", stored=True, indexed=True, fast=True)
    for name in SORT_FIELDS:
        builder.add_integer_field(name, indexed=True, fast=True)


def _keywords(builder: tantivy.SchemaBuilder, *names: str) -> None:
    for name in names:
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")


def build_schema(kind: DocKind) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    _common(builder)
    if kind == "supplier":
        builder.add_text_field("title_en", stored=True, tokenizer_name=analyzer_name("en"))
        builder.add_text_field("raw_en", tokenizer_name=PLAIN)
        _keywords(builder, "vertical", "country", "verified")
        return builder.build()
    for locale in LOCALES:
        builder.add_text_field(f"title_{locale}", stored=True, tokenizer_name=analyzer_name(locale))
        builder.add_text_field(f"raw_{locale}", tokenizer_name=PLAIN)
        builder.add_text_field(f"desc_{locale}", tokenizer_name=analyzer_name(locale))
    if kind == "article":
        _keywords(builder, "vertical", "tags")
        return builder.build()
    builder.add_text_field("specs", tokenizer_name=analyzer_name("en"))
    _keywords(builder, "vertical", "supplier", "supplierCountry", "verified", "hasVideo", "tradeAssurance")
    for name in ("price_min", "price_max", "moq"):
        builder.add_integer_field(name, stored=True, indexed=True, fast=True)
    return builder.build()


def sort_key(value: int, seq: int) -> int:
    """One i64 per sort: the value in the high 32 bits, the unique seq breaking ties in the low ones."""
    return (max(0, min(value, _MAX_VALUE)) << 32) | (seq & 0xFFFFFFFF)


def popularity_value(popularity: float) -> int:
    """The float32 bit pattern of a non-negative float sorts like the float and fits in 31 bits."""
    clean = popularity if popularity > 0.0 else 0.0
    return int(struct.unpack("<i", struct.pack("<f", min(clean, 3.0e38)))[0])


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _texts(fields: dict[str, Any], titles: Mapping[str, str], *bodies: Mapping[str, str]) -> None:
    for locale in LOCALES:
        title = titles.get(locale)
        if title:
            fields[f"title_{locale}"] = title
            fields[f"raw_{locale}"] = title
        text = " ".join(b[locale] for b in bodies if b.get(locale))
        if text:
            fields[f"desc_{locale}"] = text


def _base(doc_id: str, seq: int, version: int, created_at: int, popularity: float) -> dict[str, Any]:
    return {
        "id": doc_id,
        "seq": seq,
        "version": version,
        "created_at": created_at,
        "popularity": float(popularity),
        "k_new": sort_key(created_at // 1000, seq),
        "k_popular": sort_key(popularity_value(popularity), seq),
    }


def product_document(doc: ProductDoc) -> tantivy.Document:
    fields = _base(doc.id, doc.seq, doc.version, doc.created_at, doc.popularity)
    _texts(fields, doc.titles, doc.descriptions)
    fields.update(
        specs=doc.specs_text,
        vertical=doc.vertical_id,
        supplier=doc.supplier_id,
        supplierCountry=doc.supplier_country,
        verified=_flag(doc.supplier_verified),
        hasVideo=_flag(doc.has_video),
        tradeAssurance=_flag(doc.trade_assurance),
        price_min=doc.price_min,
        price_max=doc.price_max,
        moq=doc.moq,
        k_price_asc=sort_key(doc.price_min, doc.seq),
        k_price_desc=sort_key(doc.price_max, doc.seq),
    )
    return tantivy.Document(**fields)


def article_document(doc: ArticleDoc) -> tantivy.Document:
    fields = _base(doc.id, doc.seq, doc.version, doc.published_at, doc.popularity)
    _texts(fields, doc.titles, doc.summaries, doc.bodies)
    fields["tags"] = list(doc.tags)
    if doc.vertical_id:
        fields["vertical"] = doc.vertical_id
    return tantivy.Document(**fields)


def supplier_document(doc: SupplierDoc) -> tantivy.Document:
    fields = _base(doc.id, doc.seq, doc.version, doc.created_at, doc.popularity)
    fields.update(
        title_en=doc.name,
        raw_en=doc.name,
        vertical=list(doc.vertical_ids),
        country=doc.country,
        verified=_flag(doc.verified),
    )
    return tantivy.Document(**fields)
