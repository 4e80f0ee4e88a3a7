"""The GraphQL enums, derived from the vocabulary (`cms.vocabulary`), each registered once.

Imported before any type that uses them (by `common`), so Strawberry never wraps one of these
Python enums on its own with a definition of its own.
"""

from __future__ import annotations

import strawberry

from cms.vocabulary import ArticleOrderField, ArticleStatus, ErrorCode, OrderDirection, Role

strawberry.enum(Role, description="What a user or token may do.")
strawberry.enum(ArticleStatus, description="Where an article stands.")
strawberry.enum(ArticleOrderField, description="What articles are sorted by.")
strawberry.enum(OrderDirection, description="Sort direction.")
strawberry.enum(ErrorCode, description="What kind of problem an error reports.")
