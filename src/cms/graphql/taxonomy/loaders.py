"""DataLoaders of sections and tags."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Section, Tag
from cms.graphql.batch import SessionGuard, loader
from cms.services import taxonomy


class TaxonomyLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.section: DataLoader[int, Section | None] = loader(db, taxonomy.sections_by_ids)
        self.tag: DataLoader[int, Tag | None] = loader(db, taxonomy.tags_by_ids)
