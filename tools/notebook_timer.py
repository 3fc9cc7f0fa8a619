"""pytest plugin for the notebook run (copied to ``_executed/conftest.py`` by build_book.py).

It prints every notebook's execution time and fails a notebook that takes longer than
``LIMIT_S`` seconds (the budget is 60 s; the limit leaves room for a slow machine).
"""

from __future__ import annotations

import os

import pytest

LIMIT_S = float(os.environ.get("NOTEBOOK_LIMIT_S", "120"))
BUDGET_S = 60.0
_times: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    _times[item.nodeid] = report.duration
    if report.passed and report.duration > LIMIT_S:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} took {report.duration:.1f} s to execute; the limit is "
            f"{LIMIT_S:.0f} s (the budget is {BUDGET_S:.0f} s)"
        )


def pytest_report_teststatus(report, config):
    if report.when == "call" and report.nodeid not in _times:
        _times[report.nodeid] = report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # With xdist the workers' durations arrive through the reports seen here.
    times = {r.nodeid: r.duration for key in ("passed", "failed")
             for r in terminalreporter.stats.get(key, []) if r.when == "call"}
    if not times:
        return
    terminalreporter.section("notebook execution times")
    for nodeid, seconds in sorted(times.items()):
        flag = "  OVER LIMIT" if seconds > LIMIT_S else ("  over budget" if seconds > BUDGET_S
                                                         else "")
        terminalreporter.write_line(f"{seconds:7.1f} s  {nodeid}{flag}")
