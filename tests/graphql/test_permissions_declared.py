"""Deny by default: every field of every object type declares who may read it, or is listed
here as readable by whoever may see the object it belongs to. A new field fails this test until
someone decides."""

from __future__ import annotations

from strawberry.permission import PermissionExtension

from cms.graphql.schema import make_schema
from graphql import GraphQLObjectType

# Fields with no permission of their own: whoever may see the object may read them. The object
# itself is filtered by the policy (node(), lookups, lists and relations show only what the
# viewer may see), so these lists say "nothing here is more private than its object".
PUBLIC: dict[str, set[str]] = {
    "ApiToken": {"id", "name", "role", "kind", "createdAt", "expiresAt", "lastUsedAt", "current"},
    "ApiTokenConnection": {"edges", "pageInfo", "totalCount"},
    "ApiTokenEdge": {"cursor", "node"},
    # reviewNote, lastEditedBy and revisions are the desk's: they declare their own permission.
    "Article": {
        "id", "slug", "title", "standfirst", "status", "publishedAt", "createdAt", "updatedAt", "version",
        "authors", "heroImage", "section", "tags", "sources", "body", "bodyHtml", "bodyText", "wordCount",
        "readingTimeMinutes", "seoTitle", "seoDescription", "canonicalUrl", "locale", "unpublishAt",
        "translations", "related",
    },
    # Reached only through Article.revisions (and node(), which checks the desk's permission).
    "ArticleSnapshot": {
        "slug", "title", "standfirst", "locale", "wordCount", "seoTitle", "seoDescription", "canonicalUrl",
        "readingTimeMinutes", "authors", "heroImage", "section", "tags", "sources", "body", "bodyHtml", "bodyText",
    },
    "Revision": {"id", "version", "createdAt", "createdBy", "title", "changedFields", "snapshot", "article"},
    "RevisionConnection": {"edges", "pageInfo", "totalCount"},
    "RevisionEdge": {"cursor", "node"},
    "ArticleConnection": {"edges", "pageInfo", "totalCount"},
    "ArticleEdge": {"cursor", "node"},
    "ArticlePayload": {"article", "userErrors"},
    # The audit log is for administrators: auditEvents and node() let no one else reach an event.
    "AuditEvent": {"id", "at", "actor", "actorToken", "action", "subjectId", "changedFields", "detail", "actorName"},
    "AuditEventConnection": {"edges", "pageInfo", "totalCount"},
    "AuditEventEdge": {"cursor", "node"},
    "Author": {"id", "slug", "name", "bio", "avatar", "articles"},
    "AuthorConnection": {"edges", "pageInfo", "totalCount"},
    "AuthorEdge": {"cursor", "node"},
    "AuthorPayload": {"author", "userErrors"},
    "CreateApiTokenPayload": {"apiToken", "token", "userErrors"},
    "DeletePayload": {"deletedId", "userErrors"},
    "EmbedBlock": {"url", "provider"},
    "HeadingBlock": {"level", "text"},
    "ImageBlock": {"caption", "media"},
    "ListBlock": {"ordered", "items"},
    "LoginPayload": {"token", "user", "userErrors"},
    "Media": {
        "id",
        "url",
        "mimeType",
        "width",
        "height",
        "alt",
        "caption",
        "credit",
        "createdAt",
        "sizeBytes",
        "blurhash",
        "focalPoint",
        "renditionUrl",
        "srcset",
    },
    "FocalPoint": {"x", "y"},
    "MediaPayload": {"media", "userErrors"},
    "PageInfo": {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"},
    "PreviewLinkPayload": {"previewToken", "expiresAt", "userErrors"},
    "ParagraphBlock": {"html", "text"},
    "QuoteBlock": {"text", "attribution"},
    "SearchConnection": {"edges", "pageInfo", "totalCount"},
    "SearchHit": {"cursor", "node", "rank", "headline"},
    "Section": {"id", "slug", "name", "description", "articles"},
    "SectionPayload": {"section", "userErrors"},
    "Source": {"name", "url"},
    "Tag": {"id", "slug", "name", "description", "articles"},
    "TagPayload": {"tag", "userErrors"},
    "TrendingEntry": {"rank", "article", "pinned", "score"},
    "TrendingList": {"id", "slug", "title", "description", "updatedAt", "entries", "window", "section"},
    "TrendingListPayload": {"trendingList", "userErrors"},
    # email is not here: it declares its own permission.
    "User": {"id", "name", "role", "disabled", "author"},
    "UserConnection": {"edges", "pageInfo", "totalCount"},
    "UserEdge": {"cursor", "node"},
    "UserError": {"field", "message", "code"},
    "UserPayload": {"user", "userErrors"},
    # tokens is not here: it declares its own permission.
    "Viewer": {"user", "role"},
}  # fmt: skip

# Entry points never rely on the list: each declares its permission, public or not.
ENTRY_POINTS = {"Query", "Mutation", "Subscription"}


def object_fields(schema):
    """(type name, field name, Strawberry field) for every field of every object type."""
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            yield name, field_name, field.extensions["strawberry-definition"]


def declared(field) -> bool:
    return any(isinstance(ext, PermissionExtension) and ext.permissions for ext in field.extensions)


def test_every_field_declares_a_permission_or_is_listed_public():
    schema = make_schema()
    missing = [
        f"{type_name}.{name}"
        for type_name, name, field in object_fields(schema)
        if not declared(field) and (type_name in ENTRY_POINTS or name not in PUBLIC.get(type_name, set()))
    ]
    assert missing == []


def test_the_public_list_names_only_undeclared_fields_that_exist():
    schema = make_schema()
    undeclared = {(t, n) for t, n, field in object_fields(schema) if not declared(field)}
    listed = {(t, n) for t, names in PUBLIC.items() for n in names}
    assert listed - undeclared == set()


def test_the_walk_sees_every_field():
    schema = make_schema()
    walked = {(t, n) for t, n, _ in object_fields(schema)}
    assert ("Mutation", "createArticle") in walked
    assert ("User", "email") in walked
    assert len([1 for t, _ in walked if t == "Mutation"]) == len(schema._schema.mutation_type.fields)
