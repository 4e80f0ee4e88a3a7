"""DataLoaders of users and tokens."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import ApiToken, User
from cms.graphql.batch import SessionGuard, loader
from cms.services import tokens, users


class UserLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, User | None] = loader(db, users.users_by_ids)
        self.token: DataLoader[int, ApiToken | None] = loader(db, tokens.tokens_by_ids)
