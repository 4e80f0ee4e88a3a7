"""`cms export` and `cms import`, run as an operator runs them: files and pipes, what they say on
stdout and stderr, and how they refuse (one line, exit code 1, no traceback)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import asyncpg
import orjson

from cms.db.migrate import head_revision
from tests.conftest import scratch_database

ROOT = Path(__file__).parent.parent


def cms(*args: str, env: dict[str, str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "cms", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def said(done: subprocess.CompletedProcess[bytes]) -> str:
    """The last line on stderr, where a refusal is told."""
    return done.stderr.decode().strip().splitlines()[-1]


async def test_the_demo_goes_through_a_file_and_a_pipe_unchanged(scratch_url, server_url, tmp_path):
    source = {"CMS_DATABASE_URL": scratch_url, "CMS_MEDIA_DIR": str(tmp_path / "media")}
    for step in (("migrate",), ("demo",), ("create-user", "desk@example.com", "--name", "Desk", "--role", "EDITOR")):
        assert cms(*step, env={**source, "CMS_PASSWORD": "correct horse battery staple"}).returncode == 0
    path = tmp_path / "newsroom.jsonl"

    written = cms("export", "--output", str(path), env=source)
    piped = cms("export", "--with-password-hashes", env=source)

    assert written.returncode == 0, written.stderr
    summary = written.stdout.decode().strip()
    assert summary.startswith("exported ")
    assert summary.endswith(f" to {path}")
    assert written.stderr == b""
    # The file holds the users' addresses: its owner's only, as the temporary file it was written as.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media", "newsroom.jsonl"]
    data = path.read_bytes()
    (user,) = [line for line in map(orjson.loads, data.splitlines()) if line["type"] == "users"]
    assert "password_hash" not in user
    assert piped.returncode == 0
    (user,) = [line for line in map(orjson.loads, piped.stdout.splitlines()) if line["type"] == "users"]
    assert user["password_hash"].startswith("$argon2")
    # With the export on stdout, the summary is on stderr.
    assert piped.stderr.decode().strip() == summary.removesuffix(f" to {path}")

    async with scratch_database(server_url) as target_url:
        target = {"CMS_DATABASE_URL": target_url}
        assert cms("migrate", env=target).returncode == 0

        imported = cms("import", "--input", str(path), env=target)
        again = cms("export", env=target)
        twice = cms("import", env=target, stdin=data)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.decode().strip() == summary.replace("exported", "imported", 1).removesuffix(f" to {path}")
    assert again.stdout == data
    assert twice.returncode == 1
    assert said(twice).startswith("cms: the database is not empty (it has media, sections, tags, authors, ")
    assert b"Traceback" not in twice.stderr


async def test_a_bad_file_is_refused_with_its_line_and_nothing_written(scratch_url, tmp_path):
    env = {"CMS_DATABASE_URL": scratch_url}
    header = orjson.dumps(
        {"type": "header", "format": "cms-export", "version": 1, "revision": head_revision(), "password_hashes": False}
    )
    section = b'{"type":"sections","id":7,"slug":"world","name":"World","description":null,"created_at":"2026-11-29T12:00:00.000000+00:00"}'
    broken = b'{"type":"sections","id":8,"slug":"sport"'

    unmigrated = cms("import", env=env, stdin=header + b"\n")
    assert cms("migrate", env=env).returncode == 0
    refused = cms("import", "--input", "-", env=env, stdin=b"\n".join([header, section, broken]) + b"\n")
    missing = cms("import", "--input", str(tmp_path / "nowhere.jsonl"), env=env)
    unwritable = cms("export", "--output", str(tmp_path / "no" / "such" / "folder.jsonl"), env=env)

    assert said(unmigrated) == "cms: the database is not migrated: run `cms migrate` first"
    assert refused.returncode == 1
    assert said(refused) == "cms: line 3: not valid JSON (unexpected end of data, at column 41)"
    assert b"Traceback" not in refused.stderr
    assert refused.stdout == b""
    conn = await asyncpg.connect(scratch_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM sections") == 0
    finally:
        await conn.close()
    assert missing.returncode == 1
    assert said(missing) == f"cms: cannot read {tmp_path / 'nowhere.jsonl'}: No such file or directory"
    assert unwritable.returncode == 1
    assert (
        said(unwritable) == f"cms: cannot write {tmp_path / 'no' / 'such' / 'folder.jsonl'}: No such file or directory"
    )
