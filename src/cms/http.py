"""HTTP answers that the middleware and the GraphQL endpoint share."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.requests import HTTPConnection
from starlette.responses import Response

JSON = "application/json"


class BodyTooLarge(Exception):
    """The request body grew past its limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is larger than {limit} bytes")
        self.limit = limit


def refusal(status: int, message: str, code: str, headers: Mapping[str, str] | None = None) -> Response:
    """A request error as a GraphQL response body, never cached."""
    body = {"errors": [{"message": message, "extensions": {"code": str(code)}}]}
    return Response(orjson.dumps(body), status, {"Cache-Control": "no-store", **(headers or {})}, JSON)


def content_type(request: HTTPConnection) -> str:
    """The request's media type, lower-cased, without its parameters (charset, boundary)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()
