//! iCalendar (RFC 5545) for events: CRLF line ends, lines folded at 75 octets without
//! splitting a UTF-8 character, TEXT values escaped, times in Europe/Amsterdam with the
//! VTIMEZONE that defines it, and UIDs made of the event's row id and a fixed domain so
//! that they never change across runs, restarts or edits.

use chrono::{DateTime, Utc};
use kb_domain::Event;

use super::FEED_DOMAIN;

/// The time zone every local time of the calendar is in.
pub const TZID: &str = "Europe/Amsterdam";

/// The time zone's definition: CET, and CEST from the last Sunday of March to the last
/// Sunday of October (the EU rule, in force since 1996).
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// A TEXT value escaped: backslash, semicolon, comma and line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded at 75 octets, each continuation starting with a space, and
/// ended with CRLF. A character is never split.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local(t: DateTime<Utc>) -> String {
    kb_domain::time::amsterdam(t)
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

/// The UID of an event: stable for as long as the event exists.
pub fn uid(e: &Event) -> String {
    format!("event-{}@{FEED_DOMAIN}", e.id.0)
}

/// A calendar named `name` of `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Kennisbank//Feeds//NL".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
        format!("X-WR-TIMEZONE:{TZID}"),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| (*l).to_owned()));
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", uid(e)));
        // The last change, not the moment of the request: the same data gives the
        // same calendar, byte for byte.
        lines.push(format!("DTSTAMP:{}", utc_stamp(e.updated_at)));
        lines.push(format!("LAST-MODIFIED:{}", utc_stamp(e.updated_at)));
        lines.push(format!("DTSTART;TZID={TZID}:{}", local(e.starts_at)));
        lines.push(format!("DTEND;TZID={TZID}:{}", local(e.ends_at)));
        lines.push(format!("SUMMARY:{}", escape(&e.title)));
        if !e.summary.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.summary)));
        }
        match (&e.location, e.online) {
            (Some(l), _) => lines.push(format!("LOCATION:{}", escape(l))),
            (None, true) => lines.push("LOCATION:Online".into()),
            (None, false) => {}
        }
        if let Some(w) = &e.website {
            lines.push(format!("URL:{w}"));
        }
        lines.push(format!("SEQUENCE:{}", e.version.max(1) - 1));
        lines.push("STATUS:CONFIRMED".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "ë".repeat(60));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        for l in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SUMMARY:kort"), "SUMMARY:kort\r\n");
    }

    #[test]
    fn text_escapes_commas_semicolons_backslashes_and_newlines() {
        assert_eq!(escape("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
