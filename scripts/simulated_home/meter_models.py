"""The kWh meter models the simulated RS485 bus can carry, and what a meter measures."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math

Phases = tuple[float, float, float]
Tariffs = tuple[float, float, float, float]


class MeterModel(StrEnum):
    """A kWh meter model, named as the integration's configuration names it."""

    EASTRON_SDM630 = "eastron_sdm630"
    EASTRON_SDM220 = "eastron_sdm220"  # the SDM230 has the same registers
    EASTRON_SDM120 = "eastron_sdm120"
    INEPRO_PRO380 = "inepro_pro380"
    INEPRO_PRO1 = "inepro_pro1"
    INEPRO_4PS = "inepro_4ps"  # the PRO380 map plus four tariffs

    @property
    def eastron(self) -> bool:
        """An Eastron meter: input registers; otherwise Inepro: holding registers."""
        return self.value.startswith("eastron")

    @property
    def three_phase(self) -> bool:
        """A 3-phase meter; the others measure L1 only."""
        return self in {MeterModel.EASTRON_SDM630, MeterModel.INEPRO_PRO380, MeterModel.INEPRO_4PS}


@dataclass(slots=True)
class MeterReadings:
    """What a meter measures at one instant.

    Powers are in W and signed as the meter sees them: negative when energy flows
    back to the grid (a PV inverter behind a meter wired as a consumer). A 1-phase
    meter uses index 0 of the per-phase values. Tariffs are T1..T4; the 2-tariff
    models show T1 and T2 only. The per-phase energies that 3-phase meters also
    keep are taken as a third of the totals each.
    """

    power_w: float = 0.0
    import_kwh: float = 0.0
    export_kwh: float = 0.0
    voltage_v: Phases = (230.0, 230.0, 230.0)
    current_a: Phases = (0.0, 0.0, 0.0)
    phase_power_w: Phases = (0.0, 0.0, 0.0)
    frequency_hz: float = 50.0
    power_factor: float = 1.0
    import_kwh_tariff: Tariffs = (0.0, 0.0, 0.0, 0.0)
    export_kwh_tariff: Tariffs = (0.0, 0.0, 0.0, 0.0)
    active_tariff: int = 1
    day_kwh: float = 0.0  # the Inepro 4PS's energy of the day

    @property
    def apparent_va(self) -> Phases:
        """Apparent power per phase."""
        v, i = self.voltage_v, self.current_a
        return (v[0] * i[0], v[1] * i[1], v[2] * i[2])

    @property
    def reactive_var(self) -> Phases:
        """Reactive power per phase, from the apparent and the active power."""
        s, p = self.apparent_va, self.phase_power_w
        return (_reactive(s[0], p[0]), _reactive(s[1], p[1]), _reactive(s[2], p[2]))

    @property
    def phase_angle_deg(self) -> float:
        """The angle between voltage and current that the power factor stands for."""
        return math.degrees(math.acos(max(-1.0, min(1.0, self.power_factor))))

    @classmethod
    def from_power(
        cls,
        power_w: float,
        *,
        three_phase: bool,
        import_kwh: float,
        export_kwh: float,
        voltage_v: Phases = (230.0, 230.0, 230.0),
        power_factor: float = 1.0,
        frequency_hz: float = 50.0,
    ) -> MeterReadings:
        """Readings with the power spread evenly over the phases and matching currents."""
        phases = 3 if three_phase else 1
        phase_power = tuple(power_w / phases if i < phases else 0.0 for i in range(3))
        current = tuple(
            abs(p) / (v * abs(power_factor)) if power_factor and v else 0.0
            for p, v in zip(phase_power, voltage_v, strict=True)
        )
        return cls(
            power_w=power_w,
            import_kwh=import_kwh,
            export_kwh=export_kwh,
            voltage_v=voltage_v,
            current_a=(current[0], current[1], current[2]),
            phase_power_w=(phase_power[0], phase_power[1], phase_power[2]),
            frequency_hz=frequency_hz,
            power_factor=power_factor,
        )


def _reactive(apparent: float, active: float) -> float:
    return math.sqrt(max(apparent * apparent - active * active, 0.0))
