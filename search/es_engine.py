"""The distributed search engine: Elasticsearch or OpenSearch through the official async client."""

import html
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from elastic_transport import HttpxAsyncHttpNode
from elasticsearch import AsyncElasticsearch, BadRequestError, NotFoundError
from elasticsearch.exceptions import ApiError, TransportError

from search import es_body
from search.es_body import Body
from search.es_transport import PlainJsonTransport
from search.port import (
    FACETS,
    ArticleDoc,
    ArticleQuery,
    Candidate,
    CandidateOrder,
    DocKind,
    FacetBucket,
    Hit,
    ProductDoc,
    ProductQuery,
    SearchEngine,
    SearchHits,
    SearchUnavailable,
    SupplierDoc,
)

log = logging.getLogger(__name__)

KINDS: tuple[DocKind, ...] = ("product", "article", "supplier")
_MISSING_ANALYZER = re.compile(r"analyzer \[(\w+)\] has not been configured")
# The client's own default (10 s) is the request deadline: a frozen server then fails whole pages that
# could have degraded (related products) or answered SERVICE_UNAVAILABLE early. Reads get a short bound.
QUERY_TIMEOUT = 2.0
# A 5,000-document bulk against a slow server (osmem) takes over 10 s; writes run in the background
# (outbox, seed, reindex), so a long bound costs no request anything.
WRITE_TIMEOUT = 120.0


def load_template(kind: DocKind) -> Body:
    text = resources.files("search").joinpath(f"templates/{kind}s.json").read_text()
    template: Body = json.loads(text)
    return template


