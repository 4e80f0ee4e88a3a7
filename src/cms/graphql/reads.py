"""The anonymous read path: what readers ask is answered from the response cache, else by the
compiled SQL statement of the operation (`compiled`), else by the resolvers; and kept.

Only anonymous queries take it (no Authorization header, no multipart): their answers depend on
the document, the variables and the content alone. Anything else, and anything this path does
not understand, goes the usual way, which also reports every error: this path never answers
with one.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request

from cms.graphql.ids import BadId, parse_global_id
from cms.graphql.limits import Documents
from cms.graphql.persisted import PersistedQueries, PersistedQueryError, requested_hash
from cms.graphql.response_cache import ResponseCache
from cms.http import JSON, content_type
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, OperationType

# Surrogate keys name what a response shows, for a CDN to purge exactly that.
_KEY_PREFIXES = {"Article": "article", "Author": "author", "Section": "section", "Tag": "tag", "TrendingList": "list"}


@dataclass
class Read:
    """An anonymous query operation, as the cache knows it."""

    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    key: str
    generation: int
    # The parsed, validated document and the query operation it runs.
    document: DocumentNode
    operation: OperationDefinitionNode


# What a request's bytes were understood as (query, operation name, variables, cache key, document,
# operation): a pure function of them, kept for the requests seen last, so that a reader's
# request seen before is neither parsed (query string, JSON) nor keyed (SHA-256) again.
_Known = tuple[str, str | None, dict[str, Any] | None, str, DocumentNode, OperationDefinitionNode]
_KNOWN_REQUESTS = 1024
_KNOWN_BYTES = 8192


class Reads:
    def __init__(self, documents: Documents, persisted: PersistedQueries, cache: ResponseCache) -> None:
        self.documents, self.persisted, self.cache = documents, persisted, cache
        self._known: OrderedDict[tuple[str, bytes], _Known] = OrderedDict()

    async def prepare(self, request: Request) -> Read | None:
        """The read this request is, if it is an anonymous query this path can take."""
        if "authorization" in request.headers:
            return None
        raw = await _raw(request)
        if raw is None:
            return None
        known = self._known.get(raw)
        if known is None:
            known = await self._understand(raw)
            if known is None:
                return None
            if len(raw[1]) <= _KNOWN_BYTES:
                self._known[raw] = known
                if len(self._known) > _KNOWN_REQUESTS:
                    self._known.popitem(last=False)
        else:
            self._known.move_to_end(raw)
        query, name, variables, key, document, operation = known
        return Read(query, name, variables, key, self.cache.generation, document, operation)

    async def _understand(self, raw: tuple[str, bytes]) -> _Known | None:
        params = _params(raw)
        if params is None:
            return None
        query, name, variables, extensions = (
            params.get("query"),
            params.get("operationName"),
            params.get("variables"),
            params.get("extensions"),
        )
        if not (query is None or isinstance(query, str)) or not (name is None or isinstance(name, str)):
            return None
        if not (variables is None or isinstance(variables, dict)):
            return None
        if isinstance(extensions, dict) and set(extensions) - {"persistedQuery"}:
            return None  # asks for more than data (extensions.cost): answered the usual way
        try:
            digest = requested_hash(extensions)
            if digest is not None:
                query = await self.persisted.resolve(query, digest)
        except PersistedQueryError:
            return None  # the usual path answers it
        if query:
            with contextlib.suppress(GraphQLError):  # bad syntax: the usual path answers it
                await self.documents.prepare(query)
        found = self._query(query, name) if query else None
        if query is None or found is None:
            return None
        canonical = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        key = hashlib.sha256(b"\x00".join([query.encode(), (name or "").encode(), canonical])).hexdigest()
        return query, name, variables, key, *found

    def _query(self, query: str, name: str | None) -> tuple[DocumentNode, OperationDefinitionNode] | None:
        """The valid document and the one query operation the request runs; None otherwise."""
        try:
            document = self.documents.load(query)
        except GraphQLError:
            return None
        if document.errors or document.introspects:
            return None
        operations = [d for d in document.node.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [o for o in operations if name is None or (o.name is not None and o.name.value == name)]
        if len(chosen) != 1 or (name is None and len(operations) != 1):
            return None
        if chosen[0].operation is not OperationType.QUERY:
            return None
        return document.node, chosen[0]


async def _raw(request: Request) -> tuple[str, bytes] | None:
    """The bytes a query is read from: the query string of a GET, the body of a JSON POST."""
    if request.method == "GET":
        return "GET", request.scope["query_string"]
    if request.method == "POST" and content_type(request) == JSON:
        return "POST", await request.body()
    return None


def _params(raw: tuple[str, bytes]) -> dict[str, Any] | None:
    """The parameters in the bytes `_raw` read; None when they are not what a GraphQL request sends."""
    method, data = raw
    if method == "GET":
        params: dict[str, Any] = dict(QueryParams(data))
        for key in ("variables", "extensions"):
            if key in params:
                try:
                    params[key] = orjson.loads(params[key])
                except orjson.JSONDecodeError:
                    return None
        return params
    try:
        body = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


# A global ID in a response: the value of an "id" key. A quote inside a JSON string is always
# escaped, so the pattern cannot match a string's content, in orjson's spacing or PostgreSQL's.
_ID = re.compile(rb'"id"\s*:\s*"([A-Za-z0-9+/]+={0,2})"')


def surrogate_keys(body: bytes) -> list[str]:
    """`cms` and one key per object a response shows by its ID (`article-17`, `list-3`, ...)."""
    found: set[str] = set()
    for raw in set(_ID.findall(body)):
        try:
            type_name, pk = parse_global_id(raw.decode())
        except BadId:
            continue
        if type_name in _KEY_PREFIXES:
            found.add(f"{_KEY_PREFIXES[type_name]}-{pk}")
    return ["cms", *sorted(found)]
