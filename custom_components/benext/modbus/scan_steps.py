"""The kWh meter subentry flow's bus scan: every answering meter, added in one go."""

from __future__ import annotations

import asyncio
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigSubentry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from ..bus.reachability import BusUnreachableError
from ..const import SUBENTRY_KWH_METER
from ..domain.roles import BENEXT_MODBUS_ADDRESSES, MODBUS_ADDRESS_MIN, Role
from ..domain.validation.snapshot import ScanHit
from .probe import ModbusMeterFound, async_bus_client, async_scan
from .scan_hits import async_store_scan_hits
from .subentry import ADDRESS_SELECTOR, async_kwh_meter_title, meter_data, taken_addresses

CONF_FIRST_ADDRESS = "first_address"
CONF_LAST_ADDRESS = "last_address"
CONF_METERS = "meters"
DEFAULT_SCAN_LAST_ADDRESS = 32


class ModbusScanSteps(ConfigSubentryFlow):
    """Scan a range of addresses, list the kWh meters that answer, and add the chosen ones."""

    def __init__(self) -> None:
        """Start with BeNext's default range and nothing scanned."""
        super().__init__()
        self._scan_range = range(MODBUS_ADDRESS_MIN, DEFAULT_SCAN_LAST_ADDRESS + 1)
        self._scan_task: asyncio.Task[list[ModbusMeterFound]] | None = None
        self._scanned: list[ModbusMeterFound] = []

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Which addresses to scan."""
        errors: dict[str, str] = {}
        if user_input is not None:
            first, last = int(user_input[CONF_FIRST_ADDRESS]), int(user_input[CONF_LAST_ADDRESS])
            if first > last:
                errors[CONF_LAST_ADDRESS] = "invalid_range"
            else:
                self._scan_range = range(first, last + 1)
                return await self.async_step_scanning()
        schema = probatio.Schema(
            {
                probatio.Required(CONF_FIRST_ADDRESS, default=MODBUS_ADDRESS_MIN): ADDRESS_SELECTOR,
                probatio.Required(
                    CONF_LAST_ADDRESS, default=DEFAULT_SCAN_LAST_ADDRESS
                ): ADDRESS_SELECTOR,
            }
        )
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="scan", data_schema=schema, errors=errors)

    async def async_step_scanning(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Scan the bus, one address after the other."""
        if self._scan_task is None:
            self._scan_task = self.hass.async_create_task(self._async_scan())
        if not self._scan_task.done():
            return self.async_show_progress(
                step_id="scanning",
                progress_action="scanning",
                progress_task=self._scan_task,
                description_placeholders={
                    "first": str(self._scan_range.start),
                    "last": str(self._scan_range.stop - 1),
                },
            )
        try:
            self._scanned = self._scan_task.result()
        except BusUnreachableError:
            return self.async_show_progress_done(next_step_id="scan_failed")
        async_store_scan_hits(
            self.hass,
            self._get_entry(),
            self._scan_range,
            [ScanHit(meter.address, meter.model.value) for meter in self._scanned],
        )
        return self.async_show_progress_done(next_step_id="scan_result")

    async def async_step_scan_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The bus could not be opened for the scan."""
        return self.async_abort(reason="cannot_connect")

    async def async_step_scan_result(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The meters that answered: add the chosen ones in one go."""
        if not self._scanned:
            return self.async_abort(
                reason="no_meters_found",
                description_placeholders={
                    "first": str(self._scan_range.start),
                    "last": str(self._scan_range.stop - 1),
                },
            )
        if user_input is not None:
            chosen = [m for m in self._scanned if str(m.address) in user_input[CONF_METERS]]
            if not chosen:
                return self.async_abort(reason="no_meters_chosen")
            entry = self._get_entry()
            meters = [meter_data(_role_at(meter.address), meter) for meter in chosen]
            titles = [await async_kwh_meter_title(self.hass, data) for data in meters]
            # A flow creates one subentry: these are added directly, all at once so that the
            # reload the first one starts sees every one of them, and the flow ends saying
            # which were added.
            for data, title in zip(meters, titles, strict=True):
                self.hass.config_entries.async_add_subentry(
                    entry,
                    ConfigSubentry(
                        data=MappingProxyType(data),
                        subentry_type=SUBENTRY_KWH_METER,
                        title=title,
                        unique_id=None,
                    ),
                )
            return self.async_abort(
                reason="kwh_meters_added",
                description_placeholders={"count": str(len(titles)), "meters": ", ".join(titles)},
            )
        options = [
            SelectOptionDict(value=str(meter.address), label=meter.label) for meter in self._scanned
        ]
        return self.async_show_form(
            step_id="scan_result",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_METERS, default=[option["value"] for option in options]
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=options, multiple=True, mode=SelectSelectorMode.LIST
                        )
                    )
                }
            ),
            description_placeholders={"count": str(len(self._scanned))},
        )

    async def _async_scan(self) -> list[ModbusMeterFound]:
        entry = self._get_entry()
        async with async_bus_client(entry) as client:
            return await async_scan(client, self._scan_range, taken_addresses(entry))


def _role_at(address: int) -> Role:
    """The role BeNext gives the meter at this address; any other is auxiliary."""
    for role, benext_address in BENEXT_MODBUS_ADDRESSES.items():
        if benext_address == address:
            return role
    return Role.AUXILIARY
