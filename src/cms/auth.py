"""Who is calling: the viewer a request acts as. Knows nothing of GraphQL or the database."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from starlette.requests import HTTPConnection


class Role(enum.StrEnum):
    ADMIN = "ADMIN"
    EDITOR = "EDITOR"
    AUTHOR = "AUTHOR"
    PREVIEW = "PREVIEW"


# Roles that see every article, drafts included.
READS_DRAFTS = frozenset({Role.ADMIN, Role.EDITOR, Role.PREVIEW})
# Roles that may change any content.
EDITS_ALL = frozenset({Role.ADMIN, Role.EDITOR})


@dataclass(frozen=True)
class Viewer:
    """The caller: anonymous when `role` is None."""

    role: Role | None = None
    user_id: int | None = None
    # The byline an AUTHOR writes as.
    author_id: int | None = None
    token_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    @property
    def reads_drafts(self) -> bool:
        return self.role in READS_DRAFTS

    @property
    def edits_all(self) -> bool:
        return self.role in EDITS_ALL


ANONYMOUS = Viewer()


class BadCredentials(Exception):
    """The request carries credentials in a form the CMS does not accept."""


def bearer_token(connection: HTTPConnection) -> str | None:
    """The bearer secret of the Authorization header; None when there is no header.

    Tokens are taken from the header only, never from a query string, where they would
    end up in logs and browser histories.
    """
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise BadCredentials("the Authorization header must be 'Bearer <token>'")
    return secret.strip()
