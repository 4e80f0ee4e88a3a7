"""World: reports from the correspondents, each opening with its dateline."""

# ruff: noqa: E501
# Each paragraph of a body is one line, as an editor's Markdown holds it: wrapped lines would
# reach the blocks as line breaks inside paragraphs.

from __future__ import annotations

from cms.demo.authors import HADDAD, LINDQVIST, WEKESA
from cms.demo.media import MINISTERS, RAILWAY, TANKER, TURBINES
from cms.demo.sections import WORLD
from cms.demo.sources import AFP, AP, REUTERS
from cms.demo.spec import ArticleSpec, ago, days_ago

GRID_DEAL = ArticleSpec(
    slug="eu-agrees-grid-deal-after-all-night-talks",
    title="EU agrees €40bn grid deal after all-night talks",
    standfirst="Ministers back a shared fund to link national power grids, ending a two-year stand-off between the bloc's big producers and the countries at its edges.",
    section=WORLD,
    authors=(LINDQVIST,),
    hero=MINISTERS,
    tags=("European Union", "Energy", "Baltic States"),
    sources=(REUTERS, AFP),
    published=ago(hours=3, minutes=25),
    markdown="""\
BRUSSELS — European Union energy ministers agreed early this morning to create a €40bn fund for cross-border power lines, ending a two-year stand-off over who should pay to connect the bloc's patchwork of national grids.

The deal, reached after talks that ran through the night at the Council's headquarters, is the largest joint investment in electricity networks the union has attempted. It still needs the approval of the European Parliament, where a vote is expected in the spring.

"We have moved from arguing about cables to building them," said Katrin Aavik, Estonia's energy minister, who chaired the final session. "That is not nothing, after two winters like the ones we have had."

## What the deal does

The fund will be paid for partly from the EU budget and partly by a levy on the busiest interconnectors, which earn their owners money whenever power flows between price zones. Under the text seen by this newspaper, it will:

- link the Baltic grids to the Nordic market with two new undersea cables by 2030;
- pay for battery and pumped-hydro storage in member states without access to the sea;
- set a shared emergency price cap that any three governments can trigger together;
- require national grid operators to publish their spare capacity every hour.

Officials said the last point, which drew little attention during the talks, may matter most. Traders and smaller producers have long complained that they cannot see where the network has room, so projects are planned blind.

## Who gave ground

The breakthrough came shortly after 4am, when France and the Netherlands dropped their demand that the fund be capped at €25bn. In exchange, the levy on interconnectors will be phased in over five years rather than three, and countries that already export large amounts of power may count some existing projects against their share.

Poland, which had threatened to block the deal over the emergency price cap, secured a review clause after three years. One Polish diplomat described the result as "a cap with a handbrake".

> We have moved from arguing about cables to building them.

Spain and Portugal, whose solar farms often produce more than the Iberian grid can carry, won a commitment to study a third high-voltage link across the Pyrenees. Madrid had wanted a firm pledge; Lisbon's minister called the study "the first step on a road we have been told does not exist".

## Why it matters now

The union's grids were built for national markets dominated by large coal, gas and nuclear plants. Wind and solar farms are spread out, vary by the hour and are often far from the cities that need their power. On windy days, turbines in the North Sea are regularly switched off because the cables that would carry their output south are full.

A study commissioned by the European Commission last year estimated that better connections could save consumers between €8bn and €13bn a year by the end of the decade, mostly by letting cheap power reach places where it is scarce.

## What happens next

The Parliament's industry committee will take up the text in January. Its chair welcomed the fund but warned that MEPs would want tougher rules on how projects are chosen. "Forty billion euros is a lot of money to hand to the people who built the bottlenecks," she said.

If the Parliament agrees, the first calls for projects could open by the end of next year. Grid operators say the Baltic cables are already designed and could be put out to tender within months.
""",
)

