from __future__ import annotations

from pathlib import Path

import pytest

from cms.config import ConfigError, Settings, to_async_url


def test_defaults_run_embedded_with_no_cors():
    settings = Settings.from_env({})
    assert settings.database_url is None
    assert settings.data_dir == Path(".cms-data")
    assert settings.cors_origins == ()
    assert settings.debug is False


def test_reads_the_environment():
    settings = Settings.from_env(
        {
            "CMS_DATABASE_URL": "postgresql://cms:hunter2@db/cms",
            "CMS_CORS_ORIGINS": "https://a.example, https://b.example",
            "CMS_DEBUG": "yes",
            "CMS_MAX_BODY_BYTES": "2048",
        }
    )
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.debug is True
    assert settings.max_body_bytes == 2048
    assert "hunter2" not in repr(settings)
    assert "***" in repr(settings)


@pytest.mark.parametrize(
    "env",
    [
        {"CMS_DATABASE_URL": "sqlite:///x"},
        {"CMS_MAX_BODY_BYTES": "lots"},
        {"CMS_MAX_BODY_BYTES": "0"},
        {"CMS_LOG_LEVEL": "LOUD"},
        {"CMS_MEDIA_BASE_URL": "cdn.example.com/media"},
        {"CMS_PUBLIC_URL": "https://cms.example.com/?x=1"},
        {"CMS_S3_BUCKET": "b", "CMS_S3_ENDPOINT_URL": "ftp://s3.example.com"},
    ],
    ids=["url", "not-int", "zero", "level", "media-base-url", "public-url-query", "s3-endpoint"],
)
def test_bad_settings_are_one_clear_error(env):
    with pytest.raises(ConfigError):
        Settings.from_env(env)


def test_async_url():
    assert to_async_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert to_async_url("postgres://u@h/db?host=/tmp") == "postgresql+asyncpg://u@h/db?host=/tmp"


def test_media_settings():
    default = Settings.from_env({"CMS_DATA_DIR": "/srv/cms"})
    s3 = Settings.from_env(
        {
            "CMS_S3_BUCKET": "newsroom-media",
            "CMS_S3_ENDPOINT_URL": "https://s3.example.com",
            "CMS_S3_SECRET_ACCESS_KEY": "hunter2",
            "CMS_MEDIA_BASE_URL": "https://cdn.example.com/media/",
            "CMS_MEDIA_DIR": "/var/media",
        }
    )
    assert (default.media_folder, default.s3, default.media_base_url) == (Path("/srv/cms/media"), None, None)
    assert s3.s3 is not None
    assert (s3.s3.bucket, s3.s3.endpoint_url) == ("newsroom-media", "https://s3.example.com")
    assert s3.media_base_url == "https://cdn.example.com/media"
    assert s3.media_folder == Path("/var/media")
    assert "hunter2" not in repr(s3.s3)
