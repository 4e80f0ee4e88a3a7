"""Authors, sections, tags, media and trending lists in a compiled statement."""

from __future__ import annotations

from cms.graphql.compiled import sql
from cms.graphql.compiled.selection import Selection, Unsupported
from cms.graphql.trending.types import DEFAULT_ENTRIES
from cms.services.trending import MAX_PINS
from graphql import FieldNode

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


class Objects(Selection):
    """What articles point to, and trending lists of them."""

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
