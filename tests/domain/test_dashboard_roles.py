"""Where each role's total goes in the Energy dashboard."""

from __future__ import annotations

import pytest

from custom_components.benext.domain.dashboard.roles import source_kind
from custom_components.benext.domain.dashboard.sources import SourceKind
from custom_components.benext.domain.roles import Role


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.GRID, None),  # two sources per tariff, which its bus names
        (Role.PV, SourceKind.SOLAR),
        (Role.HEAT_PUMP, SourceKind.DEVICE),
        (Role.VENTILATION, SourceKind.DEVICE),
        (Role.AUXILIARY, SourceKind.DEVICE),
        (Role.SPACE_HEATING, None),  # its volume circulates in the heating circuit
        (Role.HOT_TAP_WATER, SourceKind.WATER),
        (Role.COLD_WATER, SourceKind.WATER),
        (Role.INDOOR_CLIMATE, None),
        (Role.RADIATOR, None),
    ],
)
def test_source_kind_of_every_role(role: Role, kind: SourceKind | None) -> None:
    assert source_kind(role) is kind
