"""Domain errors: what the rules refuse, in a form every caller can report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cms.vocabulary import ErrorCode


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, at a path such as ("input", "slug")."""

    field: tuple[str, ...] | None
    message: str
    code: ErrorCode = ErrorCode.INVALID


class DomainError(Exception):
    """Base of the errors services raise; each carries a code."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DomainError):
    """The input breaks one or more rules; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED


@dataclass
class Problems:
    """Collects every problem of an input, so one call reports them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Sequence[str] | None, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.items.append(Problem(tuple(path) if path is not None else None, message, code))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)
