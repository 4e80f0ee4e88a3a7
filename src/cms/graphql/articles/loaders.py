"""DataLoaders of articles and their relations: one query per relation per page."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Article, Author, Section, Tag
from cms.graphql.batch import Loader, SessionGuard, as_viewer, loader
from cms.services import search, taxonomy
from cms.services.articles import listing
from cms.services.articles.listing import ArticleFilter, Group, Ordering
from cms.services.blocks import Block
from cms.services.errors import InputError
from cms.services.pagination import Page


@dataclass(frozen=True)
class PageAsk:
    """Which page of a list of articles: the same for every author, section or tag asked for."""

    group: Group
    first: int | None
    after: str | None
    filter: ArticleFilter | None
    order: Ordering | None


# One owner's page: (author, section or tag id, the page asked for).
PageKey = tuple[int, PageAsk]


class ArticleLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, Article | None] = loader(db, as_viewer(viewer, listing.articles_by_ids))
        self.body: DataLoader[int, list[Block]] = loader(db, listing.bodies)
        self.authors: DataLoader[int, list[Author]] = loader(db, listing.authors_for_articles)
        self.tags: DataLoader[int, list[Tag]] = loader(db, taxonomy.tags_for_articles)
        # An article's section and tags, and a revision's: whoever may see the article may see them.
        self.section: DataLoader[int, Section | None] = loader(db, taxonomy.sections_by_ids)
        self.tag: DataLoader[int, Tag | None] = loader(db, taxonomy.tags_by_ids)
        self.translations: DataLoader[int, list[Article]] = loader(db, as_viewer(viewer, listing.translations))
        # (article id, how many): one query for every article of a page.
        self.related: DataLoader[tuple[int, int], list[Article]] = loader(
            db, as_viewer(viewer, search.related_articles)
        )

        async def pages(keys: list[PageKey]) -> list[Page[Article] | InputError]:
            # Owners asked for the same page share one windowed query; a bad page (a cursor of
            # another list, say) fails its own keys only.
            asks: dict[PageAsk, list[int]] = {}
            for owner, ask in keys:
                asks.setdefault(ask, []).append(owner)
            found: dict[PageKey, Page[Article] | InputError] = {}
            async with db() as session:
                for ask, owners in asks.items():
                    try:
                        pages = await listing.pages_by(
                            session,
                            viewer,
                            ask.group,
                            owners,
                            first=ask.first,
                            after=ask.after,
                            filter=ask.filter,
                            order=ask.order,
                        )
                    except InputError as exc:
                        found.update({(o, ask): exc for o in owners})
                    else:
                        found.update({(o, ask): p for o, p in zip(owners, pages, strict=True)})
            return [found[k] for k in keys]

        self.pages: Loader[PageKey, Page[Article]] = Loader(load_fn=pages)
