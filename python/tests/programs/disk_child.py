"""A Python service with otelpack's disk queue, to be killed with SIGKILL.

    disk_child.py ENDPOINT QUEUE_DIR PREFIX COUNT

Ends COUNT spans (each exported by a SimpleSpanProcessor: with the disk
queue, export returns once the span is durable), prints DONE, then either
waits to be killed (COUNT > 0) or, with COUNT 0, shuts down: the restarted
process that delivers what the killed one left on disk.
"""
import os
import sys
import time

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

import otelpack

endpoint, queue_dir, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
exporter = otelpack.SpanExporter(endpoint=endpoint, project_id=os.environ["TEST_PROJECT"],
                                 api_key=os.environ["TEST_API_KEY"], queue="disk", queue_directory=queue_dir,
                                 flush_interval=0.05, retry_initial_interval=0.05, retry_max_interval=0.2,
                                 retry_max_elapsed_time=0, max_batch_events=10)
provider = TracerProvider(resource=Resource.create({"service.name": "disk-child"}))
provider.add_span_processor(SimpleSpanProcessor(exporter))
tracer = provider.get_tracer("t")
for i in range(count):
    with tracer.start_as_current_span(f"{prefix}-{i}"):
        pass
print("DONE", flush=True)
if count > 0:
    time.sleep(600)
else:
    deadline = time.monotonic() + 30
    while exporter.stats().traces.sent == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    provider.shutdown()
    print("SENT", exporter.stats().traces.sent, flush=True)
