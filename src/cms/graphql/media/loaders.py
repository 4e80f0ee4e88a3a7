"""DataLoaders of media."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Media
from cms.graphql.batch import SessionGuard, loader
from cms.services import media


class MediaLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, Media | None] = loader(db, media.media_by_ids)
