"""GraphQL: taxonomy."""
