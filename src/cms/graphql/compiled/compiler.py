"""An anonymous query operation as one SQL statement that builds its whole response in PostgreSQL.

Each object of the response is a `json_build_object` of its selected fields, each list a
correlated subquery with `json_agg`, each connection a keyset page of `first + 1` rows, with the
resolver path's visibility, ordering, cursors and page sizes (read from the services where they
are rules, restated in `sql` where they are formats). What this module does not know (a field,
an argument, an ordering) raises `Unsupported`, and so does any input the resolvers would answer
with an error: the resolver path then answers, and stays the reference for everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from strawberry.utils.str_converters import to_snake_case

from cms.graphql import ids
from cms.graphql.articles.inputs import ArticleFilter as FilterInput
from cms.graphql.articles.inputs import ArticleOrder as OrderInput
from cms.graphql.compiled import sql
from cms.graphql.trending.types import DEFAULT_ENTRIES
from cms.services.articles.listing import ArticleFilter, Ordering, filter_conditions
from cms.services.errors import DomainError
from cms.services.pagination import decode_cursor, page_size
from cms.services.text import normalize_locale
from cms.services.trending import MAX_PINS
from cms.vocabulary import ArticleOrderField
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# PostgreSQL takes at most 100 arguments to a function: 50 keys of one object.
MAX_KEYS = 50


class Unsupported(Exception):
    """Not compiled: the resolver path answers."""


@dataclass(frozen=True)
class Statement:
    sql: str
    args: list[Any]


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
MEDIA_COLUMNS = {
    "mimeType": "mime_type",
    "width": "width",
    "height": "height",
    "alt": "alt",
    "caption": "caption",
    "credit": "credit",
    "sizeBytes": "size_bytes",
    "blurhash": "blurhash",
}
# The sort keys compiled: the time orderings, whose cursors carry an instant.
SORT_KEYS = {
    ArticleOrderField.PUBLISHED_AT: ("coalesce({a}.published_at, '-infinity'::timestamptz)", "{a}.published_at"),
    ArticleOrderField.UPDATED_AT: ("{a}.updated_at", "{a}.updated_at"),
}

Fields = dict[str, list[FieldNode]]
T = TypeVar("T")


def _input(cls: type[T], raw: dict[str, Any]) -> T:
    """A coerced input object (a dict by GraphQL names) as the resolvers receive it."""
    return cls(**{to_snake_case(k): v for k, v in raw.items()})


class Compiler:
    """Compiles one operation for one request: its variables are known, so are its arguments."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
        *,
        files: str,
        default_locale: str,
    ) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.files, self.default_locale = files, default_locale
        self.params = sql.Params()
        self._aliases = 0
        self._files: str | None = None

    def operation(self, operation: OperationDefinitionNode) -> Statement:
        query = self.schema.query_type
        assert query is not None
        body = self._object(self._collect([operation.selection_set], query), "Query", self._root)
        text = f"SELECT json_build_object('data', {body})::text"
        return Statement(text, self.params.values)

    # Selections.

    def _collect(self, selection_sets: Sequence[SelectionSetNode], type_: GraphQLObjectType) -> Fields:
        """The spec's CollectFields: fields by response key, through fragments whose type
        condition holds, minus those @skip/@include leave out."""
        fields: Fields = {}

        def walk(selection_set: SelectionSetNode) -> None:
            for node in selection_set.selections:
                if not self._included(node):
                    continue
                if isinstance(node, FieldNode):
                    fields.setdefault(node.alias.value if node.alias else node.name.value, []).append(node)
                elif isinstance(node, InlineFragmentNode):
                    if node.type_condition is None or self._applies(node.type_condition.name.value, type_):
                        walk(node.selection_set)
                elif isinstance(node, FragmentSpreadNode):
                    fragment = self.fragments[node.name.value]
                    if self._applies(fragment.type_condition.name.value, type_):
                        walk(fragment.selection_set)

        for selection_set in selection_sets:
            walk(selection_set)
        return fields

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (skip and skip["if"]) and not (include and not include["if"])

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        named = self.schema.get_type(condition)
        return named is type_ or (named is not None and self.schema.is_sub_type(named, type_))  # type: ignore[arg-type]

    def _children(self, nodes: list[FieldNode], type_name: str) -> Fields:
        type_ = self.schema.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType)
        return self._collect([n.selection_set for n in nodes if n.selection_set], type_)

    def _args(self, parent: str, nodes: list[FieldNode]) -> dict[str, Any]:
        type_ = self.schema.get_type(parent)
        assert isinstance(type_, GraphQLObjectType)
        try:
            return get_argument_values(type_.fields[nodes[0].name.value], nodes[0], self.variables)
        except GraphQLError:
            raise Unsupported from None

    def _object(self, fields: Fields, type_name: str, field: Callable[[str, list[FieldNode]], str]) -> str:
        """json_build_object of the selected fields, in selection order."""
        if len(fields) > MAX_KEYS:
            raise Unsupported
        pairs = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            value = f"'{type_name}'" if name == "__typename" else field(name, nodes)
            pairs.append(f"'{key}', {value}")
        return f"json_build_object({', '.join(pairs)})"

    def _alias(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    # Query.

    def _root(self, name: str, nodes: list[FieldNode]) -> str:
        args = self._args("Query", nodes)
        if name == "articles":
            return self._connection(nodes, args, [])
        if name == "article":
            return self._article_lookup(nodes, args)
        if name == "author":
            x = self._alias("x")
            return f"(SELECT {self._author(nodes, x)} FROM authors {x} WHERE {self._match(args, 'Author', x)})"
        if name in ("section", "tag"):
            type_name, table = ("Section", "sections") if name == "section" else ("Tag", "tags")
            t = self._alias("t")
            where = f"{self._match(args, type_name, t)} AND {sql.label_in_use(t, type_name)}"
            return f"(SELECT {self._label(nodes, t, type_name)} FROM {table} {t} WHERE {where})"
        if name == "trendingList":
            t = self._alias("l")
            slug = self.params.add(args["slug"], "text")
            return f"(SELECT {self._trending_list(nodes, t)} FROM trending_lists {t} WHERE {t}.slug = {slug})"
        if name == "trendingLists":
            t = self._alias("l")
            listed = f"json_agg({self._trending_list(nodes, t)} ORDER BY {t}.title, {t}.id)"
            return f"(SELECT coalesce({listed}, '[]'::json) FROM trending_lists {t})"
        raise Unsupported

    def _match(self, args: dict[str, Any], type_name: str, t: str) -> str:
        """The condition of a lookup by `id` or `slug` (`ids.lookup_id`)."""
        pk = self._lookup_id(args, type_name)
        if pk is not None:
            return f"{t}.id = {self.params.add(pk, 'bigint')}"
        return f"{t}.slug = {self.params.add(args['slug'], 'text')}"

    @staticmethod
    def _lookup_id(args: dict[str, Any], type_name: str) -> int | None:
        try:
            return ids.lookup_id(args.get("id"), args.get("slug"), type_name)
        except GraphQLError:
            raise Unsupported from None

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

    # Articles.

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

    # Trending lists.

    def _trending_list(self, nodes: list[FieldNode], t: str) -> str:
        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "id":
                return sql.global_id("TrendingList", f"{t}.id")
            if name in ("slug", "title", "description"):
                return f"{t}.{name}"
            if name == "updatedAt":
                return sql.instant(f"{t}.updated_at")
            if name == "window":
                return f"{t}.read_window"
            if name == "section":
                s = self._alias("s")
                shown = sql.label_in_use(s, "Section")
                section = self._label(nodes, s, "Section")
                return f"(SELECT {section} FROM sections {s} WHERE {s}.id = {t}.section_id AND {shown})"
            if name == "entries":
                return self._entries(nodes, t)
            raise Unsupported

        return self._object(self._children(nodes, "TrendingList"), "TrendingList", field)

    def _entries(self, nodes: list[FieldNode], t: str) -> str:
        """`TrendingList.entries`: the pins readers may see in pin order, then the best scores of
        the list's window (and section) that are not pins (`trending_scores.computed`); as many
        as asked, else every pin and computed ones up to DEFAULT_ENTRIES in all."""
        first = self._args("TrendingList", nodes).get("first")
        if first is not None and not 0 <= first <= MAX_PINS:
            raise Unsupported
        e, p, pa, k, ka = (self._alias(x) for x in ("e", "p", "a", "k", "a"))
        pins = (
            f"SELECT {pa}.*, false AS computed__, {p}.position AS position__, NULL::float8 AS score__ "
            f"FROM trending_pins {p} JOIN articles {pa} ON {pa}.id = {p}.article_id "
            f"WHERE {p}.list_id = {t}.id AND {sql.visible(pa)}"
        )
        computed = (
            f"SELECT {ka}.*, true, 0, {k}.score "
            f"FROM trending_scores {k} JOIN articles {ka} ON {ka}.id = {k}.article_id "
            f"WHERE {k}.read_window = {t}.read_window "
            f"AND ({t}.section_id IS NULL OR {ka}.section_id = {t}.section_id) "
            f"AND {sql.visible(ka)} AND NOT EXISTS "
            f"(SELECT FROM trending_pins x WHERE x.list_id = {t}.id AND x.article_id = {k}.article_id) "
            f"ORDER BY {k}.score DESC, {k}.article_id LIMIT {first if first is not None else DEFAULT_ENTRIES}"
        )
        if first is not None:
            size = str(first)
        else:
            c, ca = self._alias("p"), self._alias("a")
            shown = (
                f"SELECT count(*) FROM trending_pins {c} JOIN articles {ca} ON {ca}.id = {c}.article_id "
                f"WHERE {c}.list_id = {t}.id AND {sql.visible(ca)}"
            )
            size = f"greatest({DEFAULT_ENTRIES}, ({shown}))"
        ranked = (
            f"SELECT {e}.*, row_number() OVER (ORDER BY {e}.computed__, {e}.position__, {e}.score__ DESC, {e}.id) "
            f"AS rank__ FROM (({pins}) UNION ALL ({computed})) {e}"
        )

        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "rank":
                return f"{e}.rank__"
            if name == "pinned":
                return f"NOT {e}.computed__"
            if name == "score":
                return f"{e}.score__"
            if name == "article":
                return self._article(nodes, e)
            raise Unsupported

        entry = self._object(self._children(nodes, "TrendingEntry"), "TrendingEntry", field)
        return (
            f"(SELECT coalesce(json_agg({entry} ORDER BY {e}.rank__), '[]'::json) "
            f"FROM ({ranked}) {e} WHERE {e}.rank__ <= {size})"
        )

    # Authors, sections, tags, media.

    def _author(self, nodes: list[FieldNode], x: str) -> str:
        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "id":
                return sql.global_id("Author", f"{x}.id")
            if name in ("slug", "name", "bio"):
                return f"{x}.{name}"
            if name == "avatar":
                m = self._alias("m")
                return f"(SELECT {self._media(nodes, m)} FROM media {m} WHERE {m}.id = {x}.avatar_id)"
            if name == "articles":
                byline = (
                    f"EXISTS (SELECT FROM article_authors ga WHERE ga.article_id = {{a}}.id AND ga.author_id = {x}.id)"
                )
                return self._connection(nodes, self._args("Author", nodes), [byline])
            raise Unsupported

        return self._object(self._children(nodes, "Author"), "Author", field)

    def _label(self, nodes: list[FieldNode], t: str, type_name: str) -> str:
        """A section or a tag."""

        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "id":
                return sql.global_id(type_name, f"{t}.id")
            if name in ("slug", "name", "description"):
                return f"{t}.{name}"
            if name == "articles":
                if type_name == "Section":
                    group = f"{{a}}.section_id = {t}.id"
                else:
                    group = (
                        f"EXISTS (SELECT FROM article_tags gt WHERE gt.article_id = {{a}}.id AND gt.tag_id = {t}.id)"
                    )
                return self._connection(nodes, self._args(type_name, nodes), [group])
            raise Unsupported

        return self._object(self._children(nodes, type_name), type_name, field)

    def _media_url(self, m: str) -> str:
        """`links.original_url`: the stored file under the files' base, or the linked URL."""
        if self._files is None:
            self._files = self.params.add(self.files, "text")
        files = self._files
        return f"CASE WHEN {m}.storage_key IS NULL THEN {m}.url ELSE {files} || '/' || {m}.storage_key END"

    def _media(self, nodes: list[FieldNode], m: str) -> str:
        def field(name: str, nodes: list[FieldNode]) -> str:
            if name == "id":
                return sql.global_id("Media", f"{m}.id")
            if name in MEDIA_COLUMNS:
                return f"{m}.{MEDIA_COLUMNS[name]}"
            if name == "createdAt":
                return sql.instant(f"{m}.created_at")
            if name == "url":
                return self._media_url(m)
            if name == "focalPoint":
                point = self._object(self._children(nodes, "FocalPoint"), "FocalPoint", focal)
                return f"CASE WHEN {m}.focal_x IS NOT NULL AND {m}.focal_y IS NOT NULL THEN {point} END"
            raise Unsupported

        def focal(name: str, _: list[FieldNode]) -> str:
            if name in ("x", "y"):
                return f"{m}.focal_{name}"
            raise Unsupported

        return self._object(self._children(nodes, "Media"), "Media", field)
