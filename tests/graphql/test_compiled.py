"""The compiled read path answers exactly as the resolvers do.

Every query runs twice on the same data in the same transaction: through `api` (anonymous, the
compiled statement where the operation compiles) and through `resolver_api` (compiled reads
off). The JSON must be equal, status and all; a difference is a failure, never a tolerance. The
app's metrics say which path answered, so a test cannot pass by never compiling: the corpus
is real frontend queries and the cases around them, and hypothesis generates selections from
the schema's compiled types on top.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Article, Media, TrendingPin, TrendingScore
from cms.graphql.ids import parse_global_id
from cms.vocabulary import Role
from tests import factories


def compiled_reads(app) -> float:
    """How many anonymous queries the app answered with a compiled statement."""
    return app.state.metrics.registry.get_sample_value("cms_compiled_reads_total") or 0.0


CARD = """
fragment Card on Article {
  id title slug standfirst publishedAt readingTimeMinutes
  authors { name slug }
  heroImage { url alt credit }
  section { name slug }
  tags { name slug }
}
"""
HOMEPAGE = (
    "query Homepage { articles(first: 20) { edges { node { ...Card } } pageInfo { hasNextPage endCursor } } }" + CARD
)
ARTICLE_PAGE = """query ArticlePage($slug: String!) {
  article(slug: $slug) {
    id title slug standfirst publishedAt updatedAt readingTimeMinutes wordCount
    seoTitle seoDescription canonicalUrl
    authors { name slug bio }
    heroImage { url alt caption credit width height }
    section { name slug }
    tags { name slug }
    bodyHtml
  }
}"""
EVERYTHING = """
fragment Everything on Article {
  __typename id slug title standfirst locale wordCount seoTitle seoDescription canonicalUrl
  readingTimeMinutes status publishedAt unpublishAt createdAt updatedAt version bodyHtml
  authors { __typename id slug name bio avatar { id url } }
  heroImage {
    __typename id mimeType width height alt caption credit createdAt sizeBytes blurhash url
    focalPoint { __typename x y }
  }
  section { __typename id slug name description }
  tags { __typename id slug name description }
  sources { __typename name url }
}
"""
LIST = """query($first: Int, $after: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {
  articles(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    __typename totalCount
    edges { __typename cursor node { id title publishedAt updatedAt } }
    pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


@pytest.fixture
async def newsroom(api, session: AsyncSession) -> dict[str, Any]:
    """Articles in every state a reader must or must not see, with every relation and the text
    that tests escaping: quotes, markup, ampersands, non-Latin scripts."""
    stored = await session.scalar(
        insert(Media)
        .values(
            storage_key="ab/cd/photo.jpg", mime_type="image/jpeg", width=1600, height=900, size_bytes=123456,
            blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj", focal_x=0.25, focal_y=0.75,
            alt='A "quoted" <alt> & more', credit="Shutterstock.com", caption="Café crowd",
        )
        .returning(Media.id)
    )  # fmt: skip
    await session.commit()
    stored_id = _global("Media", stored)
    linked = await factories.media(api, "https://img.example.com/linked.jpg", credit="Reuters", alt="Linked")
    desk = await factories.section(api, "World", description="All of it")
    business = await factories.section(api, "Business & Money")
    jane = await factories.author(api, "Jane Doe", bio="Covers <city> hall", avatarId=linked["id"])
    kim = await factories.author(api, "김 기자")
    body = [
        {"paragraph": {"html": '<b>Bold</b> &amp; "plain" text'}},
        {"heading": {"level": 2, "text": "A <heading> & 'quotes'"}},
        {"image": {"mediaId": stored_id, "caption": "Under <the> photo"}},
        {"image": {"mediaId": linked["id"]}},
        {"quote": {"text": 'Said "this"', "attribution": "A & B"}},
        {"quote": {"text": "Unattributed"}},
        {"list": {"ordered": True, "items": ["one", "<i>two</i>"]}},
        {"list": {"ordered": False, "items": ["only"]}},
        {"embed": {"url": "https://video.example.com/watch?v=1&t=2"}},
    ]
    published = []
    for i in range(7):
        article = await factories.published_article(
            api,
            title=f'Story {i} — "quoted" & <marked>',
            slug=f"story-{i}",
            standfirst=None if i % 3 == 0 else f"Standfirst {i}",
            body=body if i % 2 == 0 else [{"paragraph": {"html": f"Short {i}"}}],
            authorIds=[jane["id"], kim["id"]] if i % 2 == 0 else [kim["id"]],
            heroImageId=stored_id if i % 3 == 0 else (linked["id"] if i % 3 == 1 else None),
            sectionId=desk["id"] if i % 2 == 0 else (business["id"] if i % 3 == 1 else None),
            tagNames=["City Hall", "Elections"] if i % 2 == 0 else ["Elections"],
            sources=[{"name": "Reuters", "url": "https://reuters.com"}, {"name": "AP"}],
            seoTitle="SEO" if i == 1 else None,
        )
        published.append(article)
    korean = await factories.published_article(api, title="한국어 기사", slug="story-1", locale="ko", tagNames=["선거"])
    renamed = published[2]
    await api(
        'mutation($id: ID!) { updateArticle(id: $id, input: {slug: "story-2-renamed"}) { userErrors { message } } }',
        {"id": renamed["id"]},
        role=Role.EDITOR,
    )
    draft = await factories.create_article(api, title="Draft", slug="draft", tagNames=["Secret"], sectionId=desk["id"])
    scheduled = await factories.create_article(api, title="Scheduled", slug="scheduled", authorIds=[jane["id"]])
    await factories.publish(api, scheduled["id"], "2999-01-01T00:00:00Z")
    ended = await factories.published_article(api, title="Embargo over", slug="embargo-over")
    now = datetime.now(UTC)
    await session.execute(
        update(Article)
        .where(Article.id == parse_global_id(ended["id"])[1])
        .values(published_at=now - timedelta(hours=2), unpublish_at=now - timedelta(hours=1))
    )
    # Two articles at the same instant, to page through a tie.
    await session.execute(
        update(Article)
        .where(Article.id.in_([parse_global_id(published[5]["id"])[1], parse_global_id(published[6]["id"])[1]]))
        .values(published_at=now - timedelta(minutes=30))
    )
    await session.commit()
    return {
        "published": published, "korean": korean, "draft": draft, "scheduled": scheduled, "ended": ended,
        "jane": jane, "kim": kim, "desk": desk, "business": business, "stored": stored_id, "linked": linked,
    }  # fmt: skip


def _global(type_name: str, pk: int) -> str:
    from cms.graphql.ids import to_global_id

    return to_global_id(type_name, pk)


async def same(
    api,
    resolver_api,
    app,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    compiled: bool | None,
) -> dict[str, Any]:
    """Runs `query` both ways, asserts equal answers and which path answered (None: compiled
    unless the answer is an error, e.g. over the cost budget); the answer."""
    before = compiled_reads(app)
    fast = await api.post(query, variables)
    used = compiled_reads(app) > before
    reference = await resolver_api.post(query, variables)
    assert (fast.status_code, fast.json()) == (reference.status_code, reference.json())
    body: dict[str, Any] = reference.json()
    expected = "errors" not in body if compiled is None else compiled
    assert used is expected, f"compiled: {used}, expected {expected}"
    return body


async def test_the_homepage_and_article_page(api, resolver_api, app, newsroom):
    home = await same(api, resolver_api, app, HOMEPAGE, compiled=True)
    assert len(home["data"]["articles"]["edges"]) == 8  # 7 in English, 1 in Korean
    for slug in ("story-0", "story-1", "story-2-renamed", "story-4"):
        page = await same(api, resolver_api, app, ARTICLE_PAGE, {"slug": slug}, compiled=True)
        assert page["data"]["article"]["slug"] == slug
    page = await same(api, resolver_api, app, ARTICLE_PAGE, {"slug": "story-0"}, compiled=True)
    assert (
        "<figcaption>Under &lt;the&gt; photo <small>Photo: Shutterstock.com</small></figcaption>"
        in (page["data"]["article"]["bodyHtml"])
    )


async def test_every_compiled_field(api, resolver_api, app, newsroom):
    query = "query($slug: String!) { article(slug: $slug) { ...Everything } }" + EVERYTHING
    for slug in ("story-0", "story-1", "story-3", "story-6"):
        body = await same(api, resolver_api, app, query, {"slug": slug}, compiled=True)
        assert body["data"]["article"]["slug"] == slug
    listed = await same(
        api,
        resolver_api,
        app,
        "{ articles(first: 50) { edges { node { ...Everything } } } }" + EVERYTHING,
        compiled=True,
    )
    assert {e["node"]["heroImage"]["url"] for e in listed["data"]["articles"]["edges"] if e["node"]["heroImage"]} == {
        "http://cms.test/media/ab/cd/photo.jpg",
        "https://img.example.com/linked.jpg",
    }


@pytest.mark.parametrize(
    ("variables", "found"),
    [
        ({"slug": "story-1"}, "Story 1"),  # English first, where the Korean one shares the slug
        ({"slug": "story-1", "locale": "ko"}, "한국어 기사"),
        ({"slug": "story-1", "locale": "KO"}, "한국어 기사"),
        ({"slug": "story-2"}, "Story 2"),  # an old slug
        ({"slug": "story-2", "locale": "en"}, "Story 2"),
        ({"slug": "draft"}, None),
        ({"slug": "scheduled"}, None),
        ({"slug": "embargo-over"}, None),
        ({"slug": "nothing-here"}, None),
    ],
)
async def test_article_by_slug(api, resolver_api, app, newsroom, variables, found):
    query = "query($slug: String, $locale: String) { article(slug: $slug, locale: $locale) { title slug locale } }"
    body = await same(api, resolver_api, app, query, variables, compiled=True)
    article = body["data"]["article"]
    assert (article and article["title"].split(" —")[0]) == found


async def test_article_by_id(api, resolver_api, app, newsroom):
    query = "query($id: ID) { article(id: $id) { id title } }"
    await same(api, resolver_api, app, query, {"id": newsroom["published"][0]["id"]}, compiled=True)
    await same(api, resolver_api, app, query, {"id": newsroom["draft"]["id"]}, compiled=True)
    # Errors are the resolvers' to answer.
    await same(api, resolver_api, app, query, {"id": "nonsense"}, compiled=False)
    await same(api, resolver_api, app, query, {"id": newsroom["jane"]["id"]}, compiled=False)
    await same(api, resolver_api, app, "{ article { id } }", compiled=False)
    await same(api, resolver_api, app, '{ article(id: "QXJ0aWNsZTox", slug: "x") { id } }', compiled=False)
    await same(api, resolver_api, app, '{ article(slug: "x", locale: "not a locale!") { id } }', compiled=False)


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"first": 0},
        {"first": 1},
        {"first": 100},
        {"filter": {"sectionSlug": "world"}},
        {"filter": {"sectionSlug": "business-money"}},
        {"filter": {"sectionSlug": "no-such-section"}},
        {"filter": {"tagSlugs": ["city-hall", "elections"]}},
        {"filter": {"tagSlugs": ["elections", "elections"]}},
        {"filter": {"tagSlugs": []}},
        {"filter": {"authorSlug": "jane-doe"}},
        {"filter": {"locale": "KO"}},
        {"filter": {"status": [], "locale": "en"}},
        {"filter": {"status": ["PUBLISHED"]}},
        {"filter": {"status": ["DRAFT", "SCHEDULED", "ARCHIVED"]}},
        {"filter": {"publishedAfter": "2000-01-01T00:00:00+02:00", "publishedBefore": "2999-01-01T00:00:00Z"}},
        {"orderBy": {"field": "PUBLISHED_AT", "direction": "ASC"}},
        {"orderBy": {"field": "UPDATED_AT", "direction": "DESC"}, "first": 3},
        {"orderBy": {"field": "UPDATED_AT", "direction": "ASC"}, "first": 3},
    ],
)
async def test_lists(api, resolver_api, app, newsroom, variables):
    await same(api, resolver_api, app, LIST, variables, compiled=True)


