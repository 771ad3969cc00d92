"""Opens the search engine a URL names: tantivy://PATH, http(s)://HOST[/PREFIX], opensearch(s)://HOST[/PREFIX]."""

from urllib.parse import urlsplit, urlunsplit

from search.es_engine import EsEngine, make_client
from search.port import SearchEngine
from search.tantivy_engine import open_tantivy

DEFAULT_PREFIX = "buyer"


async def open_search(url: str) -> SearchEngine:
    """`tantivy:///var/lib/buyer/search` (or `tantivy://relative/dir`) opens indexes on disk; an
    Elasticsearch or OpenSearch URL's path, if any, is the index name prefix (default `buyer`)."""
    parts = urlsplit(url)
    if parts.scheme == "tantivy":
        path = url[len("tantivy://") :]
        if not path:
            raise ValueError("SEARCH_URL: tantivy:// needs a folder, e.g. tantivy://./data/search")
        return open_tantivy(path)
    schemes = {"http": ("http", False), "https": ("https", False)}
    schemes |= {"opensearch": ("http", True), "opensearchs": ("https", True)}
    if parts.scheme not in schemes:
        raise ValueError(f"SEARCH_URL: unsupported scheme {parts.scheme!r} in {url!r}")
    scheme, opensearch = schemes[parts.scheme]
    prefix = parts.path.strip("/") or DEFAULT_PREFIX
    engine = EsEngine(make_client(urlunsplit((scheme, parts.netloc, "", "", "")), opensearch), prefix)
    try:
        await engine.start()
    except BaseException:
        await engine.close()
        raise
    return engine
