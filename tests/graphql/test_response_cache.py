"""The response cache keeps anonymous answers only while it can trust them: listening for
changes, at the generation they were computed in, and not past the next scheduled instant."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from cms.graphql.response_cache import ResponseCache


def ready(cache: ResponseCache, next_change: datetime | None = None) -> ResponseCache:
    cache.listen(True)
    cache.next_change(next_change, cache.generation)
    return cache


def keep(cache: ResponseCache, key: str = "k", body: bytes = b"{}") -> None:
    cache.put(key, body, '"e"', "cms", generation=cache.generation)


def test_nothing_is_kept_while_not_listening():
    cache = ResponseCache()
    keep(cache)
    assert cache.get("k") is None
    assert not cache.active


def test_nothing_is_kept_until_the_next_scheduled_instant_is_known():
    cache = ResponseCache()
    cache.listen(True)
    keep(cache)
    assert cache.get("k") is None

    cache.next_change(None, cache.generation)
    keep(cache)
    assert cache.get("k") is not None
    assert (cache.hits, len(cache)) == (1, 1)


def test_a_change_drops_everything_and_holds_until_the_instant_is_known_again():
    stale: list[int] = []
    cache = ready(ResponseCache())
    cache.on_stale = lambda: stale.append(cache.generation)
    keep(cache)

    cache.invalidate()

    assert stale == [cache.generation]
    assert cache.get("k") is None
    keep(cache)
    assert len(cache) == 0


def test_an_answer_computed_across_a_change_is_not_kept():
    cache = ready(ResponseCache())
    computed_at = cache.generation
    cache.invalidate()
    cache.next_change(None, cache.generation)

    cache.put("k", b"{}", '"e"', "cms", generation=computed_at)

    assert cache.get("k") is None


def test_an_instant_read_before_a_change_is_not_taken():
    cache = ResponseCache()
    cache.listen(True)
    read_at = cache.generation
    cache.invalidate()

    cache.next_change(None, read_at)

    keep(cache)
    assert cache.get("k") is None


def test_nothing_outlives_the_next_scheduled_instant():
    cache = ready(ResponseCache(), datetime.now(UTC) + timedelta(seconds=0.2))
    keep(cache)
    assert cache.get("k") is not None

    time.sleep(0.25)

    assert cache.get("k") is None
    keep(cache)
    assert len(cache) == 0  # held again until the next instant is read


def test_losing_the_listener_drops_everything():
    cache = ready(ResponseCache())
    keep(cache)

    cache.listen(False)

    assert cache.get("k") is None
    assert len(cache) == 0


def test_size_bounds_drop_the_least_recently_used():
    cache = ready(ResponseCache(max_entries=2))
    for key in ("a", "b"):
        keep(cache, key)
    cache.get("a")
    keep(cache, "c")

    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None


def test_bytes_bound():
    cache = ready(ResponseCache(max_bytes=1600))
    for key in "abcdefghij":
        keep(cache, key, b"x" * 100)
    assert len(cache) <= 16
    keep(cache, "big", b"x" * 101)  # larger than a sixteenth of the bound: never kept
    assert cache.get("big") is None
