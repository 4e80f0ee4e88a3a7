from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cms.graphql.schema import make_schema

ROOT = Path(__file__).parent.parent


def test_committed_schema_is_what_the_code_exports():
    committed = (ROOT / "schema" / "schema.graphql").read_text()
    assert committed == make_schema().as_str() + "\n", "run `make schema` and commit schema/schema.graphql"


def test_export_schema_command_prints_it():
    out = subprocess.run(
        [sys.executable, "-m", "cms", "export-schema"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out == (ROOT / "schema" / "schema.graphql").read_text()


def test_schema_keeps_the_public_contract_core():
    contract = ROOT.parent / "shared" / "bin" / "contract-check"
    if not contract.exists():  # the contract lives in the workspace beside the repository, not in it
        pytest.skip(f"no public contract at {contract}")
    result = subprocess.run([str(contract), "core"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
