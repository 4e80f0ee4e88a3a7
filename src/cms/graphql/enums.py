"""The GraphQL enums, derived from the vocabulary (`cms.vocabulary`), each registered once.

Imported before any type that uses them (by `common`), so Strawberry never wraps one of these
Python enums on its own with a definition of its own.
"""

from __future__ import annotations

import strawberry

from cms.services.images import OutputFormat
from cms.vocabulary import ArticleOrderField, ArticleStatus, ErrorCode, OrderDirection, Role, TokenKind, TrendingWindow

strawberry.enum(Role, description="What a user or token may do.")
strawberry.enum(ArticleStatus, description="Where an article stands.")
strawberry.enum(ArticleOrderField, description="What articles are sorted by.")
strawberry.enum(OrderDirection, description="Sort direction.")
strawberry.enum(ErrorCode, description="What kind of problem an error reports.")
strawberry.enum(
    TokenKind,
    name="ApiTokenKind",
    description=(
        "What a token is: LOGIN, a sign-in session from `login` that acts as its user; API, a token "
        "for machines made by an administrator that acts as its role alone."
    ),
)
strawberry.enum(OutputFormat, name="ImageFormat", description="What a rendition is encoded as.")
strawberry.enum(TrendingWindow, description="The reading window computed trending entries are ranked over.")
