"""One on-disk tantivy index per document kind: opening, the single writer, versioned writes."""

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import tantivy

from search.port import DocKind, SearchUnavailable
from search.request_cache import RequestCache
from search.tantivy_query import live
from search.tantivy_read import count
from search.tantivy_schema import build_schema, register_analyzers

WRITER_HEAP_BYTES = 64_000_000
WRITER_THREADS = 2
# A rebuild: a large heap makes few, large segments (fewer merges); commits (an fsync each) are rare.
BULK_HEAP_BYTES = 1_000_000_000
BULK_THREADS = max(2, min(8, os.cpu_count() or 2))
BULK_COMMIT_EVERY = 200_000
# Results kept per index by the request cache: a page of hits with facets is a few kilobytes, a list of
# feed candidates up to some tens; so at most some tens of megabytes.
CACHED_REQUESTS = 512

T = TypeVar("T")

Pending = tuple[str, int, tantivy.Document | None]
"""(id, version, document), a None document meaning "delete if this version is newer": a tombstone
(id and version only) stays, so that an older version replayed later is still refused."""


class KindIndex:
    """An index on disk. Only one process holds its writer (tantivy's lock across processes); the others
    open it read-only. The reader reloads only when we say: at each read whose meta.json (which names
    the committed segments and opstamp, and is replaced whole on every commit) differs from the one last
    loaded. So each reader state has a generation number, which keys the request cache."""

    def __init__(self, kind: DocKind, path: Path, cached_requests: int = CACHED_REQUESTS) -> None:
        self.kind = kind
        path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema(kind)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self.index.config_reader("manual")
        register_analyzers(self.index)
        self._meta_path = path / "meta.json"
        self._loaded_meta = b""
        self._generation = 0
        self._reload_lock = threading.Lock()
        self._cache = RequestCache(cached_requests)
        self._lock = threading.Lock()
        self._uncommitted = 0
        self.writer = self._open_writer()

    def _open_writer(
        self, heap: int = WRITER_HEAP_BYTES, threads: int = WRITER_THREADS
    ) -> tantivy.IndexWriter | None:
        try:
            return self.index.writer(heap, threads)
        except ValueError as error:
            if "LockBusy" in str(error):
                return None
            raise

    @property
    def read_only(self) -> bool:
        return self.writer is None

    def searcher(self) -> tantivy.Searcher:
        return self.snapshot()[0]

    def snapshot(self) -> tuple[tantivy.Searcher, int]:
        """A searcher over the latest commit and its generation (reloading first if there is a newer one)."""
        meta = self._meta_path.read_bytes()
        with self._reload_lock:
            if meta != self._loaded_meta:
                self._reload(meta)
            return self.index.searcher(), self._generation

    def cached(self, key: str, compute: Callable[[tantivy.Searcher], T]) -> T:
        """`compute`'s result for the request `key` over the latest commit, computed once per generation."""
        searcher, generation = self.snapshot()
        return self._cache.through(generation, key, lambda: compute(searcher))

    def reload(self) -> None:
        meta = self._meta_path.read_bytes()
        with self._reload_lock:
            self._reload(meta)

    def _reload(self, meta: bytes) -> None:
        """The reload may load a commit newer than `meta`: the next read then sees a difference and
        reloads once more, so a generation never stands for two reader states."""
        self.index.reload()
        self._loaded_meta = meta
        self._generation += 1

    def _require_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            raise SearchUnavailable(
                f"the {self.kind} index is read-only here: another process (the worker) holds its writer"
            )
        return self.writer

    def indexed_version(self, searcher: tantivy.Searcher, doc_id: str) -> int | None:
        found = searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), limit=1).hits
        if not found:
            return None
        value = searcher.fast_field_values("version", [found[0][1]])[0]
        return int(value) if value is not None else None

    def write(self, pending: Iterable[Pending]) -> None:
        """Replaces each document whose version is newer than the indexed one, then commits."""
        newest: dict[str, Pending] = {}
        for item in pending:
            if item[0] not in newest or item[1] > newest[item[0]][1]:
                newest[item[0]] = item
        with self._lock:
            writer = self._require_writer()
            searcher = self.searcher()
            changed = False
            for doc_id, version, document in newest.values():
                current = self.indexed_version(searcher, doc_id)
                if current is not None and current >= version:
                    continue
                writer.delete_documents_by_term("id", doc_id)
                writer.add_document(document or tantivy.Document(id=doc_id, version=version))
                changed = True
            if changed:
                self._commit(writer)

    def _swap_writer(self, heap: int, threads: int) -> None:
        """tantivy allows one writer per index: the current one finishes its merges and lets go first."""
        self._require_writer().wait_merging_threads()
        self.writer = None
        self.writer = self._open_writer(heap, threads)
        self._require_writer()

    def begin_bulk(self) -> None:
        with self._lock:
            self._swap_writer(BULK_HEAP_BYTES, BULK_THREADS)
            self._uncommitted = 0

    def write_bulk(self, pending: Iterable[Pending]) -> None:
        """Adds documents to a fresh index as they come: no version lookups, a commit now and then."""
        with self._lock:
            writer = self._require_writer()
            for doc_id, version, document in pending:
                if document is not None:
                    writer.add_document(document)
                else:
                    writer.add_document(tantivy.Document(id=doc_id, version=version))
                self._uncommitted += 1
            if self._uncommitted >= BULK_COMMIT_EVERY:
                writer.commit()
                self._uncommitted = 0

    def end_bulk(self) -> None:
        with self._lock:
            self._commit(self._require_writer())
            self._swap_writer(WRITER_HEAP_BYTES, WRITER_THREADS)

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock:
            writer = self._require_writer()
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            self._commit(writer)

    def clear(self) -> None:
        with self._lock:
            writer = self._require_writer()
            writer.delete_all_documents()
            self._commit(writer)

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        self.reload()

    def count(self) -> int:
        return count(self.searcher(), live())

    def close(self) -> None:
        with self._lock:
            if self.writer is not None:
                self.writer.wait_merging_threads()
                self.writer = None
