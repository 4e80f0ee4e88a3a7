"""Culture: film, books and theatre."""

# ruff: noqa: E501
# Each paragraph of a body is one line, as an editor's Markdown holds it: wrapped lines would
# reach the blocks as line breaks inside paragraphs.

from __future__ import annotations

from cms.demo.authors import FERRER, GREAVES, HAN
from cms.demo.media import BOOKS, FESTIVAL, THEATRE
from cms.demo.sections import CULTURE
from cms.demo.spec import ArticleSpec, ago, days_ago, days_ahead

PHONE_FILM = ArticleSpec(
    slug="festival-opens-with-a-film-shot-on-a-phone",
    title="Festival opens with a film shot entirely on a phone",
    standfirst="The director spent less on cameras than on catering. The audience gave her a six-minute standing ovation.",
    section=CULTURE,
    authors=(FERRER,),
    hero=FESTIVAL,
    tags=("Film", "Festivals"),
    sources=(),
    published=ago(hours=14, minutes=5),
    markdown="""\
LISBON — The film festival opened with a feature shot over 19 days on two mobile phones and a borrowed drone, and the audience in the old São Bento cinema stood to applaud for six minutes before the lights came up.

*Low Tide*, the second feature by the Portuguese director Inês Carvalho, follows three generations of a fishing family in the last winter before their village's harbour is filled in for a marina. It cost about €180,000 to make, a fraction of a typical European feature, and it looks like nothing of the sort.

"I wanted the camera to be small enough that people forgot about it," Carvalho said at a press conference before the screening. "The fishermen stopped performing on the second day. After that, I was just in the boat."

## How it was made

The production was tiny by any standard:

- a crew of seven, including Carvalho, who operated one of the two phones herself;
- a cast of mostly non-professional actors, among them her own uncle as the grandfather;
- no artificial light on location, only the sun, street lamps and the boats' own lamps;
- three months of editing on a laptop in her flat.

The phones were fitted with clip-on lenses and a stabilising grip. The footage was graded by a colourist who usually works on advertisements, who told Carvalho it was the first time she had been asked to make footage look less polished, not more.

> I wanted the camera to be small enough that people forgot about it.

## What it looks like

The result is intimate in a way that big cameras rarely manage. The phone sits in the bottom of a boat as nets come over the side. It follows the grandson through a crowd at the fish market at knee height. In one long scene at a kitchen table, the family argue about selling the boat while the camera rests against a sugar bowl.

There are limits. Night scenes are grainy, and a storm sequence shot from the harbour wall is more atmosphere than drama. But the roughness suits the story of a place that is about to be tidied away.

## A festival making a point

Opening with a film this small was a choice. The festival's director said in his opening remarks that the programme was meant to show that "a film is not its budget". Of the 42 features in competition, nine were made for under €500,000.

Distributors were less sentimental, but interested. By the end of the night two sales agents were said to be in talks over international rights.

The festival runs for ten days. *Low Tide* screens twice more, and on the last night it will be shown free on a screen on the harbour of the village where it was made.
""",
)

