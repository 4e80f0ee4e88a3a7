"""The one schema, assembled from the domains' queries and mutations."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.file_uploads import Upload
from strawberry.types import ExecutionContext

from cms.config import Settings
from cms.graphql.articles.mutations import ArticleMutations
from cms.graphql.articles.queries import ArticleQueries
from cms.graphql.articles.types import (
    EmbedBlock,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    ParagraphBlock,
    QuoteBlock,
)
from cms.graphql.authors.mutations import AuthorMutations
from cms.graphql.authors.queries import AuthorQueries
from cms.graphql.media.mutations import MediaMutations
from cms.graphql.media.queries import MediaQueries
from cms.graphql.node import NodeQueries
from cms.graphql.taxonomy.schema import TaxonomyMutations, TaxonomyQueries
from cms.graphql.trending.schema import TrendingMutations, TrendingQueries
from cms.graphql.users.schema import UserMutations, UserQueries
from graphql import GraphQLError, StringValueNode, ValidationRule

log = logging.getLogger("cms.graphql")


@strawberry.type(description="What can be read.")
class Query(NodeQueries, UserQueries, ArticleQueries, AuthorQueries, MediaQueries, TaxonomyQueries, TrendingQueries):
    pass


@strawberry.type(description="What can be changed.")
class Mutation(UserMutations, AuthorMutations, MediaMutations, TaxonomyMutations, ArticleMutations, TrendingMutations):
    pass


UNSTORABLE = "strings must not contain NUL characters or lone surrogates"


def has_unstorable(value: str) -> bool:
    """NUL cannot be stored in PostgreSQL text; lone surrogates cannot be encoded as UTF-8."""
    return any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)


class NoUnstorableStrings(ValidationRule):
    """Refuses string literals that the database could not store, before anything runs."""

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if has_unstorable(node.value):
            self.report_error(GraphQLError(UNSTORABLE, node, extensions={"code": "INVALID"}))


def is_unexpected(error: GraphQLError) -> bool:
    """An error the code did not raise on purpose: a bug or an outage, never shown in detail."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Expected errors are answers, not incidents; the HTTP view logs unexpected ones once,
        # with the request id.
        return None


def make_schema(settings: Settings | None = None) -> Schema:
    settings = settings or Settings()
    # Factories: strawberry builds fresh extensions per request; the parse and validation
    # caches live at module level, so they still span requests.
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: AddValidationRules([NoUnstorableStrings]),
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        # Block members are reached only through the Block union; Upload is the contract's
        # scalar for multipart uploads.
        types=[ParagraphBlock, HeadingBlock, ImageBlock, QuoteBlock, ListBlock, EmbedBlock, Upload],
        extensions=extensions,
    )
