"""An anonymous query operation as one SQL statement that builds its whole response in PostgreSQL.

Each object of the response is a `json_build_object` of its selected fields, each list a
correlated subquery with `json_agg`, each connection a keyset page of `first + 1` rows, with the
resolver path's visibility, ordering, cursors and page sizes (read from the services where they
are rules, restated in `sql` where they are formats). What this module does not know (a field,
an argument, an ordering) raises `Unsupported`, and so does any input the resolvers would answer
with an error: the resolver path then answers, and stays the reference for everything.

This module compiles the operation and its root fields; `selection` holds what every part
shares (parameters, aliases, GraphQL's field collection), `articles` the articles and their
pages, `objects` authors, sections, tags, media and trending lists.
"""

from __future__ import annotations

from typing import Any

from cms.graphql.compiled import sql
from cms.graphql.compiled.articles import Articles
from cms.graphql.compiled.objects import Objects
from cms.graphql.compiled.selection import Statement, Unsupported
from graphql import FieldNode, OperationDefinitionNode

__all__ = ["Compiler", "Statement", "Unsupported"]


class Compiler(Articles, Objects):
    """The operation: its root fields, each compiled by its part."""

    def operation(self, operation: OperationDefinitionNode) -> Statement:
        query = self.schema.query_type
        assert query is not None
        body = self._object(self._collect([operation.selection_set], query), "Query", self._root)
        text = f"SELECT json_build_object('data', {body})::text"
        return Statement(text, self.params.values)

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
