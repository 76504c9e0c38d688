"""The installation flow's steps for the smart meter's P1 port: how it is reached, and its meter."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentry,
    ConfigSubentryData,
)
from homeassistant.helpers.selector import SerialPortSelector, TextSelector
import probatio

from ..bus.connection import (
    DEFAULT_P1_BAUDRATE,
    DEFAULT_P1_NETWORK_PORT,
    DEFAULT_TASMOTA_HTTP_PORT,
    Bus,
    BusConnection,
    SerialSettings,
    Transport,
)
from ..bus.p1.tasmota import device_topic
from ..connection_flow import (
    BusInstallationSteps,
    BusOption,
    SettingsForm,
    network_connection,
    network_schema,
)
from ..const import (
    CONF_DEVICE,
    CONF_P1_POWER_INTERVAL,
    CONF_P1_TOTAL_INTERVAL,
    CONF_TOPIC,
    DEFAULT_P1_POWER_INTERVAL,
    DEFAULT_P1_TOTAL_INTERVAL,
    P1_POWER_INTERVAL_MAX,
    P1_TOTAL_INTERVAL_MAX,
    SUBENTRY_SMART_METER,
)
from .flow import async_p1_meter_title
from .meter_steps import P1MeterSteps
from .settings import P1MeterSettings

P1_SERIAL_SCHEMA = probatio.Schema({probatio.Required(CONF_DEVICE): SerialPortSelector()})
P1_TASMOTA_MQTT_SCHEMA = probatio.Schema({probatio.Required(CONF_TOPIC): TextSelector()})


def _serial_connection(bus: Bus, transport: Transport, user_input: dict[str, Any]) -> BusConnection:
    # A DSMR 4 or 5 meter's line; the meter heard tells the line it was heard on.
    serial = SerialSettings(device=user_input[CONF_DEVICE], baudrate=DEFAULT_P1_BAUDRATE)
    return BusConnection(bus, transport, serial=serial)


def _tasmota_mqtt_connection(
    bus: Bus, transport: Transport, user_input: dict[str, Any]
) -> BusConnection:
    return BusConnection(bus, transport, topic=device_topic(user_input[CONF_TOPIC]))


SERIAL_FORM = SettingsForm(
    "p1_serial", Bus.P1, Transport.SERIAL, P1_SERIAL_SCHEMA, _serial_connection
)
NETWORK_FORM = SettingsForm(
    "p1_network",
    Bus.P1,
    Transport.NETWORK,
    network_schema(DEFAULT_P1_NETWORK_PORT),
    network_connection,
)
TASMOTA_MQTT_FORM = SettingsForm(
    "p1_tasmota_mqtt",
    Bus.P1,
    Transport.TASMOTA_MQTT,
    P1_TASMOTA_MQTT_SCHEMA,
    _tasmota_mqtt_connection,
)
TASMOTA_HTTP_FORM = SettingsForm(
    "p1_tasmota_http",
    Bus.P1,
    Transport.TASMOTA_HTTP,
    network_schema(DEFAULT_TASMOTA_HTTP_PORT),
    network_connection,
)


class P1InstallationSteps(BusInstallationSteps):
    """Choose how the P1 port is reached, listen for its meter and confirm it."""

    BUS = Bus.P1
    OPTIONS = (
        BusOption(CONF_P1_POWER_INTERVAL, DEFAULT_P1_POWER_INTERVAL, 0, P1_POWER_INTERVAL_MAX, "s"),
        BusOption(CONF_P1_TOTAL_INTERVAL, DEFAULT_P1_TOTAL_INTERVAL, 0, P1_TOTAL_INTERVAL_MAX, "s"),
    )

    def __init__(self) -> None:
        """Start with no smart meter heard."""
        super().__init__()
        self._p1_meter = P1MeterSteps(
            self,
            meter_step_id="p1_meter",
            tasmota_meter_step_id="p1_tasmota_meter",
            async_restart=self.async_step_p1,
            async_confirmed=self._async_p1_meter_confirmed,
        )
        # The smart meter's settings once confirmed: it becomes the installation's subentry.
        self._smart_meter: P1MeterSettings | None = None

    async def async_step_p1(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the smart meter's P1 port is reached."""
        settings_steps = {
            Transport.SERIAL: self.async_step_p1_serial,
            Transport.NETWORK: self.async_step_p1_network,
            Transport.TASMOTA_MQTT: self.async_step_p1_tasmota_mqtt,
            Transport.TASMOTA_HTTP: self.async_step_p1_tasmota_http,
        }
        return await self._async_transport_step(Bus.P1, user_input, settings_steps)

    async def async_step_p1_serial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The serial port of the P1 cable."""
        return await self._async_p1_settings_step(SERIAL_FORM, user_input)

    async def async_step_p1_network(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The network reader that streams P1 telegrams."""
        return await self._async_p1_settings_step(NETWORK_FORM, user_input)

    async def async_step_p1_tasmota_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The MQTT topic of a Tasmota reader (gPlug)."""
        if user_input is not None and not device_topic(user_input[CONF_TOPIC]):
            return self.async_show_form(
                step_id="p1_tasmota_mqtt",
                data_schema=self.add_suggested_values_to_schema(P1_TASMOTA_MQTT_SCHEMA, user_input),
                errors={CONF_TOPIC: "invalid_topic"},
            )
        return await self._async_p1_settings_step(TASMOTA_MQTT_FORM, user_input)

    async def async_step_p1_tasmota_http(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The address of a Tasmota reader (gPlug), whose HTTP API is polled."""
        return await self._async_p1_settings_step(TASMOTA_HTTP_FORM, user_input)

    async def async_step_p1_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the smart meter found on the P1 port; confirm or override its variant."""
        return await self._p1_meter.async_step_meter(user_input)

    async def async_step_p1_tasmota_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the smart meter whose values the Tasmota reader sends."""
        return await self._p1_meter.async_step_tasmota_meter(user_input)

    async def _async_p1_settings_step(
        self, form: SettingsForm, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """A settings step whose port counts only once the meter behind it is heard."""
        return await self._async_settings_step(
            form,
            user_input,
            async_check=self._p1_meter.async_listen,
            async_connected=self._async_p1_meter_heard,
        )

    async def _async_p1_meter_heard(self, connection: BusConnection) -> ConfigFlowResult:
        """Keep the port as the meter was heard on it, and show the meter."""
        self._buses[Bus.P1] = self._p1_meter.connection
        return await self._p1_meter.async_show_heard()

    async def _async_p1_meter_confirmed(self, settings: P1MeterSettings) -> ConfigFlowResult:
        self._smart_meter = settings
        return await self._async_bus_done(Bus.P1)

    async def _async_meters_found(self) -> list[ConfigSubentryData]:
        """The buses' meters, with the smart meter confirmed on the P1 port."""
        found = await super()._async_meters_found()
        if self._smart_meter is not None and Bus.P1 in self._buses:
            title = await async_p1_meter_title(self.hass)
            found.append(_p1_meter_subentry(self._smart_meter, title))
        return found

    async def _async_store_meters_found(self, entry: ConfigEntry) -> None:
        """Keep the smart meter subentry in step with the meter now on the port."""
        await super()._async_store_meters_found(entry)
        settings = self._smart_meter
        if settings is None or Bus.P1 not in self._buses:
            return
        existing = next(
            (s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_SMART_METER),
            None,
        )
        if existing is not None:
            self.hass.config_entries.async_update_subentry(
                entry, existing, data=settings.as_data(), unique_id=settings.serial
            )
            return
        subentry = _p1_meter_subentry(settings, await async_p1_meter_title(self.hass))
        self.hass.config_entries.async_add_subentry(
            entry,
            ConfigSubentry(
                data=MappingProxyType(subentry["data"]),
                subentry_type=SUBENTRY_SMART_METER,
                title=subentry["title"],
                unique_id=settings.serial,
            ),
        )


def _p1_meter_subentry(settings: P1MeterSettings, title: str) -> ConfigSubentryData:
    """A smart meter subentry, as the installation's flow creates it."""
    return {
        "subentry_type": SUBENTRY_SMART_METER,
        "data": settings.as_data(),
        "title": title,
        "unique_id": settings.serial,
    }
