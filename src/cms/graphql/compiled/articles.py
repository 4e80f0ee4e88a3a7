"""Articles in a compiled statement: their fields, lookups and pages (keyset connections with
the resolvers' filters, orderings and cursors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from strawberry.utils.str_converters import to_snake_case

from cms.graphql.articles.inputs import ArticleFilter as FilterInput
from cms.graphql.articles.inputs import ArticleOrder as OrderInput
from cms.graphql.compiled import sql
from cms.graphql.compiled.selection import Selection, Unsupported
from cms.services.articles.listing import ArticleFilter, Ordering, filter_conditions
from cms.services.errors import DomainError
from cms.services.pagination import decode_cursor, page_size
from cms.services.text import normalize_locale
from cms.vocabulary import ArticleOrderField
from graphql import FieldNode

# What an article's own columns read as, by field.
ARTICLE_COLUMNS = {
    "slug": "slug",
    "title": "title",
    "standfirst": "standfirst",
    "locale": "locale",
    "wordCount": "word_count",
    "seoTitle": "seo_title",
    "seoDescription": "seo_description",
    "canonicalUrl": "canonical_url",
    "version": "version",
}
ARTICLE_TIMES = {
    "publishedAt": "published_at",
    "unpublishAt": "unpublish_at",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}
# The sort keys compiled: the time orderings, whose cursors carry an instant.
SORT_KEYS = {
    ArticleOrderField.PUBLISHED_AT: ("coalesce({a}.published_at, '-infinity'::timestamptz)", "{a}.published_at"),
    ArticleOrderField.UPDATED_AT: ("{a}.updated_at", "{a}.updated_at"),
}
T = TypeVar("T")


def _input(cls: type[T], raw: dict[str, Any]) -> T:
    """A coerced input object (a dict by GraphQL names) as the resolvers receive it."""
    return cls(**{to_snake_case(k): v for k, v in raw.items()})


class Articles(Selection):
    """Articles: fields, lookups, and pages of them."""

    def _article_lookup(self, nodes: list[FieldNode], args: dict[str, Any]) -> str:
        """`listing.get_article`: by id, or by slug (the current holder first, in the default
        language first, then the oldest; else the article that held it before)."""
        pk = self._lookup_id(args, "Article")
        a = self._alias("a")
        if pk is not None:
            where, order = f"{a}.id = {self.params.add(pk, 'bigint')}", f"{a}.id"
        else:
            slug, locale = self.params.add(args["slug"], "text"), args.get("locale")
            current, held = f"{a}.slug = {slug}", f"h.slug = {slug}"
            if locale is not None:
                normal = normalize_locale(locale)
                if normal is None:
                    raise Unsupported
                bound = self.params.add(normal, "text")
                current, held = f"({current} AND {a}.locale = {bound})", f"{held} AND h.locale = {bound}"
            holder = f"(SELECT h.article_id FROM article_slugs h WHERE {held} ORDER BY h.created_at DESC LIMIT 1)"
            where = f"({current} OR {a}.id = {holder})"
            default = self.params.add(self.default_locale, "text")
            order = f"(NOT {current}), ({a}.locale <> {default}), {a}.id"
        article = self._article(nodes, a)
        return f"(SELECT {article} FROM articles {a} WHERE {sql.visible(a)} AND {where} ORDER BY {order} LIMIT 1)"

    def _article(self, nodes: list[FieldNode], a: str) -> str:
        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "id":
                return sql.global_id("Article", f"{a}.id")
            if name in ARTICLE_COLUMNS:
                return f"{a}.{ARTICLE_COLUMNS[name]}"
            if name in ARTICLE_TIMES:
                return sql.instant(f"{a}.{ARTICLE_TIMES[name]}")
            if name == "readingTimeMinutes":
                return sql.reading_time(f"{a}.word_count")
            if name == "status":
                return sql.shown_status(a)
            if name == "authors":
                x, g = self._alias("x"), self._alias("g")
                return (
                    f"(SELECT coalesce(json_agg({self._author(nodes, x)} ORDER BY {g}.position), '[]'::json) "
                    f"FROM article_authors {g} JOIN authors {x} ON {x}.id = {g}.author_id "
                    f"WHERE {g}.article_id = {a}.id)"
                )
            if name == "tags":
                t, g = self._alias("t"), self._alias("g")
                return (
                    f"(SELECT coalesce(json_agg({self._label(nodes, t, 'Tag')} ORDER BY {g}.position), '[]'::json) "
                    f"FROM article_tags {g} JOIN tags {t} ON {t}.id = {g}.tag_id WHERE {g}.article_id = {a}.id)"
                )
            if name == "heroImage":
                m = self._alias("m")
                return f"(SELECT {self._media(nodes, m)} FROM media {m} WHERE {m}.id = {a}.hero_image_id)"
            if name == "section":
                s = self._alias("s")
                return f"(SELECT {self._label(nodes, s, 'Section')} FROM sections {s} WHERE {s}.id = {a}.section_id)"
            if name == "sources":
                return self._sources(nodes, a)
            if name == "bodyHtml":
                return sql.body_html(f"{a}.body", self._media_url("m"))
            raise Unsupported

        return self._object(self._children(nodes, "Article"), "Article", field)

    def _sources(self, nodes: list[FieldNode], a: str) -> str:
        e = self._alias("e")

        def field(name: str, _: list[FieldNode]) -> str:
            if name in ("name", "url"):
                return f"({e}.s->>'{name}')"
            raise Unsupported

        source = self._object(self._children(nodes, "Source"), "Source", field)
        return (
            f"(SELECT coalesce(json_agg({source} ORDER BY {e}.n), '[]'::json) "
            f"FROM jsonb_array_elements({a}.sources) WITH ORDINALITY AS {e}(s, n))"
        )

    def _connection(self, nodes: list[FieldNode], args: dict[str, Any], group: list[str]) -> str:
        """A page of the visible articles meeting `group` and the filter (`listing.list_articles`,
        `listing.pages_by`): `first + 1` rows in the keyset's order, after the cursor."""
        try:
            size = page_size(args.get("first"))
            raw_filter = args.get("filter")
            conditions = _input(FilterInput, raw_filter).to_fields() if raw_filter is not None else ArticleFilter()
            filter_conditions(conditions)  # refuses what the resolvers refuse
        except DomainError:
            raise Unsupported from None
        order_by = args.get("orderBy")
        ordering = _input(OrderInput, order_by).to_ordering() if order_by is not None else Ordering()
        if ordering.field not in SORT_KEYS:
            raise Unsupported
        keyset = ordering.keyset()
        a, c = self._alias("a"), self._alias("c")
        key_of, time_of = SORT_KEYS[ordering.field]
        direction = "DESC" if ordering.descending else "ASC"
        order = f"{key_of.format(a=a)} {direction}, {a}.id {direction}"
        where = [sql.visible(a), *(g.format(a=a) for g in group), *self._filter(conditions, a)]
        seek = self._seek(keyset.name, args.get("after"), key_of.format(a=a), a, ordering.descending)
        # The page size written inline (a number of range(101), not input text): with a bound
        # LIMIT, PostgreSQL plans each execution anew rather than reuse the prepared plan.
        limit, shown = str(size + 1), str(size)
        cursor = sql.cursor(keyset.name, time_of.format(a=a), f"{a}.id")
        on_page = f"FILTER (WHERE {a}.n__ <= {shown})"

        def page_info(name: str, _: list[FieldNode]) -> str:
            if name == "hasNextPage":
                return f"count(*) > {shown}"
            if name == "hasPreviousPage":
                return "false"
            if name == "startCursor":
                return f"(array_agg({cursor} ORDER BY {a}.n__) {on_page})[1]"
            if name == "endCursor":
                return f"(array_agg({cursor} ORDER BY {a}.n__ DESC) {on_page})[1]"
            raise Unsupported

        def edge(name: str, nodes: list[FieldNode]) -> str:
            if name == "cursor":
                return cursor
            if name == "node":
                return self._article(nodes, a)
            raise Unsupported

        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "edges":
                edges = self._object(self._children(nodes, "ArticleEdge"), "ArticleEdge", edge)
                return f"coalesce(json_agg({edges} ORDER BY {a}.n__) {on_page}, '[]'::json)"
            if name == "pageInfo":
                return self._object(self._children(nodes, "PageInfo"), "PageInfo", page_info)
            if name == "totalCount":
                counted = [sql.visible(c), *(g.format(a=c) for g in group), *self._filter(conditions, c)]
                return f"(SELECT count(*) FROM articles {c} WHERE {' AND '.join(counted)})"
            raise Unsupported

        body = self._object(self._children(nodes, "ArticleConnection"), "ArticleConnection", field)
        rows = (
            f"SELECT {a}.*, row_number() OVER (ORDER BY {order}) AS n__ FROM articles {a} "
            f"WHERE {' AND '.join([*where, *seek])} ORDER BY {order} LIMIT {limit}"
        )
        # GROUP BY (): one row even for an empty page, whatever the aggregates selected.
        return f"(SELECT {body} FROM ({rows}) {a} GROUP BY ())"

    def _seek(self, name: str, after: str | None, key: str, a: str, descending: bool) -> list[str]:
        """`Keyset.seek` for a time sort key."""
        if after is None:
            return []
        try:
            raw_time, raw_id = decode_cursor(name, after, 2)
            time = datetime.fromisoformat(raw_time) if isinstance(raw_time, str) else None
        except (DomainError, ValueError):
            raise Unsupported from None
        if time is None or not isinstance(raw_id, int) or isinstance(raw_id, bool):
            raise Unsupported  # a null key (drafts, which readers never page through) or not ours
        bound = f"({self.params.add(time, 'timestamptz')}, {self.params.add(raw_id, 'bigint')})"
        return [f"({key}, {a}.id) {'<' if descending else '>'} {bound}"]

    def _filter(self, f: ArticleFilter, a: str) -> list[str]:
        """`listing.filter_conditions`, already checked."""
        where = []
        if f.statuses is not None:
            where.append(sql.status_in(a, tuple(f.statuses)))
        if f.author_slug is not None:
            slug = self.params.add(f.author_slug, "text")
            where.append(
                f"EXISTS (SELECT FROM article_authors fa JOIN authors fx ON fx.id = fa.author_id "
                f"WHERE fa.article_id = {a}.id AND fx.slug = {slug})"
            )
        if f.section_slug is not None:
            slug = self.params.add(f.section_slug, "text")
            where.append(f"{a}.section_id = (SELECT fs.id FROM sections fs WHERE fs.slug = {slug})")
        for tag in dict.fromkeys(f.tag_slugs or []):
            slug = self.params.add(tag, "text")
            where.append(
                f"EXISTS (SELECT FROM article_tags ft JOIN tags fz ON fz.id = ft.tag_id "
                f"WHERE ft.article_id = {a}.id AND fz.slug = {slug})"
            )
        if f.published_after is not None:
            where.append(f"{a}.published_at >= {self.params.add(f.published_after, 'timestamptz')}")
        if f.published_before is not None:
            where.append(f"{a}.published_at < {self.params.add(f.published_before, 'timestamptz')}")
        if f.locale is not None:
            where.append(f"{a}.locale = {self.params.add(normalize_locale(f.locale), 'text')}")
        return where
