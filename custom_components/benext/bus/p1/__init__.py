"""The P1 bus: a smart meter's DSMR telegrams, or a Tasmota-based reader's JSON."""
