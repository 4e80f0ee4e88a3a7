"""Image work off the event loop: decoding and encoding take up to seconds on a large photo.

Pillow releases the GIL while it decodes, resizes and encodes, so threads run that work in
parallel; the pool has one thread per core, so a burst of uploads or first renditions queues
instead of taking every core from the requests being served meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="cms-images")


async def in_pool(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """fn(*args, **kwargs) on the image pool; the caller's task awaits it."""
    return await asyncio.get_running_loop().run_in_executor(_pool, functools.partial(fn, *args, **kwargs))
