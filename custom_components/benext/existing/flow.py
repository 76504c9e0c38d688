"""Subentry flow of an existing entity: a sensor of another integration, and its role."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.config_entries import ConfigEntry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    EntityWithDeviceFilterSelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.helpers.translation import async_get_translations
import probatio

from ..const import CONF_ENTITY_ID, CONF_ROLE, DOMAIN, SUBENTRY_EXISTING_ENTITY
from ..domain.existing_entity_roles import (
    EXISTING_ENTITY_ROLES,
    ROLES_BY_DEVICE_CLASS,
    roles_for_device_class,
)
from ..domain.roles import Role
from .picked_entity import current_entity_id, entity_name, sensor_device_class, stored_entity
from .settings import ExistingEntitySettings

ENTITY_SELECTOR = EntitySelector(
    EntitySelectorConfig(
        filter=EntityWithDeviceFilterSelectorConfig(
            domain=SENSOR_DOMAIN, device_class=list(ROLES_BY_DEVICE_CLASS)
        )
    )
)
# Every role's name (strings.json `selector.role`).
ROLE_SELECTOR = "role"


async def async_role_names(hass: HomeAssistant) -> dict[Role, str]:
    """Each role's name in the installation's language, for the meter's title."""
    translations = await async_get_translations(hass, hass.config.language, "selector", [DOMAIN])
    return {
        role: translations.get(f"component.{DOMAIN}.selector.{ROLE_SELECTOR}.options.{role}", role)
        for role in EXISTING_ENTITY_ROLES
    }


async def async_role_selector(hass: HomeAssistant, roles: tuple[Role, ...]) -> SelectSelector:
    """A list of the roles, named in each user's language."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[role.value for role in roles],
            mode=SelectSelectorMode.LIST,
            translation_key=ROLE_SELECTOR,
        )
    )


async def async_existing_entity_title(hass: HomeAssistant, entity_id: str, role: Role) -> str:
    """The meter's name: the entity's name, and its role in the installation's language."""
    return f"{entity_name(hass, entity_id)} · {(await async_role_names(hass))[role]}"


def taken_entities(entry: ConfigEntry, excluding: str | None = None) -> set[str]:
    """The entities that fill a role of the installation, but the one being changed."""
    return {
        ExistingEntitySettings.from_subentry(subentry).entity
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_EXISTING_ENTITY and subentry.subentry_id != excluding
    }


class ExistingEntitySubentryFlow(ConfigSubentryFlow):
    """Let an entity of another integration fill a role of the home, or change which."""

    def __init__(self) -> None:
        """Start a flow."""
        self._entity_id = ""
        self._roles: tuple[Role, ...] = ()

    def _entity_errors(self, entity_id: str, excluding: str | None = None) -> dict[str, str]:
        """Why the entity cannot fill a role of this installation; none when it can."""
        if not roles_for_device_class(sensor_device_class(self.hass, entity_id)):
            return {CONF_ENTITY_ID: "entity_not_suitable"}
        if stored_entity(self.hass, entity_id) in taken_entities(self._get_entry(), excluding):
            return {CONF_ENTITY_ID: "entity_in_use"}
        return {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Pick the entity: an energy, water, temperature or CO2 sensor."""
        errors: dict[str, str] = {}
        if user_input is not None:
            entity_id = str(user_input[CONF_ENTITY_ID])
            if not (errors := self._entity_errors(entity_id)):
                self._entity_id = entity_id
                self._roles = roles_for_device_class(sensor_device_class(self.hass, entity_id))
                if len(self._roles) == 1:
                    return await self._async_create(self._roles[0])
                return await self.async_step_role()
        schema = probatio.Schema({probatio.Required(CONF_ENTITY_ID): ENTITY_SELECTOR})
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)

    async def async_step_role(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Choose the role, among those the entity's kind of sensor can fill."""
        if user_input is not None:
            return await self._async_create(Role(user_input[CONF_ROLE]))
        return self.async_show_form(
            step_id="role",
            data_schema=probatio.Schema(
                {probatio.Required(CONF_ROLE): await async_role_selector(self.hass, self._roles)}
            ),
            description_placeholders={"entity": entity_name(self.hass, self._entity_id)},
        )

    async def _async_create(self, role: Role) -> SubentryFlowResult:
        settings = ExistingEntitySettings(stored_entity(self.hass, self._entity_id), role)
        return self.async_create_entry(
            title=await async_existing_entity_title(self.hass, self._entity_id, role),
            data=settings.as_data(),
            unique_id=settings.entity,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Pick another entity, or another role for it."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            entity_id = str(user_input[CONF_ENTITY_ID])
            role = Role(user_input[CONF_ROLE])
            errors = self._entity_errors(entity_id, excluding=subentry.subentry_id)
            if not errors and role not in roles_for_device_class(
                sensor_device_class(self.hass, entity_id)
            ):
                errors = {CONF_ROLE: "role_not_for_entity"}
            if not errors:
                settings = ExistingEntitySettings(stored_entity(self.hass, entity_id), role)
                return self.async_update_and_abort(
                    self._get_entry(),
                    subentry,
                    title=await async_existing_entity_title(self.hass, entity_id, role),
                    data=settings.as_data(),
                    unique_id=settings.entity,
                )
        current = ExistingEntitySettings.from_subentry(subentry)
        schema = probatio.Schema(
            {
                probatio.Required(CONF_ENTITY_ID): ENTITY_SELECTOR,
                probatio.Required(CONF_ROLE): await async_role_selector(
                    self.hass, EXISTING_ENTITY_ROLES
                ),
            }
        )
        suggested = user_input or {
            CONF_ENTITY_ID: current_entity_id(self.hass, current.entity),
            CONF_ROLE: current.role.value,
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )
