"""GraphQL: trending."""
