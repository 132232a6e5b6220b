"""Generate a fictional mailing export (CSV) of any size: made-up names, real postcode shapes.

Used by the benchmarks; nothing here describes real people.

    python benchmarks/generate.py 10000 > mailing.csv
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta

GIVEN = [
    "Amelia",
    "Noah",
    "Isla",
    "Harry",
    "Freya",
    "Leo",
    "Evie",
    "Alfie",
    "Ruby",
    "Jack",
    "Poppy",
    "Oscar",
    "Daisy",
    "Arlo",
    "Mia",
    "Theo",
    "Ivy",
    "Finley",
    "Rosie",
    "Reuben",
    "Nia",
    "Osian",
    "Elsie",
    "Kai",
    "Zoë",
    "Siân",
    "Anaïs",
    "Tomás",
]
FAMILY = [
    "Ashworth",
    "Brannigan",
    "Calloway",
    "Dunmore",
    "Eastleigh",
    "Fairweather",
    "Gilchrist",
    "Hollins",
    "Ingram",
    "Jessop",
    "Kettering",
    "Lomax",
    "Merriman",
    "Northcott",
    "Ormerod",
    "Pennington",
    "Quilter",
    "Rowntree",
    "Sefton",
    "Thackeray",
    "O'Brien",
    "Llŷr",
    "Smith & Co",
]
ADULT = [
    "Sarah",
    "James",
    "Claire",
    "Mark",
    "Emma",
    "Paul",
    "Laura",
    "Gareth",
    "Nicola",
    "Stuart",
    "Helen",
    "Rob",
    "Kate",
    "Darren",
    "Jo",
    "Lee",
    "Anna",
    "Chris",
    "Beth",
]
STREETS = [
    "Kestrel Close",
    "Mill Street",
    "Quarry Road",
    "Ferry Lane",
    "Beacon View",
    "Gull Terrace",
    "Lantern Walk",
    "Harbour Parade",
    "Orchard Way",
    "Chapel Row",
]
SCHOOLS = ["Westmere Park Academy", "Harbour Primary School", "Easthaven Community College"]
INWARD = "ABDEFGHJLNPQRSTUWXYZ"
HEADER = [
    "Case Ref",
    "Child Forename",
    "Child Surname",
    "DOB",
    "Last School",
    "Date Off Roll",
    "Parent Title",
    "Parent Forename",
    "Parent Surname",
    "Address 1",
    "Address 2",
    "Town",
    "Postcode",
    "Email",
    "Case Officer",
]
OFFICERS = ["", "pnatarajan", "swhitfield"]  # ids in examples/authority.yaml; blank: signatory


def rows(count: int, seed: int = 2026):
    """Yield `count` fictional export rows (deterministic for a given seed)."""
    rng = random.Random(seed)
    for i in range(count):
        family = rng.choice(FAMILY)
        adult = rng.choice(ADULT)
        born = date(2011, 1, 1) + timedelta(days=rng.randrange(8 * 365))
        left = date(2026, 9, 1) + timedelta(days=rng.randrange(80))
        postcode = (
            f"WM{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice(INWARD)}{rng.choice(INWARD)}"
        )
        yield [
            f"WM-EHE-B{i:06d}",
            rng.choice(GIVEN),
            family,
            born.strftime("%d/%m/%Y"),
            rng.choice(SCHOOLS),
            left.strftime("%d/%m/%Y"),
            rng.choice(["Ms", "Mr", "Mx"]),
            adult,
            family,
            f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            "",
            "Westmere",
            postcode,
            f"{adult.lower()}{i}@example.org",
            OFFICERS[i % len(OFFICERS)],
        ]


def write(path, count: int) -> None:
    """Write a mailing CSV of `count` rows to `path`."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))


if __name__ == "__main__":
    writer = csv.writer(sys.stdout)
    writer.writerow(HEADER)
    writer.writerows(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
