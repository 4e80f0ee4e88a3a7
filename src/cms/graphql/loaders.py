"""Every domain's DataLoaders, fresh for each operation, so each relation costs one query per page."""

from __future__ import annotations

from cms.auth import Viewer
from cms.graphql.articles.loaders import ArticleLoaders
from cms.graphql.authors.loaders import AuthorLoaders
from cms.graphql.batch import SessionGuard
from cms.graphql.media.loaders import MediaLoaders
from cms.graphql.taxonomy.loaders import TaxonomyLoaders
from cms.graphql.trending.loaders import TrendingLoaders
from cms.graphql.users.loaders import UserLoaders


class Loaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.articles = ArticleLoaders(db, viewer)
        self.authors = AuthorLoaders(db, viewer)
        self.media = MediaLoaders(db, viewer)
        self.taxonomy = TaxonomyLoaders(db, viewer)
        self.trending = TrendingLoaders(db, viewer)
        self.users = UserLoaders(db, viewer)

    def clear_all(self) -> None:
        """Forget everything loaded so far; mutations call it after they write."""
        for domain in vars(self).values():
            for loader in vars(domain).values():
                loader.clear_all()
