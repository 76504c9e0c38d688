"""Subentry flow of a wireless M-Bus meter: its id, driver, key and role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
import re
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import probatio

from ..bus.connection import DEFAULT_WMBUS_RADIO, Bus, BusConnection, Transport
from ..bus.wmbus.config_text import TOKEN_FILE, MeterLine, setup_text
from ..bus.wmbus.drivers import SELECTABLE_DRIVERS, driver_info
from ..const import (
    CONF_DRIVER,
    CONF_KEY,
    CONF_METER_ID,
    CONF_ROLE,
    DOMAIN,
    DRIVER_AUTO,
    SUBENTRY_WMBUS_METER,
)
from ..domain.roles import Role
from ..domain.wmbus_roles import WMBUS_ROLES, roles_for_meter_kind
from .coordinator import WmbusCoordinator, WmbusMeterFound
from .settings import WmbusMeterSettings, normalize_key, normalize_meter_id
from .webhook import async_endpoint_url

CONF_HEARD = "heard"
HEARD_OTHER = "other"
# A driver that the list does not name is typed in its own field: a drop-down that takes
# typed values shows the raw option value ("auto") instead of its translated label.
CONF_OTHER_DRIVER = "other_driver"
DRIVER_OTHER = "other"
# A driver name as a wmbusmeters meter file takes it (bus.wmbus.config_text.MeterLine):
# a driver typed in that is not one would break the meter's wmbusmeters lines.
DRIVER_NAME = re.compile(r"[a-z0-9_][a-z0-9_.:,-]*")
LISTED_DRIVERS = (DRIVER_AUTO, *SELECTABLE_DRIVERS)

DRIVER_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[*LISTED_DRIVERS, DRIVER_OTHER],
        translation_key="wmbus_driver",
        mode=SelectSelectorMode.DROPDOWN,
    )
)


def role_selector(roles: tuple[Role, ...] = WMBUS_ROLES) -> SelectSelector:
    """The roles a meter can fill, in the user's language."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[role.value for role in roles],
            translation_key="wmbus_meter_role",
            mode=SelectSelectorMode.LIST,
        )
    )


def meter_schema(defaults: Mapping[str, Any]) -> probatio.Schema:
    """The meter's id, driver (one from the list, or another typed in), key and role."""
    driver = defaults.get(CONF_DRIVER) or DRIVER_AUTO
    listed = driver in LISTED_DRIVERS
    return probatio.Schema(
        {
            probatio.Required(CONF_METER_ID, default=defaults.get(CONF_METER_ID, "")): (
                TextSelector()
            ),
            probatio.Required(CONF_DRIVER, default=driver if listed else DRIVER_OTHER): (
                DRIVER_SELECTOR
            ),
            probatio.Optional(
                CONF_OTHER_DRIVER, description={"suggested_value": "" if listed else driver}
            ): TextSelector(),
            # Suggested, not a default: the UI leaves out a field the user cleared, and a
            # default would bring the old key back.
            probatio.Optional(
                CONF_KEY, description={"suggested_value": defaults.get(CONF_KEY) or ""}
            ): TextSelector(),
            probatio.Required(CONF_ROLE, default=defaults.get(CONF_ROLE, Role.COLD_WATER)): (
                role_selector()
            ),
        }
    )


def settings_from_input(
    user_input: Mapping[str, Any], taken_ids: set[str]
) -> tuple[WmbusMeterSettings | None, dict[str, str]]:
    """The meter's settings, or the translated error of each field that is wrong."""
    errors: dict[str, str] = {}
    meter_id = normalize_meter_id(str(user_input[CONF_METER_ID]))
    if meter_id is None:
        errors[CONF_METER_ID] = "invalid_meter_id"
    elif meter_id in taken_ids:
        errors[CONF_METER_ID] = "meter_id_in_use"
    key = normalize_key(user_input.get(CONF_KEY))
    if key is None:
        errors[CONF_KEY] = "invalid_key_format"
    driver = str(user_input[CONF_DRIVER])
    if driver == DRIVER_OTHER:
        driver = str(user_input.get(CONF_OTHER_DRIVER) or "").strip().lower()
    role = Role(user_input[CONF_ROLE])
    if not DRIVER_NAME.fullmatch(driver):
        errors[CONF_OTHER_DRIVER] = "invalid_driver"
    elif role not in roles_for_meter_kind(driver_info(driver).kind.value):
        errors[CONF_ROLE] = "role_not_for_meter"
    if errors or meter_id is None:
        return None, errors
    return WmbusMeterSettings(meter_id=meter_id, driver=driver, key=key or None, role=role), {}


def discovery_unique_id(meter_id: str) -> str:
    """The unique id of the discovery flow that offers a heard meter."""
    return f"wmbus_{meter_id}"


@callback
def async_abort_discovery(hass: HomeAssistant, meter_id: str) -> None:
    """Withdraw the offer of a meter that was just added by hand."""
    flows = hass.config_entries.flow.async_progress_by_handler(
        DOMAIN, match_context={"unique_id": discovery_unique_id(meter_id)}
    )
    for flow in flows:
        hass.config_entries.flow.async_abort(flow["flow_id"])


def taken_meter_ids(entry: ConfigEntry, excluding: str | None = None) -> set[str]:
    """The ids of the installation's wM-Bus meters, but the one being changed."""
    return {
        subentry.data[CONF_METER_ID]
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_WMBUS_METER and subentry.subentry_id != excluding
    }


