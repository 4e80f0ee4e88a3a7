"""Translations: one story in several languages, each with its own workflow, slugs per language."""

from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.factories import CREATE_ARTICLE

BY_SLUG = "query($slug: String!, $locale: String) { article(slug: $slug, locale: $locale) { title locale } }"
WITH_TRANSLATIONS = "query($id: ID!) { article(id: $id) { locale translations { title locale status } } }"


async def test_a_translation_joins_the_story_and_keeps_its_own_state(api):
    english = await factories.published_article(api, title="Budget agreed", slug="budget")
    korean = await factories.create_article(
        api, title="예산 합의", slug="budget", locale="ko", translationOfId=english["id"]
    )
    portuguese = await factories.create_article(
        api, title="Orçamento aprovado", locale="pt_br", translationOfId=korean["id"]
    )

    editor = await api(WITH_TRANSLATIONS, {"id": english["id"]}, role=Role.EDITOR)
    reader = await api(WITH_TRANSLATIONS, {"id": english["id"]})

    assert editor["data"]["article"] == {
        "locale": "en",
        "translations": [
            {"title": "예산 합의", "locale": "ko", "status": "DRAFT"},
            {"title": "Orçamento aprovado", "locale": "pt-BR", "status": "DRAFT"},
        ],
    }
    assert reader["data"]["article"] == {"locale": "en", "translations": []}
    await factories.publish(api, korean["id"])
    assert [
        t["locale"] for t in (await api(WITH_TRANSLATIONS, {"id": english["id"]}))["data"]["article"]["translations"]
    ] == ["ko"]
    assert portuguese["slug"] == "orcamento-aprovado"


async def test_slugs_are_unique_per_language(api):
    await factories.create_article(api, title="One", slug="same")
    other_language = await factories.create_article(api, title="Deux", slug="same", locale="fr")

    body = await api(CREATE_ARTICLE, {"input": {"title": "Three", "slug": "same"}}, role=Role.EDITOR)

    assert other_language["slug"] == "same"
    assert body["data"]["createArticle"]["userErrors"] == [
        {"field": ["input", "slug"], "message": "the slug 'same' is already taken", "code": "ALREADY_EXISTS"}
    ]


async def test_a_slug_with_a_locale_selects_one_language(api):
    await factories.published_article(api, title="Korean", slug="story", locale="ko")
    await factories.published_article(api, title="English", slug="story")

    english = await api(BY_SLUG, {"slug": "story", "locale": "en"})
    korean = await api(BY_SLUG, {"slug": "story", "locale": "KO"})
    default = await api(BY_SLUG, {"slug": "story"})
    filtered = await api('{ articles(filter: {locale: "ko"}) { edges { node { title } } } }')

    assert english["data"]["article"] == {"title": "English", "locale": "en"}
    assert korean["data"]["article"] == {"title": "Korean", "locale": "ko"}
    assert default["data"]["article"] == {"title": "English", "locale": "en"}
    assert filtered["data"]["articles"]["edges"] == [{"node": {"title": "Korean"}}]


@pytest.mark.parametrize("locale", ["english", "e", "en-", "pt-BRA-x"], ids=["word", "short", "dangling", "long"])
async def test_a_locale_must_be_a_language_tag(api, locale):
    body = await api(CREATE_ARTICLE, {"input": {"title": "T", "locale": locale}}, role=Role.EDITOR)
    assert body["data"]["createArticle"]["userErrors"] == [
        {
            "field": ["input", "locale"],
            "message": "locale must be a BCP 47 language tag such as 'en', 'ko' or 'pt-BR'",
            "code": "INVALID",
        }
    ]


async def test_one_translation_per_language(api):
    english = await factories.create_article(api, title="Story")
    await factories.create_article(api, title="Histoire", locale="fr", translationOfId=english["id"])

    body = await api(
        CREATE_ARTICLE,
        {"input": {"title": "Autre histoire", "locale": "fr", "translationOfId": english["id"]}},
        role=Role.EDITOR,
    )

    assert body["data"]["createArticle"]["userErrors"] == [
        {
            "field": ["input", "translationOfId"],
            "message": "the story already has a translation in 'fr'",
            "code": "ALREADY_EXISTS",
        }
    ]


async def test_an_article_the_caller_cannot_see_cannot_be_translated(api):
    someone_elses = await factories.create_article(api, title="Editor's draft")

    body = await api(
        CREATE_ARTICLE,
        {"input": {"title": "Mine", "locale": "de", "translationOfId": someone_elses["id"]}},
        role=Role.AUTHOR,
    )

    assert body["data"]["createArticle"]["userErrors"] == [
        {"field": ["input", "translationOfId"], "message": "no such article", "code": "NOT_FOUND"}
    ]
