"""Media: images uploaded into the CMS's storage or registered by URL, their renditions, and
the URLs clients fetch them from.

registry   rows: register by URL, describe, focal point, delete, batch loads
uploads    an upload checked, cleaned (services/images.py), stored and registered once
links      the URLs of files and signed renditions
renditions a rendition made on first request, once, and kept in the storage
gc         files the database no longer names, removed
"""

from cms.services.media.registry import (
    MediaFields,
    create_media,
    delete_media,
    existing_ids,
    ids_by_url,
    media_by_ids,
    update_media,
)
from cms.services.media.uploads import UploadFields, upload_media

__all__ = [
    "MediaFields",
    "UploadFields",
    "create_media",
    "delete_media",
    "existing_ids",
    "ids_by_url",
    "media_by_ids",
    "update_media",
    "upload_media",
]
