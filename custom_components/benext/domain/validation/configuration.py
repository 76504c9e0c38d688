"""Check 3, configuration: the home's meters fill the roles of the NOM protocol.

The Stroomversnelling NOM protocol also asks for a CO2 sensor in the living room of one
home per project, informational only; there is no CO2 role, so it is not checked.
"""

from __future__ import annotations

from typing import Final

from ..roles import Role
from .findings import Finding, FindingCode, finding
from .snapshot import HomeSnapshot

NOM_ROLES: Final = (
    Role.GRID,
    Role.PV,
    Role.HEAT_PUMP,
    Role.VENTILATION,
    Role.SPACE_HEATING,
    Role.HOT_TAP_WATER,
    Role.INDOOR_CLIMATE,
)
# The roles a home has one meter for: the NOM roles but the indoor climate (sensors in other
# rooms than the living room are welcome); auxiliary, cold water and radiator meters are not
# NOM roles.
SINGLE_ROLES: Final = frozenset(NOM_ROLES) - {Role.INDOOR_CLIMATE}


def check_configuration(home: HomeSnapshot) -> list[Finding]:
    """A finding per NOM role without a meter, and per single role with more than one."""
    findings: list[Finding] = []
    for role in NOM_ROLES:
        meters = home.meters_in(role)
        if not meters:
            findings.append(finding(FindingCode.ROLE_MISSING, subject=role, role=role))
        elif len(meters) > 1 and role in SINGLE_ROLES:
            findings.append(
                finding(
                    FindingCode.ROLE_DUPLICATED,
                    *sorted(meter.meter_id for meter in meters),
                    subject=role,
                    role=role,
                    count=str(len(meters)),
                )
            )
    return findings
