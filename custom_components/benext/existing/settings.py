"""The settings of an existing entity in a role of the home, as its config subentry stores them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigSubentry

from ..const import CONF_ENTITY_ID, CONF_ROLE
from ..domain.roles import Role


@dataclass(frozen=True, slots=True)
class ExistingEntitySettings:
    """An entity of another integration and the role it fills.

    `entity` is the entity registry's id of the entity, which outlives a renamed entity
    id, or the entity id itself for an entity that is not registered
    (`picked_entity.stored_entity`).
    """

    entity: str
    role: Role

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> ExistingEntitySettings:
        """Read the settings of an existing entity's subentry."""
        return cls.from_data(subentry.data)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ExistingEntitySettings:
        """Read the stored form."""
        return cls(entity=data[CONF_ENTITY_ID], role=Role(data[CONF_ROLE]))

    def as_data(self) -> dict[str, Any]:
        """The form stored in the subentry."""
        return {CONF_ENTITY_ID: self.entity, CONF_ROLE: self.role.value}
