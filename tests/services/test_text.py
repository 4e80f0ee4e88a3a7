from __future__ import annotations

import pytest

from cms.services.errors import Problems
from cms.services.text import checked_slug, optional_url, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ministers agree budget", "ministers-agree-budget"),
        ("Café Société — Zürich!", "cafe-societe-zurich"),
        ("서울 시장 선거", "seoul-sijang-seongeo"),
        ("  --Already--slug--  ", "already-slug"),
        ("🎉🎉", "article"),
    ],
)
def test_slugify_folds_to_ascii(text, slug):
    assert slugify(text, "article") == slug


@pytest.mark.parametrize("value", ["ok", "ok-2", "a1-b2-c3"])
def test_valid_slugs(value):
    problems = Problems()
    checked_slug(problems, ("slug",), value)
    assert not problems


@pytest.mark.parametrize("value", ["Upper", "double--hyphen", "-edge", "spa ce", "ünï", ""])
def test_invalid_slugs(value):
    problems = Problems()
    checked_slug(problems, ("slug",), value)
    assert len(problems.items) == 1


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("//a.example", False),
        ("ftp://a", False),
    ],
)
def test_urls(value, ok):
    problems = Problems()
    optional_url(problems, ("url",), value)
    assert (not problems) is ok
