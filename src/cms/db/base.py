"""The declarative base, with a naming convention so migrations name constraints the same way."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.functions import Function

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}
    # Read back server-computed values (now(), version + 1) in the same statement, since
    # an expired attribute cannot be lazy-loaded under asyncio.
    __mapper_args__ = {"eager_defaults": True}


def pk() -> Mapped[int]:
    return mapped_column(BigInteger, primary_key=True, autoincrement=True)


def created_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now())


def updated_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now())


def db_now() -> Function[datetime]:
    """The one clock: the database's, at the statement (not at the transaction's start).

    Visibility, the status clients see and expiry are all decided by it, shared by every
    replica; a scheduled article goes live at its instant even inside a long transaction.
    """
    return func.statement_timestamp(type_=DateTime(timezone=True))
