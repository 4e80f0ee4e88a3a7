"""The demo's photos, drawn by `pictures` and uploaded before any article refers to them.

Credits are printed as "Photo: <credit>" by frontends: agencies for news pictures, stock
libraries for illustration, staff photographers for our own.
"""

from __future__ import annotations

from cms.demo.spec import PhotoSpec

_STAFF = "Elif Kaya/Staff"

MINISTERS = PhotoSpec(
    "eu-energy-ministers",
    alt="Energy ministers seated around a long conference table under bright lights",
    caption="Ministers at the start of talks that ran until dawn at the Council's headquarters in Brussels.",
    credit="Reuters",
)
TURBINES = PhotoSpec(
    "offshore-turbines",
    alt="Offshore wind turbines in a grey sea",
    caption="Turbines off the Danish coast. Much of the North Sea's power has nowhere to go on windy days.",
    credit="Shutterstock.com",
)
RAILWAY = PhotoSpec(
    "east-africa-freight-train",
    alt="A freight train crosses open savannah on a raised embankment",
    caption="A freight service on the completed Kenyan section of the line.",
    credit="AFP",
)
TANKER = PhotoSpec(
    "arctic-tanker",
    alt="A tanker moves through broken sea ice under a low sun",
    caption="A tanker in the Barents Sea, where traffic has roughly tripled in a decade.",
    credit="AP",
)
HARBOUR = PhotoSpec(
    "harbour-cranes",
    alt="Container cranes at dusk in a North Sea port",
    caption="Automated cranes at the Maasvlakte terminals, where the walkout would begin.",
    credit="Shutterstock.com",
)
TRADING_FLOOR = PhotoSpec(
    "trading-floor",
    alt="Traders watching rows of screens showing green figures",
    caption="Traders in Frankfurt as the inflation figures came in.",
    credit="AP",
)
BAKERY = PhotoSpec(
    "bakery-night-shift",
    alt="A baker shapes loaves on a floured bench before dawn",
    caption="The night shift at the Zwolle bakery, which now works four longer days.",
    credit=_STAFF,
)
REEF = PhotoSpec(
    "coral-reef",
    alt="Bleached white coral beside healthy brown coral in shallow water",
    caption="Bleached and healthy colonies side by side on a survey site.",
    credit="Reuters",
)
REEF_SURVEY = PhotoSpec(
    "reef-survey-diver",
    alt="A diver holds a measuring tape over a pale coral colony",
    caption="A survey diver records a bleached colony on an outer reef.",
    credit="Indo-Pacific Reef Survey/Handout",
)
TELESCOPE = PhotoSpec(
    "radio-telescope",
    alt="A radio telescope dish pointed at a starry sky",
    caption="One of the array's dishes. The bursts were caught by all of them at once.",
    credit="AFP",
)
CITY_LIGHTS = PhotoSpec(
    "birds-city-lights",
    alt="Birds circling in beams of light above a city skyline at night",
    caption="Migrating birds caught in floodlights over a city centre.",
    credit="Shutterstock.com",
)
FESTIVAL = PhotoSpec(
    "festival-crowd",
    alt="A crowd outside a festival cinema at night",
    caption="Queues formed hours before the premiere.",
    credit="Shutterstock.com",
)
BOOKS = PhotoSpec(
    "books-of-the-year",
    alt="A stack of hardback books on a wooden table by a window",
    caption=None,
    credit=_STAFF,
)
THEATRE = PhotoSpec(
    "theatre-empty-seats",
    alt="Rows of empty red seats in a theatre auditorium",
    caption="The Lantern Theatre, one of six venues that would lose their whole grant.",
    credit="Shutterstock.com",
)
SHOOTOUT = PhotoSpec(
    "cup-semi-final-shootout",
    alt="Players in blue run towards their goalkeeper after a penalty shoot-out",
    caption="Harbourside players race to their goalkeeper after the decisive save.",
    credit="AP",
)

PHOTOS = [
    MINISTERS,
    TURBINES,
    RAILWAY,
    TANKER,
    HARBOUR,
    TRADING_FLOOR,
    BAKERY,
    REEF,
    REEF_SURVEY,
    TELESCOPE,
    CITY_LIGHTS,
    FESTIVAL,
    BOOKS,
    THEATRE,
    SHOOTOUT,
]
