"""The article's main.py with otelpack's exporter in place of the hand-written
CompressedBatchExporter: the same BatchSpanProcessor set-up, the same
backend. The conversion, batching, compression and delivery (with retries,
and optionally a disk queue) run in otelpack's C++ core.

    pip install ./python            # from a checkout of otelpack
    ANALYTICS_API_KEY=... python examples/python/main.py

Try it against the reference backend:
    OTELPACK_API_KEY=dev otelpack sink --listen 127.0.0.1:8428 --project prod-main &
    ANALYTICS_API_KEY=dev ANALYTICS_ENDPOINT=http://127.0.0.1:8428 python examples/python/main.py
"""
import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from otelpack import SpanExporter

# Create the exporter: the article's arguments, under otelpack's names.
exporter = SpanExporter(
    endpoint=os.environ.get("ANALYTICS_ENDPOINT", "https://analytics.mycompany.com"),
    api_key=os.environ["ANALYTICS_API_KEY"],
    project_id="prod-main",
    max_batch_events=500,    # the article's max_batch_size
    compression="gzip",      # the article's choice; otelpack's default is zstd
    compression_level=6,
    timeout=30,              # seconds, per request; failed requests are retried
)

# Use BatchSpanProcessor for SDK-level batching, as in the article.
provider = TracerProvider(resource=Resource.create({"service.name": "checkout"}))
provider.add_span_processor(
    BatchSpanProcessor(
        exporter,
        max_queue_size=2048,
        max_export_batch_size=512,
        schedule_delay_millis=5000,
    )
)
trace.set_tracer_provider(provider)

tracer = trace.get_tracer(__name__)
with tracer.start_as_current_span("checkout") as span:
    span.set_attribute("cart.items", 3)
    with tracer.start_as_current_span("charge-card"):
        pass

# At exit the SDK's shutdown hands over the last spans and shuts the exporter
# down, which delivers them; exporter.stats() tells what happened.
provider.shutdown()
print(exporter.stats().traces)
