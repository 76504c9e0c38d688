"""The RS485 Modbus kWh meters in Home Assistant: their coordinator, flows and entities."""
