"""Alembic's entry point; it always runs on a connection the CMS hands it (see cms.db.migrate)."""

from alembic import context

from cms.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `cms migrate`, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    compare_type=True,
    compare_server_default=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