@pytest.mark.parametrize(
    "variables",
    [
        {"first": -1},
        {"first": 101},
        {"after": "not a cursor"},
        {"after": "WyJhcnRpY2xlOlRJVExFOmFzYyIsIngiLDFd"},  # a cursor of another ordering
        {"orderBy": {"field": "TITLE", "direction": "ASC"}},  # not compiled: the resolvers answer
        {"filter": {"locale": "not a locale!"}},
        {"filter": {"publishedAfter": "2020-01-01T00:00:00"}},
    ],
)
async def test_what_does_not_compile_is_answered_by_the_resolvers(api, resolver_api, app, newsroom, variables):
    await same(api, resolver_api, app, LIST, variables, compiled=False)


@pytest.mark.parametrize(
    "order", [None, {"field": "PUBLISHED_AT", "direction": "ASC"}, {"field": "UPDATED_AT", "direction": "DESC"}]
)
async def test_paging_through_every_article(api, resolver_api, app, newsroom, order):
    seen: list[str] = []
    after = None
    while True:
        body = await same(api, resolver_api, app, LIST, {"first": 2, "after": after, "orderBy": order}, compiled=True)
        connection = body["data"]["articles"]
        seen += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 8


async def test_nested_connections_aliases_fragments_and_directives(api, resolver_api, app, newsroom):
    query = """query Nested($withTags: Boolean!, $skipBio: Boolean!, $section: String!) {
      __typename
      top: articles(first: 2) { edges { node { ... on Node { id } ...Bits } } }
      world: articles(first: 3, filter: {sectionSlug: $section}) {
        count: totalCount
        edges { c: cursor node { t: title, title, tags @include(if: $withTags) { slug } } }
      }
      author(slug: "jane-doe") {
        __typename name bio @skip(if: $skipBio)
        avatar { url alt }
        articles(first: 2) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { title section { name articles(first: 1) { totalCount edges { node { slug } } } } } }
        }
        later: articles(first: 2, orderBy: {field: UPDATED_AT, direction: ASC}) { edges { cursor } }
      }
    }
    fragment Bits on ArticleContent {
      slug
      ... on Article { tags { name articles(first: 5, filter: {locale: "en"}) { totalCount } } }
    }"""
    for flags in ({"withTags": True, "skipBio": False}, {"withTags": False, "skipBio": True}):
        body = await same(api, resolver_api, app, query, {**flags, "section": "world"}, compiled=True)
        assert body["data"]["author"]["articles"]["totalCount"] == 4  # the scheduled one is not counted