class EsEngine(SearchEngine):
    """Each kind is an alias (`<prefix>-products`) over one concrete index; `reset` builds a new index and
    swaps the alias. Writes use external versioning, so an older version is refused by the server."""

    def __init__(self, client: AsyncElasticsearch, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self.degraded_analyzers: set[str] = set()

    def alias(self, kind: DocKind) -> str:
        return f"{self._prefix}-{kind}s"

    async def start(self) -> None:
        for kind in KINDS:
            if not await self._call(self._client.indices.exists_alias(name=self.alias(kind))):
                await self._create_index(kind, with_alias=True)

    async def _call(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(f"search engine error: {error}") from error

    async def _create_index(self, kind: DocKind, with_alias: bool) -> str:
        """Creates a concrete index from the template; an analyzer the server lacks (osmem has no
        `arabic`) is replaced by `standard`, logged and remembered in `degraded_analyzers`."""
        name = f"{self.alias(kind)}-{uuid.uuid4().hex[:12]}"
        text = json.dumps(load_template(kind)["template"])
        for missing in self.degraded_analyzers:
            text = text.replace(f'"analyzer": "{missing}"', '"analyzer": "standard"')
        while True:
            body = json.loads(text)
            if with_alias:
                body["aliases"] = {self.alias(kind): {"is_write_index": True}}
            try:
                await self._client.indices.create(index=name, body=body)
                return name
            except BadRequestError as error:
                missing_match = _MISSING_ANALYZER.search(str(error.body))
                if missing_match is None:
                    raise SearchUnavailable(f"cannot create index {name}: {error}") from error
                missing = missing_match.group(1)
                log.warning("search: analyzer %s unsupported by the server, using standard", missing)
                self.degraded_analyzers.add(missing)
                text = text.replace(f'"analyzer": "{missing}"', '"analyzer": "standard"')
            except (TransportError, ApiError) as error:
                raise SearchUnavailable(f"cannot create index {name}: {error}") from error

    async def _search(self, kind: DocKind, body: Body) -> Body:
        reader = self._client.options(request_timeout=QUERY_TIMEOUT)
        response = await self._call(reader.search(index=self.alias(kind), body=body))
        result: Body = response.body
        return result

    async def search_products(self, query: ProductQuery) -> SearchHits:
        answer = await self._search("product", es_body.product_search(query))
        facets = _facets(answer) if query.facets else {}
        hits = _hits(answer, query.locale)
        return SearchHits(_total(answer) if query.count else len(hits), hits, facets)

    async def search_articles(self, query: ArticleQuery) -> SearchHits:
        answer = await self._search("article", es_body.article_search(query))
        return SearchHits(_total(answer), _hits(answer, query.locale))

    async def suggest(self, prefix: str, locale: str, first: int) -> list[str]:
        found = self.vertical_suggestions(prefix, locale)
        body = es_body.suggest_search(prefix, locale, first)
        if body is not None and first > 0:
            answer = await self._search("product", body)
            for hit in answer["hits"]["hits"]:
                titles = hit["_source"].get("titles", {})
                title = titles.get(locale) or titles.get("en")
                if title:
                    found.append(title)
        return list(dict.fromkeys(found))[:first]

    async def candidates(
        self,
        kind: DocKind,
        vertical_id: str | None,
        order: CandidateOrder,
        first: int,
        exclude_ids: Collection[str] = (),
    ) -> list[Candidate]:
        answer = await self._search(kind, es_body.candidates_search(vertical_id, order, first, exclude_ids))
        return [_candidate(hit["_source"], kind) for hit in answer["hits"]["hits"]]

    async def index_products(self, docs: Sequence[ProductDoc]) -> None:
        await self._bulk("product", [(d.id, d.version, es_body.product_source(d)) for d in docs])

    async def index_articles(self, docs: Sequence[ArticleDoc]) -> None:
        pending = [
            (d.id, d.version, es_body.article_source(d) if d.status == "PUBLISHED" else None) for d in docs
        ]
        await self._bulk("article", pending)

    async def index_suppliers(self, docs: Sequence[SupplierDoc]) -> None:
        await self._bulk("supplier", [(d.id, d.version, es_body.supplier_source(d)) for d in docs])

    async def _bulk(self, kind: DocKind, pending: Sequence[tuple[str, int, Body | None]]) -> None:
        operations: list[Body] = []
        for doc_id, version, source in pending:
            meta = {"_index": self.alias(kind), "_id": doc_id, "version": version, "version_type": "external"}
            operations.append({"index": meta} if source is not None else {"delete": meta})
            if source is not None:
                operations.append(source)
        if operations:
            await self._send_bulk(operations)

    async def _send_bulk(self, operations: list[Body]) -> None:
        writer = self._client.options(request_timeout=WRITE_TIMEOUT)
        response = await self._call(writer.bulk(operations=operations))
        # 409: a newer or equal version is indexed; 404: deleting what is not there. Both are done.
        failed = [
            item
            for entry in response.body.get("items", [])
            for item in entry.values()
            if item.get("status", 200) >= 300 and item.get("status") not in (404, 409)
        ]
        if failed:
            raise SearchUnavailable(f"search engine refused {len(failed)} writes, first: {failed[0]}")

    async def delete(self, kind: DocKind, ids: Sequence[str]) -> None:
        if ids:
            await self._send_bulk([{"delete": {"_index": self.alias(kind), "_id": i}} for i in ids])

    async def count(self, kind: DocKind) -> int:
        reader = self._client.options(request_timeout=QUERY_TIMEOUT)
        response = await self._call(reader.count(index=self.alias(kind)))
        return int(response.body["count"])

    async def refresh(self) -> None:
        writer = self._client.options(request_timeout=WRITE_TIMEOUT)
        await self._call(writer.indices.refresh(index=",".join(self.alias(k) for k in KINDS)))

    async def reset(self) -> None:
        for kind in KINDS:
            alias = self.alias(kind)
            try:
                current = list((await self._client.indices.get_alias(name=alias)).body)
            except NotFoundError:
                current = []
            fresh = await self._create_index(kind, with_alias=False)
            actions: list[Body] = [{"remove": {"index": old, "alias": alias}} for old in current]
            actions.append({"add": {"index": fresh, "alias": alias, "is_write_index": True}})
            await self._call(self._client.indices.update_aliases(actions=actions))
            if current:
                await self._call(self._client.indices.delete(index=",".join(current)))

    @asynccontextmanager
    async def bulk_load(self) -> AsyncIterator[None]:
        """No refreshes while loading (each makes a segment); the template's interval and a refresh after.
        Writes keep external versions, so a replayed older outbox entry is still refused afterwards."""
        await self._refresh_interval("-1")
        try:
            yield
        finally:
            await self._refresh_interval(None)
            await self.refresh()

    async def _refresh_interval(self, value: str | None) -> None:
        for kind in KINDS:
            interval = value or load_template(kind)["template"]["settings"]["refresh_interval"]
            await self._call(
                self._client.indices.put_settings(
                    index=self.alias(kind), settings={"index": {"refresh_interval": interval}}
                )
            )

    async def ping(self) -> bool:
        try:
            return bool(await self._client.options(request_timeout=QUERY_TIMEOUT).ping())
        except (TransportError, ApiError):
            return False

    async def close(self) -> None:
        await self._client.close()

    async def drop(self) -> None:
        """Deletes every index of this prefix (tests, and tearing down a deployment)."""
        await self._call(self._client.indices.delete(index=f"{self._prefix}-*", ignore_unavailable=True))


def _total(answer: Body) -> int:
    total = answer["hits"]["total"]
    return int(total["value"] if isinstance(total, dict) else total)


def _highlight(hit: Body, locale: str) -> str | None:
    marked = [v[0] for v in hit.get("highlight", {}).values() if v]
    if marked:
        return str(max(marked, key=lambda h: str(h).count("<em>")))
    titles = hit.get("_source", {}).get("titles", {})
    title = titles.get(locale) or titles.get("en") or ""
    return html.escape(title)


def _hits(answer: Body, locale: str) -> list[Hit]:
    return [
        Hit(hit["_source"]["id"], list(hit["sort"]), _highlight(hit, locale) if "highlight" in hit else None)
        for hit in answer["hits"]["hits"]
    ]


def _facets(answer: Body) -> dict[str, list[FacetBucket]]:
    aggs = answer.get("aggregations", {})
    result: dict[str, list[FacetBucket]] = {}
    for name in FACETS:
        buckets = [
            FacetBucket(str(b.get("key_as_string", b["key"])), int(b["doc_count"]))
            for b in aggs[name]["values"]["buckets"]
            if b["doc_count"] > 0
        ]
        result[name] = sorted(buckets, key=lambda b: (-b.count, b.value))
    return result


def _candidate(source: Body, kind: DocKind) -> Candidate:
    verticals = source.get("vertical")
    vertical_ids = tuple(verticals) if isinstance(verticals, list) else ((verticals,) if verticals else ())
    return Candidate(
        id=source["id"],
        vertical_ids=vertical_ids,
        supplier_id=source["id"] if kind == "supplier" else source.get("supplier"),
        created_at=int(source.get("created_at", 0)),
        popularity=float(source.get("popularity", 0.0)),
    )


def make_client(url: str, opensearch: bool) -> AsyncElasticsearch:
    # Calls without their own bound (index and alias administration) are background work, like writes.
    if not opensearch:
        return AsyncElasticsearch(hosts=[url], node_class=HttpxAsyncHttpNode, request_timeout=WRITE_TIMEOUT)
    client = AsyncElasticsearch(
        hosts=[url],
        node_class=HttpxAsyncHttpNode,
        transport_class=PlainJsonTransport,
        request_timeout=WRITE_TIMEOUT,
    )
    # OpenSearch sends no `X-Elastic-Product` header; the client would refuse its answers otherwise.
    client._verified_elasticsearch = True
    return client
