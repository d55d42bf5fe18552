"""Interpreter exit with spans still in the SDK's BatchSpanProcessor: they
must be delivered, whatever the order in which the program made its
exporter and provider and imported otelpack, with no deadlock and no
double shutdown.

    exit_order.py ENDPOINT ORDER SPANS

ORDER: exporter-first (the article's main.py), provider-first, or
provider-before-import (otelpack imported after the TracerProvider exists,
so otelpack's atexit hook runs before the SDK's), user-atexit (the program's
own atexit hook shuts the provider down).
"""
import atexit
import os
import sys

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

endpoint, order, spans = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = dict(endpoint=endpoint, project_id=os.environ["TEST_PROJECT"], api_key=os.environ["TEST_API_KEY"],
               flush_interval=60)
resource = Resource.create({"service.name": order})

if order == "provider-before-import":
    provider = TracerProvider(resource=resource)
    import otelpack
    exporter = otelpack.SpanExporter(**options)
elif order == "provider-first":
    import otelpack
    provider = TracerProvider(resource=resource)
    exporter = otelpack.SpanExporter(**options)
elif order == "user-atexit":
    import otelpack
    exporter = otelpack.SpanExporter(**options)
    provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    atexit.register(provider.shutdown)
else:
    import otelpack
    exporter = otelpack.SpanExporter(**options)
    provider = TracerProvider(resource=resource)

provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=600000))
tracer = provider.get_tracer("t")
for i in range(spans):
    with tracer.start_as_current_span(f"{order}-{i}"):
        pass
print("EXITING", flush=True)