async def test_a_page_of_a_tag_or_byline_filtered_by_another(api, resolver_api, app, newsroom):
    """Found by the generated selections: the resolvers' filter once looked at the page's own tag
    (or byline) instead of any of the article's, and found nothing."""
    query = '{ tag(slug: "city-hall") { articles(filter: {tagSlugs: ["elections"]}) { totalCount } } }'
    body = await same(api, resolver_api, app, query, compiled=True)
    assert body["data"]["tag"]["articles"]["totalCount"] == 4
    query = 'query($id: ID) { author(id: $id) { articles(filter: {authorSlug: "jane-doe"}) { totalCount } } }'
    body = await same(api, resolver_api, app, query, {"id": newsroom["kim"]["id"]}, compiled=True)
    assert body["data"]["author"]["articles"]["totalCount"] == 4


async def test_several_operations_and_what_no_statement_covers(api, resolver_api, app, newsroom):
    two = 'query A { articles(first: 1) { totalCount } } query B { author(slug: "kim") { name } }'
    await same(api, resolver_api, app, two, compiled=False)  # no operationName: an error
    response = await api.client.post("/graphql", json={"query": two, "operationName": "B"})
    reference = await resolver_api.client.post("/graphql", json={"query": two, "operationName": "B"})
    assert response.json() == reference.json()
    # Fields the compiler does not know: the whole operation goes to the resolvers.
    await same(
        api,
        resolver_api,
        app,
        "{ articles(first: 2) { edges { node { body { __typename } } } } }",
        compiled=False,
    )
    await same(api, resolver_api, app, "{ articles(first: 2) { edges { node { related { id } } } } }", compiled=False)
    await same(api, resolver_api, app, "{ articles(first: 1) { edges { node { reviewNote } } } }", compiled=False)
    await same(api, resolver_api, app, "{ sections { name } }", compiled=False)
    await same(api, resolver_api, app, "{ viewer { role } }", compiled=False)


