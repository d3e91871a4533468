"""`make assets`: turn DB-IP's IP-to-country CSVs (npm, @ip-location-db/dbip-country) into one compact file.

Usage: python3 scripts/build_ip_country.py PACKAGE_DIR TARGET

PACKAGE_DIR holds `dbip-country-ipv4-num.csv` and `dbip-country-ipv6-num.csv` (rows `start,end,code`: an
inclusive range of addresses as integers and its ISO 3166-1 alpha-2 code) and the package's
`package.json`. TARGET (forum/data/ip_country.bin, read by forum/ip_country.py) holds, for each family, the
sorted first addresses of its ranges and a one-byte country index per range: a range's country reaches up
to the next range's start, and the holes between DB-IP's ranges are ranges of index 0, "no country".
Adjacent ranges of one country are merged. Standard library only: it runs before any virtualenv.

Layout, integers big-endian:
    MAGIC
    u16 length, the source's name and version (UTF-8)
    u16 n, then n two-letter codes (ASCII); index i+1 is the i-th code
    for IPv4 then IPv6: u32 count, count starts of 4 (IPv4) or 16 (IPv6) bytes, count country indexes
"""

import csv
import json
import struct
import sys
from pathlib import Path

MAGIC = b"DFIPCC1\n"
FAMILIES = (("dbip-country-ipv4-num.csv", 4), ("dbip-country-ipv6-num.csv", 16))


def ranges(path):
    """(start, end, code) rows of a CSV, in the file's order, checked to be sorted and apart."""
    rows = []
    with path.open(encoding="ascii", newline="") as handle:
        for start, end, code in csv.reader(handle):
            start, end = int(start), int(end)
            if start > end or (rows and start <= rows[-1][1]):
                sys.exit(f"{path}: range {start}-{end} is out of order")
            rows.append((start, end, code))
    return rows


def starts(rows, codes):
    """[(start, index)]: each range's start, and a hole's start with index 0; one entry per run of a code."""
    entries, after = [], 0
    for start, end, code in rows:
        if start > after:
            entries.append((after, 0))
        if not (len(code) == 2 and code.isascii() and code.isupper()):
            sys.exit(f"{code!r} is not a country code")
        index = codes.setdefault(code, len(codes) + 1)
        if not entries or entries[-1][1] != index:
            entries.append((start, index))
        after = end + 1
    entries.append((after, 0))
    return entries


def build(package, target):
    """Write TARGET from the CSVs in `package`; returns the number of entries per family."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    source = f"DB-IP IP to Country Lite (CC BY 4.0), @ip-location-db/dbip-country {version}".encode()
    codes, families = {}, []
    for name, width in FAMILIES:
        entries = starts(ranges(package / name), codes)
        if entries[-1][0] >= 1 << (8 * width):
            entries.pop()  # the range reached the family's last address: nothing after it
        families.append((width, entries))
    if len(codes) > 255:
        sys.exit(f"{len(codes)} country codes: more than one byte indexes")
    parts = [MAGIC, struct.pack(">H", len(source)), source, struct.pack(">H", len(codes))]
    parts += [code.encode("ascii") for code in codes]
    for width, entries in families:
        parts.append(struct.pack(">I", len(entries)))
        parts += [start.to_bytes(width, "big") for start, _ in entries]
        parts.append(bytes(index for _, index in entries))
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(b"".join(parts))
    partial.replace(target)
    return [len(entries) for _, entries in families]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    counts = build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {counts[0]} IPv4 and {counts[1]} IPv6 ranges")
