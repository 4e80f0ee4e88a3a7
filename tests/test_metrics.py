"""/metrics: Prometheus exposition for the holder of CMS_METRICS_TOKEN; JSON log lines."""

from __future__ import annotations

import dataclasses
import logging

import httpx
import orjson
import pytest

from cms.app import create_app
from cms.logs import JsonFormatter
from cms.metrics import MAX_OPERATIONS, Metrics

TOKEN = "metrics-secret"


@pytest.fixture
async def served(settings, database_url, engine, media_storage):
    """The app as `cms serve` runs it (its lifespan makes the engine), with metrics on."""
    app = create_app(
        dataclasses.replace(settings, database_url=database_url, metrics_token=TOKEN, rate_limits=False),
        storage=media_storage,
    )
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_metrics_need_the_token(served):
    assert (await served.get("/metrics")).status_code == 401
    wrong = await served.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_metrics_count_requests_cost_statements_and_the_pool(served):
    await served.post("/graphql", json={"query": "query Home { articles(first: 5) { edges { node { title } } } }"})
    await served.post("/graphql", json={"query": "{ nope }"}, headers={"Accept": "application/graphql-response+json"})

    response = await served.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert 'cms_requests_total{operation="Home",route="/graphql",status="200"} 1.0' in text
    assert 'cms_requests_total{operation="-",route="/graphql",status="400"} 1.0' in text
    assert 'cms_request_duration_seconds_count{operation="Home",route="/graphql"} 1.0' in text
    assert "cms_operation_cost_count 1.0" in text
    assert "cms_sql_statement_duration_seconds_count" in text
    assert 'cms_db_pool_connections{state="idle"}' in text
    assert 'cms_response_cache_lookups_total{result="miss"}' in text


async def test_without_a_token_there_are_no_metrics(client):
    response = await client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_operation_names_are_bounded():
    metrics = Metrics()
    names = [metrics.operation_label(f"Op{i}") for i in range(MAX_OPERATIONS + 5)]
    assert names[:MAX_OPERATIONS] == [f"Op{i}" for i in range(MAX_OPERATIONS)]
    assert set(names[MAX_OPERATIONS:]) == {"other"}
    assert metrics.operation_label("Op0") == "Op0"


def test_json_log_lines_carry_the_request_fields():
    record = logging.LogRecord("cms.request", logging.INFO, __file__, 1, "POST /graphql", (), None)
    record.fields = {"status": 200, "operation": "Home", "cost": 12, "role": "anonymous", "skipped": None}

    line = orjson.loads(JsonFormatter().format(record))

    assert line["level"] == "INFO"
    assert line["logger"] == "cms.request"
    assert line["message"] == "POST /graphql"
    assert (line["status"], line["operation"], line["cost"], line["role"]) == (200, "Home", 12, "anonymous")
    assert "skipped" not in line
    assert line["time"].endswith("+00:00")
