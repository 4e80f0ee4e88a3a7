"""The shapes of the demo newsroom's content: plain data, loaded through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta


@dataclass(frozen=True)
class SectionSpec:
    name: str
    slug: str
    description: str


@dataclass(frozen=True)
class PhotoSpec:
    """A photo drawn by `cms.demo.pictures` and uploaded; `name` picks its picture."""

    name: str
    alt: str
    credit: str
    caption: str | None = None
    width: int = 1600
    height: int = 900
    # The point crops keep in view (0..1 from the left and the top); None: the centre.
    focal: tuple[float, float] | None = None

    @property
    def src(self) -> str:
        """What a story's Markdown shows the photo by; the loader puts the upload's URL there."""
        return f"demo-photo:{self.name}"


@dataclass(frozen=True)
class AuthorSpec:
    name: str
    slug: str
    bio: str
    avatar: PhotoSpec


@dataclass(frozen=True)
class Source:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class When:
    """A publish time relative to loading, so that the demo always reads as this week's news:
    `ago` before now, or `days` before today (negative: after) at the clock time `at`, UTC."""

    ago: timedelta = timedelta(0)
    days: int = 0
    at: time | None = None

    def resolve(self, now: datetime) -> datetime:
        if self.at is None:
            return (now - self.ago).replace(second=0, microsecond=0)
        return datetime.combine(now.astimezone(UTC).date() - timedelta(days=self.days), self.at, tzinfo=UTC)


def ago(*, hours: int, minutes: int = 0) -> When:
    return When(ago=timedelta(hours=hours, minutes=minutes))


def days_ago(days: int, at: str) -> When:
    """`days` before today at `at` ("HH:MM", UTC); at least one, so that it is always past."""
    if days < 1:
        raise ValueError("days_ago needs at least one day: use ago() for today")
    return When(days=days, at=time.fromisoformat(at))


def days_ahead(days: int, at: str) -> When:
    """Scheduled: `days` after today at `at` ("HH:MM", UTC); at least one, so that it is ahead."""
    if days < 1:
        raise ValueError("days_ahead needs at least one day")
    return When(days=-days, at=time.fromisoformat(at))


@dataclass(frozen=True)
class ArticleSpec:
    """One story. `published` None leaves it a draft (`in_review` sends that draft to the desk);
    a future time schedules it. `translation_of` makes it that story in another `locale`, and a
    `correction` is added to the published story as a later revision, as a desk corrects one."""

    slug: str
    title: str
    standfirst: str
    section: SectionSpec
    authors: tuple[AuthorSpec, ...]
    hero: PhotoSpec | None
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    published: When | None
    markdown: str
    in_review: bool = False
    locale: str = "en"
    translation_of: ArticleSpec | None = None
    correction: str | None = None
