"""What the section and tag operation tests share."""

from __future__ import annotations

UPDATE_SECTION = """
mutation($id: ID!, $input: UpdateSectionInput!) {
  updateSection(id: $id, input: $input) { section { id slug name description } userErrors { field message code } }
}
"""
DELETE_SECTION = """
mutation($id: ID!, $detach: Boolean! = false) {
  deleteSection(id: $id, detach: $detach) { deletedId userErrors { field message code } }
}
"""
CREATE_TAG = """
mutation($input: CreateTagInput!) {
  createTag(input: $input) { tag { id slug name description } userErrors { field message code } }
}
"""
UPDATE_TAG = """
mutation($id: ID!, $input: UpdateTagInput!) {
  updateTag(id: $id, input: $input) { tag { id slug name description } userErrors { field message code } }
}
"""
DELETE_TAG = """
mutation($id: ID!, $detach: Boolean! = false) {
  deleteTag(id: $id, detach: $detach) { deletedId userErrors { field message code } }
}
"""
READ_ARTICLE = "query($id: ID!) { article(id: $id) { version section { slug } tags { slug } } }"
