"""What every part of the compiler shares: the statement's parameters and aliases, and the
operation's selections as GraphQL collects them (fragments, aliases, @skip/@include)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values, get_directive_values

from cms.graphql import ids
from cms.graphql.compiled import sql
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
    SelectionSetNode,
)

# PostgreSQL takes at most 100 arguments to a function: 50 keys of one object.
MAX_KEYS = 50

Fields = dict[str, list[FieldNode]]


class Unsupported(Exception):
    """Not compiled: the resolver path answers."""


@dataclass(frozen=True)
class Statement:
    sql: str
    args: list[Any]


class Selection:
    """One operation being compiled for one request: its variables are known, so are its
    arguments. The parts of the schema it compiles (`articles`, `objects`) meet here."""

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

    @staticmethod
    def _lookup_id(args: dict[str, Any], type_name: str) -> int | None:
        try:
            return ids.lookup_id(args.get("id"), args.get("slug"), type_name)
        except GraphQLError:
            raise Unsupported from None

    # The parts, each defined by its module and used by the others.

    def _article(self, nodes: list[FieldNode], a: str) -> str:
        raise NotImplementedError

    def _connection(self, nodes: list[FieldNode], args: dict[str, Any], group: list[str]) -> str:
        raise NotImplementedError

    def _author(self, nodes: list[FieldNode], x: str) -> str:
        raise NotImplementedError

    def _label(self, nodes: list[FieldNode], t: str, type_name: str) -> str:
        raise NotImplementedError

    def _media(self, nodes: list[FieldNode], m: str) -> str:
        raise NotImplementedError

    def _media_url(self, m: str) -> str:
        raise NotImplementedError
