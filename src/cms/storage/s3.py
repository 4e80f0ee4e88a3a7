"""Media files in an S3-compatible bucket (AWS S3, MinIO, R2, ...), through boto3.

boto3 blocks, so every call runs on a worker thread; one client serves them all, as botocore
clients are thread-safe. A PUT replaces an object whole, so writes are atomic by themselves.
boto3 is an optional dependency, the `s3` extra: without it this module still imports, and
making an `S3Storage` says what to install.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from cms.storage import StorageError, StoredFile, check_key, is_key

if TYPE_CHECKING:
    from cms.config import S3Settings

try:
    import boto3.session
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, NoCredentialsError
    from botocore.exceptions import ConnectionError as EndpointError
except ModuleNotFoundError as missing:  # the `s3` extra is not installed
    _MISSING: ModuleNotFoundError | None = missing
else:
    _MISSING = None

P = ParamSpec("P")
T = TypeVar("T")

# DeleteObjects takes at most this many keys a request.
_DELETE_BATCH = 1000
# Error codes for an object that is not there: GetObject names it, HEAD has no body to name it in.
_ABSENT = {"NoSuchKey", "404", "NotFound"}
# What the operator should read for the codes that mean the setup is wrong.
_HINTS = {
    "NoSuchBucket": "the bucket does not exist",
    # Only HeadBucket gets here with it: for an object, 404 means "none" (see _ABSENT).
    "404": "not found",
    "AccessDenied": "access denied",
    "403": "access denied",
    "InvalidAccessKeyId": "the access key is not known",
    "SignatureDoesNotMatch": "the secret key does not match the access key",
}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "unknown"))


_session: Any = None
_session_lock = threading.Lock()


def _client(**options: Any) -> Any:
    """A new S3 client from the process's one boto3 session. Sharing it, as `boto3.client()`
    does, loads the service description once: a tenth of a second a client otherwise. Making
    clients from a session is not thread-safe, using them is."""
    global _session  # one per process, made on first use
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client("s3", **options)


class S3Storage:
    """The media store in the bucket of `settings`.

    Objects in the bucket whose names are not keys (put there by something else) are not the
    store's: `files()` and `delete_prefix` leave them alone. `attempts` is how often a request
    is tried in all, on errors worth trying again.
    """

    def __init__(self, settings: S3Settings, *, attempts: int = 3) -> None:
        if _MISSING is not None:
            raise StorageError("media in S3 needs boto3, which is not installed: pip install 'cms[s3]'") from _MISSING
        self._bucket = settings.bucket
        self._where = settings.endpoint_url or "AWS S3"
        options: dict[str, Any] = {}
        if settings.endpoint_url is not None:
            options.update(
                # Most other servers (MinIO by default) have no bucket subdomains.
                s3={"addressing_style": "path"},
                # Since boto3 1.36 every request carries a new-style checksum, which many
                # S3-compatible servers do not understand yet; send one only where S3 needs it.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
        config = Config(
            retries={"mode": "standard", "max_attempts": attempts},
            connect_timeout=5,
            read_timeout=60,
            **options,
        )
        try:
            self._client = _client(
                endpoint_url=settings.endpoint_url,
                region_name=settings.region,
                aws_access_key_id=settings.access_key_id,
                aws_secret_access_key=settings.secret_access_key,
                config=config,
            )
        except (BotoCoreError, ValueError) as error:
            raise StorageError(f"S3 client for {self._where} cannot be made: {type(error).__name__}") from error

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self._bucket!r}, endpoint={self._where!r})"

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        check_key(key)
        await self._run(
            f"write {key!r}",
            self._client.put_object,
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes | None:
        check_key(key)
        return await self._run(f"read {key!r}", self._get, key)

    async def stat(self, key: str) -> StoredFile | None:
        check_key(key)
        return await self._run(f"read {key!r}", self._stat, key)

    async def delete(self, keys: Iterable[str]) -> None:
        keys = list(dict.fromkeys(check_key(key) for key in keys))
        for start in range(0, len(keys), _DELETE_BATCH):
            await self._run("delete files", self._delete, keys[start : start + _DELETE_BATCH])

    async def delete_prefix(self, prefix: str) -> int:
        check_key(prefix)
        removed = 0
        async for page in self._pages(f"{prefix}/"):
            keys = [found.key for found in page]
            if keys:
                await self._run(f"delete under {prefix!r}", self._delete, keys)
                removed += len(keys)
        return removed

    def files(self, prefix: str = "") -> AsyncIterator[StoredFile]:
        if prefix:
            check_key(prefix)
        return self._files(f"{prefix}/" if prefix else "")

    async def check(self) -> None:
        """Raise StorageError unless the bucket is there and the credentials are taken."""
        await self._run("reach the bucket", self._client.head_bucket, Bucket=self._bucket)

    async def _files(self, prefix: str) -> AsyncIterator[StoredFile]:
        async for page in self._pages(prefix):
            for found in page:
                yield found

    async def _pages(self, prefix: str) -> AsyncIterator[list[StoredFile]]:
        """The stored files under `prefix`, a page (up to 1000) at a time."""
        paginator = self._client.get_paginator("list_objects_v2")
        pages = iter(paginator.paginate(Bucket=self._bucket, Prefix=prefix))
        while (page := await self._run("list files", self._next_page, pages)) is not None:
            yield page

    async def _run(self, what: str, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Make a blocking boto3 call on a worker thread; a failure becomes a one-line StorageError."""
        try:
            return await asyncio.to_thread(call, *args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            raise self._failure(what, error) from error

    def _failure(self, what: str, error: BotoCoreError | ClientError) -> StorageError:
        # Built from the error's kind and code only: botocore's messages may quote request details.
        if isinstance(error, NoCredentialsError):
            reason = "no credentials: set CMS_S3_ACCESS_KEY_ID and CMS_S3_SECRET_ACCESS_KEY"
        elif isinstance(error, EndpointError | HTTPClientError):
            reason = f"{self._where} cannot be reached ({type(error).__name__})"
        elif isinstance(error, ClientError):
            code = _code(error)
            reason = f"{_HINTS[code]} ({code})" if code in _HINTS else code
        else:
            reason = type(error).__name__
        return StorageError(f"S3 bucket {self._bucket!r}: cannot {what}: {reason}")

    # The methods below block: they run on a worker thread.

    def _get(self, key: str) -> bytes | None:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _code(error) in _ABSENT:
                return None
            raise
        with response["Body"] as body:
            data: bytes = body.read()
        return data

    def _stat(self, key: str) -> StoredFile | None:
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _code(error) in _ABSENT:
                return None
            raise
        return StoredFile(key, int(head["ContentLength"]), head["LastModified"].astimezone(UTC))

    def _delete(self, keys: list[str]) -> None:
        response = self._client.delete_objects(
            Bucket=self._bucket, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True}
        )
        # DeleteObjects answers 200 also when some keys failed, naming them in `Errors`.
        errors = response.get("Errors", [])
        if errors:
            code = str(errors[0].get("Code", "unknown"))
            reason = f"{_HINTS[code]} ({code})" if code in _HINTS else code
            raise StorageError(f"S3 bucket {self._bucket!r}: cannot delete {len(errors)} files: {reason}")

    def _next_page(self, pages: Iterator[dict[str, Any]]) -> list[StoredFile] | None:
        page = next(pages, None)
        if page is None:
            return None
        return [
            StoredFile(item["Key"], int(item["Size"]), item["LastModified"].astimezone(UTC))
            for item in page.get("Contents", [])
            if is_key(item["Key"])
        ]
