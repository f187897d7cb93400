"""The TCK's ``expressions/temporal`` scenarios (Temporal1..10), evaluated with the temporal library alone.

Each expanded scenario is one test; ``tck_temporal.py`` holds the Gherkin
reader and the small literal-query evaluator.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "namidb_temporal_tck", Path(__file__).with_name("tck_temporal.py")
)
assert _spec is not None
assert _spec.loader is not None
tck = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = tck  # dataclasses look their module up while the class is built
_spec.loader.exec_module(tck)

SCENARIOS = tck.load_scenarios()


def test_every_temporal_scenario_is_found() -> None:
    # 1,004 expanded scenarios in the TCK release shared with this repository.
    assert len(SCENARIOS) == 1004
    assert len({sc.id for sc in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.tck
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[sc.id for sc in SCENARIOS])
def test_tck_temporal_scenario(scenario) -> None:
    passed, detail = tck.check(scenario)
    assert passed, detail
