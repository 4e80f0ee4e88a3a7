"""What an operation may cost, estimated from its document before anything runs.

Every field costs 1; a list multiplies what is asked inside it by how many items it can hold:
its `first` argument (from the document or the variables), the page size of the connection it
belongs to (`edges`, `nodes`), else its `first` default, else DEFAULT_LIST for lists that take no
size. Aliases and fragments count each time they are used, and so do both sides of a skipped or
included field (the estimate is an upper bound). An operation whose estimate is over the
caller's budget is refused before any SQL runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

DEFAULT_PAGE = 20
# A list with no size argument (bylines, tags, a trending list's pins): a generous guess.
DEFAULT_LIST = 10
_CONNECTION_LISTS = {"edges", "nodes"}


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None
) -> int:
    """The estimated cost of the operation a request runs (0 when it names none of the document's)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if not chosen:
        return 0
    operation = chosen[0]
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, variables or {})
    return walk.selections(root, operation.selection_set, page=None, seen=frozenset())


class _Walk:
    def __init__(
        self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: Mapping[str, Any]
    ) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables

    def selections(self, parent: Any, selection_set: SelectionSetNode, page: int | None, seen: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, page, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(on or parent, selection.selection_set, page, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # validation refuses both; never loop
                    continue
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(on or parent, fragment.selection_set, page, seen | {name})
        return total

    def field(self, parent: Any, node: FieldNode, page: int | None, seen: frozenset[str]) -> int:
        if node.name.value.startswith("__") or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1 if node.name.value != "__typename" else 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        first = self._first(node, definition)
        if _is_list(definition.type):
            if first is not None:
                size = first
            elif node.name.value in _CONNECTION_LISTS and page is not None:
                size = page
            else:
                size = DEFAULT_LIST
            inner_page = None
        else:
            size, inner_page = 1, first
        if node.selection_set is None:
            return 1
        inner = self.selections(get_named_type(definition.type), node.selection_set, inner_page, seen)
        return 1 + size * inner

    def _first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The size a field is asked for: its `first` argument, or that argument's default (the
        page size when it has none); None for a field without one."""
        argument = definition.args.get("first")
        if argument is None:
            return None
        for given in node.arguments or ():
            if given.name.value != "first":
                continue
            value: Any = None
            if isinstance(given.value, IntValueNode):
                value = int(given.value.value)
            elif isinstance(given.value, VariableNode):
                value = self.variables.get(given.value.name.value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
            break
        default = argument.default_value
        return default if isinstance(default, int) and not isinstance(default, bool) else DEFAULT_PAGE


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)
