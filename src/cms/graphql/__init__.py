"""The API face: one schema assembled from one package per domain.

The enums are registered first, before any module declares a type that uses them.
"""

from cms.graphql import enums  # noqa: F401
