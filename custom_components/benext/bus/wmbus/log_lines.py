"""What wmbusmeters' log lines tell that its JSON does not."""

from __future__ import annotations

import re

# wmbusmeters 2.0.0, a configured meter whose key does not decrypt its telegram:
# "(wmbus) WARNING! decrypted payload crc failed check, did you use the correct decryption
# key? ... Permanently ignoring telegrams from id: 76348799 mfct: ..."
# It prints no JSON for such a telegram, and ignores the meter until it is restarted.
_WRONG_KEY = re.compile(r"correct decryption key\?.*?\bfrom id: (\d{8})\b")


def undecryptable_meter_id(line: str) -> str | None:
    """The id of the meter whose key failed, if the log line says one did."""
    match = _WRONG_KEY.search(line)
    return match.group(1) if match else None
