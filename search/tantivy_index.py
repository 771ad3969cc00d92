"""One on-disk tantivy index per document kind: opening, the single writer, versioned writes."""

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import tantivy

from search.port import DocKind, SearchUnavailable
from search.tantivy_query import live
from search.tantivy_read import count
from search.tantivy_schema import build_schema, register_analyzers

WRITER_HEAP_BYTES = 64_000_000
WRITER_THREADS = 2
# A rebuild: a large heap makes few, large segments (fewer merges); commits (an fsync each) are rare.
BULK_HEAP_BYTES = 1_000_000_000
BULK_THREADS = max(2, min(8, os.cpu_count() or 2))
BULK_COMMIT_EVERY = 200_000

Pending = tuple[str, int, tantivy.Document | None]
"""(id, version, document), a None document meaning "delete if this version is newer": a tombstone
(id and version only) stays, so that an older version replayed later is still refused."""


class KindIndex:
    """An index on disk. Only one process holds its writer (tantivy's lock across processes); the others
    open it read-only and see the writer's commits when they reload."""

    def __init__(self, kind: DocKind, path: Path) -> None:
        self.kind = kind
        path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema(kind)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        register_analyzers(self.index)
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
        return self.index.searcher()

    def reload(self) -> None:
        self.index.reload()

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
            self.index.reload()
            searcher = self.index.searcher()
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
        # Without reload() the reader sees the commit about 0.5 s later; with it, at once.
        self.index.reload()

    def count(self) -> int:
        self.index.reload()
        return count(self.index.searcher(), live())

    def close(self) -> None:
        with self._lock:
            if self.writer is not None:
                self.writer.wait_merging_threads()
                self.writer = None
