"""Inline HTML keeps links and emphasis; nothing that runs is ever stored or served."""

from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories

HOSTILE = [
    ("<script>alert(1)</script>Hi", "Hi"),
    ('<img src=x onerror="alert(1)">Hi', "Hi"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer">x</a>'),
    (
        '<a href="https://ok.example" onclick="steal()">ok</a>',
        '<a href="https://ok.example" rel="noopener noreferrer">ok</a>',
    ),
    (
        '<a href="mailto:desk@example.com">mail</a>',
        '<a href="mailto:desk@example.com" rel="noopener noreferrer">mail</a>',
    ),
    ('<em style="color:red">e</em><strong>s</strong>', "<em>e</em><strong>s</strong>"),
    ("<iframe src=https://evil.example></iframe>Hi", "Hi"),
    ("<svg><script>alert(1)</script></svg>Hi", "Hi"),
    ("<p>Hi</p><div>there</div>", "Hithere"),
    ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
]


@pytest.mark.parametrize(("given", "kept"), HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
async def test_paragraphs_and_list_items_are_sanitised(api, given, kept):
    article = await factories.create_article(
        api, title="Hostile", body=[{"paragraph": {"html": given}}, {"list": {"ordered": False, "items": [given]}}]
    )
    body = await api(
        "query($id: ID!) { article(id: $id) { bodyHtml "
        "body { ... on ParagraphBlock { html } ... on ListBlock { items } } } }",
        {"id": article["id"]},
        role=Role.EDITOR,
    )
    got = body["data"]["article"]
    assert got["body"] == [{"html": kept}, {"items": [kept]}]
    assert got["bodyHtml"] == f"<p>{kept}</p>\n<ul><li>{kept}</li></ul>"


async def test_markdown_cannot_smuggle_script(api):
    article = await factories.create_article(
        api,
        title="MD",
        bodyMarkdown='[x](javascript:alert(1)) <script>alert(1)</script>\n\n<div onclick="x()">raw</div>',
    )
    body = await api("query($id: ID!) { article(id: $id) { bodyHtml } }", {"id": article["id"]}, role=Role.EDITOR)
    # Raw HTML in Markdown is text, shown escaped; the javascript: link is not made a link.
    assert body["data"]["article"]["bodyHtml"] == (
        "<p>[x](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        '<p>&lt;div onclick="x()"&gt;raw&lt;/div&gt;</p>'
    )


async def test_plain_text_fields_are_escaped_in_html(api):
    article = await factories.create_article(
        api, title="T", body=[{"quote": {"text": "<script>x</script>", "attribution": "<b>me</b>"}}]
    )
    body = await api("query($id: ID!) { article(id: $id) { bodyHtml } }", {"id": article["id"]}, role=Role.EDITOR)
    assert body["data"]["article"]["bodyHtml"] == (
        "<blockquote><p>&lt;script&gt;x&lt;/script&gt;</p><footer>&lt;b&gt;me&lt;/b&gt;</footer></blockquote>"
    )


async def test_empty_after_sanitising_is_refused(api):
    body = await api(
        "mutation($input: CreateArticleInput!) { createArticle(input: $input) { userErrors { field code } } }",
        {"input": {"title": "T", "body": [{"paragraph": {"html": "<script>alert(1)</script>"}}]}},
        role=Role.EDITOR,
    )
    assert body["data"]["createArticle"]["userErrors"] == [
        {"field": ["input", "body", "0", "paragraph", "html"], "code": "INVALID"}
    ]