async def test_the_limits_hold_before_any_statement(api, resolver_api, app, newsroom):
    deep = "articles(first: 100) { edges { node { title } } }"
    fan_out = f"{{ articles(first: 100) {{ edges {{ node {{ authors {{ {deep} }} }} }} }} }}"
    body = await same(api, resolver_api, app, fan_out, compiled=False)
    assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    nul = "query($slug: String!) { article(slug: $slug) { id } }"
    body = await same(api, resolver_api, app, nul, {"slug": "a\u0000b"}, compiled=False)
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_signed_in_callers_are_not_answered_by_the_compiled_path(api, app, newsroom):
    body = await api("{ articles(first: 50) { totalCount } }", role=Role.EDITOR)
    assert body["data"]["articles"]["totalCount"] == 11  # drafts, scheduled and the embargoed too
    assert compiled_reads(app) == 0


CREATE_LIST = """mutation($input: CreateTrendingListInput!) {
  createTrendingList(input: $input) { trendingList { id } userErrors { message } }
}"""
LIST_FIELDS = """
  __typename id slug title description updatedAt window section { __typename id name slug }
  entries { __typename rank pinned score article { id title slug section { slug } } }
"""


@pytest.fixture
async def trending(api, session: AsyncSession, newsroom) -> None:
    """Two lists: "Trending Now" (DAY) with pins, one of them hidden (its embargo is over), and
    "World this week" (WEEK, the World section); scores as the refresher leaves them, with a tie,
    a draft's and a pinned article's among them."""
    ids: dict[str, int] = {}
    for fields in (
        {"title": "Trending Now", "slug": "trending-now", "description": "Most read"},
        {"title": "World this week", "slug": "world-week", "window": "WEEK", "sectionId": newsroom["desk"]["id"]},
    ):
        body = await api(CREATE_LIST, {"input": fields}, role=Role.EDITOR)
        ids[fields["slug"]] = parse_global_id(body["data"]["createTrendingList"]["trendingList"]["id"])[1]
    pk = {k: parse_global_id(v["id"])[1] for k, v in [("ended", newsroom["ended"]), ("draft", newsroom["draft"])]}
    published = [parse_global_id(a["id"])[1] for a in newsroom["published"]]
    await session.execute(
        insert(TrendingPin),
        [
            {"list_id": ids["trending-now"], "article_id": published[3], "position": 0},
            {"list_id": ids["trending-now"], "article_id": pk["ended"], "position": 1},
            {"list_id": ids["trending-now"], "article_id": published[5], "position": 2},
        ],
    )
    scores = {published[0]: 9.5, published[1]: 3.25, published[2]: 3.25, published[3]: 50.0, published[4]: 0.1}
    scores[pk["draft"]] = 99.0
    await session.execute(
        insert(TrendingScore),
        [
            {"read_window": window, "article_id": article, "score": score * factor}
            for window, factor in (("DAY", 1), ("WEEK", 2))
            for article, score in scores.items()
        ],
    )
    await session.commit()


