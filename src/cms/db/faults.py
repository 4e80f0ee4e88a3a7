"""Database faults a request can meet that are nobody's mistake: the database away (restarting,
unreachable, shutting down), no pooled connection free in time, a statement past its time budget.

They are answered with a coded, retryable error (503 with Retry-After), logged in one line with
no traceback: they say something about the service's state, not about a bug.
"""

from __future__ import annotations

import enum

import asyncpg
from sqlalchemy import exc as sa

# SQLSTATEs of a server that is going away or not there yet (class 57 operator intervention,
# class 08 connection exceptions).
_AWAY_STATES = ("57P01", "57P02", "57P03", "08")
_CANCELED = "57014"  # query_canceled: statement_timeout, or the server cancelled it


class Fault(enum.Enum):
    UNAVAILABLE = "the database is unavailable; try again shortly"
    TIMEOUT = "the request took longer than its time budget"


def fault_of(error: BaseException | None) -> Fault | None:
    """The fault behind an exception, looking through its causes; None for anything else."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, sa.TimeoutError):  # the pool had no connection to give in time
            return Fault.UNAVAILABLE
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return Fault.UNAVAILABLE
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(state, str):
            if state == _CANCELED:
                return Fault.TIMEOUT
            if state.startswith(_AWAY_STATES):
                return Fault.UNAVAILABLE
        if isinstance(
            error, OSError | asyncpg.exceptions.ConnectionDoesNotExistError | asyncpg.exceptions.InterfaceError
        ):
            return Fault.UNAVAILABLE
        if isinstance(error, asyncpg.exceptions.InternalClientError) and "another operation" in str(error):
            # A connection whose closing by the server (a restart) is still being read.
            return Fault.UNAVAILABLE
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def describe(error: BaseException | None) -> str:
    """One line for the log: the driver's own message, never the statement."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return f"{type(original).__name__}: {lines[0] if lines else ''}"
