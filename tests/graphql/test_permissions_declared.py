"""Deny by default: every entry point declares who may use it."""

from __future__ import annotations

from strawberry.permission import PermissionExtension

from cms.graphql.schema import make_schema

# Fields of object types that hold private data, beyond Query and Mutation.
RESTRICTED = {("User", "email")}


def declared(field) -> bool:
    return any(isinstance(ext, PermissionExtension) and ext.permissions for ext in field.extensions)


def test_every_query_mutation_and_restricted_field_declares_a_permission():
    schema = make_schema()
    missing = []
    for type_name in ("Query", "Mutation"):
        definition = schema.get_type_by_name(type_name)
        missing += [f"{type_name}.{f.graphql_name or f.name}" for f in definition.fields if not declared(f)]
    for type_name, field_name in RESTRICTED:
        definition = schema.get_type_by_name(type_name)
        field = next(f for f in definition.fields if f.name == field_name)
        if not declared(field):
            missing.append(f"{type_name}.{field_name}")
    assert missing == []


def test_the_walk_sees_every_field():
    schema = make_schema()
    mutation = schema.get_type_by_name("Mutation")
    assert len(mutation.fields) == len(schema._schema.mutation_type.fields)
    assert {"createArticle", "login", "setTrendingPins"} <= set(schema._schema.mutation_type.fields)
