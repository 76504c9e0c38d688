"""The kWh meter models that can sit on the home's RS485 bus, and their register maps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..bus.modbus.register_maps import MapFamily


class ModbusMeterModel(StrEnum):
    """A kWh meter model, or `detect` to identify the meter by probing it."""

    DETECT = "detect"
    EASTRON_SDM630 = "eastron_sdm630"
    EASTRON_SDM220 = "eastron_sdm220"
    EASTRON_SDM120 = "eastron_sdm120"
    INEPRO_PRO380 = "inepro_pro380"
    INEPRO_PRO1 = "inepro_pro1"
    INEPRO_4PS = "inepro_4ps"
    KLEFR_6914 = "klefr_6914"
    KLEFR_6924 = "klefr_6924"
    KLEFR_6934 = "klefr_6934"
    CONTROLIN_SKD045 = "controlin_skd045"
    CONTROLIN_SKD100 = "controlin_skd100"
    CONTROLIN_SKD103 = "controlin_skd103"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """How a model is named on its label, and the register map it uses.

    `family` is None where no register map is published (Controlin) or the model is
    not documented (Klefr 6914): such a meter is probed, and the map that answers is kept.
    """

    manufacturer: str
    name: str
    family: MapFamily | None


MODELS: dict[ModbusMeterModel, ModelInfo] = {
    ModbusMeterModel.EASTRON_SDM630: ModelInfo("Eastron", "SDM630", MapFamily.EASTRON_3P),
    ModbusMeterModel.EASTRON_SDM220: ModelInfo("Eastron", "SDM220/SDM230", MapFamily.EASTRON_1P),
    ModbusMeterModel.EASTRON_SDM120: ModelInfo("Eastron", "SDM120", MapFamily.EASTRON_1P),
    ModbusMeterModel.INEPRO_PRO380: ModelInfo("Inepro", "PRO380", MapFamily.INEPRO_3P),
    ModbusMeterModel.INEPRO_PRO1: ModelInfo("Inepro", "PRO1", MapFamily.INEPRO_1P),
    ModbusMeterModel.INEPRO_4PS: ModelInfo("Inepro", "4PS", MapFamily.INEPRO_4PS),
    ModbusMeterModel.KLEFR_6914: ModelInfo("Klefr", "6914", None),
    # Klefr 6924 is an Inepro PRO380 and 6934 a PRO1 (see the register map notes).
    ModbusMeterModel.KLEFR_6924: ModelInfo("Klefr", "6924", MapFamily.INEPRO_3P),
    ModbusMeterModel.KLEFR_6934: ModelInfo("Klefr", "6934", MapFamily.INEPRO_1P),
    ModbusMeterModel.CONTROLIN_SKD045: ModelInfo("Controlin", "SKD-045-M", None),
    ModbusMeterModel.CONTROLIN_SKD100: ModelInfo("Controlin", "SKD-100-M", None),
    ModbusMeterModel.CONTROLIN_SKD103: ModelInfo("Controlin", "SKD-103-M", None),
}

# The model a detected register map suggests; the user can pick a rebrand instead.
DETECTED_MODEL: dict[MapFamily, ModbusMeterModel] = {
    MapFamily.EASTRON_3P: ModbusMeterModel.EASTRON_SDM630,
    MapFamily.EASTRON_1P: ModbusMeterModel.EASTRON_SDM220,
    MapFamily.INEPRO_3P: ModbusMeterModel.INEPRO_PRO380,
    MapFamily.INEPRO_1P: ModbusMeterModel.INEPRO_PRO1,
    MapFamily.INEPRO_4PS: ModbusMeterModel.INEPRO_4PS,
}


def answers_as(configured: str, found: str) -> bool:
    """Whether a meter a scan found as `found` may be the meter configured as `configured`.

    A scan names a meter by the register map that answers (DETECTED_MODEL), so a rebrand
    or sibling on the same map is found under another name: an SDM120 as an SDM220.
    """
    if configured == found:
        return True
    family = _family(configured)
    return family is not None and family == _family(found)


def _family(model: str) -> MapFamily | None:
    info = MODELS.get(ModbusMeterModel(model)) if model in ModbusMeterModel else None
    return info.family if info is not None else None
