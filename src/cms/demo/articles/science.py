"""Science: oceans, space and wildlife."""

# ruff: noqa: E501
# Each paragraph of a body is one line, as an editor's Markdown holds it: wrapped lines would
# reach the blocks as line breaks inside paragraphs.

from __future__ import annotations

from cms.demo.authors import HAN, RAMAN
from cms.demo.media import CITY_LIGHTS, REEF, REEF_SURVEY, TELESCOPE
from cms.demo.sections import SCIENCE
from cms.demo.sources import AFP, REUTERS
from cms.demo.spec import ArticleSpec, Source, days_ago

REEF_BLEACHING = ArticleSpec(
    slug="reef-survey-finds-widest-bleaching-on-record",
    title="Reef survey finds widest bleaching on record",
    standfirst="Divers found damaged coral at four in five sites surveyed across two oceans this year, after water stayed too warm for eleven weeks.",
    section=SCIENCE,
    authors=(HAN, RAMAN),
    hero=REEF,
    tags=("Climate", "Oceans", "Coral Reefs"),
    sources=(Source("Indo-Pacific Reef Survey"), REUTERS),
    published=days_ago(1, "06:00"),
    correction="Correction: An earlier version of this article said the survey's consortium had 32 research institutes. It has 23.",
    # The body's photo is a paragraph holding only an image of registered media: it becomes an
    # image block with the Markdown's alt text as its caption.
    markdown=f"""\
Coral bleaching has spread further across the Pacific and Indian oceans this year than in any year since systematic surveys began, according to a study published this morning.

Divers from the Indo-Pacific Reef Survey, a consortium of 23 research institutes, visited 50 reef sites between March and September. They found bleaching at 41 of them, and severe bleaching, where more than half of the coral had turned white, at 19.

"We have been doing these surveys for a long time, and we have never had a year where we ran out of healthy sites to use as a comparison," said Dr Leilani Kahale, a marine ecologist who led the Pacific teams.

## What bleaching is

Reef-building corals live in partnership with tiny algae that sit inside their tissues, feed them sugars and give them their colour. When the water gets too warm for too long, the partnership breaks down and the coral expels the algae, leaving its white skeleton visible through clear tissue.

Bleached coral is not dead, but it is starving. If temperatures fall within a few weeks, the algae can return. If the heat lasts, the coral begins to die, and the reef's fish, crabs and other animals that depend on it follow.

![A survey diver records a bleached colony on an outer reef.]({REEF_SURVEY.src})

## Eleven weeks of heat

Scientists measure heat stress in "degree heating weeks", which combine how far the water rises above its usual summer maximum with how long it stays there. Past about four, bleaching is likely. Past eight, corals commonly die.

At the worst-hit sites this year, the water stayed above the bleaching threshold for eleven weeks in a row, the longest stretch the survey has recorded.

> We have never had a year where we ran out of healthy sites to use as a comparison.

## Where the damage was worst

- Shallow reefs were hit harder than deep ones, which were shaded and cooled by the water above.
- Reefs near river mouths, already stressed by sediment and run-off, fared worst of all.
- A handful of sites in cooler upwelling zones escaped almost untouched.

The survey team stressed that those refuges matter. "They are the nurseries for whatever comes next," Dr Kahale said.

## Can reefs recover?

Some can, and some already have: a third of the sites that bleached in the survey's previous bad year had largely recovered within five years. But recovery needs a gap between heatwaves, and those gaps are shrinking. At current rates of warming, the researchers say, severe bleaching will be a yearly event on most reefs by the 2040s.

They call for cuts in greenhouse gas emissions, which drive the warming, and for local measures that buy time, such as limiting fishing on damaged reefs and cutting pollution from farms upstream.
""",
)

