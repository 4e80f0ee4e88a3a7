"""Export and import: `cms export` and `cms import` on a newsroom of generated articles.

    .venv/bin/python bench/transfer.py [--articles 20000] [--revisions 3]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres),
fills it with generated articles (bench/search.py's `fill`: bylines, tags, sections, authors) and
gives each `--revisions` revisions (snapshots of its content, as saving writes them); then, as an
operator runs them, prints the time, size and peak memory (the process's maximum resident set) of:

- `cms export` of it to a file;
- `cms import` of that file into a second scratch database, freshly migrated;
- `cms export` of the second database, and whether its bytes are the first export's;
- beside them, the baseline: `pg_dump --data-only` of the same tables, and `psql` reading that back
  into a third migrated database in one transaction (the same triggers and constraints at work;
  the dump's search_path set to public, without which it fails: see `baseline`), when both are on
  the PATH.

The times include starting the process (about a second). It asserts nothing: the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
from search import fill, scratch_database

from cms.services.transfer.format import plan

# Each article's revisions: the content as saved, the first with every field, the rest the body.
REVISIONS_SQL = """
INSERT INTO article_revisions (article_id, version, created_at, snapshot, changed_fields)
SELECT a.id, v, a.published_at - make_interval(hours => $1 - v),
       jsonb_build_object('title', a.title, 'standfirst', a.standfirst, 'body', a.body, 'slug', a.slug),
       CASE WHEN v = 1 THEN ARRAY['title', 'standfirst', 'body', 'slug'] ELSE ARRAY['body'] END
FROM articles a CROSS JOIN generate_series(1, $1) AS v
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, int | None, str]:
    """Run a command to its end; its seconds, peak memory in bytes (None where /proc has none)
    and the last line of its output.

    Raises SystemExit with its output when it fails."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        # The child's own high-water mark, read while it runs: its rusage would count the memory
        # of this process, which it starts as a copy of.
        peak = None
        while child.poll() is None:
            peak = max(peak or 0, high_water(child.pid) or 0) or None
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        output.seek(0)
        said = output.read().decode().strip()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{said}")
    return seconds, peak, said.splitlines()[-1] if said else ""


def high_water(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def cms(*args: str, url: str) -> tuple[float, int | None, str]:
    env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING"}
    return run([sys.executable, "-m", "cms", *args], env)


def size(value: int | None) -> str:
    return f"{value / 1_000_000:8.1f} MB" if value is not None else "       n/a"


def report(name: str, seconds: float, peak: int | None, written: Path | None = None) -> None:
    file = size(written.stat().st_size) if written else " " * 11
    print(f"{name:<10} {seconds:7.1f} s  {file}   peak memory {size(peak)}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--revisions", type=int, default=3)
    args = parser.parse_args()
    async with (
        scratch_database(prefix="cms_bench_transfer") as source,
        scratch_database(prefix="cms_bench_transfer") as target,
        scratch_database(prefix="cms_bench_transfer") as restored,
    ):
        started = time.perf_counter()
        await fill(source, args.articles)
        conn = await asyncpg.connect(source)
        try:
            await conn.execute(REVISIONS_SQL, args.revisions)
            await conn.execute("UPDATE articles SET version = $1", args.revisions)
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
        print(
            f"filled {args.articles:,} articles with {args.revisions} revisions each "
            f"in {time.perf_counter() - started:.1f} s"
        )
        with tempfile.TemporaryDirectory(prefix="cms-bench-transfer-") as folder:
            measure(source, target, restored, Path(folder))


def measure(source: str, target: str, restored: str, folder: Path) -> None:
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    seconds, peak, said = cms("export", "--output", str(first), url=source)
    report("export", seconds, peak, first)
    print(f"           {said.split(' to ')[0]}")
    cms("migrate", url=target)
    seconds, peak, _ = cms("import", "--input", str(first), url=target)
    report("import", seconds, peak)
    seconds, peak, _ = cms("export", "--output", str(second), url=target)
    report("re-export", seconds, peak, second)
    print(f"identical  {'yes' if filecmp.cmp(first, second, shallow=False) else 'NO'}")
    baseline(source, restored, folder / "dump.sql")


def baseline(source: str, restored: str, dump: Path) -> None:
    """pg_dump's data of the exported tables, and psql reading it into a migrated database."""
    if not (shutil.which("pg_dump") and shutil.which("psql")):
        print("baseline   skipped: pg_dump and psql are not on the PATH")
        return
    tables = [f"--table={t.name}" for t in plan(with_password_hashes=True)]
    seconds, peak, _ = run(["pg_dump", "--data-only", *tables, "--file", str(dump), source], dict(os.environ))
    report("pg_dump", seconds, peak, dump)
    # pg_dump empties the search_path, and the search functions of migration 0008 call one another
    # unqualified (title_vector -> search_config): restored as dumped, the first article fails.
    script = dump.read_text().replace(
        "set_config('search_path', '', false)", "set_config('search_path', 'public', false)"
    )
    dump.write_text(script)
    cms("migrate", url=restored)
    command = ["psql", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--file", str(dump), restored]
    seconds, peak, _ = run(command, dict(os.environ))
    report("psql", seconds, peak)


if __name__ == "__main__":
    asyncio.run(main())
