"""DataLoaders of articles and their relations: one query per relation per page."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Article, Author, Tag
from cms.graphql.batch import SessionGuard, as_viewer, loader
from cms.services import taxonomy
from cms.services.articles import listing
from cms.services.blocks import Block


class ArticleLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, Article | None] = loader(db, as_viewer(viewer, listing.articles_by_ids))
        self.body: DataLoader[int, list[Block]] = loader(db, listing.bodies)
        self.authors: DataLoader[int, list[Author]] = loader(db, listing.authors_for_articles)
        self.tags: DataLoader[int, list[Tag]] = loader(db, taxonomy.tags_for_articles)
