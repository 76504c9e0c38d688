"""A simulated BeNext home: one network peer per bus, for `scripts/develop`.

Run as `python -m simulated_home` with `scripts` on PYTHONPATH; check a running one with
`python -m simulated_home.check`. Pure asyncio and the bus libraries, nothing of Home
Assistant. Where the peers listen, and which kWh meters the RS485 bus carries, is defined
once, in `endpoints.py`.

The RS485 bus: `kwh_meters.py` simulates one meter with its model's register map
(`eastron.py`, `inepro.py`, encodings in `registers.py`), `modbus.py` puts meters on a
Modbus server (TCP, RTU over TCP, or RTU on a serial device; the tests use it too),
`home_energy.py` is what the home's meters measure over time and `rs485_home.py` runs them.

The P1 port: `p1.py` serves the smart meter's telegrams (and gives them to benchmarks
without a server), filled in from `grid.py` (the grid connection: `household.py`'s
appliances plus the kWh meters' loads) and `mbus_channel.py` (gas or heat), rendered
by `dsmr_telegram.py`.

Wireless M-Bus: `wmbus.py` runs the real wmbusmeters on `stdin:hex` and writes it each
meter's telegram when due (`wmbus_telegrams.py`: fixture telegrams whose values
`wmbus_frames.py` rewrites from `wmbus_meters.py`'s heat, water and room readings, with a
leak now and then); wmbusmeters posts them through its `shell=` line with curl
(`wmbus_config.py`) to the demo installation's webhook.

`--peers` runs only some of the peers (the browser test starts wmbusmeters once the
installation it adds shows its endpoint), and `--wmbus-clock-offset` sets the wireless
meters' clock ahead (into the minutes in which the water meter leaks).

`dsmr5_nl_iskra_gas.txt` is a real DSMR 5 telegram from the test data of the dsmr_parser
library (ndokter/dsmr_parser, `test/example_telegrams.py`, `TELEGRAM_V5`, tag v1.6.0),
kept byte for byte (CRLF line ends, CRC 6EEE), so it carries no comment itself: see `p1.py`.
"""
