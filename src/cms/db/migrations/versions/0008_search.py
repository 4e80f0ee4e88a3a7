"""search: a full-text search vector on articles kept by the database, a trigram index on titles

`articles.search_vector` holds the title (weight A), standfirst and tag names (B), bylines (C)
and the body's text (D), stemmed by the article's language. A generated column cannot see the
bylines and tags, which live in other tables, so triggers keep it: on articles (the searched
columns), on article_authors and article_tags (rows added or removed, once per statement), and
on authors.name and tags.name (every article using the renamed one).

The body's text is extracted in SQL by an IMMUTABLE function (`body_text`) rather than stored
by the application in a column of its own: whatever writes an article (the API, an import in
SQL, this backfill) gets the same vector, with nothing to keep in step and no second copy of
the body on disk. It reads the blocks services.blocks writes; inline HTML there is nh3's
output, whose tags hold no unescaped `>` and whose text escapes only &, <, > and no-break spaces.

`search_config(locale)` maps a BCP 47 tag to the text search configuration of its language
among those this server ships (`simple` for the rest, e.g. ko, ja, zh); `search_query(text)`
ORs websearch_to_tsquery over every one of them (each distinct one once: most words stem alike
in many languages, and every alternative costs the index and the planner's estimate), so one
constant query finds an article in any language through the GIN index (the service then
matches each article with its own language's query; NULL, which matches nothing, when the text
has no word to look for). Every article present gets its vector here.

pg_trgm (trusted from PostgreSQL 13: the database owner may create it) backs the fallback
search on titles, where the server ships it: every packaged PostgreSQL does, the embedded one
of `make run` does not, and there searches simply have no fallback. The downgrade leaves the
extension, which other things may use by then.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The language subtag of a locale, and the configuration PostgreSQL ships for that language.
LANGUAGES = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Inline HTML as nh3 writes it: tags removed, then its entities (&amp; last, so "&amp;lt;"
# stays "&lt;" as written).
INLINE_HTML_TEXT = r"""
CREATE FUNCTION inline_html_text(html text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(replace(
           regexp_replace(html, '<[^>]*>', '', 'g'),
           '&lt;', '<'), '&gt;', '>'), '&nbsp;', ' '), '&quot;', '"'), '&amp;', '&')
$$
"""

# The readable text of a body's blocks, in order: paragraphs, headings, quotes with their
# attribution, list items, captions and embed URLs.
BODY_TEXT = r"""
CREATE FUNCTION body_text(body jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(p.part, E'\n' ORDER BY b.block, p.item), '')
  FROM jsonb_array_elements(CASE jsonb_typeof(body) WHEN 'array' THEN body ELSE '[]' END)
       WITH ORDINALITY AS b(value, block)
  CROSS JOIN LATERAL (
    SELECT inline_html_text(b.value ->> 'html'), 0::bigint WHERE b.value ->> 'type' = 'paragraph'
    UNION ALL SELECT b.value ->> 'text', 0 WHERE b.value ->> 'type' IN ('heading', 'quote')
    UNION ALL SELECT b.value ->> 'attribution', 1 WHERE b.value ->> 'type' = 'quote'
    UNION ALL SELECT b.value ->> 'caption', 0 WHERE b.value ->> 'type' = 'image'
    UNION ALL SELECT b.value ->> 'url', 0 WHERE b.value ->> 'type' = 'embed'
    UNION ALL SELECT inline_html_text(i.value), i.n
    FROM jsonb_array_elements_text(
      CASE WHEN b.value ->> 'type' = 'list' AND jsonb_typeof(b.value -> 'items') = 'array'
           THEN b.value -> 'items' ELSE '[]' END) WITH ORDINALITY AS i(value, n)
  ) AS p(part, item)
  WHERE p.part <> ''
