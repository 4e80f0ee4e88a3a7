"""The demo newsroom's writers, each with a short bio and a portrait."""

from __future__ import annotations

from cms.demo.spec import AuthorSpec, PhotoSpec


def _author(name: str, slug: str, bio: str) -> AuthorSpec:
    portrait = PhotoSpec(
        f"portrait-{slug}",
        alt=f"Portrait of {name}",
        credit="Elif Kaya/Staff",
        width=400,
        height=400,
    )
    return AuthorSpec(name=name, slug=slug, bio=bio, avatar=portrait)


LINDQVIST = _author(
    "Mara Lindqvist",
    "mara-lindqvist",
    "Europe correspondent, based in Brussels. Covers the EU institutions, energy and the rows between them. "
    "Previously reported from Stockholm and Tallinn.",
)
HADDAD = _author(
    "Samir Haddad",
    "samir-haddad",
    "Diplomatic correspondent, based in Geneva. Follows the talks that rarely make the front page until they fail.",
)
WEKESA = _author(
    "Amina Wekesa",
    "amina-wekesa",
    "East Africa correspondent, based in Nairobi. Writes about trade, infrastructure and regional politics.",
)
OKAFOR = _author(
    "Daniel Okafor",
    "daniel-okafor",
    "Business editor. Writes about markets, trade and work, and the companies behind them.",
)
HAN = _author(
    "Ji-woo Han",
    "ji-woo-han",
    "Science reporter covering oceans, space and the researchers who spend years waiting for data.",
)
RAMAN = _author(
    "Priya Raman",
    "priya-raman",
    "Climate and environment reporter. Trained as an ecologist before she swapped fieldwork for deadlines.",
)
FERRER = _author(
    "Lucía Ferrer",
    "lucia-ferrer",
    "Culture writer and critic: film, books and the people who make them.",
)
GREAVES = _author(
    "Hannah Greaves",
    "hannah-greaves",
    "City reporter. Covers City Hall, housing and transport, and reads the council's budget papers so you need not.",
)
MENSAH = _author(
    "Kwame Mensah",
    "kwame-mensah",
    "Sports writer. Football in winter, athletics in summer, cup upsets all year round.",
)

AUTHORS = [LINDQVIST, HADDAD, WEKESA, OKAFOR, HAN, RAMAN, FERRER, GREAVES, MENSAH]
