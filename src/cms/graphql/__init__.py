"""The API face: one schema assembled from one package per domain."""
