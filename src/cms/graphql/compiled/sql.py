"""SQL that writes what the resolver path writes: global IDs, instants, cursors, visibility.

Every expression here reproduces, inside PostgreSQL, one Python function of the resolver path,
named beside it; the differential tests hold each pair equal. The rules themselves (which
articles a reader sees, the status shown) are not restated: they are the services' SQLAlchemy
expressions, rendered once for an alias.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.util import ClauseAdapter

from cms.auth import ANONYMOUS
from cms.db import Article, Section, Tag
from cms.services.articles.visibility import status_is, visible_to
from cms.services.blocks import WORDS_PER_MINUTE
from cms.services.taxonomy import in_use
from cms.vocabulary import ArticleStatus

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


class Params:
    """The bound parameters of one statement, numbered as they are added ($1, $2, ...)."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any, cast: str) -> str:
        self.values.append(value)
        return f"${len(self.values)}::{cast}"


def _render(expression: ColumnElement[Any], alias: str, table: Any = None) -> str:
    """A services expression over `table` (`articles` by default), as SQL text over the alias
    `alias`; a subquery in it refers to the alias, as it would inside a statement reading the
    table. Its values are constants of the code (statuses), never input: written inline."""
    aliased = (table if table is not None else Article.__table__).alias(alias)
    adapted = ClauseAdapter(aliased).traverse(expression)
    # Rendered as the condition of a statement reading the alias, so that subqueries correlate.
    text = str(
        select(literal_column("1"))
        .select_from(aliased)
        .where(adapted)
        .compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True})
    )
    head, condition = text.split("\nWHERE ", 1)
    assert head.endswith(f"AS {alias} "), head
    return condition


@lru_cache(maxsize=64)
def visible(alias: str) -> str:
    """`visibility.visible_to(ANONYMOUS)`: the articles anyone may read, by the database clock."""
    return f"({_render(visible_to(ANONYMOUS), alias)})"


@lru_cache(maxsize=64)
def status_in(alias: str, statuses: tuple[ArticleStatus, ...]) -> str:
    """`visibility.status_is` for any of `statuses` (a filter on the status shown)."""
    return "(" + " OR ".join(["false", *(f"({_render(status_is(s), alias)})" for s in statuses)]) + ")"


@lru_cache(maxsize=64)
def label_in_use(alias: str, type_name: str) -> str:
    """`taxonomy.in_use(model, ANONYMOUS)`: a section (or tag) is shown while it holds an article
    anyone may read."""
    shown = in_use(Section, ANONYMOUS) if type_name == "Section" else in_use(Tag, ANONYMOUS)
    table = Section.__table__ if type_name == "Section" else Tag.__table__
    return f"({_render(shown, alias, table)})"


@lru_cache(maxsize=64)
def shown_status(alias: str) -> str:
    """`Article.shown_status`: SCHEDULED before the publish time, DRAFT once an embargo ends."""
    expression: ColumnElement[Any] = Article.__mapper__.column_attrs["shown_status"].expression  # type: ignore[assignment]
    return _render(expression, alias)


def reading_time(words: str) -> str:
    """`blocks.reading_time_minutes`."""
    return f"ceil({words} / {float(WORDS_PER_MINUTE)})::int"


def global_id(type_name: str, pk: str) -> str:
    """`ids.to_global_id`. IDs are short: PostgreSQL breaks base64 lines only past 76 characters."""
    return f"encode(convert_to('{type_name}:' || {pk}, 'UTF8'), 'base64')"


def instant(expr: str) -> str:
    """`scalars.serialize_datetime`: UTC, milliseconds truncated, a Z."""
    return f"""to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""


def isoformat(expr: str) -> str:
    """`datetime.isoformat()` of an instant as asyncpg reads it (UTC): microseconds only when any."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    return (
        f"""(to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
        f"|| CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE '.' || to_char({utc}, 'US') END || '+00:00')"
    )


def cursor(ordering: str, time: str, pk: str) -> str:
    """`pagination.encode_cursor(ordering, [time.isoformat() or None, pk])` for a time sort key."""
    raw = (
        f"""'["{ordering}",' || CASE WHEN {time} IS NULL THEN 'null' ELSE '"' || {isoformat(time)} || '"' END"""
        f" || ',' || {pk} || ']'"
    )
    # base64 without padding, URL-safe; PostgreSQL breaks its base64 into lines of 76 characters.
    return f"rtrim(translate(encode(convert_to({raw}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')"


def escaped(expr: str) -> str:
    """`html.escape` (quotes too)."""
    return (
        f"replace(replace(replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        f"'\"', '&quot;'), '''', '&#x27;')"
    )


def body_html(body: str, media_url: str) -> str:
    """`blocks.render_html` of the jsonb array `body`; `media_url(m)` is an image's URL expression
    over the media row `m`."""
    b = "e.b"
    caption = f"coalesce({b}->>'caption', '')"
    credit = "coalesce(m.credit, '')"
    block = f"""CASE {b}->>'type'
      WHEN 'paragraph' THEN '<p>' || ({b}->>'html') || '</p>'
      WHEN 'heading' THEN '<h' || ({b}->>'level') || '>' || {escaped(f"({b}->>'text')")}
        || '</h' || ({b}->>'level') || '>'
      WHEN 'quote' THEN '<blockquote><p>' || {escaped(f"({b}->>'text')")} || '</p>'
        || CASE WHEN coalesce({b}->>'attribution', '') <> ''
             THEN '<footer>' || {escaped(f"({b}->>'attribution')")} || '</footer>' ELSE '' END
        || '</blockquote>'
      WHEN 'list' THEN '<' || CASE WHEN ({b}->>'ordered')::boolean THEN 'ol' ELSE 'ul' END || '>'
        || coalesce((SELECT string_agg('<li>' || li.item || '</li>', '' ORDER BY li.k)
                     FROM jsonb_array_elements_text({b}->'items') WITH ORDINALITY AS li(item, k)), '')
        || '</' || CASE WHEN ({b}->>'ordered')::boolean THEN 'ol' ELSE 'ul' END || '>'
      WHEN 'embed' THEN '<figure class="embed"><a href="' || {escaped(f"({b}->>'url')")}
        || '" rel="noopener noreferrer">' || {escaped(f"({b}->>'url')")} || '</a></figure>'
      WHEN 'image' THEN (
        SELECT '<figure><img src="' || {escaped(media_url)} || '" alt="' || {escaped("coalesce(m.alt, '')")} || '">'
          || CASE WHEN {caption} <> '' OR {credit} <> ''
               THEN '<figcaption>' || {escaped(caption)}
                 || CASE WHEN {credit} <> '' THEN ' <small>Photo: ' || {escaped("m.credit")} || '</small>' ELSE '' END
                 || '</figcaption>'
               ELSE '' END
          || '</figure>'
        FROM media m WHERE m.id = ({b}->>'mediaId')::bigint)
    END"""
    return (
        f"(SELECT coalesce(string_agg({block}, E'\\n' ORDER BY e.n), '') "
        f"FROM jsonb_array_elements({body}) WITH ORDINALITY AS e(b, n))"
    )
