"""A simulated BeNext home: one network peer per bus, for `scripts/develop`.

Run as `python -m simulated_home` with `scripts` on PYTHONPATH; check a running one with
`python -m simulated_home.check`. Pure asyncio and the bus libraries, nothing of Home
Assistant. Where the peers listen is defined once, in `endpoints.py`.

`dsmr5_nl_iskra_gas.txt` is a real DSMR 5 telegram from the test data of the dsmr_parser
library (ndokter/dsmr_parser, `test/example_telegrams.py`, `TELEGRAM_V5`, tag v1.6.0),
kept byte for byte (CRLF line ends, CRC 6EEE), so it carries no comment itself: see `p1.py`.
"""
