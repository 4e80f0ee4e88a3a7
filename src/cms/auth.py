"""Who is calling: the viewer a request acts as. Knows nothing of HTTP, GraphQL or the database.

What each viewer may do is decided in `cms.services.policy`; this module only says who it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from cms.vocabulary import Role


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


ANONYMOUS = Viewer()


class BadCredentials(Exception):
    """The request carries credentials in a form the CMS does not accept."""


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an `Authorization: Bearer <secret>` value; None when there is none.

    Every transport passes the value it carries (an HTTP header, a WebSocket connection
    parameter); tokens are never read from a query string, where they would end up in logs
    and browser histories. Raises BadCredentials for any other form.
    """
    if authorization is None:
        return None
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise BadCredentials("the Authorization header must be 'Bearer <token>'")
    return secret.strip()
