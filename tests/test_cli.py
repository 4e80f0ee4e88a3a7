"""The `cms` command, run as an operator would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from cms.db.migrate import head_revision

ROOT = Path(__file__).parent.parent


def cms(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cms", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


async def test_operator_workflow(scratch_url, tmp_path):
    media = tmp_path / "media"
    env = {"CMS_DATABASE_URL": scratch_url, "CMS_MEDIA_DIR": str(media)}

    refused = cms("serve", "--port", "0", env=env)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == "cms: the database is not migrated: run `cms migrate` first"

    assert cms("migrate", env=env).stdout.strip() == f"database migrated from empty to {head_revision()}"
    assert cms("migrate", env=env).stdout.strip() == "database already up to date"
    loaded = re.fullmatch(r"demo newsroom loaded \((\d+) new articles\)", cms("demo", env=env).stdout.strip())
    assert loaded is not None
    assert int(loaded[1]) > 0
    assert cms("demo", env=env).stdout.strip() == "demo newsroom loaded (0 new articles)"
    photos = sorted(p.name for p in (media / "originals").iterdir())
    stray = media / "originals" / ("0" * 32 + ".jpg")
    stray.write_bytes(b"left by a crash")
    os.utime(stray, (0, 0))
    assert cms("media", "gc", "--dry-run", env=env).stdout.splitlines() == [
        f"would remove originals/{stray.name} (15 bytes)",
        f"would remove 1 files that no media names; kept {len(photos)}",
    ]
    assert (
        cms("media", "gc", env=env).stdout.splitlines()[-1]
        == f"removed 1 files that no media names; kept {len(photos)}"
    )
    assert sorted(p.name for p in (media / "originals").iterdir()) == photos

    token = cms("create-token", "--name", "bootstrap", "--role", "admin", env=env)
    assert token.returncode == 0
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("cms_")
    assert len(secret) > 40

    user = cms(
        "create-user",
        "ed@example.com",
        "--name",
        "Ed",
        "--role",
        "EDITOR",
        env={**env, "CMS_PASSWORD": "a long password"},
    )
    assert user.stdout.strip() == "created EDITOR user ed@example.com"

    conn = await asyncpg.connect(scratch_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM articles") == int(loaded[1])
        # The demo newsroom's own content is its business; that it has trending pins is ours.
        assert await conn.fetchval("SELECT count(*) FROM trending_pins") > 0
        assert await conn.fetchval("SELECT count(*) FROM api_tokens WHERE role = 'ADMIN'") == 1
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["migrate"], {"CMS_DATABASE_URL": "mysql://x"}, "cms: CMS_DATABASE_URL must be a postgresql:// URL"),
        (["migrate"], {"CMS_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x"}, "cms: cannot reach the database"),
        (["migrate"], {"CMS_DEBUG": "perhaps"}, "cms: CMS_DEBUG must be true or false, not 'perhaps'"),
    ],
    ids=["scheme", "unreachable", "bad-bool"],
)
def test_bad_settings_stop_with_one_line(args, env, message):
    result = cms(*args, env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(message)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["serve"], ["migrate"], ["demo"], ["create-token", "--name", "t", "--role", "ADMIN"]],
    ids=["serve", "migrate", "demo", "create-token"],
)
def test_no_database_url_and_no_embedded_postgres_stop_with_one_line(args, tmp_path):
    # As in the Docker image, which has no pgserver, run without CMS_DATABASE_URL.
    without_pgserver = "import sys; sys.modules['pgserver'] = None; from cms.cli import main; main(sys.argv[1:])"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    result = subprocess.run(
        [sys.executable, "-c", without_pgserver, *args],
        capture_output=True,
        text=True,
        env={**env, "CMS_DATA_DIR": str(tmp_path / "data")},
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "cms: no database: set CMS_DATABASE_URL to a postgresql:// URL, "
        "or install the embedded PostgreSQL with `pip install 'cms[embedded]'`\n"
    )
    assert not (tmp_path / "data").exists()


def test_bad_arguments_stop_with_usage():
    result = cms("create-token", "--name", "x", "--role", "KING")
    assert result.returncode == 2
    assert "choose a role from ADMIN, EDITOR, AUTHOR, PREVIEW" in result.stderr
    assert "Traceback" not in result.stderr


async def test_create_user_refuses_short_password(scratch_url):
    env = {"CMS_DATABASE_URL": scratch_url}
    cms("migrate", env=env)
    result = cms("create-user", "a@example.com", "--name", "A", "--role", "ADMIN", env={**env, "CMS_PASSWORD": "short"})
    assert result.returncode == 1
    assert result.stderr.strip() == "cms: a password has at least 12 characters"


def test_create_user_without_terminal_or_password_explains(scratch_url):
    result = cms(
        "create-user",
        "a@example.com",
        "--name",
        "A",
        "--role",
        "ADMIN",
        env={"CMS_DATABASE_URL": "postgresql://x@127.0.0.1:1/x"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "cms: set CMS_PASSWORD or run in a terminal to be asked for the password"
