"""The stores under test: a folder in the test's temporary directory, and a fresh bucket on
moto's S3 server, started once per run on loopback and spoken to over real HTTP."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from cms.config import S3Settings
from cms.storage import Storage
from cms.storage.local import LocalStorage
from cms.storage.s3 import S3Storage

REGION = "us-east-1"
# moto takes any credentials; these only have to be there.
ACCESS_KEY_ID = "testing-access-key"
SECRET_ACCESS_KEY = "testing-secret-key"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The URL of an S3 server on 127.0.0.1, on a port the system picked."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str) -> Any:
    """A plain boto3 client on the server, to set up and look behind the store's back."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )


@pytest.fixture
def s3_settings(s3_endpoint: str, s3_client: Any) -> S3Settings:
    """The settings of a new, empty bucket of the test's own."""
    bucket = f"cms-test-{secrets.token_hex(6)}"
    s3_client.create_bucket(Bucket=bucket)
    return S3Settings(
        bucket=bucket,
        endpoint_url=s3_endpoint,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
    )


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    """Where the folder store keeps its files; not made until the store writes."""
    return tmp_path / "media"


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, media_root: Path) -> Storage:
    """Each store in turn: the tests that take it hold for both."""
    if request.param == "local":
        return LocalStorage(media_root)
    return S3Storage(request.getfixturevalue("s3_settings"))
