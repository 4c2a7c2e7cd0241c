//! The Netherlands' time zone (Europe/Amsterdam): CET, and CEST from the last Sunday of
//! March to the last Sunday of October, both changes at 01:00 UTC (the EU rule). What
//! the website shows and the calendar feeds write.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};

/// 01:00 UTC on the last Sunday of `month` of `year`.
pub fn last_sunday_0100_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next - Duration::days(1);
    let back = i64::from(last.weekday().num_days_from_sunday());
    let sunday = last - Duration::days(back);
    Some(Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0)?))
}

/// The instant `t` in Amsterdam: UTC+1 in winter, UTC+2 in summer.
pub fn amsterdam(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let year = t.year();
    let summer = match (
        last_sunday_0100_utc(year, 3),
        last_sunday_0100_utc(year, 10),
    ) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    let hours = if summer { 2 } else { 1 };
    // Both offsets are within a day, so the fallback is never taken.
    let offset = FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amsterdam_is_one_hour_ahead_in_winter_and_two_in_summer() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
        let fmt = |s: &str| amsterdam(at(s)).format("%Y-%m-%d %H:%M").to_string();
        assert_eq!(fmt("2026-12-05T13:00:00Z"), "2026-12-05 14:00");
        assert_eq!(fmt("2026-07-01T13:00:00Z"), "2026-07-01 15:00");
        // 2026's changes: 29 March and 25 October, at 01:00 UTC.
        assert_eq!(fmt("2026-03-29T00:59:00Z"), "2026-03-29 01:59");
        assert_eq!(fmt("2026-03-29T01:00:00Z"), "2026-03-29 03:00");
        assert_eq!(fmt("2026-10-25T00:59:00Z"), "2026-10-25 02:59");
        assert_eq!(fmt("2026-10-25T01:00:00Z"), "2026-10-25 02:00");
    }

    #[test]
    fn last_sundays_fall_where_the_calendar_says() {
        let d = |y, m| last_sunday_0100_utc(y, m).map(|t| t.date_naive().to_string());
        assert_eq!(d(2026, 3).as_deref(), Some("2026-03-29"));
        assert_eq!(d(2026, 10).as_deref(), Some("2026-10-25"));
        assert_eq!(d(2027, 3).as_deref(), Some("2027-03-28"));
        assert_eq!(d(2026, 12).as_deref(), Some("2026-12-27"));
    }
}
