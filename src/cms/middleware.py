"""What every HTTP request passes through before the endpoint: an id, a body limit, one log line,
and CORS."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http import BodyTooLarge, refusal
from cms.metrics import Metrics
from cms.vocabulary import ErrorCode, RequestErrorCode

log = logging.getLogger("cms.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


class RequestContext:
    """Gives each request an id, caps its body size and logs one line when it ends.

    The body limit is checked on the declared Content-Length and again while the body streams
    in (a chunked body declares none); multipart uploads have a limit of their own. The log
    line names method, path, operation, status, duration and request id; never headers, so
    bearer tokens stay out of logs.
    """

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int, metrics: Metrics | None = None
    ) -> None:
        self.app, self.max_body_bytes, self.max_upload_bytes = app, max_body_bytes, max_upload_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        limit = self.max_upload_bytes if multipart else self.max_body_bytes
        started, status, response_started = time.perf_counter(), 500, False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        try:
            length = headers.get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                await self._too_large(limit, scope, receive, send_with_id)
                return
            try:
                await self.app(scope, capped_receive, send_with_id)
            except BodyTooLarge:
                if response_started:
                    raise
                await self._too_large(limit, scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            state = scope["state"]
            operation, cost = state.get("operation_name"), state.get("cost")
            log.info(
                "%s %s op=%s status=%s duration_ms=%.1f request_id=%s",
                scope["method"],
                scope["path"],
                operation or "-",
                status,
                seconds * 1000,
                request_id,
                # The fields of a JSON log line (logs.JsonFormatter).
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "operation": operation,
                        "role": state.get("role"),
                        "status": status,
                        "duration_ms": round(seconds * 1000, 1),
                        "cost": cost,
                        "request_id": request_id,
                    }
                },
            )
            if self.metrics is not None:
                self.metrics.observe_request(scope["path"], operation, status, seconds)
                if cost is not None:
                    self.metrics.cost.observe(cost)

    async def _too_large(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        response = refusal(413, f"the body is larger than {limit} bytes", RequestErrorCode.PAYLOAD_TOO_LARGE)
        await response(scope, receive, send)


class Cors(CORSMiddleware):
    """CORS for the origins configured (none by default), answering a refused preflight in the
    API's own form: a coded 403 that says what was refused, never a 405 listing methods."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]) -> None:
        super().__init__(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "Accept",
                "X-Request-ID",
                "Apollo-Require-Preflight",
                "X-Apollo-Operation-Name",
                "GraphQL-Require-Preflight",
            ],
            expose_headers=["X-Request-ID", "ETag"],
            max_age=600,
        )
        self.origins = origins

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            response.headers["Cache-Control"] = "no-store"
            return response
        what = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        if not self.origins:
            message = "cross-origin requests are not enabled: set CMS_CORS_ORIGINS to the frontends' origins"
        else:
            message = f"this cross-origin request is not allowed (refused: {what})"
        return refusal(403, message, ErrorCode.FORBIDDEN, {"Vary": "Origin"})