@pytest.mark.parametrize("entries", ["", "(first: 0)", "(first: 1)", "(first: 2)", "(first: 4)", "(first: 50)"])
async def test_trending_lists(api, resolver_api, app, trending, entries):
    fields = LIST_FIELDS.replace("entries {", f"entries{entries} {{")
    for slug in ("trending-now", "world-week", "none-such"):
        body = await same(api, resolver_api, app, f'{{ trendingList(slug: "{slug}") {{ {fields} }} }}', compiled=True)
        if slug == "trending-now" and not entries:
            ranked = [(e["rank"], e["pinned"], e["article"]["slug"]) for e in body["data"]["trendingList"]["entries"]]
            assert ranked[:3] == [(1, True, "story-3"), (2, True, "story-5"), (3, False, "story-0")]
    await same(api, resolver_api, app, f"{{ trendingLists {{ {fields} }} }}", compiled=True)


async def test_trending_entries_out_of_range_go_to_the_resolvers(api, resolver_api, app, trending):
    for first in (-1, 51):
        query = f'{{ trendingList(slug: "trending-now") {{ entries(first: {first}) {{ rank }} }} }}'
        body = await same(api, resolver_api, app, query, compiled=False)
        assert body["errors"][0]["extensions"]["code"] == "INVALID"


@pytest.mark.parametrize(
    "query",
    [
        '{ section(slug: "world") { __typename id name slug description articles(first: 2) { totalCount edges { node { title } } } } }',
        '{ section(slug: "business-money") { name } }',
        '{ section(slug: "no-such") { name } }',
        '{ tag(slug: "city-hall") { id name articles { edges { cursor node { slug } } } } }',
        '{ tag(slug: "secret") { name } }',  # only a draft carries it
        '{ tag(slug: "선거") { name } }',
    ],
)
async def test_section_and_tag_pages(api, resolver_api, app, newsroom, query):
    await same(api, resolver_api, app, query, compiled=True)


