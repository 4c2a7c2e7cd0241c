//! Dates and times as a Dutch visitor reads them: in the Netherlands' time zone (CET,
//! CEST from the last Sunday of March to the last Sunday of October, both at 01:00 UTC,
//! the EU rule), with Dutch or English month names.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc, Weekday,
};
use kb_domain::Language;

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// 01:00 UTC on the last Sunday of `month` of `year`.
fn last_sunday(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_of_next = NaiveDate::from_ymd_opt(year, month + 1, 1)?;
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Some(Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0)?))
}

/// The time in the Netherlands at the instant `t`.
pub(crate) fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let summer = match (last_sunday(t.year(), 3), last_sunday(t.year(), 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    let offset =
        FixedOffset::east_opt(if summer { 7200 } else { 3600 }).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&offset)
}

/// `2024-03-14T12:00:00Z` as "14 maart 2024, 13:00" or "14 March 2024, 13:00"; text
/// that is not a date comes back as it is.
pub(crate) fn date_time(text: &str, lang: Language) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => {
            let l = local(t.with_timezone(&Utc));
            format!("{}, {}", day(&l, lang), l.format("%H:%M"))
        }
        Err(_) => text.to_owned(),
    }
}

/// `2024-03-14T12:00:00Z` as "14 maart 2024".
pub(crate) fn date(text: &str, lang: Language) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => day(&local(t.with_timezone(&Utc)), lang),
        Err(_) => text.to_owned(),
    }
}

fn day(l: &DateTime<FixedOffset>, lang: Language) -> String {
    let months = match lang {
        Language::Nl => MONTHS_NL,
        Language::En => MONTHS_EN,
    };
    let month = months.get(l.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {}", l.day(), l.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
        assert_eq!(
            date_time("2024-03-14T12:00:00Z", Language::Nl),
            "14 maart 2024, 13:00"
        );
        assert_eq!(
            date_time("2027-04-15T07:00:00Z", Language::En),
            "15 April 2027, 09:00"
        );
    }

    #[test]
    fn the_change_to_summer_time_is_at_one_utc_on_the_last_sunday_of_march() {
        // 2025-03-30 is the last Sunday of March 2025.
        assert_eq!(
            date_time("2025-03-30T00:59:00Z", Language::Nl),
            "30 maart 2025, 01:59"
        );
        assert_eq!(
            date_time("2025-03-30T01:00:00Z", Language::Nl),
            "30 maart 2025, 03:00"
        );
    }

    #[test]
    fn text_that_is_no_date_is_shown_as_it_is() {
        assert_eq!(date("morgen", Language::Nl), "morgen");
    }
}
