"""A pre-forking service: the exporter is made before os.fork, as gunicorn
does with an app loaded in the master.

    fork_service.py ENDPOINT CHILDREN SPANS [QUEUE_DIR]

The parent ends spans before and after the fork; each child ends its own and
leaves with sys.exit, so that the interpreter's exit (the SDK's atexit
shutdown and otelpack's) delivers them.
"""
import os
import sys

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

import otelpack

endpoint, children, spans = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
queue = dict(queue="disk", queue_directory=sys.argv[4]) if len(sys.argv) > 4 else {}
exporter = otelpack.SpanExporter(endpoint=endpoint, project_id=os.environ["TEST_PROJECT"],
                                 api_key=os.environ["TEST_API_KEY"], flush_interval=0.05, **queue)
provider = TracerProvider(resource=Resource.create({"service.name": "forked"}))
provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=100))
tracer = provider.get_tracer("t")


def make(prefix: str) -> None:
    for i in range(spans):
        with tracer.start_as_current_span(f"{prefix}-{i}", attributes={"pid": os.getpid()}):
            pass


make("parent-before")
pids = []
for k in range(children):
    pid = os.fork()
    if pid == 0:
        make(f"child-{k}")
        sys.exit(0)
    pids.append(pid)
make("parent-after")
failed = 0
for pid in pids:
    _, status = os.waitpid(pid, 0)
    failed += os.waitstatus_to_exitcode(status) != 0
sys.exit(1 if failed else 0)
