"""A WebSocket client that talks ASGI to the app in this event loop, so a test's database
transaction and the app's share one connection (httpx speaks HTTP only)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any


class Closed(Exception):
    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"closed {code} {reason}")
        self.code, self.reason = code, reason


class WebSocket:
    def __init__(
        self,
        app: Any,
        path: str = "/graphql",
        *,
        subprotocols: Sequence[str] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        self.app, self.path, self.subprotocols = app, path, list(subprotocols)
        self.headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        self._to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.subprotocol: str | None = None

    async def __aenter__(self) -> WebSocket:
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"cms.test"), *self.headers],
            "client": ("127.0.0.1", 50000),
            "server": ("cms.test", 80),
            "subprotocols": self.subprotocols,
            "state": {},
        }
        self._task = asyncio.create_task(self.app(scope, self._to_app.get, self._from_app.put))
        await self._to_app.put({"type": "websocket.connect"})
        message = await self._next()
        if message["type"] == "websocket.close":
            raise Closed(message.get("code", 1000), message.get("reason", ""))
        assert message["type"] == "websocket.accept", message
        self.subprotocol = message.get("subprotocol")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._to_app.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self._task, 5)

    async def _next(self) -> dict[str, Any]:
        getter = asyncio.ensure_future(self._from_app.get())
        done, _ = await asyncio.wait({getter, self._task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        if self._task in done:
            self._task.result()  # raises what the app raised
            raise Closed(1006, "the app returned")
        raise TimeoutError("no message from the app within 5 s")

    async def send_json(self, message: dict[str, Any]) -> None:
        await self._to_app.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def receive_json(self) -> dict[str, Any]:
        message = await self._next()
        if message["type"] == "websocket.close":
            raise Closed(message.get("code", 1000), message.get("reason", ""))
        assert message["type"] == "websocket.send", message
        assert message.get("text") is not None, "graphql-transport-ws sends text frames"
        result: dict[str, Any] = json.loads(message["text"])
        return result


async def connect(ws: WebSocket, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """graphql-transport-ws `connection_init`; returns the server's answer (an ack)."""
    await ws.send_json({"type": "connection_init", "payload": payload or {}})
    return await ws.receive_json()


async def operation(
    ws: WebSocket, id: str, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run one operation; returns the messages up to its `complete` or `error`."""
    await ws.send_json({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})
    messages = []
    while True:
        message = await ws.receive_json()
        messages.append(message)
        if message["type"] in {"complete", "error"}:
            return messages
