"""The read path under load: the CMS beside the best hand-written endpoint and a static floor.

    .venv/bin/python bench/reads.py [--articles 20000] [--rounds 3] [--seconds 10] [--soak MINUTES]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres)
and seeds it deterministically: bench/search.py's `fill` (published articles, 40 authors, 8
sections, 120 tags), then here ~5 KB bodies (paragraphs, subheadings, quotes, some photos), a
hero photo on most articles (linked media with credits such as Shutterstock.com), a third
byline on some, and ~2% articles readers must not see (drafts, scheduled, embargo ended) among
the newest; reads counted in article_views; a "Trending Now" list (DAY) made through the API
with an editor token, with two pins, its scores refreshed; ANALYZE.

Six reads, each as a POST of the document and as a GET automatic persisted query (the hash
registered once): the homepage (20 latest with bylines, hero photo, section, tags), an article
page by slug (full body as HTML; wrk rotates over --slugs slugs), a section page
(`articles(filter: {sectionSlug})`, rotating over the sections), an author page (rotating over
the authors), the trending list and a one-word search (rotating over 50 words). Five servers (--servers),
each its own process on loopback, one after another, the order rotated in each of --rounds:

- cms-uncached / cms-cached: `python -m cms serve` as an operator runs it (CMS_DATABASE_URL,
  CMS_LOG_LEVEL=WARNING), with CMS_RESPONSE_CACHE=off, then with the default (on); the
  anonymous read limit per client address is raised out of reach (wrk is one address);
- cms-resolvers: cms-uncached with CMS_COMPILED_READS=off, every field through its resolver
  (what the compiled read path is measured against);
- baseline: Starlette + asyncpg by hand, one SQL statement per request that builds the whole
  response JSON inside PostgreSQL, served by indexes (its EXPLAIN ANALYZE is printed);
- floor: Starlette answering each request with bytes computed beforehand.

Before measuring, every request is sent to the CMS and to the baseline and the parsed answers
are compared (a difference is reported, never tolerated); each server is spot-checked again
when it starts in every round. Load comes from wrk (-t2 -c32, --seconds per run, after a
--warmup). Printed per query and server: req/s, p50, p99 (wrk), the server's RSS after the run
(/proc/<pid>/status), CPU ms per request of the server process and of the database's backends
(/proc/<pid>/stat), SQL statements and transactions per request of the CMS (one request run
in-process through create_app with before_cursor_execute and begin counters; and under load,
background work included, from the CMS's own /metrics, read with CMS_METRICS_TOKEN before and
after each run, with its response cache's hits), the `cms_content` notifications that emptied
the CMS's response caches during the run (LISTEN), and the ratios to the baseline and the
floor; then one line of mutation latency (updateArticle, sequential) and a Markdown table with
the median of the rounds. A query's POST and GET share the CMS's cache entries, so they take
turns at being measured first.

--soak MINUTES loads the homepage for that long instead and prints the CMS's RSS every 30 s.
--profile QUERY prints a cProfile of that query's uncached path in-process; --cms-plans the
EXPLAIN ANALYZE of each statement the CMS sends. wrk comes from the operating system's packages
(`apt install wrk`, `brew install wrk`). It asserts nothing: the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import io
import itertools
import os
import pstats
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
import orjson

sys.path.insert(0, str(Path(__file__).parent))
from search import fill, scratch_database, vocabulary

# --- The reads, as a frontend sends them ----------------------------------------------------

CARD = """
fragment Card on Article {
  id title slug standfirst publishedAt readingTimeMinutes
  authors { name slug }
  heroImage { url alt credit }
  section { name slug }
  tags { name slug }
}
"""
HOMEPAGE = (
    "query Homepage {\n  articles(first: 20) { edges { node { ...Card } } pageInfo { hasNextPage endCursor } }\n}\n"
    + CARD
)
ARTICLE = """query ArticlePage($slug: String!) {
  article(slug: $slug) {
    id title slug standfirst publishedAt updatedAt readingTimeMinutes wordCount
    seoTitle seoDescription canonicalUrl
    authors { name slug bio }
    heroImage { url alt caption credit width height }
    section { name slug }
    tags { name slug }
    bodyHtml
  }
}
"""
SECTION = (
    "query SectionPage($section: String!) {\n  articles(first: 20, filter: {sectionSlug: $section}) {\n"
    "    edges { node { ...Card } } pageInfo { hasNextPage endCursor }\n  }\n}\n" + CARD
)
AUTHOR = (
    "query AuthorPage($author: String!) {\n  author(slug: $author) {\n    name slug bio\n"
    "    articles(first: 20) { edges { node { ...Card } } pageInfo { hasNextPage endCursor } }\n  }\n}\n" + CARD
)
TRENDING = (
    'query Trending {\n  trendingList(slug: "trending-now") {\n    title entries { rank pinned article { ...Card } }\n  }\n}\n'
    + CARD
)
SEARCH = """query Search($q: String!) {
  search(query: $q, first: 20) {
    totalCount
    edges { rank headline node { id title slug publishedAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
UPDATE = """mutation Update($id: ID!, $input: UpdateArticleInput!) {
  updateArticle(id: $id, input: $input) { article { id version } userErrors { field message code } }
}"""

# --- The baseline: each read as one statement that builds the whole answer in PostgreSQL -------
#
# The same JSON as the CMS: global IDs are base64 of "Type:id", instants RFC 3339 in UTC with
# milliseconds (truncated, as the CMS's scalar does), cursors base64url of the CMS's JSON key.
# Every statement is a constant (no input in its text): arguments are bound.


def visible(a: str) -> str:
    """Anonymous readers see this (the CMS's visibility rule, by the database clock)."""
    return f"{a}.status = 'PUBLISHED' AND {a}.published_at <= now() AND ({a}.unpublish_at IS NULL OR {a}.unpublish_at > now())"


def instant(expr: str) -> str:
    return f"""to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""


def isoformat(expr: str) -> str:
    """Python's datetime.isoformat() of a UTC instant: microseconds only when there are some."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    return (
        f"""to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
        f"|| CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def global_id(type_name: str, expr: str) -> str:
    return f"encode(convert_to('{type_name}:' || {expr}, 'UTF8'), 'base64')"


def base64url(expr: str) -> str:
    # PostgreSQL's base64 breaks lines every 76 characters: translate drops the newlines too.
    return f"rtrim(translate(encode(convert_to({expr}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')"


def escaped(expr: str) -> str:
    """Python's html.escape (quotes too)."""
    return (
        f"replace(replace(replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        f"'\"', '&quot;'), '''', '&#x27;')"
    )


NEWEST = "coalesce({0}.published_at, '-infinity'::timestamptz) DESC, {0}.id DESC"
CARD_COLUMNS = "a.id, a.title, a.slug, a.standfirst, a.published_at, a.word_count, a.hero_image_id, a.section_id"
# Each relation a correlated subquery, each lookup by primary key (a lateral join of the small
# tables is planned as a hash join that reads every media row for 20 articles).
CARD_SQL = f"""json_build_object(
    'id', {global_id("Article", "a.id")}, 'title', a.title, 'slug', a.slug, 'standfirst', a.standfirst,
    'publishedAt', {instant("a.published_at")}, 'readingTimeMinutes', ceil(a.word_count / 230.0)::int,
    'authors', (SELECT coalesce(json_agg((SELECT json_build_object('name', x.name, 'slug', x.slug)
                                          FROM authors x WHERE x.id = aa.author_id) ORDER BY aa.position), '[]')
                FROM article_authors aa WHERE aa.article_id = a.id),
    'heroImage', (SELECT json_build_object('url', m.url, 'alt', m.alt, 'credit', m.credit) FROM media m WHERE m.id = a.hero_image_id),
    'section', (SELECT json_build_object('name', s.name, 'slug', s.slug) FROM sections s WHERE s.id = a.section_id),
    'tags', (SELECT coalesce(json_agg((SELECT json_build_object('name', t.name, 'slug', t.slug)
                                       FROM tags t WHERE t.id = at.tag_id) ORDER BY at.position), '[]')
             FROM article_tags at WHERE at.article_id = a.id))"""  # noqa: S608 - constants only: no input reaches the text
CURSOR = base64url(f"""'["article:PUBLISHED_AT:desc","' || {isoformat("a.published_at")} || '",' || a.id || ']'""")
# A connection over `page` (up to 21 rows numbered n in order): 20 edges, hasNextPage, endCursor.
CONNECTION = f"""json_build_object(
    'edges', coalesce((SELECT json_agg(json_build_object('node', {CARD_SQL}) ORDER BY a.n)
                       FROM page a WHERE a.n <= 20), '[]'),
    'pageInfo', json_build_object(
      'hasNextPage', (SELECT count(*) > 20 FROM page),
      'endCursor', (SELECT {CURSOR} FROM page a WHERE a.n = (SELECT least(20, count(*)) FROM page))))"""  # noqa: S608


def page_of(where: str, join: str = "") -> str:
    """The first 21 visible articles, newest first, meeting `where`: ix_articles_published walked."""
    return f"""page AS MATERIALIZED (
  SELECT {CARD_COLUMNS}, row_number() OVER (ORDER BY {NEWEST.format("a")}) AS n
  FROM articles a {join}
  WHERE {visible("a")} {where}
  ORDER BY {NEWEST.format("a")} LIMIT 21)"""  # noqa: S608 - constants only: no input reaches the text


HOMEPAGE_SQL = f"""WITH {page_of("")}
SELECT json_build_object('data', json_build_object('articles', {CONNECTION}))::text"""

SECTION_SQL = f"""WITH {page_of("AND a.section_id = (SELECT s.id FROM sections s WHERE s.slug = $1)")}
SELECT json_build_object('data', json_build_object('articles', {CONNECTION}))::text"""  # noqa: S608

AUTHOR_SQL = f"""WITH who AS (SELECT id, name, slug, bio FROM authors WHERE slug = $1),
{page_of("AND aa.author_id = (SELECT id FROM who)", "JOIN article_authors aa ON aa.article_id = a.id")}
SELECT json_build_object('data', json_build_object('author', (
  SELECT json_build_object('name', w.name, 'slug', w.slug, 'bio', w.bio, 'articles', {CONNECTION}) FROM who w)))::text"""  # noqa: S608


def block_html(b: str) -> str:
    """services.blocks.render_html for one block `b` (jsonb); NULL for what it leaves out."""
    caption = f"coalesce({b}->>'caption', '')"
    return f"""CASE {b}->>'type'
      WHEN 'paragraph' THEN '<p>' || ({b}->>'html') || '</p>'
      WHEN 'heading' THEN '<h' || ({b}->>'level') || '>' || {escaped(f"({b}->>'text')")} || '</h' || ({b}->>'level') || '>'
      WHEN 'quote' THEN '<blockquote><p>' || {escaped(f"({b}->>'text')")} || '</p>'
        || CASE WHEN coalesce({b}->>'attribution', '') <> '' THEN '<footer>' || {escaped(f"({b}->>'attribution')")} || '</footer>' ELSE '' END
        || '</blockquote>'
      WHEN 'list' THEN (SELECT '<' || tag || '>' || coalesce(string_agg('<li>' || item || '</li>', '' ORDER BY k), '') || '</' || tag || '>'
                        FROM (SELECT CASE WHEN ({b}->>'ordered')::boolean THEN 'ol' ELSE 'ul' END) AS o(tag),
                             jsonb_array_elements_text({b}->'items') WITH ORDINALITY AS li(item, k) GROUP BY tag)
      WHEN 'embed' THEN '<figure class="embed"><a href="' || {escaped(f"({b}->>'url')")} || '" rel="noopener noreferrer">'
        || {escaped(f"({b}->>'url')")} || '</a></figure>'
      WHEN 'image' THEN (
        SELECT '<figure><img src="' || {escaped("m.url")} || '" alt="' || {escaped("coalesce(m.alt, '')")} || '">'
          || CASE WHEN {caption} <> '' OR coalesce(m.credit, '') <> ''
               THEN '<figcaption>' || {escaped(caption)}
                    || CASE WHEN coalesce(m.credit, '') <> '' THEN ' <small>Photo: ' || {escaped("m.credit")} || '</small>' ELSE '' END
                    || '</figcaption>'
               ELSE '' END
          || '</figure>'
        FROM media m WHERE m.id = ({b}->>'mediaId')::bigint)
    END"""  # noqa: S608 - constants only: no input reaches the text


# By slug without a locale: the holder of the slug in the default language first, then in any
# other, then an article that held it before (slug history), the oldest first. The unique index
# is on (locale, slug): the locales are found by a loose index scan, then (locale, slug) probed.
ARTICLE_SQL = f"""WITH RECURSIVE locales(locale) AS (
  SELECT min(locale) FROM articles
  UNION ALL
  SELECT (SELECT min(x.locale) FROM articles x WHERE x.locale > l.locale) FROM locales l WHERE l.locale IS NOT NULL
),
found AS (
  SELECT a.*, 0 AS old FROM locales l JOIN articles a ON a.locale = l.locale AND a.slug = $1
  UNION ALL
  SELECT a.*, 1 FROM articles a
  WHERE a.id = (SELECT h.article_id FROM locales l JOIN article_slugs h ON h.locale = l.locale AND h.slug = $1
                ORDER BY h.created_at DESC LIMIT 1)
),
chosen AS (SELECT * FROM found a WHERE {visible("a")} ORDER BY a.old, a.locale <> 'en', a.id LIMIT 1)
SELECT json_build_object('data', json_build_object('article', (
  SELECT json_build_object(
    'id', {global_id("Article", "a.id")}, 'title', a.title, 'slug', a.slug, 'standfirst', a.standfirst,
    'publishedAt', {instant("a.published_at")}, 'updatedAt', {instant("a.updated_at")},
    'readingTimeMinutes', ceil(a.word_count / 230.0)::int, 'wordCount', a.word_count,
    'seoTitle', a.seo_title, 'seoDescription', a.seo_description, 'canonicalUrl', a.canonical_url,
    'authors', (SELECT coalesce(json_agg((SELECT json_build_object('name', x.name, 'slug', x.slug, 'bio', x.bio)
                                          FROM authors x WHERE x.id = aa.author_id) ORDER BY aa.position), '[]')
                FROM article_authors aa WHERE aa.article_id = a.id),
    'heroImage', (SELECT json_build_object('url', m.url, 'alt', m.alt, 'caption', m.caption, 'credit', m.credit,
                                           'width', m.width, 'height', m.height)
                  FROM media m WHERE m.id = a.hero_image_id),
    'section', (SELECT json_build_object('name', s.name, 'slug', s.slug) FROM sections s WHERE s.id = a.section_id),
    'tags', (SELECT coalesce(json_agg((SELECT json_build_object('name', t.name, 'slug', t.slug)
                                       FROM tags t WHERE t.id = at.tag_id) ORDER BY at.position), '[]')
             FROM article_tags at WHERE at.article_id = a.id),
    'bodyHtml', (SELECT coalesce(string_agg({block_html("e.b")}, E'\\n' ORDER BY e.n), '')
                 FROM jsonb_array_elements(a.body) WITH ORDINALITY AS e(b, n)))
  FROM chosen a)))::text"""  # noqa: S608

# Its pins readers may see, in pin order, then the best scores of its window (in its section),
# never a pin twice: max(10, pins) entries in all, so never more than 10 computed ones. The
# computed ones in a lateral subquery with its own LIMIT, as the CMS reads them: parameterized by
# the list's window, it reads ix_trending_scores_read_window_score (the table is rewritten every
# few seconds; a sequential scan would read its dead rows too).
TRENDING_SQL = f"""WITH list AS (SELECT id, title, read_window, section_id FROM trending_lists WHERE slug = $1),
pins AS MATERIALIZED (
  SELECT {CARD_COLUMNS}, p.position
  FROM list l JOIN trending_pins p ON p.list_id = l.id JOIN articles a ON a.id = p.article_id
  WHERE {visible("a")}),
computed AS MATERIALIZED (
  SELECT c.* FROM list l CROSS JOIN LATERAL (
    SELECT {CARD_COLUMNS}, sc.score
    FROM trending_scores sc JOIN articles a ON a.id = sc.article_id
    WHERE sc.read_window = l.read_window AND (l.section_id IS NULL OR a.section_id = l.section_id) AND {visible("a")}
      AND NOT EXISTS (SELECT FROM trending_pins p WHERE p.list_id = l.id AND p.article_id = sc.article_id)
    ORDER BY sc.score DESC, sc.article_id
    LIMIT 10) c),
entries AS (
  SELECT * FROM (
    SELECT e.*, row_number() OVER (ORDER BY e.computed, e.position, e.score DESC, e.id) AS rank
    FROM (SELECT *, false AS computed, NULL::float8 AS score FROM pins
          UNION ALL SELECT {CARD_COLUMNS}, NULL, true, score FROM computed a) e) numbered
  WHERE rank <= (SELECT greatest(10, count(*)) FROM pins))
SELECT json_build_object('data', json_build_object('trendingList', (
  SELECT json_build_object('title', l.title, 'entries', coalesce((
    SELECT json_agg(json_build_object('rank', a.rank, 'pinned', NOT a.computed, 'article', {CARD_SQL}) ORDER BY a.rank)
    FROM entries a), '[]'))
  FROM list l)))::text"""  # noqa: S608

# services.search.hits, text mode, for a query without an excluded word (the CMS then matches
# through every language's query alone): all matches counted through the GIN index, the newest
# 1,000 of them (hits.RANKED) ranked, relevance x freshness at the hour.
HEADLINE_OPTIONS = (
    "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxFragments=2, MinWords=12, MaxWords=30, "
    'FragmentDelimiter=" … "\''
)
SHOWN_HEADLINE = (
    "replace(replace(replace(replace("
    + escaped(
        "btrim(regexp_replace(ts_headline(b.config, search_text(coalesce(nullif(concat_ws(E'\\n', a.standfirst, "
        f"body_text(a.body)), ''), a.title)), b.q, {HEADLINE_OPTIONS}), '\\s+', ' ', 'g'))"
    )
    + ", chr(1), '<mark>'), chr(2), '</mark>'), chr(3), '&lt;'), chr(4), '&gt;')"
)
SEARCH_CURSOR = base64url(
    f"""'["search:text","' || {isoformat("b.at")} || '",' || b.rank::text || ',' || b.id || ']'"""
)
SEARCH_SQL = f"""WITH own AS MATERIALIZED (
  SELECT oid::regconfig AS config, websearch_to_tsquery(oid::regconfig, $1) AS q FROM pg_ts_config
),
matches AS MATERIALIZED (
  SELECT a.id, coalesce(a.published_at, a.created_at) AS newest
  FROM articles a WHERE a.search_vector @@ search_query($1) AND {visible("a")}
),
found AS MATERIALIZED (
  SELECT a.id, o.config, o.q, r.at,
         ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}'::float4[], a.search_vector, o.q, 32)::float8
         / (1.0::float8 + greatest(extract(epoch FROM r.at - coalesce(a.published_at, a.created_at))::float8
                                   / 86400.0::float8, 0.0::float8) / 90.0::float8) AS rank
  FROM (SELECT id FROM matches ORDER BY newest DESC, id DESC LIMIT 1000) c
  JOIN articles a ON a.id = c.id
  JOIN own o ON o.config = search_config(a.locale)
  CROSS JOIN (SELECT date_trunc('hour', statement_timestamp(), 'UTC') AS at) r
),
best AS MATERIALIZED (SELECT *, row_number() OVER (ORDER BY rank DESC, id DESC) AS n FROM found ORDER BY rank DESC, id DESC LIMIT 21)
SELECT json_build_object('data', json_build_object('search', json_build_object(
  'totalCount', (SELECT count(*) FROM matches),
  'edges', coalesce((
    SELECT json_agg(json_build_object('rank', b.rank, 'headline', {SHOWN_HEADLINE},
                    'node', json_build_object('id', {global_id("Article", "a.id")}, 'title', a.title, 'slug', a.slug,
                                              'publishedAt', {instant("a.published_at")})) ORDER BY b.n)
    FROM best b JOIN articles a ON a.id = b.id WHERE b.n <= 20), '[]'),
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) > 20 FROM best),
    'endCursor', (SELECT {SEARCH_CURSOR} FROM best b WHERE b.n = (SELECT least(20, count(*)) FROM best))))))::text"""  # noqa: S608


@dataclass(frozen=True)
class Query:
    """One read: its document, the baseline's statement and how the variables bind to it, and
    the variables wrk rotates over."""

    name: str
    operation: str
    document: str
    sql: str
    params: tuple[str, ...] = ()
    constants: tuple[Any, ...] = ()  # bound after the variables
    variables: tuple[dict[str, Any], ...] = ({},)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.document.encode()).hexdigest()

    def args(self, variables: dict[str, Any]) -> list[Any]:
        return [variables[p] for p in self.params] + list(self.constants)


QUERIES = (
    Query("homepage", "Homepage", HOMEPAGE, HOMEPAGE_SQL),
    Query("article", "ArticlePage", ARTICLE, ARTICLE_SQL, ("slug",)),
    Query("section", "SectionPage", SECTION, SECTION_SQL, ("section",)),
    Query("author", "AuthorPage", AUTHOR, AUTHOR_SQL, ("author",)),
    Query("trending", "Trending", TRENDING, TRENDING_SQL, (), ("trending-now",)),
    Query("search", "Search", SEARCH, SEARCH_SQL, ("q",)),
)
VARIANTS = ("POST", "GET-APQ")
KINDS = ("cms-uncached", "cms-resolvers", "cms-cached", "baseline", "floor")


@dataclass(frozen=True)
class Ask:
    """One HTTP request exactly as wrk sends it."""

    method: str
    target: str
    body: bytes = b""

    @property
    def query_string(self) -> bytes:
        return self.target.partition("?")[2].encode()


def asks(query: Query, variant: str) -> list[Ask]:
    out = []
    for variables in query.variables:
        if variant == "POST":
            payload = {"query": query.document, "operationName": query.operation, "variables": variables}
            out.append(Ask("POST", "/graphql", orjson.dumps(payload)))
        else:
            params = {"operationName": query.operation}
            if variables:
                params["variables"] = orjson.dumps(variables).decode()
            params["extensions"] = orjson.dumps({"persistedQuery": {"version": 1, "sha256Hash": query.digest}}).decode()
            out.append(Ask("GET", "/graphql?" + urlencode(params)))
    return out


# --- Seeding ----------------------------------------------------------------------------------

CREDITS = ("Shutterstock.com", "Reuters", "AP Photo", "Getty Images", "AFP", "Staff photographer")


@dataclass
class Seeded:
    slugs: list[str]
    sections: list[str]
    authors: list[str]
    words: list[str]
    pins: list[int]
    hidden: int
    seconds: float


class Prose:
    """Sentences from fill's vocabulary under its Zipf law, with the cumulative weights made once."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng, self.words = rng, words
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=self.rng.randint(low, high))
        return " ".join(words).capitalize()

    def paragraph(self) -> str:
        html = ". ".join(self.sentence(6, 14) for _ in range(self.rng.randint(2, 5))) + "."
        emphasised = self.rng.choice(html.split()[1:-1] or ["x"])
        return html.replace(f" {emphasised} ", f" <em>{emphasised}</em> ", 1)

    def body(self, photos: Sequence[int]) -> list[dict[str, Any]]:
        """About 5 KB: paragraphs, a subheading every few, a pull quote, sometimes a photo."""
        blocks: list[dict[str, Any]] = []
        size, target = 0, self.rng.randint(4600, 5400)
        while size < target:
            k = len(blocks)
            if k and k % 5 == 0:
                block: dict[str, Any] = {"type": "heading", "level": 2, "text": self.sentence(3, 6)}
            elif k == 3 and self.rng.random() < 0.5:
                block = {"type": "quote", "text": self.sentence(8, 16) + ".", "attribution": self.sentence(2, 2)}
            elif k == 7 and self.rng.random() < 0.3:
                block = {"type": "image", "mediaId": self.rng.choice(photos), "caption": self.sentence(5, 9) + "."}
            else:
                block = {"type": "paragraph", "html": self.paragraph()}
            blocks.append(block)
            size += len(orjson.dumps(block))
        return blocks


async def seed(url: str, n: int, slugs: int) -> Seeded:
    """fill's articles, then photos, bodies, third bylines, articles readers must not see, and
    reads; ANALYZE (the trending list comes later, through the API)."""
    from cms.services.blocks import word_count

    started = time.perf_counter()
    filled = await fill(url, n)
    rng = random.Random(20000)  # noqa: S311 - generated content, not secrets
    prose = Prose(rng, vocabulary(random.Random(7), 4000))  # noqa: S311 - fill's words: its first draw from seed 7
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url)
    try:
        for table in ("articles", "article_authors", "article_tags"):
            await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        photos = [
            r["id"]
            for r in await conn.fetch(
                """INSERT INTO media (url, mime_type, width, height, alt, caption, credit)
                   SELECT u, 'image/jpeg', 1600, h, a, c, cr FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
                   AS t(u, h, a, c, cr) RETURNING id""",
                *map(
                    list,
                    zip(
                        *[
                            (
                                f"https://images.newsroom.example/2026/{i:05d}.jpg",
                                rng.choice((900, 1067, 1200)),
                                prose.sentence(4, 8),
                                prose.sentence(6, 12) + ".",
                                rng.choices(CREDITS, (50, 15, 12, 10, 8, 5))[0],
                            )
                            for i in range(max(50, n // 40))
                        ],
                        strict=True,
                    ),
                ),
            )
        ]
        authors = [r["id"] for r in await conn.fetch("SELECT id FROM authors ORDER BY id")]
        tags = [r["id"] for r in await conn.fetch("SELECT id FROM tags ORDER BY id")]
        sections = [r["id"] for r in await conn.fetch("SELECT id FROM sections ORDER BY id")]
        # Articles readers must not see, among the newest, so that a list ignoring the rule shows them.
        hidden_rows = []
        for i in range(max(30, n // 50)):
            kind = ("DRAFT", "SCHEDULED", "ENDED")[i % 3]
            published = unpublish = None
            if kind == "SCHEDULED":
                published = now + timedelta(days=rng.uniform(1, 30))
            elif kind == "ENDED":
                published = now - timedelta(hours=rng.uniform(1, 30))
                unpublish = published + (now - published) * rng.uniform(0.2, 0.9)
            status = "DRAFT" if kind == "DRAFT" else "PUBLISHED"
            hidden_rows.append(
                (f"unseen-{i}", prose.sentence(5, 10), prose.sentence(12, 24) + ".", published, unpublish, status)
            )
        hidden = [
            r["id"]
            for r in await conn.fetch(
                """INSERT INTO articles (slug, title, standfirst, published_at, unpublish_at, status, section_id, locale)
                   SELECT s, t, f, p, u, st, ($7::bigint[])[1 + (o % 8)], 'en'
                   FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[])
                        WITH ORDINALITY AS r(s, t, f, p, u, st, o) RETURNING id""",
                *map(list, zip(*hidden_rows, strict=True)),
                sections,
            )
        ]
        await conn.copy_records_to_table(
            "article_authors",
            records=[(a, rng.choice(authors), 0) for a in hidden],
            columns=["article_id", "author_id", "position"],
        )
        await conn.copy_records_to_table(
            "article_tags",
            records=[(a, t, k) for a in hidden for k, t in enumerate(rng.sample(tags[:20], 2))],
            columns=["article_id", "tag_id", "position"],
        )
        # A third byline on some: fill gives one or two.
        bylines = {r["article_id"]: r["ids"] for r in await conn.fetch(
            "SELECT article_id, array_agg(author_id) AS ids FROM article_authors GROUP BY article_id"
        )}  # fmt: skip
        third = []
        for k, (article, ids) in enumerate(sorted(bylines.items())):
            if len(ids) == 2 and rng.random() < 0.25:
                extra = rng.choice([a for a in authors if a not in ids])
                third.append((article, extra, 10_000_000 + k))
        await conn.copy_records_to_table(
            "article_authors", records=third, columns=["article_id", "author_id", "position"]
        )
        # Bodies of ~5 KB and hero photos (5% without one); the search vector as the trigger makes it.
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM articles ORDER BY id")]
        for start in range(0, len(ids), 1000):
            batch = ids[start : start + 1000]
            bodies = [prose.body(photos) for _ in batch]
            heroes = [rng.choice(photos) if rng.random() < 0.95 else None for _ in batch]
            await conn.execute(
                """UPDATE articles a SET body = r.b::jsonb, word_count = r.w, hero_image_id = r.h,
                          search_vector = article_search_vector(a.id, a.locale, a.title, a.standfirst, r.b::jsonb)
                   FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bigint[]) AS r(id, b, w, h) WHERE a.id = r.id""",
                batch,
                [orjson.dumps(b).decode() for b in bodies],
                [word_count(b) for b in bodies],
                heroes,
            )
        for table in ("articles", "article_authors", "article_tags"):
            await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        # Reads of the last 20 hours, most on a few recent articles, some on ones readers cannot see.
        recent = [r["id"] for r in await conn.fetch(
            "SELECT id FROM articles WHERE status = 'PUBLISHED' AND published_at <= now() ORDER BY published_at DESC LIMIT 3000"
        )]  # fmt: skip
        counts: dict[tuple[int, datetime], int] = {}
        minute = now.replace(second=0, microsecond=0)
        read = rng.sample(recent, min(600, len(recent))) + hidden[2::3]
        for rank, article in enumerate(read):
            for _ in range(1 + int(400 / (rank + 4))):
                bucket = minute - timedelta(minutes=int(rng.expovariate(1 / 180)) % 1200)
                counts[article, bucket] = counts.get((article, bucket), 0) + rng.randint(1, 5)
        await conn.copy_records_to_table(
            "article_views",
            records=[(a, b, c) for (a, b), c in counts.items()],
            columns=["article_id", "bucket", "count"],
        )
        await conn.execute("VACUUM ANALYZE")
        pins = [r["id"] for r in await conn.fetch(
            "SELECT id FROM articles WHERE status = 'PUBLISHED' AND published_at <= now() - interval '3 days' "
            "ORDER BY id LIMIT 2"
        )]  # fmt: skip
        published = [r["slug"] for r in await conn.fetch(
            "SELECT slug FROM articles WHERE status = 'PUBLISHED' AND published_at <= now() ORDER BY id"
        )]  # fmt: skip
    finally:
        await conn.close()
    return Seeded(
        slugs=rng.sample(published, min(slugs, len(published))),
        sections=[f"section-{i}" for i in range(1, 9)],
        authors=[f"author-{i}" for i in range(1, 41)],
        words=filled.words[:50],
        pins=pins,
        hidden=len(hidden),
        seconds=time.perf_counter() - started,
    )


def with_variables(seeded: Seeded) -> list[Query]:
    rotate = {
        "article": [{"slug": s} for s in seeded.slugs],
        "section": [{"section": s} for s in seeded.sections],
        "author": [{"author": a} for a in seeded.authors],
        "search": [{"q": w} for w in seeded.words],
    }
    return [replace(q, variables=tuple(rotate.get(q.name, [{}]))) for q in QUERIES]


# --- The servers ------------------------------------------------------------------------------


def baseline_app(url: str) -> Any:
    """The hand-written endpoint: the request's variables bound to the operation's one statement,
    PostgreSQL's JSON text sent as it is."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    by_name = {q.operation: q for q in QUERIES}
    by_digest = {q.digest: q for q in QUERIES}
    pool: asyncpg.Pool | None = None

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        nonlocal pool
        # The CMS's pool: 10 connections kept, 10 more under load. Its statements leave no session
        # state behind, so a connection goes back without asyncpg's reset (a round trip each).
        pool = await asyncpg.create_pool(url, min_size=10, max_size=20, reset=_keep)
        yield
        await pool.close()

    async def graphql(request: Request) -> Response:
        if request.method == "POST":
            body = orjson.loads(await request.body())
            query, variables = by_name[body["operationName"]], body.get("variables") or {}
        else:
            params = request.query_params
            extensions = orjson.loads(params["extensions"])
            query = by_digest[extensions["persistedQuery"]["sha256Hash"]]
            variables = orjson.loads(params.get("variables", "{}"))
        assert pool is not None
        text = await pool.fetchval(query.sql, *query.args(variables))
        return Response(text.encode(), media_type="application/json")

    async def ready(request: Request) -> Response:
        return PlainTextResponse("ready")

    routes = [Route("/graphql", graphql, methods=["GET", "POST"]), Route("/readyz", ready)]
    return Starlette(routes=routes, lifespan=lifespan)


async def _keep(connection: asyncpg.Connection) -> None:
    return None


def floor_app(answers_file: str) -> Any:
    """The static floor: each request's answer, computed beforehand, looked up by its bytes."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    answers = {(m, q.encode(), b.encode()): a.encode() for m, q, b, a in orjson.loads(Path(answers_file).read_bytes())}

    async def graphql(request: Request) -> Response:
        body = await request.body() if request.method == "POST" else b""
        found = answers.get((request.method, request.scope["query_string"], body))
        if found is None:
            return Response(b'{"errors":[{"message":"not precomputed"}]}', 404, media_type="application/json")
        return Response(found, media_type="application/json")

    async def ready(request: Request) -> Response:
        return PlainTextResponse("ready")

    return Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"]), Route("/readyz", ready)])


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    app = baseline_app(args.database) if args.serve == "baseline" else floor_app(args.answers)
    # As `cms serve` runs uvicorn: uvloop and httptools when installed, no access log.
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (all its threads) so far; 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """One server process on loopback, of one kind."""

    def __init__(self, kind: str, url: str, port: int, answers: str | None = None) -> None:
        self.kind, self.url, self.port = kind, url, port
        self.base = f"http://127.0.0.1:{port}"
        self.metrics_token = secrets.token_urlsafe(16)
        env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING"}
        if kind.startswith("cms"):
            # wrk is one client address: the per-address limit (1,200 reads a minute) would answer
            # it 429 within a second. Raised out of reach, the limiter still counts every request.
            env["CMS_RATE_LIMIT_READS_ANONYMOUS"] = "1000000000"
            # /metrics (statements run, response cache lookups), read before and after each run.
            env["CMS_METRICS_TOKEN"] = self.metrics_token
            if kind in ("cms-uncached", "cms-resolvers"):
                env["CMS_RESPONSE_CACHE"] = "off"
            if kind == "cms-resolvers":
                env["CMS_COMPILED_READS"] = "off"
            self.argv = [sys.executable, "-m", "cms", "serve", "--port", str(port)]
        else:
            self.argv = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--database", url]
            if answers is not None:
                self.argv += ["--answers", answers]
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)
        async with httpx.AsyncClient(base_url=self.base, timeout=5) as client:
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/readyz")).status_code == 200:
                        return
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.kind} exited with {self.process.returncode}")
                await asyncio.sleep(0.1)
        raise TimeoutError(f"{self.kind} did not get ready")

    async def metrics(self) -> dict[str, float] | None:
        """The CMS's counters of statements run and cache hits, from /metrics; None elsewhere."""
        if not self.kind.startswith("cms"):
            return None
        async with httpx.AsyncClient(base_url=self.base, timeout=10) as client:
            response = await client.get("/metrics", headers={"Authorization": f"Bearer {self.metrics_token}"})
        if response.status_code != 200:
            return None

        def value(pattern: str) -> float:
            found = re.search(pattern + r" ([\d.e+-]+)$", response.text, re.M)
            return float(found.group(1)) if found else 0.0

        return {
            "statements": value(r"^cms_sql_statement_duration_seconds_count"),
            "hits": value(r'^cms_response_cache_lookups_total\{result="hit"\}'),
        }

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the CMS finishes its requests and flushes reads
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Server]:
        try:
            await self.start()
            yield self
        finally:
            self.stop()


# --- Load -------------------------------------------------------------------------------------

LUA = """
local specs = {
%s
}
local requests = {}
local made = 0
function setup(thread)
  made = made + 1
  thread:set("first", made * 7919)
end
function init(args)
  for k, s in ipairs(specs) do
    if s[1] == "POST" then
      requests[k] = wrk.format("POST", s[2], {["Content-Type"] = "application/json"}, s[3])
    else
      requests[k] = wrk.format("GET", s[2])
    end
  end
  at = first or 0
end
function request()
  at = at %% #requests + 1
  return requests[at]
end
"""


def lua(requests: Sequence[Ask]) -> str:
    """A wrk script sending these requests in turn (each thread from its own place)."""
    specs = []
    for ask in requests:
        for text in (ask.target, ask.body.decode()):
            assert "]==]" not in text
        specs.append(f'  {{"{ask.method}", [==[{ask.target}]==], [==[{ask.body.decode()}]==]}},')
    return LUA % "\n".join(specs)


@dataclass
class Load:
    rate: float
    p50: float  # ms
    p99: float
    requests: int
    errors: int  # non-2xx responses and socket errors
    rss: float = 0.0  # MiB, after the run
    server_cpu: float = 0.0  # ms per request
    db_cpu: float = 0.0
    statements: float = float("nan")  # SQL statements per request under load (the CMS's /metrics)
    hits: float = float("nan")  # share of requests its response cache answered
    drops: int = 0  # cms_content notifications: each empties every CMS process's response cache


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")


def parse_wrk(out: str) -> Load:
    def find(pattern: str) -> str:
        found = re.search(pattern, out)
        if found is None:
            raise ValueError(f"wrk said:\n{out}")
        return found.group(1)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        rate=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50=_ms(find(r"(?m)^\s+50%\s+(\S+)")),
        p99=_ms(find(r"(?m)^\s+99%\s+(\S+)")),
        requests=int(find(r"(\d+) requests in")),
        errors=(int(errors.group(1)) if errors else 0) + (sum(map(int, sockets.groups())) if sockets else 0),
    )


class Meter:
    """What a run cost the server process and the database's backends (CPU from /proc); for the
    CMS, its statements and response cache lookups (its /metrics); and the content notifications
    that emptied the CMS's response caches meanwhile (LISTEN)."""

    def __init__(self, monitor: asyncpg.Connection, server: Server) -> None:
        self.monitor, self.server, self.pid = monitor, server, server.pid
        self.drops = 0

    def _dropped(self, *args: Any) -> None:
        self.drops += 1

    async def _backends(self) -> dict[int, float]:
        rows = await self.monitor.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {r["pid"]: cpu_seconds(r["pid"]) for r in rows}

    async def start(self) -> None:
        self.cpu, self.backends = cpu_seconds(self.pid), await self._backends()
        self.metrics = await self.server.metrics()
        await self.monitor.add_listener("cms_content", self._dropped)

    async def finish(self, load: Load) -> None:
        load.rss = rss_mib(self.pid)
        await self.monitor.remove_listener("cms_content", self._dropped)
        load.drops = self.drops
        served = max(1, load.requests)
        load.server_cpu = (cpu_seconds(self.pid) - self.cpu) * 1000 / served
        after = await self._backends()
        load.db_cpu = sum(v - self.backends.get(p, 0.0) for p, v in after.items()) * 1000 / served
        metrics = await self.server.metrics()
        if metrics and self.metrics:
            load.statements = (metrics["statements"] - self.metrics["statements"]) / served
            if self.server.kind == "cms-cached":
                load.hits = min(1.0, (metrics["hits"] - self.metrics["hits"]) / served)


async def run_wrk(wrk: str, base: str, script: str, seconds: float, threads: int, connections: int) -> Load:
    process = await asyncio.create_subprocess_exec(
        wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s",
        "-s", script, base, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err.decode()} {out.decode()}")
    return parse_wrk(out.decode())


# --- Same data --------------------------------------------------------------------------------


def difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two parsed JSON values first differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b) and set(a) != set(b):
            return f"{path or '.'}: keys {sorted(a)} != {sorted(b)}"
        for key in a:
            found = difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if a != b or (type(a) is not type(b) and not (isinstance(a, int | float) and isinstance(b, int | float))):
        return f"{path}: {_short(a)} != {_short(b)}"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 90 else text[:87] + "..."


async def fetch_all(base: str, requests: Sequence[Ask], concurrency: int = 8) -> list[bytes | None]:
    """Each request's answer (None for one that failed: not 200, or an error in the answer)."""
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def one(ask: Ask) -> bytes | None:
            async with gate:
                headers = {"Content-Type": "application/json"} if ask.method == "POST" else {}
                response = await client.request(ask.method, ask.target, content=ask.body or None, headers=headers)
            if response.status_code != 200 or b'"errors"' in response.content[:20]:
                print(f"    ! {ask.method} {ask.target[:80]}: {response.status_code} {response.text[:300]}")
                return None
            return response.content

        return await asyncio.gather(*(one(a) for a in requests))


@dataclass
class Checked:
    compared: int = 0
    mismatches: list[str] = field(default_factory=list)


def compare(
    name: str, reference: Sequence[bytes | None], answers: Sequence[bytes | None], asks_: Sequence[Ask]
) -> Checked:
    checked = Checked()
    for ask, ours, theirs in zip(asks_, reference, answers, strict=True):
        checked.compared += 1
        if ours is None or theirs is None:
            checked.mismatches.append(f"{ask.target[:60]}: no answer")
            continue
        found = difference(orjson.loads(ours), orjson.loads(theirs))
        if found:
            checked.mismatches.append(f"{ask.method} {ask.target[:60]}: {found}")
    for line in checked.mismatches[:3]:
        print(f"    MISMATCH {name}: {line}")
    return checked


# --- In-process: SQL statements per request, profiles, the CMS's plans --------------------------


@contextlib.asynccontextmanager
async def in_process(url: str) -> AsyncIterator[tuple[httpx.AsyncClient, list[tuple[str, Any]], Any]]:
    """The CMS app made by create_app over its own engine, with every statement it sends through
    SQLAlchemy recorded (and each transaction it begins, as a ("BEGIN", None) entry); compiled
    reads go through the driver, and the app's metrics count them."""
    from sqlalchemy import event

    from cms.app import create_app
    from cms.config import Settings
    from cms.db.engine import make_engine, make_sessionmaker

    engine = make_engine(url)
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    def begin(conn: Any) -> None:
        sent.append(("BEGIN", None))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    event.listen(engine.sync_engine, "begin", begin)
    settings = Settings.from_env({"CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING"})
    app = create_app(settings, sessionmaker=make_sessionmaker(engine), engine=engine)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.bench") as client:
            yield client, sent, app
    finally:
        await engine.dispose()


async def send(client: httpx.AsyncClient, ask: Ask) -> bytes:
    headers = {"Content-Type": "application/json"} if ask.method == "POST" else {}
    response = await client.request(ask.method, ask.target, content=ask.body or None, headers=headers)
    assert response.status_code == 200, response.text[:300]
    assert b'"errors"' not in response.content, response.text[:300]
    return response.content


async def statements_per_request(
    url: str, queries: Sequence[Query], plans: bool
) -> dict[tuple[str, str], tuple[float, float]]:
    """SQL statements and transactions the CMS runs for one request of each read (uncached: the
    in-process app has no response cache listening), averaged over up to three variables, after
    a warm-up."""
    counts: dict[tuple[str, str], tuple[float, float]] = {}
    async with in_process(url) as (client, sent, app):
        registry = app.state.metrics.registry
        for query in queries:
            for variant in VARIANTS:
                chosen = asks(query, variant)[:3]
                await send(client, chosen[0])
                sent.clear()
                compiled = registry.get_sample_value("cms_compiled_reads_total") or 0.0
                for ask in chosen:
                    await send(client, ask)
                compiled = (registry.get_sample_value("cms_compiled_reads_total") or 0.0) - compiled
                statements = [s for s in sent if s[0] != "BEGIN"]
                counts[query.name, variant] = (
                    (len(statements) + compiled) / len(chosen),
                    (len(sent) - len(statements)) / len(chosen),
                )
                if plans and variant == "POST":
                    await print_cms_plans(url, query.name, statements[: len(statements) // len(chosen)])
    return counts


async def print_cms_plans(url: str, name: str, statements: Sequence[tuple[str, Any]]) -> None:
    from cms.db.engine import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            for k, (statement, parameters) in enumerate(statements, 1):
                rows = await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters)
                print(f"\n  CMS statement {k} of {name}:\n    " + statement.replace("\n", " ")[:400])
                print("\n".join("      " + r[0] for r in rows))
    finally:
        await engine.dispose()


async def profile(url: str, query: Query, requests: int) -> None:
    """cProfile of the CMS's uncached path for one read, in-process (the client's share included)."""
    async with in_process(url) as (client, _, _app):
        chosen = asks(query, "POST")
        for ask in chosen[:5]:
            await send(client, ask)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for i in range(requests):
            await send(client, chosen[i % len(chosen)])
        profiler.disable()
        took = (time.perf_counter() - started) / requests
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    print(f"\ncProfile of {requests} in-process {query.name} requests ({took * 1000:.2f} ms each under the profiler):")
    print(out.getvalue())


async def print_baseline_plans(url: str, queries: Sequence[Query]) -> dict[str, list[str]]:
    """EXPLAIN ANALYZE of each baseline statement; the indexes each uses."""
    conn = await asyncpg.connect(url)
    used: dict[str, list[str]] = {}
    try:
        for query in queries:
            rows = await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {query.sql}", *query.args(query.variables[0]))
            plan = [r[0] for r in rows]
            used[query.name] = sorted(set(re.findall(r"(?:[Uu]sing|Bitmap Index Scan on) (\w+)", "\n".join(plan))))
            seq = sorted(set(re.findall(r"Seq Scan on (\w+)", "\n".join(plan))))
            print(
                f"\n  baseline {query.name}: indexes {', '.join(used[query.name])}; seq scans: {', '.join(seq) or 'none'}"
            )
            print("\n".join("    " + line for line in plan))
    finally:
        await conn.close()
    return used


# --- Set-up through the API -------------------------------------------------------------------


def cms_command(url: str, *args: str) -> str:
    env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "cms", *args], env=env, capture_output=True, text=True, check=True
    ).stdout


async def graphql(client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


async def set_up(server: Server, token: str, seeded: Seeded, queries: Sequence[Query]) -> None:
    """The trending list and its pins, made as an editor makes them; the persisted queries
    registered as Apollo's clients register them (the hash and the document, once)."""
    from cms.graphql.ids import to_global_id

    async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
        made = await graphql(
            client,
            token,
            'mutation { createTrendingList(input: {title: "Trending Now", window: DAY}) '
            "{ trendingList { slug } userErrors { code message } } }",
            {},
        )
        assert made["data"]["createTrendingList"]["userErrors"] == [], made
        pinned = await graphql(
            client,
            token,
            'mutation($ids: [ID!]!) { setTrendingPins(slug: "trending-now", articleIds: $ids) { userErrors { code message } } }',
            {"ids": [to_global_id("Article", i) for i in seeded.pins]},
        )
        assert pinned["data"]["setTrendingPins"]["userErrors"] == [], pinned
        for query in queries:
            extensions = {"persistedQuery": {"version": 1, "sha256Hash": query.digest}}
            payload = {"query": query.document, "variables": query.variables[0], "extensions": extensions}
            response = await client.post("/graphql", json=payload)
            assert response.status_code == 200, response.text[:300]
            assert "errors" not in response.json(), response.text[:300]


async def refresh_scores(url: str) -> None:
    from cms.db.engine import make_engine, make_sessionmaker
    from cms.services import trending_scores

    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            await trending_scores.refresh(session)
            await session.commit()
    finally:
        await engine.dispose()


async def mutation_latency(server: Server, token: str, url: str, count: int) -> tuple[float, float]:
    """updateArticle, one after another, on the oldest articles (off the pages measured)."""
    from cms.graphql.ids import to_global_id

    conn = await asyncpg.connect(url)
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM articles ORDER BY published_at LIMIT 20")]
    await conn.close()
    latencies = []
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
        for i in range(count + 5):
            variables = {
                "id": to_global_id("Article", ids[i % len(ids)]),
                "input": {"standfirst": f"Revised, take {i}."},
            }
            started = time.perf_counter()
            body = await graphql(client, token, UPDATE, variables)
            if i >= 5:  # the first few warm the connection and the pool
                latencies.append(time.perf_counter() - started)
            assert body["data"]["updateArticle"]["userErrors"] == [], body
    return percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- The run ----------------------------------------------------------------------------------


@dataclass
class Result:
    loads: list[Load] = field(default_factory=list)
    checked: Checked = field(default_factory=Checked)

    def median(self, name: str) -> float:
        return statistics.median(getattr(load, name) for load in self.loads) if self.loads else 0.0


async def rounds(
    args: argparse.Namespace,
    wrk: str,
    url: str,
    queries: Sequence[Query],
    answers: str,
    reference: dict[Ask, bytes | None],
) -> dict[tuple[str, str, str], Result]:
    results: dict[tuple[str, str, str], Result] = {}
    scripts: dict[tuple[str, str], str] = {}
    folder = tempfile.mkdtemp(prefix="cms-bench-")
    for query in queries:
        for variant in VARIANTS:
            path = Path(folder) / f"{query.name}-{variant}.lua"
            path.write_text(lua(asks(query, variant)))
            scripts[query.name, variant] = str(path)
    monitor = await asyncpg.connect(url)
    try:
        for r in range(args.rounds):
            kinds = [k for k in KINDS if k in args.servers.split(",")]
            order = kinds[r % len(kinds) :] + kinds[: r % len(kinds)]
            for kind in order:
                server = Server(kind, url, args.port, answers)
                async with server.running():
                    print(f"round {r + 1}/{args.rounds}: {kind} (pid {server.pid})")
                    # A query's two requests share the CMS's cache entries: the one measured second
                    # finds what the first left, so they take turns at going first.
                    variants = VARIANTS if r % 2 == 0 else VARIANTS[::-1]
                    for query in queries:
                        for variant in variants:
                            key = (query.name, variant, kind)
                            result = results.setdefault(key, Result())
                            spot = asks(query, variant)[:3]
                            got = await fetch_all(server.base, spot)
                            checked = compare(f"{kind} {query.name} {variant}", [reference[a] for a in spot], got, spot)
                            result.checked.compared += checked.compared
                            result.checked.mismatches += checked.mismatches
                            script = scripts[query.name, variant]
                            if args.warmup:
                                await run_wrk(wrk, server.base, script, args.warmup, args.threads, args.connections)
                            meter = Meter(monitor, server)
                            await meter.start()
                            load = await run_wrk(wrk, server.base, script, args.seconds, args.threads, args.connections)
                            await meter.finish(load)
                            result.loads.append(load)
                            print(
                                f"  {query.name:<9} {variant:<8} {load.rate:9.1f} req/s  p50 {load.p50:7.2f} ms  "
                                f"p99 {load.p99:7.2f} ms  RSS {load.rss:6.1f} MiB  cpu {load.server_cpu:5.2f} + "
                                f"db {load.db_cpu:5.2f} ms/req  SQL/req {load.statements:5.2f}  hits {load.hits:4.0%}  "
                                f"{load.drops} cache drops"
                                + (f"  {load.errors} errors" if load.errors else "")
                                + f"  (load average {os.getloadavg()[0]:.1f})"
                            )
    finally:
        await monitor.close()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def table(
    queries: Sequence[Query],
    results: dict[tuple[str, str, str], Result],
    statements: dict[tuple[str, str], tuple[float, float]],
    same: dict[tuple[str, str, str], Checked],
) -> str:
    lines = [
        "| query | request | server | req/s | p50 ms | p99 ms | RSS MiB | server CPU ms/req | db CPU ms/req "
        "| SQL/req in-process | SQL/req under load | cache hits | cache drops | x baseline | x floor | same data |",
        "|---|---|---|" + "---:|" * 12 + "---|",
    ]
    for query in queries:
        for variant in VARIANTS:
            base = results.get((query.name, variant, "baseline"))
            floor = results.get((query.name, variant, "floor"))
            for kind in KINDS:
                result = results.get((query.name, variant, kind))
                if result is None or not result.loads:
                    continue
                rate = result.median("rate")
                count, transactions = statements.get((query.name, variant), (0, 0))
                sql = {"cms-uncached": f"{count:.3g} in {transactions:.3g} tx", "baseline": "1"}.get(kind, "")
                loaded = {"baseline": "1", "floor": "0"}.get(kind, f"{result.median('statements'):.2f}")
                hits = f"{result.median('hits'):.0%}" if kind == "cms-cached" else ""
                checks = [result.checked, same.get((query.name, variant, kind), Checked())]
                wrong = sum(len(c.mismatches) for c in checks)
                compared = sum(c.compared for c in checks)
                lines.append(
                    f"| {query.name} | {variant} | {kind} | {rate:,.0f} | {result.median('p50'):.2f} "
                    f"| {result.median('p99'):.2f} | {max(x.rss for x in result.loads):.0f} "
                    f"| {result.median('server_cpu'):.2f} | {result.median('db_cpu'):.2f} | {sql} | {loaded} | {hits} "
                    f"| {result.median('drops'):g} | {rate / base.median('rate') if base and base.loads else 0:.2f} "
                    f"| {rate / floor.median('rate') if floor and floor.loads else 0:.2f} "
                    f"| {f'yes ({compared})' if not wrong else f'NO: {wrong} of {compared} differ'} |"
                )
    return "\n".join(lines)


def targets(results: dict[tuple[str, str, str], Result]) -> list[str]:
    def rate(q: str, v: str, k: str) -> float:
        result = results.get((q, v, k))
        return result.median("rate") if result and result.loads else 0.0

    out = []
    for q in ("homepage", "article"):
        for v in VARIANTS:
            if not rate(q, v, "cms-uncached"):
                continue
            ratio = rate(q, v, "cms-uncached") / (rate(q, v, "baseline") or 1)
            out.append(f"{q} {v} uncached >= 0.6 x baseline: {ratio:.2f} {'met' if ratio >= 0.6 else 'MISSED'}")
    for q in QUERIES:
        result = results.get((q.name, "GET-APQ", "cms-cached"))
        if result is None or not result.loads:
            continue
        ratio = rate(q.name, "GET-APQ", "cms-cached") / (rate(q.name, "GET-APQ", "floor") or 1)
        p99 = result.median("p99")
        ok = ratio >= 0.6 and p99 < 50
        out.append(
            f"{q.name} cached GET-APQ >= 0.6 x floor, p99 < 50 ms: {ratio:.2f}, p99 {p99:.1f} ms "
            f"{'met' if ok else 'MISSED'}"
        )
    return out


async def soak(args: argparse.Namespace, wrk: str, url: str, queries: Sequence[Query]) -> None:
    homepage = next(q for q in queries if q.name == "homepage")
    kind = "cms-cached" if args.soak_cache == "on" else "cms-uncached"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua(asks(homepage, "POST")))
    server = Server(kind, url, args.port)
    try:
        async with server.running():
            print(f"soak: homepage POST for {args.soak:g} min on {kind} (pid {server.pid}), RSS every 30 s")
            first = rss_mib(server.pid)
            print(f"  0 s: RSS {first:.1f} MiB")
            started = time.monotonic()
            task = asyncio.create_task(
                run_wrk(wrk, server.base, script.name, args.soak * 60, args.threads, args.connections)
            )
            while not (await asyncio.wait({task}, timeout=30))[0]:
                print(f"  {time.monotonic() - started:.0f} s: RSS {rss_mib(server.pid):.1f} MiB")
            load = task.result()
            print(
                f"soak done after {time.monotonic() - started:.0f} s: {load.rate:.1f} req/s, p50 {load.p50:.2f} ms, "
                f"p99 {load.p99:.2f} ms, {load.errors} errors; RSS {first:.1f} -> {rss_mib(server.pid):.1f} MiB"
            )
    finally:
        os.unlink(script.name)


async def main(args: argparse.Namespace) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is needed: apt install wrk (Debian, Ubuntu) or brew install wrk (macOS)")
    chosen = set(args.queries.split(",")) if args.queries else {q.name for q in QUERIES}
    async with scratch_database(prefix="cms_bench_reads") as url:
        seeded = await seed(url, args.articles, args.slugs)
        print(
            f"seeded {args.articles} published articles (+{seeded.hidden} readers may not see) "
            f"in {seeded.seconds:.0f} s"
        )
        queries = [q for q in with_variables(seeded) if q.name in chosen]
        token = cms_command(url, "create-token", "--name", "bench", "--role", "EDITOR").strip().splitlines()[-1]
        async with Server("cms-uncached", url, args.port).running() as server:
            await set_up(server, token, seeded, with_variables(seeded))
        await refresh_scores(url)
        conn = await asyncpg.connect(url)
        await conn.execute("ANALYZE")
        await conn.close()
        if args.soak:
            await soak(args, wrk, url, queries)
            return
        if args.profile:
            await profile(url, next(q for q in with_variables(seeded) if q.name == args.profile), args.profile_requests)
            return

        statements = await statements_per_request(url, queries, args.cms_plans)
        print("SQL statements per request of the CMS (in-process create_app, before_cursor_execute counter):")
        for (name, variant), (count, transactions) in statements.items():
            print(f"  {name:<9} {variant:<8} {count:g} statements in {transactions:g} transaction(s)")
        print("\nThe baseline's statements, EXPLAIN ANALYZE with the first variables:")
        await print_baseline_plans(url, queries)

        # Same data: every request, the CMS (uncached) against the baseline; the floor answers
        # what the CMS answered.
        every = [a for q in queries for v in VARIANTS for a in asks(q, v)]
        same: dict[tuple[str, str, str], Checked] = {}
        async with Server("cms-uncached", url, args.port).running() as server:
            answered = await fetch_all(server.base, every)
        reference = dict(zip(every, answered, strict=True))
        async with Server("baseline", url, args.port).running() as server:
            theirs = dict(zip(every, await fetch_all(server.base, every), strict=True))
        print(f"\nSame data: {len(every)} requests to the CMS and to the baseline")
        for q in queries:
            for v in VARIANTS:
                chosen_asks = asks(q, v)
                ours = [reference[a] for a in chosen_asks]
                checked = compare(f"baseline {q.name} {v}", ours, [theirs[a] for a in chosen_asks], chosen_asks)
                same[q.name, v, "baseline"] = checked
                sizes = [len(x) for x in ours if x is not None]
                base_sizes = [len(x) for x in (theirs[a] for a in chosen_asks) if x is not None]
                print(
                    f"  {q.name:<9} {v:<8} {checked.compared - len(checked.mismatches)}/{checked.compared} equal; "
                    f"bytes: cms {statistics.mean(sizes or [0]):,.0f}, baseline {statistics.mean(base_sizes or [0]):,.0f}"
                )
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as answers:
            answers.write(
                orjson.dumps(
                    [
                        [a.method, a.query_string.decode(), a.body.decode(), (reference[a] or b"").decode()]
                        for a in every
                    ]
                )
            )
        try:
            results = await rounds(args, wrk, url, queries, answers.name, reference)
        finally:
            os.unlink(answers.name)

        async with Server("cms-cached", url, args.port).running() as server:
            p50, p99 = await mutation_latency(server, token, url, args.mutations)
        mutation = f"updateArticle, sequential, {args.mutations} requests: p50 {p50:.2f} ms, p99 {p99:.2f} ms"

        print(
            f"\n## Read path: {args.articles} articles, wrk -t{args.threads} -c{args.connections} "
            f"-d{args.seconds}s, median of {args.rounds} round(s)\n"
        )
        print(table(queries, results, statements, same))
        print(f"\n{mutation}\n")
        print("Targets:")
        for line in targets(results):
            print(f"- {line}")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000, help="published articles to seed")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the servers")
    parser.add_argument("--servers", default=",".join(KINDS), help=f"comma-separated subset of {','.join(KINDS)}")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of wrk before each run (0: none)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--slugs", type=int, default=1000, help="article slugs the article page rotates over")
    parser.add_argument("--queries", help="comma-separated subset: homepage,article,section,author,trending,search")
    parser.add_argument("--mutations", type=int, default=100, help="sequential updateArticle requests")
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="load the homepage this long, RSS every 30 s")
    parser.add_argument("--soak-cache", choices=("on", "off"), default="off", help="the CMS's response cache in --soak")
    parser.add_argument("--profile", choices=[q.name for q in QUERIES], help="cProfile one read in-process, then stop")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--cms-plans", action="store_true", help="EXPLAIN ANALYZE each statement the CMS sends")
    # The baseline and the floor run as this script's own child processes.
    parser.add_argument("--serve", choices=("baseline", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--answers", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = arguments()
    if options.serve:
        serve(options)
    else:
        asyncio.run(main(options))
