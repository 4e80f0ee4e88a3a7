"""Large operations take turns on the event loop, so that they cannot starve the others.

Every request of a process shares one event loop, and asyncio runs every callback that is ready
before it polls its sockets again. An operation of ten thousand objects starts thousands of
resolver tasks at once (one per async field), and one batch of loads wakes hundreds of them:
left alone, a signed-in read at the top of its cost budget held the loop for a tenth of a
second and more at a time, `/healthz` included.

So an operation estimated to cost `HEAVY` or more looks at the clock where its work already
changes hands: before each async resolver starts, after each load of a DataLoader, and between
the items of a list. Once the loop's current stretch of work (`SLICE` of CPU time) is spent, the
work waits in line (`Turns.wait`) and the loop polls its sockets. A callback releases the line
in order, as many at a time as the last release shows fit in one stretch. A DataLoader's batch
goes out behind the work waiting in line (`behind_waiting_work`), so that taking turns does not
split it. The answer is the same; only the order of work changes.

Smaller operations, most of them, never wait: a wait costs a few microseconds, which hundreds of
them per request would add up to, and their stretches are short anyway.
"""

from __future__ import annotations

import asyncio
import inspect
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql import GraphQLOutputType, GraphQLResolveInfo

T = TypeVar("T")

# The estimated cost from which an operation takes turns: a homepage costs about 1,500.
HEAVY = 2_000
# How long the loop works through operations before it polls its sockets again. An idle
# iteration of the loop is tens of microseconds: a few stretches answer a waiting request.
SLICE = 0.002
_MAX_BATCH = 4096
_SETTLING = 16
# The thread's CPU time, not the wall clock: time spent waiting for the database is no work, and
# must not make the next piece of work wait in line for nothing.
_clock = time.thread_time


class Turns:
    """The line of work waiting for one event loop."""

    __slots__ = ("_batch", "_released", "_released_at", "_releasing", "_waiting", "ends", "waited")

    def __init__(self) -> None:
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._batch = 16  # how many waiting pieces of work fit in one stretch, as last measured
        self._releasing = False
        self._released, self._released_at = 0, 0.0
        self.ends = 0.0  # when the current stretch is spent, by the clock
        self.waited = 0  # how many times work waited in line

    def spent(self) -> bool:
        return _clock() > self.ends

    def busy(self) -> bool:
        return bool(self._waiting)

    async def wait(self) -> None:
        """Wait in line for the next stretch."""
        loop = asyncio.get_running_loop()
        ticket = loop.create_future()
        self._waiting.append(ticket)
        self.waited += 1
        if not self._releasing:
            self._releasing, self._released = True, 0
            loop.call_soon(self._release, loop)
        await ticket

    def _release(self, loop: asyncio.AbstractEventLoop) -> None:
        now = _clock()
        if self._released:
            # What was released last ran since, ahead of this callback: its cost per piece says
            # how many fit in a stretch (growing at most twofold, in case the next are larger).
            took = max(now - self._released_at, 1e-6)
            fits = int(self._released * SLICE / took)
            self._batch = max(1, min(fits, 2 * self._released, _MAX_BATCH))
        self.ends = now + SLICE
        released = 0
        while self._waiting and released < self._batch:
            ticket = self._waiting.popleft()
            if not ticket.done():  # a cancelled operation leaves its ticket behind
                ticket.set_result(None)
                released += 1
        self._released, self._released_at = released, now
        if self._waiting:
            loop.call_soon(self._release, loop)
        else:
            self._releasing = False


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Turns] = weakref.WeakKeyDictionary()


def loop_line() -> Turns | None:
    """The running loop's line, or None outside a loop (synchronous execution never waits)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    found = _turns.get(loop)
    if found is None:
        found = _turns[loop] = Turns()
    return found


# The line of the operation running in this task and the tasks it starts, None when it is small.
_taking: ContextVar[Turns | None] = ContextVar("cms_turns", default=None)


def estimated(cost: int) -> None:
    """Called once an operation's cost is estimated, before it runs: does it take turns?"""
    _taking.set(loop_line() if cost >= HEAVY else None)


async def give_way() -> None:
    """Wait for a turn if the operation takes turns and the loop's current stretch is spent."""
    line = _taking.get()
    if line is not None and line.spent():
        await line.wait()


async def behind_waiting_work() -> None:
    """Wait, if the operation takes turns, until no work waits in line and none has just left it:
    a DataLoader's batch goes out once every resolver that may still ask for keys has asked.

    A DataLoader sends its batch two turns of the loop after the first key, which is when the
    resolvers of a result completed in one go have all started (each level of a result gathers its
    fields into new tasks). Work released from the line starts its resolvers as late after its
    release; so the batch waits behind the line until the line stays empty that long. Under
    a line that never empties, it goes after `_SETTLING` turns in line.
    """
    line = _taking.get()
    if line is None:
        return
    for _ in range(_SETTLING):
        if line.busy():
            await line.wait()
            continue
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        if not line.busy():
            return


class TakingTurns(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution, giving way where the loop's stretch is spent (large operations)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.turns = _taking.get()

    async def with_abort_signal(self, awaitable: Awaitable[T]) -> T:
        # Every async resolver is awaited here, and its first step runs here: the thousands a
        # large operation starts at once take turns to start.
        line = self.turns
        if line is not None and line.spent():
            try:
                await line.wait()
            except BaseException:  # cancelled in line (a sibling failed, the time budget): never run
                if inspect.iscoroutine(awaitable):
                    awaitable.close()
                raise
        return await (awaitable if self.abort_signal is None else super().with_abort_signal(awaitable))

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        # graphql-core's own loop, stopping where the stretch is spent and going on in turn.
        line = self.turns
        if line is None or self.get_stream_usage(field_details_list, path) is not None:
            return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)
        listed = items if isinstance(items, list) else list(items)
        completed: list[Any] = []
        pending: list[int] = []  # the indices of items that completed to an awaitable

        def complete_from(start: int) -> int:
            """Complete items from `start` until the list or the stretch ends; the next index."""
            for index in range(start, len(listed)):
                item, item_path = listed[index], path.add_key(index, None)
                if self.is_awaitable(item):
                    completed.append(
                        self.complete_awaitable_list_item_value(
                            item, item_type, field_details_list, info, item_path, position_context
                        )
                    )
                    pending.append(index)
                elif self.complete_list_item_value(
                    item, completed, item_type, field_details_list, info, item_path, position_context
                ):
                    pending.append(index)
                if line.spent():
                    return index + 1
            return len(listed)

        def drop_pending(error: BaseException) -> None:
            begun = [completed[i] for i in pending]
            if isinstance(error, Exception):  # a non-null item failed: settled as graphql-core does
                self.settle_in_background(begun)
            else:  # cancelled (the time budget): never run
                for awaitable in begun:
                    if inspect.iscoroutine(awaitable):
                        awaitable.close()

        try:
            following = complete_from(0)
        except BaseException as exc:
            drop_pending(exc)
            raise
        if following == len(listed) and not pending:
            return completed

        async def the_rest(following: int) -> list[Any]:
            try:
                while following < len(listed):
                    await line.wait()
                    following = complete_from(following)
            except BaseException as exc:
                drop_pending(exc)
                raise
            if pending:
                results = await gather_with_cancel(*(completed[i] for i in pending))
                for index, result in zip(pending, results, strict=True):
                    completed[index] = result
            return completed

        return the_rest(following)
