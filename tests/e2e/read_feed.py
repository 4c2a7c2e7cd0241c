"""Reads one feed back with a real parser and prints, as JSON, what the end-to-end tests
(feeds.rs) compare: `python read_feed.py KIND FILE`.

KIND is atom (feedparser) or ics (icalendar). For ics it also reports the longest
physical line in octets and whether every line ends in CRLF, which the parser hides.
"""

import json
import sys


def atom(path):
    import feedparser

    with open(path, "rb") as f:
        d = feedparser.parse(f.read())
    return {
        "bozo": bool(d.bozo),
        "version": d.version,
        "id": d.feed.get("id"),
        "title": d.feed.get("title"),
        "language": d.feed.get("language"),
        "updated": d.feed.get("updated"),
        "self": [l["href"] for l in d.feed.get("links", []) if l.get("rel") == "self"],
        "entries": [
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "summary": e.get("summary"),
                "author": e.get("author"),
                "updated": e.get("updated"),
                "published": e.get("published"),
                "links": [l["href"] for l in e.get("links", []) if l.get("rel") == "alternate"],
            }
            for e in d.entries
        ],
    }


def ics(path):
    import icalendar

    with open(path, "rb") as f:
        raw = f.read()
    cal = icalendar.Calendar.from_ical(raw)
    lines = raw.split(b"\r\n")
    events = []
    for e in cal.walk("VEVENT"):
        start = e.get("DTSTART")
        end = e.get("DTEND")
        events.append(
            {
                "uid": str(e.get("UID")),
                "summary": str(e.get("SUMMARY")),
                "description": str(e.get("DESCRIPTION")) if e.get("DESCRIPTION") else None,
                "location": str(e.get("LOCATION")) if e.get("LOCATION") else None,
                "dtstart": start.dt.isoformat(),
                "dtstart_tzid": start.params.get("TZID"),
                "dtstart_utc": start.dt.astimezone(__import__("datetime").timezone.utc).isoformat(),
                "dtend_utc": end.dt.astimezone(__import__("datetime").timezone.utc).isoformat(),
            }
        )
    return {
        "name": str(cal.get("X-WR-CALNAME")),
        "timezones": [str(t.get("TZID")) for t in cal.walk("VTIMEZONE")],
        "events": events,
        "longest_line": max(len(l) for l in lines),
        "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
        "ends_with_crlf": raw.endswith(b"\r\n"),
    }


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print(json.dumps({"atom": atom, "ics": ics}[kind](path)))
