"""DataLoaders of authors."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Author
from cms.graphql.batch import SessionGuard, loader
from cms.services import authors


class AuthorLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, Author | None] = loader(db, authors.authors_by_ids)
