"""DataLoaders of trending lists and their entries."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Article, TrendingList
from cms.graphql.batch import SessionGuard, as_viewer, loader
from cms.services import trending, trending_scores


class TrendingLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, TrendingList | None] = loader(db, trending.lists_by_ids)
        self.pins: DataLoader[int, list[Article]] = loader(db, as_viewer(viewer, trending.pinned_articles))
        # (list id, how many): the most read published articles, whoever asks.
        self.computed: DataLoader[tuple[int, int], list[tuple[Article, float]]] = loader(db, trending_scores.computed)
