"""The one error the image functions raise."""

from __future__ import annotations


class ImageRefused(ValueError):
    """The bytes are not an image the CMS accepts; the message says why, for the uploader."""
