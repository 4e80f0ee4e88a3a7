"""OpenTelemetry traces, when its packages are installed (`pip install 'cms[otel]'`) and
CMS_OTEL_TRACES is on: a span per HTTP request (opentelemetry-instrumentation-asgi), a span per
GraphQL operation with its parse, validation and resolvers under it (Strawberry's
OpenTelemetryExtension), and one per compiled read statement; exported over OTLP where the
standard OTEL_EXPORTER_OTLP_* variables say, under OTEL_SERVICE_NAME ("cms" by default).

Off, nothing here imports OpenTelemetry and `span` costs nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from starlette.middleware import Middleware

from cms.config import ConfigError, Settings

log = logging.getLogger("cms.tracing")

MISSING = "CMS_OTEL_TRACES is on but OpenTelemetry is not installed: pip install 'cms[otel]'"

_tracer: Any = None  # set by `enable`


def enable(settings: Settings) -> list[Any]:
    """The schema extensions that trace operations (none when traces are off). Raises
    ConfigError when they are on and OpenTelemetry is not installed."""
    global _tracer
    if not settings.otel_traces:
        return []
    try:
        from opentelemetry import trace
        from strawberry.extensions.tracing import OpenTelemetryExtension
    except ImportError:
        raise ConfigError(MISSING) from None
    _tracer = trace.get_tracer("cms")
    return [OpenTelemetryExtension]


def configure(settings: Settings) -> None:
    """For `cms serve`: export spans over OTLP, unless the process was given a tracer provider
    already (e.g. by `opentelemetry-instrument`)."""
    if not settings.otel_traces:
        return
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise ConfigError(MISSING) from None
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "cms")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    log.info("OpenTelemetry traces exported over OTLP")


def middleware(settings: Settings) -> list[Middleware]:
    """A span per HTTP request, outermost, when traces are on and the ASGI instrumentation is
    installed."""
    if not settings.otel_traces:
        return []
    try:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    except ImportError:
        log.warning("opentelemetry-instrumentation-asgi is not installed: no span per HTTP request")
        return []
    return [Middleware(OpenTelemetryMiddleware)]


@contextlib.contextmanager
def span(name: str, **attributes: Any) -> Iterator[None]:
    """A span around work no other span covers (a compiled read); nothing when traces are off."""
    if _tracer is None:
        yield
        return
    with _tracer.start_as_current_span(name, attributes=attributes):
        yield