BOOKS_OF_THE_YEAR = ArticleSpec(
    slug="books-of-the-year-our-critics-choose",
    title="Books of the year: our critics choose",
    standfirst="Ten books that stayed with us, from a debut novel about a lighthouse keeper's daughter to a history of salt that is better than it has any right to be.",
    section=CULTURE,
    authors=(FERRER, HAN),
    hero=BOOKS,
    tags=("Books", "Books of the Year"),
    sources=(),
    published=days_ahead(1, "06:00"),
    markdown="""\
Every December we ask our critics to name the books they kept thinking about after the review was filed. This year's list runs from fiction to science, and two of its books are about the sea. We are not sure what that says about the year, but we are sure they are worth your time.

## Fiction

- ***The Quiet Harbour*** by Maren Solberg. A lighthouse keeper's daughter waits out the last winter before the light is automated. A debut so controlled that its single outburst of anger lands like a wave over the rail.
- ***Seven Rooms in Naples*** by Teodoro Vasta. A family saga told through the flat they have rented for ninety years, room by room. Funny, then devastating, then funny again.
- ***Afterlight*** by Ngozi Ibe. Short stories about people working night shifts: nurses, bakers, a radio host with no listeners. Each is a small, perfect world.
- ***The Cartographer's Apprentice*** by Helen Trask. A historical novel about the mapping of a coastline that the map-makers' employers wanted to sell. Clever about how maps lie.

## Non-fiction

- ***Salt: A World History of Everything Preserved*** by Anselm Drury. Revised and much expanded. It should be dull. It is one of the most entertaining books of the year.
- ***Signals*** by Ruth Amadi. Essays on listening to the universe, from radio astronomy to whale song. Our science reporter read it twice.
- ***The Long Shift*** by Carlos Ibarrola. A year with the staff of a city hospital's emergency department, reported with care and without sentimentality.

## Poetry and translation

- ***Small Weather*** by Aoife Brennan. Poems about a house, a garden and a father's memory loss. Spare and unforgettable.
- ***The Islands*** by Lea Koivisto, translated from the Finnish by Rowan Pell. A novel in fragments about an archipelago emptying of people. The translation is a quiet triumph.
- ***What the River Keeps*** by Dariusz Kowal, translated from the Polish by Zofia Brzeska. A flood, a town, and the things people choose to carry.

> Two of this year's books are about the sea. We are not sure what that says about the year.

## How we chose

Each critic nominated up to five books published this year. We argued over them across two long lunches, with one rule: nobody could champion a book they had not finished. The list is in no particular order within each section.

## The one we disagreed about

*Seven Rooms in Naples* split the panel. One critic called it the best family novel in a decade; another found its final chapter too neat by half. It stayed on the list because everyone, including its detractors, had pressed it on a friend.

## Gifts, in a word

If you are buying for someone who likes big, warm novels, choose *Seven Rooms in Naples*. For a reader of popular science, *Signals*. For someone who says they do not read poetry, *Small Weather*, and do not tell them it is poetry until they have started.
""",
)

THEATRE_CUTS = ArticleSpec(
    slug="theatres-warn-of-closures-as-city-hall-cuts-arts-grants",
    title="Theatres warn of closures as City Hall cuts arts grants",
    standfirst="The council's draft budget halves its culture fund and ends grants to six venues altogether. Theatre directors say some will not reach next autumn.",
    section=CULTURE,
    authors=(GREAVES, FERRER),
    hero=THEATRE,
    tags=("City Hall", "Theatre", "Arts Funding"),
    sources=(),
    published=days_ago(1, "11:20"),
    markdown="""\
Six of the city's theatres and arts centres would lose all of their council funding under budget proposals published by City Hall, and directors of at least two say they would have to close within a year.

The draft budget cuts the council's culture fund from £4.8m to £2.4m. Grants to the largest venues would be reduced by about a third, while six smaller organisations, including the Lantern Theatre and the Eastgate Arts Centre, would lose their grants entirely from April.

"For a building like ours, the council grant is the difference between a programme and a padlock," said Femi Adeyemi, artistic director of the Lantern, which has run in a converted chapel since 1974.

## Why the council says it must cut

The council faces a gap of £31m in next year's budget, driven mainly by the rising cost of adult social care and of temporary housing for homeless families. Both are services it is legally required to provide. Culture is not.

The cabinet member for finance, Councillor Rachel Doyle, said the cuts gave her "no pleasure at all". "When the choice is between a theatre grant and a care package for someone who cannot get out of bed, I have to choose the care package," she said.

> For a building like ours, the council grant is the difference between a programme and a padlock.

## What the venues say

Directors argue that the grants are small compared with what the venues bring in. The Lantern's grant of £140,000 a year is about a quarter of its income, but it says every pound of public money brings in three more from ticket sales, trusts and its bar.

Other venues facing the loss of their whole grant include:

- the Eastgate Arts Centre, which runs free youth theatre for about 400 children a week;
- the Riverside Studio, a rehearsal and performance space used by small touring companies;
- the Playhouse Young Company, which takes shows into schools and care homes.

The largest venue, the Grand, would see its grant fall by £300,000. Its chief executive said it would survive, but would cut its education programme and some of its touring work.

## What happens next

The budget is out for consultation until the end of January, and the full council votes in February. A petition against the cuts had gathered about 9,000 signatures by this morning.

Opposition councillors have proposed smaller cuts funded from the council's reserves. The cabinet says reserves must be kept for emergencies. Several theatre directors said they would ask for a meeting with the council leader before Christmas, and for a phased reduction rather than an end to grants in a single year.

"Give us two years and we can find other money," Adeyemi said. "Give us four months and you are writing our obituary."
""",
)

ARTICLES = [PHONE_FILM, BOOKS_OF_THE_YEAR, THEATRE_CUTS]
