"""Print the slowest tests and the time per directory from pytest's JUnit XML reports.

Usage: python .ci/slowest.py [--top N] REPORT.xml [REPORT.xml ...]
Each report is one stage of .ci/run (or one `make test`); the figures are the tests' own times
(set-up, call and tear-down), summed over the workers that ran them.
"""

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict


def cases(path):
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("classname", "").replace(".", "/") + ".py::" + case.get("name", "")
        yield name, float(case.get("time") or 0)


def main(argv):
    top = 20
    if argv[:1] == ["--top"]:
        top, argv = int(argv[1]), argv[2:]
    for path in argv:
        rows = list(cases(path))
        total = sum(seconds for _name, seconds in rows)
        print(f"\n{path}: {len(rows)} tests, {total:.0f} s of test time")
        folders = defaultdict(float)
        for name, seconds in rows:
            parts = name.split("::")[0].split("/")
            folders["/".join(parts[:2]) + "/" if len(parts) > 2 else "tests/*.py"] += seconds
        for folder, seconds in sorted(folders.items(), key=lambda item: -item[1]):
            print(f"  {seconds:8.1f} s  {seconds / max(total, 1):5.1%}  {folder}")
        print(f"  the {top} slowest:")
        for name, seconds in sorted(rows, key=lambda item: -item[1])[:top]:
            print(f"  {seconds:8.1f} s  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
