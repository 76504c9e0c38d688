"""The kWh meter models that can sit on the home's RS485 bus."""

from __future__ import annotations

from enum import StrEnum


class KwhMeterModel(StrEnum):
    """A kWh meter model, or `detect` to identify the meter by probing it."""

    DETECT = "detect"
    EASTRON_SDM630 = "eastron_sdm630"
    EASTRON_SDM220 = "eastron_sdm220"
    EASTRON_SDM120 = "eastron_sdm120"
    INEPRO_PRO380 = "inepro_pro380"
    INEPRO_PRO1 = "inepro_pro1"
    INEPRO_4PS = "inepro_4ps"
    KLEFR_69X4 = "klefr_69x4"
    CONTROLIN_SKD = "controlin_skd"


# Manufacturer and model as printed on the meter, for the device registry.
MODEL_NAMES: dict[KwhMeterModel, tuple[str, str]] = {
    KwhMeterModel.EASTRON_SDM630: ("Eastron", "SDM630"),
    KwhMeterModel.EASTRON_SDM220: ("Eastron", "SDM220/SDM230"),
    KwhMeterModel.EASTRON_SDM120: ("Eastron", "SDM120"),
    KwhMeterModel.INEPRO_PRO380: ("Inepro", "PRO380"),
    KwhMeterModel.INEPRO_PRO1: ("Inepro", "PRO1"),
    KwhMeterModel.INEPRO_4PS: ("Inepro", "4PS"),
    KwhMeterModel.KLEFR_69X4: ("Klefr", "6914/6924/6934"),
    KwhMeterModel.CONTROLIN_SKD: ("Controlin", "SKD"),
}
