"""Business: markets, work and the companies behind them."""

# ruff: noqa: E501
# Each paragraph of a body is one line, as an editor's Markdown holds it: wrapped lines would
# reach the blocks as line breaks inside paragraphs.

from __future__ import annotations

from cms.demo.authors import LINDQVIST, OKAFOR
from cms.demo.media import BAKERY, HARBOUR, TRADING_FLOOR
from cms.demo.sections import BUSINESS
from cms.demo.sources import AP, REUTERS
from cms.demo.spec import ArticleSpec, Source, days_ago

PORT_STRIKE = ArticleSpec(
    slug="port-workers-vote-to-strike-over-automation",
    title="Port workers vote to strike over automation",
    standfirst="Dockers at three of Europe's busiest ports back a 48-hour walkout, the first coordinated action across the three in two decades.",
    section=BUSINESS,
    authors=(OKAFOR, LINDQVIST),
    hero=HARBOUR,
    tags=("Labour", "Shipping", "Automation"),
    sources=(AP, REUTERS),
    published=days_ago(1, "17:48"),
    markdown="""\
ROTTERDAM — Dock workers at Rotterdam, Antwerp and Hamburg have voted to stage a 48-hour strike over plans to automate more of the work of loading and unloading ships, in the first coordinated action across the three ports in two decades.

Unions said 87% of members who voted backed the walkout, on a turnout of just over 70%. No date has been set, but under Dutch rules the unions must give at least a week's notice, and officials said they would use that time to seek talks.

"Nobody here is against machines. We are against being told about them after the contracts are signed," said Ruud Verhoeven, who leads the dockers' section of the largest Dutch union.

## What the dispute is about

The port operators plan to add automated cranes and driverless vehicles at six terminals over the next five years. They say the investment is needed to keep European ports competitive with the largest hubs in Asia and the Gulf, where automated terminals handle ships faster and around the clock.

The unions want three things before the work begins:

- a guarantee that no permanent jobs will be cut before 2030;
- retraining, paid for by the operators, for workers whose jobs change;
- a say in how the remote-control rooms that replace cabs on the quay are staffed.

Operators have offered the retraining and a shorter guarantee, to 2028. They have rejected a formal role for unions in staffing decisions.

> Nobody here is against machines. We are against being told about them after the contracts are signed.

## What a strike would mean

The three ports together handle more than a third of the containers that arrive in the European Union by sea. Even a short stoppage creates a queue of ships that takes days to clear, and carriers typically divert vessels to other ports, which then become congested themselves.

Freight forwarders said retailers were already moving stock earlier ahead of the winter holidays, and that a strike in the next few weeks would fall at the worst possible time. Shipping lines warned that they could add congestion surcharges if vessels were delayed.

## The operators' case

The employers' association said automation had not cost jobs at the terminals that had already adopted it, and that the number of dockers at Rotterdam had risen over the past decade even as some terminals went fully automated. "The work changes. It does not disappear," a spokeswoman said.

Unions dispute that reading, pointing out that much of the growth has come in temporary and agency work rather than in the permanent jobs their members hold.

## What happens next

Both sides said they were willing to meet. The Dutch government has offered a mediator, and union leaders in Antwerp and Hamburg said they would follow the Rotterdam negotiators' lead. If talks fail, the first strike could begin within a fortnight.
""",
)

MARKETS_RALLY = ArticleSpec(
    slug="markets-rally-as-inflation-cools",
    title="Markets rally as inflation cools faster than expected",
    standfirst="Shares rose across Europe and bond yields fell after prices grew at their slowest pace in three years, raising bets on an early rate cut.",
    section=BUSINESS,
    authors=(OKAFOR,),
    hero=TRADING_FLOOR,
    tags=("Markets", "Inflation", "Interest Rates"),
    sources=(REUTERS, Source("Eurostat", "https://ec.europa.eu/eurostat")),
    published=days_ago(2, "16:42"),
    markdown="""\
European shares closed at their highest level in eight months after figures showed inflation in the euro area slowing faster than economists had forecast, strengthening the case for the central bank to cut interest rates early next year.

Annual inflation fell to 1.9% in October from 2.3% the month before, according to the official statistics agency. Economists polled ahead of the release had expected 2.1%. It is the first time in more than two years that inflation has been below the central bank's target of 2%.

## How markets reacted

- The broad index of European shares rose 1.6%, led by housebuilders and retailers.
- The yield on ten-year German government bonds fell to its lowest level since the summer.
- The euro slipped against the dollar as traders priced in lower rates.

Housebuilders gained most because their customers borrow to buy, and lower rates bring mortgage costs down. Banks lagged the market, as they tend to when rates are expected to fall, because the margin between what they pay savers and charge borrowers narrows.

## What drove the fall

Most of the slowdown came from energy, where prices were lower than a year earlier, and from goods such as cars, clothes and furniture. Services inflation, which the central bank watches closely because it reflects wages, eased only slightly.

That is the part of the figures that gave economists pause. "Energy did the heavy lifting. Services are still running at a pace the central bank will not be comfortable with," said Hélène Marchetti, chief economist at a Paris asset manager.

> Energy did the heavy lifting. Services are still running at a pace the central bank will not be comfortable with.

## What it means for rates

The central bank's governing council meets in six weeks. Before the figures, futures markets put the chance of a cut at that meeting at about one in three. By the close, traders saw it as more likely than not.

Officials have been careful not to commit. In a speech last week one member of the executive board said the bank would "look through" a single month's data, and that wage settlements due in the new year mattered more.

## For households

For borrowers, lower inflation does not mean lower prices, only prices rising more slowly. But it does make cheaper mortgages more likely. Several lenders cut their fixed rates within hours of the release, anticipating lower funding costs.

Savers, who have enjoyed the best returns in more than a decade, are likely to see rates on easy-access accounts drift down over the coming months.
""",
)

