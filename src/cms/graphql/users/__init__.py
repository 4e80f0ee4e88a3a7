"""GraphQL: users."""
