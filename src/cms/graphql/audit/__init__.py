"""GraphQL: the audit log."""
