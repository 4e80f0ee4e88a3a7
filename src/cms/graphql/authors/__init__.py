"""GraphQL: authors."""
