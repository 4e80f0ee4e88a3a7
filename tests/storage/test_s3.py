"""The bucket store: what it sends to S3, and the one-line errors an operator reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cms.config import S3Settings
from cms.storage import StorageError, s3
from cms.storage.s3 import S3Storage

SECRET = "wJalrXUtnFEMI-this-must-never-be-shown"


async def test_put_stores_the_content_type(s3_settings: S3Settings, s3_client: Any) -> None:
    storage = S3Storage(s3_settings)

    await storage.put("a/b.webp", b"x", "image/webp")

    head = s3_client.head_object(Bucket=s3_settings.bucket, Key="a/b.webp")
    assert head["ContentType"] == "image/webp"


async def test_files_and_delete_prefix_leave_objects_that_are_not_keys_alone(
    s3_settings: S3Settings, s3_client: Any
) -> None:
    storage = S3Storage(s3_settings)
    await storage.put("a/kept.jpg", b"x", "image/jpeg")
    for name in ["a/UPPER.JPG", "a/With Space.jpg", "a//double.jpg"]:
        s3_client.put_object(Bucket=s3_settings.bucket, Key=name, Body=b"")

    assert [found.key async for found in storage.files()] == ["a/kept.jpg"]
    assert await storage.delete_prefix("a") == 1

    listed = s3_client.list_objects_v2(Bucket=s3_settings.bucket)["Contents"]
    assert sorted(item["Key"] for item in listed) == ["a//double.jpg", "a/UPPER.JPG", "a/With Space.jpg"]


async def test_delete_sends_the_keys_in_batches(
    s3_settings: S3Settings, monkeypatch: pytest.MonkeyPatch, s3_client: Any
) -> None:
    monkeypatch.setattr(s3, "_DELETE_BATCH", 2)
    storage = S3Storage(s3_settings)
    keys = [f"k/{n}.jpg" for n in range(5)]
    for key in keys:
        await storage.put(key, b"x", "image/jpeg")

    await storage.delete([*keys[:4], "k/missing.jpg"])

    assert [found.key async for found in storage.files()] == ["k/4.jpg"]


async def test_an_unreachable_endpoint_is_a_storage_error_without_the_secret() -> None:
    settings = S3Settings(
        bucket="media",
        endpoint_url="http://127.0.0.1:1",
        region="us-east-1",
        access_key_id="AKIAEXAMPLE",
        secret_access_key=SECRET,
    )
    storage = S3Storage(settings, attempts=1)

    with pytest.raises(StorageError) as checked:
        await storage.check()
    with pytest.raises(StorageError) as written:
        await storage.put("a.jpg", b"x", "image/jpeg")

    assert str(checked.value) == (
        "S3 bucket 'media': cannot reach the bucket: http://127.0.0.1:1 cannot be reached (EndpointConnectionError)"
    )
    assert str(written.value) == (
        "S3 bucket 'media': cannot write 'a.jpg': http://127.0.0.1:1 cannot be reached (EndpointConnectionError)"
    )
    for error in (checked.value, written.value):
        assert SECRET not in str(error)
        assert SECRET not in str(error.__cause__)
    assert SECRET not in repr(storage)
    assert SECRET not in repr(settings)


async def test_a_missing_bucket_is_a_storage_error(s3_settings: S3Settings) -> None:
    storage = S3Storage(S3Settings(**{**vars(s3_settings), "bucket": "cms-test-no-such-bucket"}))

    with pytest.raises(StorageError) as checked:
        await storage.check()
    with pytest.raises(StorageError) as read:
        await storage.get("a.jpg")

    assert str(checked.value) == "S3 bucket 'cms-test-no-such-bucket': cannot reach the bucket: not found (404)"
    assert str(read.value) == (
        "S3 bucket 'cms-test-no-such-bucket': cannot read 'a.jpg': the bucket does not exist (NoSuchBucket)"
    )


async def test_no_credentials_anywhere_is_a_storage_error(
    s3_settings: S3Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    # Else botocore asks the cloud's instance metadata service, which takes a second to time out.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    storage = S3Storage(S3Settings(bucket=s3_settings.bucket, endpoint_url=s3_settings.endpoint_url))

    with pytest.raises(StorageError) as checked:
        await storage.check()

    assert str(checked.value) == (
        f"S3 bucket {s3_settings.bucket!r}: cannot reach the bucket: "
        "no credentials: set CMS_S3_ACCESS_KEY_ID and CMS_S3_SECRET_ACCESS_KEY"
    )


def test_without_boto3_the_error_says_what_to_install(s3_settings: S3Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s3, "_MISSING", ModuleNotFoundError("No module named 'boto3'"))

    with pytest.raises(StorageError) as made:
        S3Storage(s3_settings)

    assert str(made.value) == "media in S3 needs boto3, which is not installed: pip install 'cms[s3]'"
