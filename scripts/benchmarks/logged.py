"""The warnings and errors a benchmark run logged, shown after its tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
import contextlib
import logging


class LogCollector(logging.Handler):
    """Keeps the warnings and errors that were logged: logger, first line, and count."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: Counter[tuple[str, str]] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        first_line = record.getMessage().splitlines()[0][:200]
        if record.exc_info and record.exc_info[1] is not None:
            first_line += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        self.records[(record.name, first_line)] += 1


@contextlib.contextmanager
def reported_logs() -> Iterator[None]:
    """Collect what is logged at warning level and above, and print it at the end."""
    collector = LogCollector()
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger().addHandler(collector)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(collector)
    if collector.records:
        print("\nLogged warnings and errors (count, logger, message):")
        for (name, message), count in collector.records.most_common():
            print(f"- {count}x {name}: {message}")
    else:
        print("\nNo warnings or errors were logged.")
