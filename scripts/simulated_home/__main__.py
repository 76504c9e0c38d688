"""Start the simulated home's peers and run until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import time
from typing import Protocol

from . import endpoints
from .p1 import P1Peer
from .rs485_home import HomeRs485Bus
from .wmbus import WmbusPeer

PEERS = ("p1", "modbus", "wmbus")


class _Peer(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulated_home", description=__doc__)
    parser.add_argument("--host", default=endpoints.HOST, help="address to listen on")
    parser.add_argument("--p1-port", type=int, default=endpoints.P1_PORT)
    parser.add_argument("--modbus-port", type=int, default=endpoints.MODBUS_PORT)
    parser.add_argument(
        "--wmbus-url", default=endpoints.WMBUS_URL, help="where wmbusmeters posts the telegrams"
    )
    parser.add_argument(
        "--wmbus-token", default=endpoints.WMBUS_TOKEN, help="its bearer token ('' for none)"
    )
    parser.add_argument(
        "--peers",
        type=_peer_names,
        default=PEERS,
        help="which peers to run, comma-separated (default: p1,modbus,wmbus)",
    )
    parser.add_argument(
        "--wmbus-clock-offset",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the wireless meters send their values of this many seconds later (the water"
        " meter leaks in the last 5 minutes of every half hour)",
    )
    parser.add_argument("--debug", action="store_true", help="log the peers' traffic")
    return parser.parse_args()


def _peer_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names or any(name not in PEERS for name in names):
        raise argparse.ArgumentTypeError(f"a comma-separated list of {', '.join(PEERS)}")
    return names


async def _run(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    offset: float = args.wmbus_clock_offset
    peers: list[_Peer] = []
    if "p1" in args.peers:
        peers.append(P1Peer(args.host, args.p1_port))
    if "modbus" in args.peers:
        peers.append(HomeRs485Bus(args.host, args.modbus_port))
    if "wmbus" in args.peers:
        peers.append(
            WmbusPeer(args.wmbus_url, args.wmbus_token or None, clock=lambda: time.time() + offset)
        )
    started: list[_Peer] = []
    try:
        for peer in peers:
            await peer.start()
            started.append(peer)
        print("Simulated home running; SIGTERM or SIGINT stops it.", flush=True)
        await stop.wait()
    finally:
        for peer in reversed(started):
            await peer.stop()
        print("Simulated home stopped.", flush=True)


def main() -> None:
    args = _arguments()
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
