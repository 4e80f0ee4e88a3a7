"""Preview links: a signed token that lets whoever holds it read one article as it is now,
whatever its status, until the token expires or the article's links are revoked.

A token is base64url (unpadded) of 53 bytes:

    version (1) | article id (8) | preview epoch (4) | expiry, Unix seconds (8) | HMAC-SHA256 (32)

signed with the server's preview key (`secrets`), so it needs no table of its own: revoking
bumps `articles.preview_epoch`, which every earlier token names. Expiry and epoch are checked
by the database, in the statement that reads the article, against the one clock.

Every way a token can fail (malformed, tampered, signed with another key, expired, revoked,
its article deleted) raises the same InvalidLink, so that nothing hints whether an article
exists. The format and the signature are checked before anything is read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.auth import Viewer
from cms.config import Settings
from cms.db import Article
from cms.db.base import db_now
from cms.services import audit, policy, save, secrets
from cms.services.articles.visibility import bylined, visible_to
from cms.services.errors import DomainError, NotFound
from cms.vocabulary import AuditAction

USE = "preview-links"
_VERSION = 1
_BODY = struct.Struct(">BQIQ")
_MAC_SIZE = hashlib.sha256().digest_size
_RAW_SIZE = _BODY.size + _MAC_SIZE
TOKEN_LENGTH = len(base64.urlsafe_b64encode(bytes(_RAW_SIZE)).rstrip(b"="))
_TOKEN = re.compile(f"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


class InvalidLink(DomainError):
    """A preview token that does not open anything; one message for every reason."""

    def __init__(self) -> None:
        super().__init__("the preview link is invalid, expired or revoked")


@dataclass(frozen=True)
class Link:
    """What a token says: which article, at which preview epoch, until when."""

    article_id: int
    epoch: int
    expires_at: datetime


async def signing_key(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> bytes:
    """The key preview tokens are signed with, the same in every server process."""
    return await secrets.key_for(settings, sessionmaker, USE)


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign(key: bytes, link: Link) -> str:
    """The token of a link (the expiry is kept to the whole second)."""
    body = _BODY.pack(_VERSION, link.article_id, link.epoch, int(link.expires_at.timestamp()))
    return _encode(body + _mac(key, body))


def read(key: bytes, token: str) -> Link:
    """The link a token signed with `key` holds; expiry and epoch are the database's to check.

    Raises InvalidLink for anything but a token `sign` made with this key."""
    if len(token) != TOKEN_LENGTH or not _TOKEN.fullmatch(token):
        raise InvalidLink()
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    body, mac = raw[: _BODY.size], raw[_BODY.size :]
    # _encode(raw) refuses other spellings of the same bytes (the spare bits of the last
    # character), so that a token is valid in exactly one form.
    if not hmac.compare_digest(_mac(key, body), mac) or _encode(raw) != token:
        raise InvalidLink()
    version, article_id, epoch, expires = _BODY.unpack(body)
    if version != _VERSION:
        raise InvalidLink()
    return Link(article_id, epoch, datetime.fromtimestamp(expires, UTC))


async def _desk_article(
    session: AsyncSession, viewer: Viewer, article_id: int, *, lock: bool
) -> tuple[Article, datetime]:
    """The article, if the viewer may see its desk side, with the database clock's now.

    Raises NotFound (no article the viewer may see), Forbidden (not an editor, nor its author)."""
    own = policy.own_byline(viewer)
    mine: ColumnElement[bool] = bylined(own) if own is not None else false()
    stmt = select(Article, mine, db_now()).where(Article.id == article_id, visible_to(viewer))
    if lock:
        stmt = stmt.with_for_update(of=Article).execution_options(populate_existing=True)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("no such article")
    article, is_mine, now = row
    policy.require_desk_view(viewer, bylined=is_mine)
    return article, now


async def create_link(
    session: AsyncSession, viewer: Viewer, article_id: int, key: bytes, seconds: int
) -> tuple[str, datetime]:
    """A token for the article, valid for `seconds` by the database clock; returns it with its
    expiry. The audit event holds the expiry, never the token.

    Raises NotFound (no article the viewer may see), Forbidden (not an editor, nor its author)."""
    article, now = await _desk_article(session, viewer, article_id, lock=False)
    # Rounded up to the whole second the token holds: a link lasts at least `seconds`.
    link = Link(article.id, article.preview_epoch, datetime.fromtimestamp(math.ceil(now.timestamp()) + seconds, UTC))
    await audit.record(
        session,
        viewer,
        AuditAction.PREVIEW_LINK_CREATE,
        ("Article", article.id),
        detail={"expiresAt": link.expires_at.isoformat()},
    )
    return sign(key, link), link.expires_at


async def revoke_links(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """Revoke every preview link of the article made so far, at once.

    Raises NotFound (no article the viewer may see), Forbidden (not an editor, nor its author)."""
    article, _ = await _desk_article(session, viewer, article_id, lock=True)
    article.preview_epoch = Article.preview_epoch + 1
    await save(session, article)
    await audit.record(session, viewer, AuditAction.PREVIEW_LINK_REVOKE, ("Article", article.id))
    return article


async def article_for(session: AsyncSession, key: bytes, token: str) -> Article:
    """The article a preview token opens, in its current state, whatever its status.

    Raises InvalidLink (malformed, tampered, another key's, expired, revoked, no such article)."""
    link = read(key, token)
    article = (
        await session.scalars(
            select(Article).where(
                Article.id == link.article_id,
                Article.preview_epoch == link.epoch,
                db_now() < link.expires_at,
            )
        )
    ).one_or_none()
    if article is None:
        raise InvalidLink()
    return article
