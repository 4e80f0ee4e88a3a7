"""The words the CMS speaks: roles, article statuses, orderings and error codes, each defined once.

Free of Starlette, Strawberry and SQLAlchemy, so every layer can import it: the database derives
its CHECK constraints from these enums, the GraphQL schema its enums, the services their rules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Role(enum.StrEnum):
    """What a user or token may do; see services.policy for what each role may do."""

    ADMIN = "ADMIN"
    EDITOR = "EDITOR"
    AUTHOR = "AUTHOR"
    PREVIEW = "PREVIEW"


class TokenKind(enum.StrEnum):
    """What a bearer token is; the values are those the api_tokens.kind column holds."""

    # A sign-in session handed out by `login`: it acts as its user, with their current role.
    LOGIN = "login"
    # A token for machines, made by an administrator: it acts as its role alone.
    API = "api"


class ArticleStatus(enum.StrEnum):
    """Where an article stands in publishing, as clients see it."""

    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    # Not stored: a PUBLISHED article whose publish time is still ahead.
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


# What the articles table holds; SCHEDULED is derived from the publish time by the database clock,
# so a scheduled article goes live at its instant with no job to flip it.
STORED_STATUSES = tuple(s for s in ArticleStatus if s is not ArticleStatus.SCHEDULED)


class ArticleOrderField(enum.StrEnum):
    """What a list of articles can be sorted by."""

    PUBLISHED_AT = "PUBLISHED_AT"
    UPDATED_AT = "UPDATED_AT"
    TITLE = "TITLE"


class OrderDirection(enum.StrEnum):
    ASC = "ASC"
    DESC = "DESC"


class ErrorCode(enum.StrEnum):
    """The kinds of problem a `userErrors` entry or a field error reports."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    # Too many attempts (failed sign-ins): try again later.
    RATE_LIMITED = "RATE_LIMITED"


class RequestErrorCode(enum.StrEnum):
    """The `extensions.code` of errors about the request itself, before or instead of execution."""

    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    NOT_FOUND = "NOT_FOUND"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
    RATE_LIMITED = "RATE_LIMITED"  # 429, with Retry-After
    # Retryable (503 with Retry-After): the database away or no connection free; a request past
    # its time budget.
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    TIMEOUT = "TIMEOUT"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class AuditAction(enum.StrEnum):
    """What an audit event records: "<subject>.<verb>". Past-tense verbs (article.published)
    are changes the clock made, recorded when their instant passed."""

    ARTICLE_CREATE = "article.create"
    ARTICLE_UPDATE = "article.update"
    ARTICLE_SUBMIT = "article.submit"
    ARTICLE_RETURN = "article.return"
    ARTICLE_PUBLISH = "article.publish"
    ARTICLE_SCHEDULE = "article.schedule"
    ARTICLE_UNPUBLISH = "article.unpublish"
    ARTICLE_ARCHIVE = "article.archive"
    ARTICLE_RESTORE = "article.restore"
    ARTICLE_DELETE = "article.delete"
    ARTICLE_REVISION_RESTORE = "article.revision_restore"
    ARTICLE_PUBLISHED = "article.published"
    ARTICLE_UNPUBLISHED = "article.unpublished"
    PREVIEW_LINK_CREATE = "preview_link.create"
    PREVIEW_LINK_REVOKE = "preview_link.revoke"
    AUTHOR_CREATE = "author.create"
    AUTHOR_UPDATE = "author.update"
    AUTHOR_DELETE = "author.delete"
    MEDIA_CREATE = "media.create"
    MEDIA_UPDATE = "media.update"
    MEDIA_UPLOAD = "media.upload"
    MEDIA_DELETE = "media.delete"
    SECTION_CREATE = "section.create"
    SECTION_UPDATE = "section.update"
    SECTION_DELETE = "section.delete"
    TAG_CREATE = "tag.create"
    TAG_UPDATE = "tag.update"
    TAG_DELETE = "tag.delete"
    TRENDING_LIST_CREATE = "trending_list.create"
    TRENDING_LIST_UPDATE = "trending_list.update"
    TRENDING_LIST_DELETE = "trending_list.delete"
    TRENDING_LIST_PINS = "trending_list.pins"
    USER_CREATE = "user.create"
    USER_UPDATE = "user.update"
    USER_DELETE = "user.delete"
    USER_PASSWORD_CHANGE = "user.password_change"  # noqa: S105 - an action name, not a password
    TOKEN_CREATE = "token.create"  # noqa: S105 - an action name, not a token
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 - an action name, not a token
    LOGIN = "session.login"
    LOGIN_FAILED = "session.login_failed"
    LOGOUT = "session.logout"


class TrendingWindow(enum.StrEnum):
    """The reading window computed trending entries are ranked over."""

    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"


def sql_in(column: str, values: Iterable[str]) -> str:
    """A CHECK constraint's text: `column` holds one of `values`."""
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))
