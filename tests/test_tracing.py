"""With CMS_OTEL_TRACES on, each request is traced: a span for the HTTP request, the GraphQL
operation and its steps under it, and the compiled read statement. The spans are caught in
memory by the process's one tracer provider."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cms.app import create_app
from cms.config import ConfigError, Settings
from cms.vocabulary import Role
from tests import factories

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # once per process: OpenTelemetry allows one
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


@pytest.fixture
async def traced(spans, api, settings, sessionmaker, engine, media_storage, views):
    on = dataclasses.replace(settings, otel_traces=True)
    app = create_app(on, sessionmaker=sessionmaker, engine=engine, storage=media_storage, views=views)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
        yield client


async def test_an_operation_is_traced_under_its_http_request(traced, api, spans):
    response = await traced.post(
        "/graphql",
        json={"query": "query Desk { viewer { role } }"},
        headers={"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"},
    )
    assert response.json() == {"data": {"viewer": {"role": "EDITOR"}}}

    names = [s.name for s in spans.get_finished_spans()]
    assert "GraphQL Query: Desk" in names
    assert {"GraphQL Parsing", "GraphQL Validation"} <= set(names)
    http = next(s for s in spans.get_finished_spans() if s.name == "POST /graphql")
    operation = next(s for s in spans.get_finished_spans() if s.name == "GraphQL Query: Desk")
    assert operation.context.trace_id == http.context.trace_id


async def test_a_compiled_read_has_its_own_span(traced, api, spans):
    await factories.published_article(api, title="Traced")
    spans.clear()

    response = await traced.post("/graphql", json={"query": "query Home { articles { edges { node { title } } } }"})

    assert response.json()["data"]["articles"]["edges"] == [{"node": {"title": "Traced"}}]
    compiled = [s for s in spans.get_finished_spans() if s.name == "GraphQL Query (compiled)"]
    assert [s.attributes["graphql.operation.name"] for s in compiled] == ["Home"]


def test_traces_asked_for_without_opentelemetry_are_a_configuration_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_otel(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("opentelemetry"):
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_otel)
    from cms import tracing

    with pytest.raises(ConfigError, match="pip install 'cms\\[otel\\]'"):
        tracing.enable(Settings(database_url="postgresql://unused", otel_traces=True))