$$
"""

# Text as the search parser should read it. That parser takes anything like `<b>` for markup and
# skips it (and all that follows `<script>`), even in plain text: `<` and `>` become the control
# characters 3 and 4, which it reads as spaces and services.search turns back into `&lt;` and
# `&gt;` in headlines. 1 and 2 mark the matches in headlines; none of the four is kept from the text.
SEARCH_TEXT = r"""
CREATE FUNCTION search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(translate(value, E'\x01\x02\x03\x04', ''), '<>', E'\x03\x04')
$$
"""

# An article's vector from its own columns and its bylines and tags as they stand. The
# arguments are named apart from the columns, which would win in a SQL function.
ARTICLE_SEARCH_VECTOR = """
CREATE FUNCTION article_search_vector(a_id bigint, a_locale text, a_title text, a_standfirst text, a_body jsonb)
RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(c.cfg, search_text(coalesce(a_title, ''))), 'A')
      || setweight(to_tsvector(c.cfg, search_text(coalesce(a_standfirst, ''))), 'B')
      || setweight(to_tsvector(c.cfg, search_text(coalesce(
           (SELECT string_agg(t.name, ' ' ORDER BY l.position)
            FROM article_tags l JOIN tags t ON t.id = l.tag_id WHERE l.article_id = a_id), ''))), 'B')
      || setweight(to_tsvector(c.cfg, search_text(coalesce(
           (SELECT string_agg(au.name, ' ' ORDER BY l.position)
            FROM article_authors l JOIN authors au ON au.id = l.author_id WHERE l.article_id = a_id), ''))), 'C')
      || setweight(to_tsvector(c.cfg, search_text(body_text(a_body))), 'D')
  FROM (SELECT search_config(a_locale) AS cfg) AS c
