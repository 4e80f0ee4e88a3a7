"""The one schema, assembled from the domains' queries and mutations, with the operation lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import ExecutionContext

from cms import tracing
from cms.config import Settings
from cms.graphql.articles.mutations import ArticleMutations
from cms.graphql.articles.preview import PreviewMutations, PreviewQueries
from cms.graphql.articles.queries import ArticleQueries
from cms.graphql.articles.types import BLOCK_TYPES
from cms.graphql.audit.queries import AuditQueries
from cms.graphql.authors.mutations import AuthorMutations
from cms.graphql.authors.queries import AuthorQueries
from cms.graphql.lifecycle import ErrorPolicy, OperationLog, OperationTransaction, WebSocketRateLimit
from cms.graphql.limits import CachedDocuments, Documents
from cms.graphql.media.mutations import MediaMutations
from cms.graphql.media.queries import MediaQueries
from cms.graphql.node import NodeQueries
from cms.graphql.scalars import DATETIME
from cms.graphql.search.queries import SearchQueries
from cms.graphql.taxonomy.mutations import TaxonomyMutations
from cms.graphql.taxonomy.queries import TaxonomyQueries
from cms.graphql.trending.mutations import TrendingMutations
from cms.graphql.trending.queries import TrendingQueries
from cms.graphql.turns import TakingTurns
from cms.graphql.users.mutations import UserMutations
from cms.graphql.users.queries import UserQueries
from graphql import GraphQLError


@strawberry.type(description="What can be read.")
class Query(
    NodeQueries,
    UserQueries,
    ArticleQueries,
    PreviewQueries,
    AuthorQueries,
    MediaQueries,
    TaxonomyQueries,
    TrendingQueries,
    SearchQueries,
    AuditQueries,
):
    pass


@strawberry.type(description="What can be changed.")
class Mutation(
    UserMutations,
    AuthorMutations,
    MediaMutations,
    TaxonomyMutations,
    ArticleMutations,
    PreviewMutations,
    TrendingMutations,
):
    pass


class Schema(strawberry.Schema):
    documents: Documents

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Expected errors are answers, not incidents; ErrorPolicy logs unexpected ones once,
        # with the request id.
        return None


def make_schema(settings: Settings | None = None) -> Schema:
    settings = settings or Settings()
    documents = Documents(
        lambda: schema._schema,
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_aliases,
        maxsize=512,
    )
    # Factories: Strawberry builds fresh extension instances per operation; what they share
    # (the document cache) is built once, here.
    extensions: list[Any] = [
        *tracing.enable(settings),
        OperationLog,
        ErrorPolicy,
        lambda: CachedDocuments(documents),
        WebSocketRateLimit,
        OperationTransaction,
    ]
    schema = Schema(
        query=Query,
        mutation=Mutation,
        # Block members are reached only through the Block union; Upload is the contract's
        # scalar for multipart uploads.
        types=[*BLOCK_TYPES, Upload],
        extensions=extensions,
        # A large operation gives way to other requests rather than hold the event loop.
        execution_context_class=TakingTurns,
        scalar_overrides={datetime: DATETIME},
    )
    schema.documents = documents
    return schema
