"""A headless CMS for newsrooms."""