$$
"""

# An article's title as a vector of its own (its language's stemming), indexed apart from the
# text's: related articles are those whose titles share words with this one's.
# Its calls name their schema: an index expression is also computed where the search path is
# empty (pg_dump's restore), and a SET search_path would keep the function from being inlined.
TITLE_VECTOR = """
CREATE FUNCTION title_vector(locale text, title text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.to_tsvector({schema}.search_config(locale), {schema}.search_text(coalesce(title, '')))
$$
"""

# The words of a title vector as a query for titles alike to it: any two of them (its one word
# if it has one), each quoted for the tsquery parser (a quote doubled, a backslash escaped). One
# shared word is often chance; two rarely are. No weights or phrases: the GIN index answers it
# without reading a row.
TITLE_QUERY = r"""
CREATE FUNCTION title_query(vector tsvector) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH words AS (
    SELECT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' AS word, row_number() OVER () AS n
    FROM unnest(vector) AS u(lexeme, positions, weights)
  )
  SELECT (CASE (SELECT count(*) FROM words)
            WHEN 1 THEN (SELECT word FROM words)
            ELSE (SELECT string_agg(a.word || ' & ' || b.word, ' | ') FROM words a JOIN words b ON a.n < b.n)
          END)::tsquery
$$
"""

ARTICLES_TRIGGER = """
CREATE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title
     AND NEW.standfirst IS NOT DISTINCT FROM OLD.standfirst
     AND NEW.body IS NOT DISTINCT FROM OLD.body AND NEW.locale IS NOT DISTINCT FROM OLD.locale THEN
    RETURN NEW;
  END IF;
  NEW.search_vector := article_search_vector(NEW.id, NEW.locale, NEW.title, NEW.standfirst, NEW.body);
  RETURN NEW;
END
$$
"""

# Bylines and tags are replaced a statement at a time (delete all, insert all): each statement
# refreshes the articles it touched once, from its transition table.
LINKS_TRIGGER = """
CREATE FUNCTION refresh_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE articles a
  SET search_vector = article_search_vector(a.id, a.locale, a.title, a.standfirst, a.body)
  WHERE a.id IN (SELECT article_id FROM changed);
  RETURN NULL;
END
$$
"""

RENAME_TRIGGER = """
CREATE FUNCTION {table}_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE articles a
  SET search_vector = article_search_vector(a.id, a.locale, a.title, a.standfirst, a.body)
  WHERE a.id IN (SELECT l.article_id FROM {link} l WHERE l.{key} = NEW.id);
  RETURN NULL;
END
$$
"""

RENAMES = (("authors", "article_authors", "author_id"), ("tags", "article_tags", "tag_id"))


def _schema() -> str:
    """The schema the migration creates its functions in, quoted."""
    return str(op.get_bind().scalar(sa.text("SELECT quote_ident(current_schema())")))


def _language_functions() -> list[str]:
    shipped = set(op.get_bind().scalars(sa.text("SELECT cfgname FROM pg_ts_config")).all())
    languages = {code: config for code, config in LANGUAGES.items() if config in shipped}
    cases = "\n".join(f"    WHEN '{code}' THEN '{config}'::regconfig" for code, config in languages.items())
    configs = ", ".join(f"'{c}'" for c in ["simple", *sorted(set(languages.values()))])
    return [
        f"""
        CREATE FUNCTION search_config(locale text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
          SELECT CASE lower(split_part(replace(locale, '_', '-'), '-', 1))
        {cases}
            ELSE 'simple'::regconfig END
        $$
        """,
        # The names come from the list above, kept to those in pg_ts_config: no input.
        f"""
        CREATE FUNCTION search_query(query text) RETURNS tsquery
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
          SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')::tsquery
          FROM unnest(ARRAY[{configs}]::regconfig[]) AS c(config),
               websearch_to_tsquery(c.config, query) AS q
          WHERE q::text <> ''
        $$
        """,  # noqa: S608
    ]


def upgrade() -> None:
    trigrams = op.get_bind().scalar(
        sa.text("SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_trgm')")
    )
    if trigrams:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column(
        "articles",
        sa.Column("search_vector", postgresql.TSVECTOR(), server_default=sa.text("''::tsvector"), nullable=False),
    )
    for statement in (
        *_language_functions(),
        INLINE_HTML_TEXT,
        BODY_TEXT,
        SEARCH_TEXT,
        ARTICLE_SEARCH_VECTOR,
        TITLE_VECTOR.format(schema=_schema()),
        TITLE_QUERY,
        ARTICLES_TRIGGER,
        LINKS_TRIGGER,
        *(RENAME_TRIGGER.format(table=t, link=link, key=key) for t, link, key in RENAMES),
    ):
        op.execute(statement)
    op.execute("UPDATE articles SET search_vector = article_search_vector(id, locale, title, standfirst, body)")
    op.execute(
        "CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE OF title, standfirst, body, locale ON articles "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_vector()"
    )
    for link in ("article_authors", "article_tags"):
        for event, rows in (("INSERT", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER search_vector_{event.lower()} AFTER {event} ON {link} "
                f"REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refresh_search_vectors()"
            )
    for table, _, _ in RENAMES:
        op.execute(
            f"CREATE TRIGGER search_vector AFTER UPDATE OF name ON {table} FOR EACH ROW "
            f"WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION {table}_search_vectors()"
        )
    op.create_index("ix_articles_search_vector", "articles", ["search_vector"], postgresql_using="gin")
    op.execute("CREATE INDEX ix_articles_title_vector ON articles USING gin (title_vector(locale, title))")
    op.drop_index("ix_article_tags_tag_id", table_name="article_tags")
    op.create_index("ix_article_tags_tag_id_article_id", "article_tags", ["tag_id", "article_id"])
    if trigrams:
        op.create_index(
            "ix_articles_title_trgm",
            "articles",
            ["title"],
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_articles_title_trgm")
    op.drop_index("ix_articles_search_vector", table_name="articles")
    op.drop_index("ix_articles_title_vector", table_name="articles")
    op.drop_index("ix_article_tags_tag_id_article_id", table_name="article_tags")
    op.create_index("ix_article_tags_tag_id", "article_tags", ["tag_id"])
    for table, _, _ in RENAMES:
        op.execute(f"DROP TRIGGER search_vector ON {table}")
        op.execute(f"DROP FUNCTION {table}_search_vectors()")
    for link in ("article_authors", "article_tags"):
        for event in ("insert", "delete"):
            op.execute(f"DROP TRIGGER search_vector_{event} ON {link}")
    op.execute("DROP TRIGGER search_vector ON articles")
    for function in (
        "refresh_search_vectors()",
        "articles_search_vector()",
        "title_query(tsvector)",
        "title_vector(text, text)",
        "article_search_vector(bigint, text, text, text, jsonb)",
        "search_text(text)",
        "body_text(jsonb)",
        "inline_html_text(text)",
        "search_query(text)",
        "search_config(text)",
    ):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_column("articles", "search_vector")
