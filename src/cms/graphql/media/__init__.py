"""GraphQL: media."""
