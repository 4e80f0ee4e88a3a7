"""/views: a page counts a read with `navigator.sendBeacon("/views", articleId)`.

A beacon is a CORS-simple POST (text/plain), so a frontend on another origin sends it without a
preflight; its answer is never read. The body is the article's global ID, or JSON
`{"id": "<global ID>"}`. A well-formed request is answered 204 whether or not the read counts
(a draft, an unknown or archived article, a bot, a reload): nothing tells what exists.
"""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from cms.graphql.ids import BadId, decode_id
from cms.http import refusal
from cms.services.views import ViewRecorder
from cms.vocabulary import RequestErrorCode

MAX_BODY = 1024


class Beacon:
    """The endpoint; `views` is set when the app has its sessionmaker."""

    views: ViewRecorder | None = None

    async def endpoint(self, request: Request) -> Response:
        assert self.views is not None, "the app is not started: run it with its lifespan"
        body = await request.body()
        article_id = _article_id(body) if len(body) <= MAX_BODY else None
        if article_id is None:
            return refusal(
                400,
                'send the article\'s ID as the body, or as JSON {"id": "..."}',
                RequestErrorCode.BAD_REQUEST,
            )
        client = request.client.host if request.client else None
        self.views.record(article_id, client, request.headers.get("user-agent"))
        return Response(status_code=204, headers={"Cache-Control": "no-store"})


def _article_id(body: bytes) -> int | None:
    text = body.strip()
    if text.startswith(b"{"):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        value = data.get("id") if isinstance(data, dict) else None
    else:
        value = text.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    try:
        return decode_id(value, "Article")
    except BadId:
        return None
