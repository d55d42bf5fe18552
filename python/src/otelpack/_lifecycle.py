"""Where Python services live: interpreter exit and os.fork.

Exit: one atexit hook, registered when otelpack is imported, shuts down
every exporter still open. atexit runs hooks in reverse order, and a module is
imported before the program creates its TracerProvider (which registers the
SDK's own hook), so the SDK's shutdown runs first: the BatchSpanProcessor
hands over its last spans and shuts the exporter down, and otelpack's hook
finds nothing left to do. When the order is the other way round, the hook
shuts the exporter down first and a later export() (the SDK's final flush)
is delivered at once by a fresh core (_CoreExporter._export).

Fork: threads do not survive fork, and the parent's core may hold locks that
no thread of the child will release. In the child each open exporter
abandons the inherited core (it is never touched nor destroyed there) and
makes a new one with the same options. A disk queue directory belongs to one
process at a time, so the child takes the first free directory
`<queue_directory>.child-<n>`, n = 0, 1, ...: a later child (a restarted
worker) that takes the same n delivers what a killed one left there.
"""
from __future__ import annotations

import atexit
import os
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from otelpack._exporter_base import _CoreExporter

_open: "weakref.WeakSet[_CoreExporter]" = weakref.WeakSet()


def track(exporter: "_CoreExporter") -> None:
    _open.add(exporter)


def _at_exit() -> None:
    for exporter in list(_open):
        exporter._shutdown_at_exit()


def _after_fork_in_child() -> None:
    for exporter in list(_open):
        exporter._renew_after_fork()


def close_inherited_files(directory: str) -> None:
    """Closes the child's copies of the parent's descriptors under `directory`.

    The parent's queue lock is an flock on an open file description the child
    shares: while the child held a copy, a restarted parent could not take
    its own directory back. Closing the copy drops the child's reference only;
    the parent keeps its lock.
    """
    prefix = os.path.realpath(directory) + os.sep
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in fds:
        try:
            fd = int(name)
            if os.readlink(f"/proc/self/fd/{fd}").startswith(prefix):
                os.close(fd)
        except (OSError, ValueError):
            continue


atexit.register(_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
