"""The memory a step takes, as the operating system counts it for the process (Linux)."""

import re
from contextlib import contextmanager
from pathlib import Path

STATUS = Path("/proc/self/status")


def _kib(field):
    return int(re.search(rf"^{field}:\s+(\d+) kB", STATUS.read_text(), re.MULTILINE)[1])


@contextmanager
def peak_growth():
    """Yield a callable that answers, in bytes, how far the process's resident memory rose above
    what it held at the start, at its highest during the block: the kernel's high-water mark of
    resident memory, reset as the block starts (writing 5 to /proc/self/clear_refs). Nothing is
    traced, so the step runs at its own speed; C libraries' memory counts too."""
    Path("/proc/self/clear_refs").write_text("5")
    start = _kib("VmRSS")
    peak = []
    yield lambda: peak[0]
    peak.append((_kib("VmHWM") - start) * 1024)