RAILWAY_DEAL = ArticleSpec(
    slug="east-african-states-agree-to-finish-freight-railway",
    title="East African states agree to finish stalled freight railway",
    standfirst="Kenya, Uganda and Rwanda sign a $4.2bn financing deal for the last 600km of the Great Lakes line, years after work stopped short of the border.",
    section=WORLD,
    authors=(WEKESA,),
    hero=RAILWAY,
    tags=("East Africa", "Railways", "Trade"),
    sources=(AFP, AP),
    published=days_ago(2, "09:15"),
    markdown="""\
NAIROBI — Kenya, Uganda and Rwanda have agreed to finance the final 600km of a cross-border freight railway, reviving a project that stalled short of the Ugandan border when its money ran out.

The agreement, signed in Nairobi by the three countries' transport ministers, sets up a joint borrowing vehicle that will raise up to $4.2bn from development banks and bond markets. Each government will guarantee a share of the debt in proportion to the length of track on its territory.

"This time the money comes before the tracks, not after," said Grace Mwangi, Kenya's transport secretary, at the signing.

## A line that stopped short

The first section of the Great Lakes line, running inland from the port of Mombasa, opened in stages over the past decade. It cut the time needed to move a container from the coast to the interior from days to hours. But construction halted after the original lenders declined to fund the rest, leaving freight to be moved from trains to lorries for the final leg.

Hauliers say that switch adds two to three days, and about a fifth to the cost, of moving a container to Kampala. For landlocked Rwanda, goods then travel another 500km by road, much of it over mountain passes.

## How the deal works

Under the agreement:

- a regional company owned by the three governments will build and run the line;
- construction will be split into four contracts, tendered separately, to widen the field of bidders;
- freight tariffs will be set by a joint regulator rather than by each government;
- the first trains are due to reach Kampala within five years, and Kigali within eight.

Officials said splitting the contracts was meant to avoid the dependence on a single lender and builder that left the first phase exposed when its financing dried up.

> This time the money comes before the tracks, not after.

## Doubts over the debt

Economists in Nairobi welcomed the deal but warned about its cost. Kenya already spends a large share of its tax revenue on interest, and the guarantees will add to what it owes if the project falters.

"The railway makes sense. The question is whether the traffic will come fast enough to pay for it," said Peter Odhiambo, director of the Institute for Regional Trade, a Nairobi research group. He pointed to the first section, which has carried less freight than forecast, partly because importers were slow to move from road to rail.

Ugandan officials argue the extension will change that, because the line will at last run to where the cargo is going. Rwanda's infrastructure minister said a connected railway would lower the price of fuel and building materials in Kigali "within the life of this government".

## What comes next

Tenders for the first contract, from the current railhead to the Ugandan border, are expected to open in the first half of next year. The three parliaments must still ratify the agreement; Kenya's Senate has scheduled a debate for February.
""",
)

ARCTIC_TALKS = ArticleSpec(
    slug="arctic-shipping-talks-end-without-heavy-fuel-deal",
    title="Arctic shipping talks end without deal on heavy fuel ban",
    standfirst="Delegates failed to agree when ships must stop burning the dirtiest fuel in polar waters, leaving a deadline already full of exemptions in doubt.",
    section=WORLD,
    authors=(HADDAD, LINDQVIST),
    hero=TANKER,
    tags=("Arctic", "Shipping", "Climate"),
    sources=(REUTERS, AP),
    published=days_ago(3, "20:30"),
    markdown="""\
TROMSØ — Talks on banning the dirtiest marine fuel from Arctic waters ended without agreement this evening, after a group of shipping nations refused to bring forward a deadline that campaigners say is riddled with loopholes.

The week-long meeting of the Arctic Shipping Forum, which brings together the eight Arctic states and the largest flag states, had been expected to close the gaps in a ban on heavy fuel oil agreed four years ago. Instead delegates issued a two-paragraph statement promising to "continue work".

"We came here to close loopholes, and we are leaving with the same list we arrived with," said Ingrid Sæther, who led Norway's delegation.

## Why heavy fuel oil matters

Heavy fuel oil is the thick residue left after lighter fuels are refined from crude. It is cheap, which is why most of the world's merchant fleet burns it. In the Arctic it carries two particular risks:

1. **Spills.** In cold water it barely evaporates or breaks down, and sea ice makes a clean-up close to impossible.
2. **Black carbon.** Its soot settles on snow and ice, darkening them so they absorb more sunlight and melt faster.

Traffic in Arctic waters has roughly tripled in a decade as the ice retreats, most of it fishing vessels, tankers and bulk carriers serving mines and gas fields along the Russian and Norwegian coasts.

## The exemptions

The existing ban takes effect in stages, but ships with protected fuel tanks may keep using heavy fuel for several more years, and coastal states may exempt vessels flying their own flags. Campaigners estimate that three in four of the ships that burn heavy fuel in the Arctic today would still be allowed to do so after the first deadline.

> We came here to close loopholes, and we are leaving with the same list we arrived with.

A proposal from the Nordic states would have ended the flag exemption early and required ships to carry cleaner distillate fuel for any voyage north of the 60th parallel. It was opposed by a bloc of flag states, which argued that cleaner fuel was scarce in northern ports and that a faster ban would raise costs for remote communities that depend on shipped supplies.

## Reactions

Shipowners' groups said they supported the ban in principle but needed time. "Nobody wants a spill up here. But you cannot refuel a fleet with a fuel that is not on sale," said one industry delegate, who asked not to be named because the talks were private.

The Clean Arctic Coalition, an alliance of environmental groups, called the outcome "a week of ice melting while the clocks ran down". Indigenous organisations, which have observer status, said they had not been given time to speak in the final session.

## What next

The forum's chair said informal talks would continue and that the question would return at the next full session in a year's time. Until then the original timetable stands, exemptions included.
""",
)