async def test_section_and_tag_by_id(api, resolver_api, app, newsroom):
    query = "query($id: ID) { section(id: $id) { name } }"
    await same(api, resolver_api, app, query, {"id": newsroom["desk"]["id"]}, compiled=True)
    await same(api, resolver_api, app, query, {"id": newsroom["jane"]["id"]}, compiled=False)  # an Author's ID


# Selections generated from the compiled part of the schema.

LEAVES = {
    "Article": ["id", "slug", "title", "standfirst", "locale", "wordCount", "seoTitle", "readingTimeMinutes",
                "status", "publishedAt", "unpublishAt", "createdAt", "updatedAt", "version", "bodyHtml", "__typename"],
    "Author": ["id", "slug", "name", "bio", "__typename"],
    "Media": ["id", "mimeType", "width", "height", "alt", "caption", "credit", "createdAt", "sizeBytes", "blurhash",
              "url", "__typename"],
    "Section": ["id", "slug", "name", "description", "__typename"],
    "Tag": ["id", "slug", "name", "description", "__typename"],
    "Source": ["name", "url", "__typename"],
    "TrendingList": ["id", "slug", "title", "description", "updatedAt", "window", "__typename"],
    "TrendingEntry": ["rank", "pinned", "score", "__typename"],
}  # fmt: skip
OBJECTS = {
    "Article": {"authors": "Author", "heroImage": "Media", "section": "Section", "tags": "Tag", "sources": "Source"},
    "Author": {"avatar": "Media", "articles": "Connection"},
    "Media": {},
    "Section": {"articles": "Connection"},
    "Tag": {"articles": "Connection"},
    "Source": {},
    "TrendingList": {"section": "Section", "entries": "TrendingEntry"},
    "TrendingEntry": {"article": "Article"},
}
ARGUMENTS = st.sampled_from(
    [
        "",
        "(first: 0)",
        "(first: 2)",
        '(filter: {tagSlugs: ["elections"]})',
        "(orderBy: {field: UPDATED_AT, direction: ASC})",
    ]
)


@st.composite
def selection(draw: st.DrawFn, type_name: str, depth: int) -> str:
    leaves = draw(st.lists(st.sampled_from(LEAVES[type_name]), min_size=1, max_size=5))
    parts = [f"a{i}: {leaf}" if draw(st.booleans()) else leaf for i, leaf in enumerate(leaves)]
    if depth > 0:
        for name, child in OBJECTS[type_name].items():
            if draw(st.integers(0, 3)) != 0:
                continue
            if child == "Connection":
                parts.append(f"{name}{draw(ARGUMENTS)} {draw(connection(depth - 1))}")
            else:
                parts.append(f"{name} {{ {draw(selection(child, depth - 1))} }}")
    if type_name == "Article" and draw(st.booleans()):
        parts.append("... on Node { id }")
    return " ".join(parts)


@st.composite
def connection(draw: st.DrawFn, depth: int) -> str:
    parts = draw(
        st.lists(
            st.sampled_from(["totalCount", "pageInfo { hasNextPage endCursor startCursor }", "edges"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    return (
        "{ "
        + " ".join(
            f"edges {{ cursor node {{ {draw(selection('Article', depth))} }} }}" if p == "edges" else p for p in parts
        )
        + " }"
    )


@st.composite
def operation(draw: st.DrawFn) -> str:
    root = draw(st.sampled_from(["articles", "article", "author", "section", "tag", "trendingList"]))
    if root in ("section", "tag", "trendingList"):
        slug = draw(st.sampled_from(["world", "city-hall", "secret", "trending-now", "world-week"]))
        type_name = {"section": "Section", "tag": "Tag", "trendingList": "TrendingList"}[root]
        return f'{{ {root}(slug: "{slug}") {{ {draw(selection(type_name, 2))} }} }}'
    if root == "articles":
        return f"{{ articles{draw(ARGUMENTS)} {draw(connection(2))} }}"
    if root == "article":
        slug = draw(st.sampled_from(["story-0", "story-1", "story-2", "draft"]))
        return f'{{ article(slug: "{slug}") {{ {draw(selection("Article", 2))} }} }}'
    slug = draw(st.sampled_from(["jane-doe", "kim", "nobody"]))
    return f'{{ author(slug: "{slug}") {{ {draw(selection("Author", 2))} }} }}'


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=operation())
async def test_generated_selections(api, resolver_api, app, trending, query):
    await same(api, resolver_api, app, query, compiled=None)
