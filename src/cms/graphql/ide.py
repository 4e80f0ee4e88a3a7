"""The GraphiQL page served at /graphql in developer mode: Strawberry's, opened on a newsroom query."""

from __future__ import annotations

import re
from functools import cache

from strawberry.http.ides import get_graphql_ide_html

EXAMPLE = """# The Newsroom CMS. Press the play button (or Ctrl-Enter) to run this query;
# the Docs panel on the left lists every type and field.
#
# Reading is open. To write, add a header below (Headers tab):
#   {"Authorization": "Bearer <token from the login mutation or cms create-token>"}

query Homepage {
  articles(first: 5) {
    edges {
      node {
        title
        slug
        standfirst
        publishedAt
        authors { name }
        heroImage { url alt credit }
        section { name slug }
        tags { name slug }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
  trendingList(slug: "trending-now") {
    title
    entries { rank pinned article { title slug } }
  }
}
"""

_EXAMPLE_QUERY = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)


@cache
def graphiql_html() -> str:
    html = get_graphql_ide_html("graphiql")
    html = html.replace("<title>Strawberry GraphiQL</title>", "<title>Newsroom CMS · GraphiQL</title>")
    example = EXAMPLE.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return _EXAMPLE_QUERY.sub(lambda _: f"const EXAMPLE_QUERY = `{example}`;", html, count=1)
