"""The demo's stories, one module per section, and the ones pinned to "Trending Now"."""

from __future__ import annotations

from cms.demo.articles import business, culture, science, sport, world

ARTICLES = [*world.ARTICLES, *business.ARTICLES, *science.ARTICLES, *culture.ARTICLES, *sport.ARTICLES]

# Published ones only: a list pins what readers can see.
TRENDING_NOW = [
    world.GRID_DEAL,
    business.PORT_STRIKE,
    culture.THEATRE_CUTS,
    science.REEF_BLEACHING,
    culture.PHONE_FILM,
    sport.CUP_SEMI_FINAL,
]
