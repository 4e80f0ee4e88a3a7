"""Moving a newsroom's content between servers: `cms export` and `cms import`.

An export is JSON Lines (see `format`): a header with the format version and the Alembic
revision, a line per row, and an end line with the rows counted per table. It is written from one
read-only snapshot, streamed from server-side cursors, every table ordered by primary key with
its columns in one order and its times in one format, so that exporting the same content twice
gives the same bytes. An import takes it back into an empty database migrated to the same
revision, keeping every id, in one transaction, and then sets each id sequence past the
highest id.

What it holds: articles with their revisions, slug history, bylines and tags; scheduled
publishes and embargo ends; authors; media (the rows, not the files: copy the media folder or
bucket alongside); sections; tags; trending lists and their pins; users, without their password
hashes unless asked (an imported user without one cannot sign in until given a new password);
and the audit log (whose events name their actors by id and by name, and whose sign-in events
hold the address signed in from).

What it leaves out, and why:
- api_tokens: credentials, login sessions included; made again on the new server (the audit
  log's references to them are left out with them, as if the tokens had been deleted);
- server_secrets: the server's own keys (the one signing preview links): the new server makes
  its own, so preview links handed out before the move stop working;
- article_views and trending_scores: read counts and what is computed from them, operational
  figures that roll up and expire; trending lists start again from their pins;
- view_dedupe and view_salts: who read what lately, kept only long enough not to count a reload
  twice, and the salts that keep those keys from being traced back;
- login_throttle and rate_counts: failed sign-ins and requests counted per window, which expire;
- persisted_queries: a cache of GraphQL documents, which clients register again;
- articles.search_vector: computed by the database's triggers as the articles go in.
"""

from cms.services.transfer.export import export_content
from cms.services.transfer.format import TransferError
from cms.services.transfer.imports import import_content
from cms.services.transfer.progress import Progress

__all__ = ["Progress", "TransferError", "export_content", "import_content"]
