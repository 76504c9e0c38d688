"""Set up an installation's wireless M-Bus: its meters, and how their telegrams arrive."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from ..bus.connection import DEFAULT_WMBUS_RADIO, Bus, BusConnection, Transport
from ..bus.wmbus.config_text import MeterLine, make_private_dir
from ..bus.wmbus.drivers import driver_info
from ..bus.wmbus.log_lines import undecryptable_meter_id
from ..bus.wmbus.process import ManagedSettings, WmbusmetersRunner, find_wmbusmeters
from ..const import CONF_WEBHOOK_ID, DOMAIN, LOGGER, SUBENTRY_WMBUS_METER
from ..entry_issues import async_forget_entry_issues
from ..runtime import BeNextConfigEntry
from .coordinator import WRONG_KEY_ISSUE, WmbusCoordinator, WmbusMeter
from .settings import WmbusMeterSettings
from .webhook import async_register_endpoint


@callback
def async_ensure_webhook_id(
    hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
) -> BusConnection:
    """Give an installation whose wmbusmeters posts to it an endpoint id, if it has none."""
    data = entry.data[Bus.WMBUS]
    if connection.transport is not Transport.HTTP or data.get(CONF_WEBHOOK_ID):
        return connection
    data = {**data, CONF_WEBHOOK_ID: webhook.async_generate_id()}
    hass.config_entries.async_update_entry(entry, data={**entry.data, Bus.WMBUS: data})
    return BusConnection.from_dict(Bus.WMBUS, data)


def wmbus_coordinator(
    hass: HomeAssistant, entry: BeNextConfigEntry, connection: BusConnection
) -> WmbusCoordinator:
    """The coordinator of the installation's wM-Bus meters (its subentries)."""
    meters = [
        WmbusMeter(
            subentry_id=subentry.subentry_id,
            title=subentry.title,
            settings=WmbusMeterSettings.from_subentry(subentry),
        )
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_WMBUS_METER
    ]
    coordinator = WmbusCoordinator(hass, entry, connection, meters)

    @callback
    def store(meter: WmbusMeter) -> None:
        # What the meter sends is kept, so its entities exist from the start next time.
        subentry = entry.subentries.get(meter.subentry_id)
        if subentry is None:
            return
        hass.config_entries.async_update_subentry(
            entry, subentry, data={**subentry.data, **meter.settings.as_data()}
        )
        # A meter set to "auto" names its maker and model once its driver is known.
        registry = dr.async_get(hass)
        device = registry.async_get_device_by_identifier(
            (DOMAIN, meter.subentry_id), entry.entry_id
        )
        if device is not None:
            driver = driver_info(meter.settings.effective_driver)
            registry.async_update_device(
                device.id,
                manufacturer=driver.manufacturer,
                model=driver.model,
                model_id=driver.driver,
            )

    coordinator.on_meter_widened = store
    # The keys now set are tried afresh; a meter that is gone takes its issue with it.
    async_forget_entry_issues(hass, entry, WRONG_KEY_ISSUE)
    return coordinator


async def async_start_wmbus(
    hass: HomeAssistant, entry: BeNextConfigEntry, coordinator: WmbusCoordinator
) -> Callable[[], Coroutine[Any, Any, None] | None]:
    """Start receiving telegrams; returns what stops it."""
    connection = coordinator.connection
    if connection.transport is Transport.HTTP:
        return async_register_endpoint(hass, entry.title, coordinator)
    program = await hass.async_add_executor_job(find_wmbusmeters)
    if program is None:
        # The bus's reachability check shows it offline, and why, until it is installed.
        LOGGER.error("No wmbusmeters program installed: %s receives no telegrams", entry.title)
        return lambda: None

    def take(value: object) -> None:
        coordinator.async_handle(value)

    def read_log(line: str) -> None:
        # A wrong key gives no JSON at all, only this log line.
        if (meter_id := undecryptable_meter_id(line)) is not None:
            coordinator.async_note_undecryptable(meter_id)

    # The folder of every installation's managed configuration (keys in it): owner only.
    config_dir = Path(hass.config.path(".storage", DOMAIN, entry.entry_id))
    await hass.async_add_executor_job(make_private_dir, config_dir.parent)
    runner = WmbusmetersRunner(
        ManagedSettings(
            program=program,
            device=connection.radio or DEFAULT_WMBUS_RADIO,
            meters=tuple(
                MeterLine(
                    name=f"benext_{meter.settings.meter_id}",
                    driver=meter.settings.driver,
                    meter_id=meter.settings.meter_id,
                    key=meter.settings.key,
                )
                for meter in coordinator.meters.values()
            ),
            config_dir=config_dir,
        ),
        take,
        on_log_line=read_log,
        logger=LOGGER,
    )
    await runner.async_start()
    return runner.async_stop
