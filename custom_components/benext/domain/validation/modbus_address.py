"""Common fault 3 and 4: a Modbus meter silent at its address, answering at another one."""

from __future__ import annotations

from ..hub_status import BusCondition
from ..modbus_meter_models import answers_as
from .findings import Finding, FindingCode, finding
from .snapshot import MODBUS_BUS, HomeSnapshot


def misaddressed(home: HomeSnapshot) -> dict[str, int]:
    """Silent Modbus meters -> the address where the last scan found a meter of their model.

    Of their model: the same, or one on the same register map, which a scan cannot tell
    apart (`answers_as`). Only addresses no configured meter claims count. Silent meters
    of the same model take the free addresses in order (meters by id, addresses from low
    to high), so two meters are never offered the same address. Nothing while the bus
    itself does not answer.
    """
    if home.bus_condition(MODBUS_BUS) is not BusCondition.UP:
        return {}
    modbus_meters = [meter for meter in home.meters if meter.bus == MODBUS_BUS]
    claimed = {meter.address for meter in modbus_meters}
    free = sorted(
        (hit for hit in home.scan if hit.address not in claimed), key=lambda hit: hit.address
    )
    found: dict[str, int] = {}
    for meter in sorted(modbus_meters, key=lambda meter: meter.meter_id):
        if meter.reachable or meter.model is None:
            continue
        model = meter.model
        hit = next((hit for hit in free if answers_as(model, hit.model)), None)
        if hit is not None:
            found[meter.meter_id] = hit.address
            free.remove(hit)
    return found


def check_modbus_addresses(home: HomeSnapshot) -> list[Finding]:
    """A finding per silent meter found at another address, carrying that address."""
    addresses = {meter.meter_id: meter.address for meter in home.meters}
    return [
        finding(
            FindingCode.MODBUS_ADDRESS_WRONG,
            meter_id,
            address="" if addresses[meter_id] is None else str(addresses[meter_id]),
            found_address=str(found_address),
        )
        for meter_id, found_address in misaddressed(home).items()
    ]
