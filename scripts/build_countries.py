"""Rebuild forum/data/countries.csv from UNSD's M49 downloads and the UN's list of Member States.

Usage: python scripts/build_countries.py M49_DIR MEMBERS_CSV > forum/data/countries.csv

M49_DIR holds the six "Overview" downloads of https://unstats.un.org/unsd/methodology/m49/overview/ saved as
en.csv, fr.csv, ar.csv, cn.csv, ru.csv and es.csv. MEMBERS_CSV is a CSV with columns `code` (ISO 3166-1
alpha-2) and `status` (`member` or `observer`) for the 193 Member States and the 2 observer States
(https://www.un.org/en/about-us/member-states, https://www.un.org/en/about-us/non-member-states).
Every other M49 country or area is written with status `territory`. The current forum/data/countries.csv
itself serves as MEMBERS_CSV when only the names change. See forum/data/README.md.
"""

import csv
import sys
from pathlib import Path

# Our locale codes, and the file UNSD's download names each language by.
FILES = {"en": "en", "fr": "fr", "ar": "ar", "zh": "cn", "ru": "ru", "es": "es"}
# Slips in the downloads, each named in forum/data/README.md: (code, locale) -> what UN usage writes.
CORRECTIONS = {
    ("AX", "ru"): "Аландские острова",  # the download has the genitive, "Аландских островов"
    ("NL", "ar"): "هولندا (مملكة -)",  # the download has "_" where the Arabic short names put "-"
    ("TF", "ar"): "الأراضي الفرنسية الجنوبية",  # the download repeats its last word
}


def read_m49(folder):
    """{code: {"m49": …, locale: name}} from the six downloads."""
    table = {}
    for locale, stem in FILES.items():
        with open(Path(folder) / f"{stem}.csv", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["ISO-alpha2 Code"]
                if not code:
                    continue  # M49 areas without an ISO code (e.g. Sark) cannot match a stored code
                entry = table.setdefault(code, {"m49": row["M49 Code"]})
                entry[locale] = CORRECTIONS.get((code, locale), row["Country or Area"].strip())
    return table


def read_members(path):
    """{code: status} for the Member States and observer States (other rows are ignored)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["code"]: row["status"] for row in csv.DictReader(handle) if row["status"] != "territory"}


def main(folder, members_path):
    """Write the data file to standard output, ordered by code."""
    table, members = read_m49(folder), read_members(members_path)
    missing = set(members) - set(table)
    if missing:
        sys.exit(f"Member or observer States missing from M49: {sorted(missing)}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "m49", "status", *FILES])
    for code in sorted(table):
        entry = table[code]
        writer.writerow([code, entry["m49"], members.get(code, "territory"), *(entry[loc] for loc in FILES)])


if __name__ == "__main__":
    main(*sys.argv[1:3])