# A reporter's draft, not yet filed: it stays a draft.
ENERGY_BILLS = ArticleSpec(
    slug="draft-energy-prices-explainer",
    title="Explainer: why your energy bill is still high",
    standfirst="Wholesale gas and power prices fell more than a year ago. Household bills have barely moved. Here is where the money goes.",
    section=BUSINESS,
    authors=(OKAFOR,),
    hero=None,
    tags=("Energy", "Household Bills", "Explainer"),
    sources=(),
    published=None,
    markdown="""\
If you have looked at the wholesale price of gas lately, you might expect your energy bill to have fallen a long way. It has fallen, but by far less. The gap has several causes, and only some of them will fade.

## What a bill is made of

A typical household bill has five parts:

1. **Wholesale energy**, the gas and electricity your supplier buys. This is the part that has fallen.
2. **Network charges**, which pay for the pipes, pylons and cables that bring energy to your door.
3. **Policy costs**, such as support for renewable power and for households on low incomes.
4. **Operating costs and profit** for the supplier.
5. **Taxes**, including VAT on the total.

Only the first part tracks the market closely. The others have risen, and some are rising still.

## Hedging: paying last year's prices

Suppliers do not buy energy on the day you use it. To protect themselves and their customers from sudden spikes, they buy much of it months or even years ahead, a practice called hedging.

That worked in customers' favour when prices shot up, because suppliers had bought earlier at lower prices. It works the other way now: part of what you pay this winter reflects energy bought when prices were much higher.

> Part of what you pay this winter reflects energy bought when prices were much higher.

## The network is getting more expensive

Grid operators are spending heavily to connect wind and solar farms and to reinforce local networks for heat pumps and electric cars. Those costs are recovered through bills over decades, and regulators have approved large increases in what operators may charge.

The regulator estimates that network charges will make up about a quarter of a typical bill by the end of the decade, up from under a fifth today. [TK: check figure with the regulator's press office.]

## Debts that customers never paid

During the price spike many households fell behind. Suppliers are allowed to spread the cost of debts that will never be repaid across all customers, which adds a small but noticeable amount to every bill.

## Will bills fall further?

Probably, but slowly. As expensive hedges run off, the wholesale part of bills should fall over the next year. Network charges will keep climbing. The price cap, which limits what suppliers can charge per unit, is reviewed every three months, and the next review is due in the new year.

[TK: box on what households can do: fixed tariffs, meter readings, hardship funds.]
""",
)

FOUR_DAY_WEEK = ArticleSpec(
    slug="bakery-chain-four-day-week",
    title="The bakery that gave its staff a four-day week, and kept the bread coming",
    standfirst="A family-owned chain of 14 bakeries moved to four longer days a year ago. Sick days fell, hiring got easier, and the ovens never went cold.",
    section=BUSINESS,
    authors=(OKAFOR,),
    hero=BAKERY,
    tags=("Work", "Four-Day Week", "Small Business"),
    sources=(),
    published=days_ago(6, "07:00"),
    markdown="""\
At 3am the bakery on the edge of Zwolle is already warm. Two bakers are shaping sourdough, a third is loading trays of rolls into the deck oven, and a radio plays quietly over the hum of the proving cabinet. None of them will be back tomorrow.

A year ago Hovenier Bakkerij, a family-owned chain of 14 shops in the eastern Netherlands, moved its 160 staff to a four-day week. Bakers work four shifts of nine and a half hours instead of five of eight. Shop staff work four days on a rota. Pay stayed the same.

"We did not do it to be modern. We did it because we could not find bakers," said Marloes Hovenier, who runs the business her grandfather founded.

## The problem it was meant to solve

Baking is hard to staff. The hours are antisocial, the work is physical and pay is modest. Two years ago the chain had seven vacancies for bakers and was paying agency staff to fill shifts, at nearly twice the cost of its own employees.

Ms Hovenier had read about four-day trials in offices and doubted they would translate to a bakery, where bread has to be made every day whoever is on shift. What persuaded her, she said, was the arithmetic of rotas rather than any study of productivity.

## How it works

The bakeries still open six days a week. The change is in the rota:

- each baker works four fixed nights, so every night has a full team;
- one extra baker per site covers the gaps, paid for by the money saved on agency staff;
- shop staff choose their day off a month ahead, with priority rotating fairly.

The first months were difficult. Longer shifts were tiring, and two bakers left because they preferred shorter days. Ms Hovenier adjusted the rota so that nobody worked more than two long nights in a row.

> We did not do it to be modern. We did it because we could not find bakers.

## What changed

A year on, the figures the company shared are striking, though they cover a single business and a single year:

- sick days fell by about a third;
- every bakery vacancy has been filled, most through staff recommending friends;
- spending on agency workers fell from about €180,000 a year to almost nothing;
- output per baker-hour was unchanged.

"I sleep properly for three nights a week now. That is the difference," said Joost Hendriks, a baker who has worked for the company for 11 years. "You come back and you are not already tired."

## The limits

Labour economists caution against reading too much into one company. Businesses that adopt a four-day week tend to be those most likely to benefit, and a year is a short time. Longer shifts may suit some jobs and wear people down in others.

Ms Hovenier agreed that it would not suit every business. But she has no plans to go back. "The bread is the same," she said. "The people making it are happier. I do not see the argument for changing that."
""",
)

ARTICLES = [PORT_STRIKE, MARKETS_RALLY, ENERGY_BILLS, FOUR_DAY_WEEK]