# Filed, and waiting in the Europe desk's review queue.
GRID_ANALYSIS = ArticleSpec(
    slug="analysis-brussels-learns-to-build",
    title="Analysis: Brussels is learning to build, not just to regulate",
    standfirst="The grid fund is small next to the problem. What it changes is who decides where the cables go.",
    section=WORLD,
    authors=(LINDQVIST,),
    hero=TURBINES,
    tags=("European Union", "Energy", "Analysis"),
    sources=(),
    published=None,
    in_review=True,
    markdown="""\
BRUSSELS — For most of its history the European Union has been a rule-maker rather than a builder. It sets standards for plugs and phone chargers, caps on roaming charges and limits on car exhaust. Roads, railways and power lines have been left to national governments, with Brussels adding money at the margins.

The grid fund agreed this week is a modest break with that habit. Forty billion euros will not rewire a continent: grid operators say the real bill for the decade is at least ten times that. But for the first time a shared pot will pay for shared infrastructure, chosen at least in part by a shared process.

## Why now

Three things changed. The first was the price shock of recent winters, which showed that a country with spare power and a neighbour without it could not always trade across a border, because the cables were not there.

The second was the growth of wind and solar. A gas plant can be built near a city. A wind farm goes where the wind is, which is often at sea or on a remote ridge, and its output has to travel.

The third was money. Governments that spent heavily during the pandemic and the energy crisis are short of it, and a joint fund lets the smaller ones borrow on better terms than they could alone.

> For the first time a shared pot will pay for shared infrastructure.

## What it does not do

The fund leaves untouched the slowest part of building a power line: permission. Projects routinely spend longer in planning and in court than in construction. A cable between two member states needs consent in both, under two sets of rules, and can be stopped by objections in either.

Nor does it settle who pays when a line mostly benefits one side of a border. The compromise reached overnight, a levy on the busiest interconnectors, spreads the cost, but officials admit the formula was written to end an argument rather than to be fair.

## The bigger change

What officials in Brussels talk about privately is less the money than the precedent. If the fund works, with projects chosen quickly and built roughly on time, it becomes the model for the next things that cross borders: hydrogen pipelines, charging networks for lorries, perhaps railways.

If it fails, the member states that resisted it will say they were right all along. [TK: reaction from the Parliament rapporteur, expected tomorrow.]

## What to watch

- whether the Parliament adds rules on how projects are chosen;
- how quickly the first Baltic cable goes to tender;
- whether any government triggers the shared price cap this winter.
""",
)

ARTICLES = [GRID_DEAL, RAILWAY_DEAL, ARCTIC_TALKS, GRID_ANALYSIS]
