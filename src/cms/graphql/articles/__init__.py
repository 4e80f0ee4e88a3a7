"""GraphQL: articles."""