async def async_wmbus_meter_title(hass: HomeAssistant, role: Role, meter_id: str) -> str:
    """The meter's name: its role in the user's language, and its id."""
    translations = await async_get_translations(hass, hass.config.language, "selector", [DOMAIN])
    name = translations.get(
        f"component.{DOMAIN}.selector.wmbus_meter_role.options.{role}", role.value
    )
    return f"{name} · wM-Bus {meter_id}"


def heard_meters(entry: ConfigEntry) -> list[WmbusMeterFound]:
    """The unclaimed meters the installation heard lately."""
    hub = getattr(entry, "runtime_data", None)
    coordinator = hub.coordinator(WmbusCoordinator) if hub is not None else None
    if coordinator is None:
        return []
    claimed = taken_meter_ids(entry)
    return [m for m in coordinator.recently_heard(dt_util.utcnow()) if m.meter_id not in claimed]


def heard_label(meter: WmbusMeterFound) -> str:
    """How a heard meter is listed: "12345678 · Kamstrup Multical 21 · -71 dBm"."""
    info = driver_info(meter.driver)
    product = " ".join(p for p in (info.manufacturer, info.model) if p) or meter.driver
    parts = [meter.meter_id, product]
    if meter.rssi_dbm is not None:
        parts.append(f"{meter.rssi_dbm:.0f} dBm")
    return " · ".join(parts)


def endpoint_setup_text(
    hass: HomeAssistant, connection: BusConnection, meters: list[WmbusMeterSettings]
) -> str:
    """The wmbusmeters configuration that posts these meters' telegrams to the installation."""
    return setup_text(
        async_endpoint_url(hass, connection.webhook_id or ""),
        connection.token,
        DEFAULT_WMBUS_RADIO,
        [
            MeterLine(
                name=f"benext_{meter.meter_id}",
                driver=meter.driver,
                meter_id=meter.meter_id,
                key=meter.key,
            )
            for meter in meters
        ],
        token_file=TOKEN_FILE,
    )


class WmbusMeterSubentryFlow(ConfigSubentryFlow):
    """Add a wireless M-Bus meter (one heard lately, or by its id), or change one."""

    def __init__(self) -> None:
        """Start a flow."""
        self._defaults: dict[str, Any] = {}
        self._settings: WmbusMeterSettings | None = None

    def _connection(self) -> BusConnection | None:
        data = self._get_entry().data.get(Bus.WMBUS)
        return BusConnection.from_dict(Bus.WMBUS, data) if data is not None else None

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Pick a meter heard lately, or enter another."""
        if self._connection() is None:
            return self.async_abort(reason="wmbus_not_configured")
        heard = heard_meters(self._get_entry())
        if not heard:
            return await self.async_step_meter()
        if user_input is not None:
            chosen = next((m for m in heard if m.meter_id == user_input[CONF_HEARD]), None)
            if chosen is not None:
                roles = roles_for_meter_kind(driver_info(chosen.driver).kind.value)
                self._defaults = {
                    CONF_METER_ID: chosen.meter_id,
                    CONF_DRIVER: chosen.driver,
                    CONF_ROLE: roles[0].value,
                }
            return await self.async_step_meter()
        options = [SelectOptionDict(value=m.meter_id, label=heard_label(m)) for m in heard]
        options.append(SelectOptionDict(value=HEARD_OTHER, label=HEARD_OTHER))
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_HEARD): SelectSelector(
                        SelectSelectorConfig(
                            options=options,
                            mode=SelectSelectorMode.LIST,
                            translation_key="wmbus_heard",
                        )
                    )
                }
            ),
        )

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The meter's id, driver, key and role."""
        errors: dict[str, str] = {}
        if user_input is not None:
            settings, errors = settings_from_input(user_input, taken_meter_ids(self._get_entry()))
            if settings is not None:
                self._settings = settings
                return await self.async_step_wmbus_config()
        schema = meter_schema(self._defaults)
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="meter", data_schema=schema, errors=errors)

    async def async_step_wmbus_config(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show the wmbusmeters lines for the meter, where wmbusmeters posts to us."""
        settings = self._settings
        if settings is None:
            return await self.async_step_meter()
        connection = self._connection()
        if (
            user_input is not None
            or connection is None
            or connection.transport is not Transport.HTTP
        ):
            async_abort_discovery(self.hass, settings.meter_id)
            return self.async_create_entry(
                title=await async_wmbus_meter_title(self.hass, settings.role, settings.meter_id),
                data=settings.as_data(),
                unique_id=settings.meter_id,
            )
        return self.async_show_form(
            step_id="wmbus_config",
            description_placeholders={
                "config": endpoint_setup_text(self.hass, connection, [settings]),
                "token_file": TOKEN_FILE,
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a meter's id, driver, key or role."""
        subentry = self._get_reconfigure_subentry()
        current = WmbusMeterSettings.from_subentry(subentry)
        errors: dict[str, str] = {}
        if user_input is not None:
            taken = taken_meter_ids(self._get_entry(), excluding=subentry.subentry_id)
            settings, errors = settings_from_input(user_input, taken)
            if settings is not None:
                if settings.meter_id == current.meter_id and settings.driver == current.driver:
                    # The same meter: what it sends is still known.
                    settings = replace(
                        settings, fields=current.fields, detected_driver=current.detected_driver
                    )
                return self.async_update_and_abort(
                    self._get_entry(),
                    subentry,
                    title=await async_wmbus_meter_title(
                        self.hass, settings.role, settings.meter_id
                    ),
                    data=settings.as_data(),
                    unique_id=settings.meter_id,
                )
        schema = meter_schema(current.as_data())
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="reconfigure", data_schema=schema, errors=errors)
