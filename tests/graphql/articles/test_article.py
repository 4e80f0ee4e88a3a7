from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories

READ = "query($id: ID, $slug: String) { article(id: $id, slug: $slug) { id slug title } }"


async def test_by_id_and_by_slug(api):
    article = await factories.published_article(api, title="Found")
    by_id = await api(READ, {"id": article["id"]})
    by_slug = await api(READ, {"slug": "found"})
    assert (
        by_id["data"]["article"]
        == by_slug["data"]["article"]
        == {"id": article["id"], "slug": "found", "title": "Found"}
    )


async def test_unknown_slug_is_null(api):
    assert (await api(READ, {"slug": "nothing-here"}))["data"]["article"] is None


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "give exactly one of id and slug"),
        ({"id": "QXJ0aWNsZTox", "slug": "x"}, "give exactly one of id and slug"),
        ({"id": "not-an-id"}, "id: not a valid ID"),
        ({"id": "QXV0aG9yOjE="}, "id: expected Article, got Author"),
    ],
    ids=["neither", "both", "garbage", "wrong-type"],
)
async def test_bad_lookup_is_invalid(api, variables, message):
    body = await api(READ, variables)
    assert body["data"] == {"article": None}
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [(message, "INVALID")]


async def test_body_renders_html_and_text(api):
    photo = await factories.media(api, alt='A "quoted" <alt>', credit="Shutterstock.com")
    article = await factories.create_article(
        api,
        title="Rendered",
        body=[
            {"paragraph": {"html": 'Read <a href="https://example.com">this</a> & <strong>that</strong>.'}},
            {"heading": {"level": 3, "text": "Fish & <chips>"}},
            {"image": {"mediaId": photo["id"], "caption": "Harbour"}},
            {"quote": {"text": "We will build.", "attribution": "A minister"}},
            {"list": {"ordered": True, "items": ["one", "<em>two</em>"]}},
            {"embed": {"url": "https://www.youtube.com/watch?v=abc"}},
        ],
    )
    body = await api(
        "query($id: ID!) { article(id: $id) { bodyHtml bodyText wordCount "
        "body { ... on ImageBlock { caption media { id } } ... on EmbedBlock { url provider } } } }",
        {"id": article["id"]},
        role=Role.EDITOR,
    )
    got = body["data"]["article"]
    assert got["bodyHtml"] == "\n".join(
        [
            '<p>Read <a href="https://example.com" rel="noopener noreferrer">this</a> &amp; <strong>that</strong>.</p>',
            "<h3>Fish &amp; &lt;chips&gt;</h3>",
            '<figure><img src="https://img.example.com/a.jpg" alt="A &quot;quoted&quot; &lt;alt&gt;">'
            "<figcaption>Harbour <small>Photo: Shutterstock.com</small></figcaption></figure>",
            "<blockquote><p>We will build.</p><footer>A minister</footer></blockquote>",
            "<ol><li>one</li><li><em>two</em></li></ol>",
            '<figure class="embed"><a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer">'
            "https://www.youtube.com/watch?v=abc</a></figure>",
        ]
    )
    assert got["bodyText"] == "Read this & that.\n\nFish & <chips>\n\nHarbour\n\nWe will build.\n\none\ntwo"
    assert got["wordCount"] == 11
    assert got["body"][2] == {"caption": "Harbour", "media": {"id": photo["id"]}}
    assert got["body"][5] == {"url": "https://www.youtube.com/watch?v=abc", "provider": "YouTube"}