REPEATING_SIGNAL = ArticleSpec(
    slug="radio-telescope-picks-up-repeating-signal",
    title="Radio telescope picks up a repeating signal from a distant galaxy",
    standfirst="Astronomers say the bursts come in a 16-day cycle, and that they do not yet know why. It is not aliens, they add.",
    section=SCIENCE,
    authors=(HAN,),
    hero=TELESCOPE,
    tags=("Space", "Astronomy"),
    sources=(AFP, Source("Journal of Radio Astronomy")),
    published=days_ago(4, "18:00"),
    markdown="""\
Astronomers have detected a source of radio bursts in a galaxy about 500 million light years away that switches on and off in a strict 16-day rhythm, a pattern they say could help solve one of the stranger puzzles in astronomy.

The bursts, each lasting a few thousandths of a second, arrive during a four-day window and then stop for twelve days before starting again. The team recorded 38 bursts over nine cycles using an array of radio dishes in the high desert, and published their findings today in the Journal of Radio Astronomy.

"Most of these sources flash once and are never seen again. This one keeps an appointment," said Dr Tobias Lund, an astrophysicist and one of the paper's authors.

## What fast radio bursts are

Fast radio bursts were first spotted less than twenty years ago, in old data. In a few milliseconds, a single burst can release as much energy as the Sun does in days. Thousands have now been recorded, almost all from far outside our own galaxy.

Most flash once. A small number repeat, but irregularly. Only a handful have shown a regular cycle, and this is the clearest yet.

## Why the rhythm matters

A strict period suggests something is moving in a regular way. The researchers consider three explanations:

1. The source orbits a companion star, and its bursts can only escape towards Earth during part of each orbit.
2. The source is wobbling like a spinning top, sweeping a beam past Earth every 16 days.
3. The source sits in a tight binary system whose stellar wind opens and closes a window every orbit.

Most astronomers favour some version of the first idea, with the source itself a magnetar, the collapsed core of a dead star with a magnetic field a thousand trillion times stronger than Earth's.

> Most of these sources flash once and are never seen again. This one keeps an appointment.

## And no, not aliens

Whenever a regular signal arrives from space, the question follows. Dr Lund was patient about it. "A natural process that repeats is far more likely than anything deliberate," he said. "The bursts also carry a spread of frequencies that says they passed through a lot of gas on the way here, which fits a messy, natural environment."

## What comes next

The team has booked time on two other telescopes to watch the next active window and pin down the source's exact position. If they can find the host galaxy's brightest region in optical light, they may be able to tell whether the source sits in a crowded nursery of young stars, as the magnetar idea predicts.
""",
)

# The Paris bureau's version of the story above: the same report, told for French readers.
REPEATING_SIGNAL_FR = ArticleSpec(
    slug="un-radiotelescope-capte-un-signal-qui-se-repete",
    title="Un radiotélescope capte un signal qui se répète depuis une galaxie lointaine",
    standfirst="Les sursauts reviennent selon un cycle de 16 jours, et les astronomes ne savent pas encore pourquoi. Ce ne sont pas des extraterrestres, précisent-ils.",
    section=SCIENCE,
    authors=(HAN,),
    hero=TELESCOPE,
    tags=("Space", "Astronomy"),
    sources=(AFP, Source("Journal of Radio Astronomy")),
    published=days_ago(3, "09:30"),
    locale="fr",
    translation_of=REPEATING_SIGNAL,
    markdown="""\
Des astronomes ont détecté, dans une galaxie située à environ 500 millions d'années-lumière, une source de sursauts radio qui s'allume et s'éteint selon un rythme strict de 16 jours. Selon eux, ce motif pourrait aider à résoudre l'une des énigmes les plus étranges de l'astronomie.

Les sursauts, qui durent chacun quelques millièmes de seconde, arrivent pendant une fenêtre de quatre jours, puis cessent pendant douze jours avant de reprendre. L'équipe a enregistré 38 sursauts sur neuf cycles grâce à un réseau d'antennes installé sur un haut plateau désertique, et a publié ses résultats dans le Journal of Radio Astronomy.

« La plupart de ces sources ne clignotent qu'une fois et on ne les revoit jamais. Celle-ci est fidèle au rendez-vous », explique Tobias Lund, astrophysicien et l'un des auteurs de l'article.

## Ce que sont les sursauts radio rapides

Les sursauts radio rapides ont été repérés pour la première fois il y a moins de vingt ans, dans des données anciennes. En quelques millisecondes, un seul sursaut peut libérer autant d'énergie que le Soleil en plusieurs jours. Des milliers ont été enregistrés depuis, presque tous venus de très loin au-delà de notre galaxie.

La plupart ne se produisent qu'une fois. Un petit nombre se répètent, mais de façon irrégulière. Seule une poignée a montré un cycle régulier, et celui-ci est le plus net à ce jour.

## Pourquoi ce rythme compte

Une période aussi stricte suggère que quelque chose se déplace de manière régulière. Les chercheurs envisagent trois explications :

1. La source tourne autour d'une étoile compagne, et ses sursauts ne peuvent s'échapper vers la Terre que pendant une partie de chaque orbite.
2. La source oscille comme une toupie et balaie la Terre de son faisceau tous les 16 jours.
3. La source appartient à un système binaire serré dont le vent stellaire ouvre et referme une fenêtre à chaque orbite.

La plupart des astronomes penchent pour une version de la première idée, la source étant un magnétar : le cœur effondré d'une étoile morte, doté d'un champ magnétique mille milliards de fois plus fort que celui de la Terre.

> Celle-ci est fidèle au rendez-vous.

## Et non, ce ne sont pas des extraterrestres

Chaque fois qu'un signal régulier arrive de l'espace, la question revient. Tobias Lund y répond avec patience. « Un processus naturel qui se répète est bien plus probable que quoi que ce soit de délibéré, dit-il. Les sursauts portent aussi un étalement de fréquences qui montre qu'ils ont traversé beaucoup de gaz en chemin, ce qui correspond à un environnement naturel et désordonné. »

## La suite

L'équipe a réservé du temps d'observation sur deux autres télescopes pour suivre la prochaine fenêtre d'activité et préciser la position exacte de la source.
""",
)

