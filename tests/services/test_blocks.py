from __future__ import annotations

import pytest

from cms.services.blocks import embed_provider, markdown_to_blocks, reading_time_minutes, word_count


def test_markdown_structure():
    blocks = markdown_to_blocks(
        "# Title\n\n### Deep\n\nText with [a link](https://x.example) and `code`.\n\n1. one\n2. two\n   - nested\n\n"
        "> quote line\n\n---\n\n```\nfenced <b>\n```"
    )
    assert blocks == [
        {"type": "heading", "level": 2, "text": "Title"},
        {"type": "heading", "level": 3, "text": "Deep"},
        {
            "type": "paragraph",
            "html": 'Text with <a href="https://x.example" rel="noopener noreferrer">a link</a> and code.',
        },
        {"type": "list", "ordered": True, "items": ["one", "two", "nested"]},
        {"type": "quote", "text": "quote line", "attribution": None},
        {"type": "paragraph", "html": "fenced &lt;b&gt;"},
    ]


@pytest.mark.parametrize(("words", "minutes"), [(0, 0), (1, 1), (230, 1), (231, 2), (1000, 5)])
def test_reading_time(words, minutes):
    assert reading_time_minutes(words) == minutes


def test_word_count_reads_text_not_markup():
    blocks = [
        {"type": "paragraph", "html": 'It\'s <a href="https://x.example">three</a> words'},
        {"type": "list", "ordered": False, "items": ["one", "<em>two</em>"]},
        {"type": "embed", "url": "https://youtube.com/x", "provider": "YouTube"},
    ]
    assert word_count(blocks) == 5


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://www.youtube.com/watch?v=1", "YouTube"),
        ("https://youtu.be/1", "YouTube"),
        ("https://x.com/a/status/1", "X"),
        ("https://notyoutube.com/x", None),
        ("https://example.com", None),
    ],
)
def test_embed_providers(url, provider):
    assert embed_provider(url) == provider


def test_wrapped_markdown_lines_read_as_one_paragraph():
    assert markdown_to_blocks("One line\nwrapped here,\nand *here*.") == [
        {"type": "paragraph", "html": "One line wrapped here, and <em>here</em>."}
    ]
