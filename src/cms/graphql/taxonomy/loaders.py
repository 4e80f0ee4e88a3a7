"""DataLoaders of sections and tags, showing only the ones the viewer may see."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Section, Tag
from cms.graphql.batch import SessionGuard, loader
from cms.services import taxonomy


class TaxonomyLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        async def sections(session: AsyncSession, ids: Sequence[int]) -> list[Section | None]:
            return await taxonomy.labels_by_ids(session, viewer, Section, ids)

        async def tags(session: AsyncSession, ids: Sequence[int]) -> list[Tag | None]:
            return await taxonomy.labels_by_ids(session, viewer, Tag, ids)

        self.section: DataLoader[int, Section | None] = loader(db, sections)
        self.tag: DataLoader[int, Tag | None] = loader(db, tags)