BIRDS_AND_LIGHTS = ArticleSpec(
    slug="city-lights-confuse-migrating-birds-study",
    title="City lights draw migrating birds off course, and switching them off works",
    standfirst="A five-year study of night-time migration finds that turning off floodlights during peak nights cuts collisions with buildings by more than half.",
    section=SCIENCE,
    authors=(RAMAN,),
    hero=CITY_LIGHTS,
    tags=("Wildlife", "Birds", "Light Pollution"),
    sources=(Source("Journal of Urban Ecology"),),
    published=days_ago(5, "00:01"),
    markdown="""\
Bright city lights pull night-migrating birds off course and into buildings, but simply switching floodlights off on the busiest migration nights more than halves the number that die, according to a five-year study published today.

Researchers counted birds killed by collisions at 40 tall buildings in three cities during spring and autumn migrations. On nights when building managers agreed to switch off decorative and floodlighting, collisions fell by 58% compared with similar nights when the lights stayed on.

"It is rare in conservation to find a problem where the solution is to do less and spend nothing," said Dr Annika Rautio, an ornithologist who led the study.

## Why birds fly into light

Most songbirds migrate at night, navigating partly by the stars and the Earth's magnetic field. Artificial light, especially under low cloud, seems to disorientate them. Birds are drawn towards bright areas and then circle, unable to leave, until they tire or strike glass.

Radar data used in the study showed that migration is highly concentrated. In each season, about half of all birds passing over a city did so on fewer than ten nights.

> It is rare in conservation to find a problem where the solution is to do less and spend nothing.

## What the study found

- Collisions fell by 58% on lights-out nights, after allowing for weather and the number of birds aloft.
- The effect was largest under low cloud, when light is reflected back towards the ground.
- Buildings with large areas of glass near ground level still caused collisions even when dark, because birds fly into reflections of trees.

The last finding matters, the authors say, because it means lights-out schemes work best alongside bird-friendly glass, which uses patterns of dots or lines that people barely notice but birds see as solid.

## Forecasting the busy nights

Because migration is so concentrated, the researchers argue that cities do not need to go dark all season. They used weather radar to build a forecast, issued three days ahead, of nights with heavy migration.

Building managers in one of the cities have been receiving the forecast by email for two years. Most complied on forecast nights, the study found, and several said it was easier to agree to a handful of nights than to a whole season.

## What comes next

The team now wants to test whether street lighting, which is lower and harder to switch off, has a similar effect. Dr Rautio said councils replacing old street lamps with LEDs had a chance to choose warmer, shielded lights that point down. "We are rebuilding the night sky over our cities anyway," she said. "We might as well do it with the birds in mind."
""",
)

ARTICLES = [REEF_BLEACHING, REPEATING_SIGNAL, REPEATING_SIGNAL_FR, BIRDS_AND_LIGHTS]
