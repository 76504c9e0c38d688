"""The RS485 Modbus bus: register maps, read planning, decoding, and the bus client."""
