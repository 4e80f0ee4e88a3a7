"""Checking, cleaning and resizing images with Pillow; plain functions over bytes, no I/O.

They are CPU-bound and take up to seconds on a large photo: callers run them off the event loop.
They touch no global Pillow setting (LOAD_TRUNCATED_IMAGES, MAX_IMAGE_PIXELS) and no warnings
filter, so they are safe to run in several threads at once.

- `formats`: what the bytes are, and opening them with that format's decoder only;
- `credit`: who to credit, from the IPTC, XMP or EXIF metadata of an upload;
- `pixels`: colour modes and profiles, shared by uploads and renditions;
- `upload`: `accept_upload`, which checks an upload and makes the clean copy that is stored;
- `renditions`: `rendition_box` and `render`, the resized copies that are served.
"""

from cms.services.images.errors import ImageRefused
from cms.services.images.renditions import Box, OutputFormat, render, rendition_box
from cms.services.images.upload import CleanImage, accept_upload

__all__ = [
    "Box",
    "CleanImage",
    "ImageRefused",
    "OutputFormat",
    "accept_upload",
    "render",
    "rendition_box",
]
