"""Media pipeline figures: upload throughput, cold and warm renditions, from a running `cms serve`.

    .venv/bin/python bench/media.py [--uploads 6] [--seconds 10] [--concurrency 16]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres)
and a scratch media folder, runs `cms migrate`, `cms create-token` and `cms serve` as an operator
would, and drives the server from this process over HTTP:

- upload: a 4000x3000 JPEG of about 5 MB, sent as the GraphQL multipart request, one after the
  other (each with other bytes, so none is found as a duplicate); MB/s of JPEG accepted;
- cold rendition: the first request of a 1200-wide WebP of each upload (decode, resize, encode,
  store); p50 and p99, beside the same work done by Pillow alone in this process;
- warm rendition: one stored rendition asked for by many clients at once; requests per second,
  beside a static file server (Starlette's StaticFiles under uvicorn) serving the same bytes.

It asserts nothing: the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from PIL import Image

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id sizeBytes } userErrors { message } } }"
RENDITION = "query($id: ID!) { media(id: $id) { renditionUrl(width: 1200, format: WEBP) } }"
STATIC = """
import os, uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
app = Starlette(routes=[Mount("/", StaticFiles(directory=os.environ["BENCH_DIR"]))])
uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]), log_level="warning")
"""


def photo(seed: int) -> bytes:
    """A 4000x3000 JPEG of about 5 MB: a gradient under noise, as a detailed photo compresses."""
    base = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 64).convert("RGB")
    image = Image.blend(base, noise, 0.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=87, comment=f"bench {seed}".encode())
    return out.getvalue()


def pillow_alone(data: bytes) -> float:
    """Seconds for what a cold rendition does to the pixels, by Pillow with nothing around it."""
    started = time.perf_counter()
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (1200, 900))
    image = image.convert("RGB").resize((1200, 900), Image.Resampling.LANCZOS)
    image.save(io.BytesIO(), "WEBP", quality=80, method=4)
    return time.perf_counter() - started


def cms(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cms", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            httpx.get(url).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {p50 * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms   (n={len(ordered)})"


async def hammer(url: str, seconds: float, concurrency: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                response = await client.get(url)
                response.raise_for_status()
                done += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    server = os.environ.get("CMS_BENCH_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"cms_bench_media_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    port, static_port = 8766, 8767
    children: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as media_dir:
        env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_MEDIA_DIR": media_dir, "CMS_LOG_LEVEL": "WARNING"}
        try:
            cms(env, "migrate")
            token = cms(env, "create-token", "--name", "bench", "--role", "EDITOR").strip().splitlines()[-1]
            children.append(subprocess.Popen([sys.executable, "-m", "cms", "serve", "--port", str(port)], env=env))
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/readyz")
            photos = [photo(i) for i in range(args.uploads)]
            headers = {"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"}
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
                ids, upload_seconds = [], 0.0
                for data in photos:
                    started = time.perf_counter()
                    response = await client.post(
                        "/graphql",
                        data={
                            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
                            "map": json.dumps({"0": ["variables.file"]}),
                        },
                        files={"0": ("photo.jpg", data, "image/jpeg")},
                    )
                    upload_seconds += time.perf_counter() - started
                    payload = response.json()["data"]["uploadMedia"]
                    assert payload["userErrors"] == [], payload
                    ids.append(payload["media"]["id"])
                megabytes = sum(len(p) for p in photos) / 1e6
                print(f"upload: {megabytes / len(photos):.1f} MB JPEG 4000x3000, {len(photos)} one after the other")
                print(
                    f"  cms            {megabytes / upload_seconds:7.1f} MB/s   {upload_seconds / len(photos) * 1000:7.1f} ms each"
                )

                cold, urls = [], []
                for media_id in ids:
                    rendition = await client.post("/graphql", json={"query": RENDITION, "variables": {"id": media_id}})
                    urls.append(rendition.json()["data"]["media"]["renditionUrl"])
                    started = time.perf_counter()
                    (await client.get(urls[-1])).raise_for_status()
                    cold.append(time.perf_counter() - started)
                alone = [pillow_alone(p) for p in photos]
                print("cold rendition: 1200-wide WebP from the 4000x3000 JPEG, first request")
                print(f"  cms            {percentiles(cold)}")
                print(f"  pillow alone   {percentiles(alone)}")

            stored = (await httpx.AsyncClient().get(urls[0])).content
            static_dir = Path(media_dir) / "static"
            static_dir.mkdir()
            (static_dir / "r.webp").write_bytes(stored)
            static_env = {**os.environ, "BENCH_DIR": str(static_dir), "BENCH_PORT": str(static_port)}
            children.append(subprocess.Popen([sys.executable, "-c", STATIC], env=static_env))
            wait_for(f"http://127.0.0.1:{static_port}/r.webp")
            print(f"warm rendition: {len(stored) / 1000:.0f} kB WebP, {args.concurrency} clients, {args.seconds:.0f} s")
            await hammer(urls[0], 1, 4)  # warm up
            warm = await hammer(urls[0], args.seconds, args.concurrency)
            static = await hammer(f"http://127.0.0.1:{static_port}/r.webp", args.seconds, args.concurrency)
            print(f"  cms            {warm:7.1f} req/s")
            print(f"  static files   {static:7.1f} req/s   (cms reaches {warm / static:.0%})")
        finally:
            for child in children:
                child.terminate()
                child.wait()
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
