"""The demo newsroom's sections."""

from __future__ import annotations

from cms.demo.spec import SectionSpec

WORLD = SectionSpec("World", "world", "Reporting from our correspondents and the agencies, from Brussels to Nairobi.")
BUSINESS = SectionSpec("Business", "business", "Markets, trade, work and the companies behind them.")
SCIENCE = SectionSpec("Science", "science", "Climate, oceans, space and wildlife: what the research says.")
CULTURE = SectionSpec("Culture", "culture", "Film, books, theatre and the people who make them.")
SPORT = SectionSpec("Sport", "sport", "Football, athletics and everything in between.")

SECTIONS = [WORLD, BUSINESS, SCIENCE, CULTURE, SPORT]
