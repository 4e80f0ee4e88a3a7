"""Sport."""

# ruff: noqa: E501
# Each paragraph of a body is one line, as an editor's Markdown holds it: wrapped lines would
# reach the blocks as line breaks inside paragraphs.

from __future__ import annotations

from cms.demo.authors import MENSAH
from cms.demo.media import SHOOTOUT
from cms.demo.sections import SPORT
from cms.demo.spec import ArticleSpec, days_ago

CUP_SEMI_FINAL = ArticleSpec(
    slug="harbourside-reach-cup-final-after-shootout",
    title="Second-tier Harbourside reach the cup final after a shoot-out",
    standfirst="A 19-year-old goalkeeper saved two penalties as the club from the second division knocked out the league leaders and reached their first final in 61 years.",
    section=SPORT,
    authors=(MENSAH,),
    hero=SHOOTOUT,
    tags=("Football", "National Cup"),
    sources=(),
    published=days_ago(3, "22:05"),
    markdown="""\
Harbourside will play in the National Cup final for the first time in 61 years after their teenage goalkeeper, Jonah Mercer, saved two penalties in a shoot-out to knock out the league leaders, Kingsbridge Athletic, at a rain-soaked Riverside Park.

The match finished 1-1 after extra time. Mercer, 19, who was playing only his ninth senior game, dived low to his left to stop Kingsbridge's first kick, then stood his ground to block the fifth with his legs. Harbourside scored all four of theirs, the last by their captain, Danny Okoro, into the top corner.

"I just tried to stay big for as long as possible," Mercer said afterwards, still in his soaked kit. "The lads had done everything for 120 minutes. I only had to do my bit."

## How the game went

Kingsbridge, unbeaten in the league since August, controlled the first half and took the lead after 34 minutes, when their winger Luca Ferraro cut inside and curled a shot past Mercer from the edge of the area.

Harbourside, who sit ninth in the second division, had barely crossed halfway. But their manager, Sean Whitlock, switched to a back five at half-time and the game changed. Kingsbridge's passing slowed on the heavy pitch, and Harbourside began to win the second balls.

The equaliser came from a set piece, as underdogs' goals often do. A corner was half-cleared, Okoro headed it back into the box, and the centre-back Tom Ashby bundled it over the line from two yards with 11 minutes of normal time left.

> The lads had done everything for 120 minutes. I only had to do my bit.

## The shoot-out

- Kingsbridge 1st: saved by Mercer, low to his left.
- Harbourside scored their first four, all to the goalkeeper's right.
- Kingsbridge scored their 2nd, 3rd and 4th.
- Kingsbridge 5th: saved by Mercer, who stayed upright and blocked with his shins.

Whitlock said the club's goalkeeping coach had spent the week watching every penalty Kingsbridge had taken in the past three seasons. "He had a folder. Jonah had the folder in his head. That's the whole secret," he said.

## What it means for the club

Reaching the final is worth about £1.5m in prize money and television fees to Harbourside, more than a fifth of their annual turnover. The club came close to going out of business five years ago and is now part-owned by a supporters' trust.

"There are people in that stand who have waited their whole lives for this," Whitlock said. "Some of them paid to keep the club alive. This is theirs."

Kingsbridge's manager, Aleksander Nowak, was gracious in defeat. "They defended for their lives and their keeper was outstanding. You don't argue with that. We have a title to chase."

## The final

Harbourside will face the winners of tomorrow's second semi-final at the national stadium in May. Whoever they meet will start as favourites. That, as Kingsbridge found out, is not the same as winning.
""",
)

ARTICLES = [CUP_SEMI_FINAL]
