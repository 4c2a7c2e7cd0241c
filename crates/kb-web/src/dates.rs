//! Dates and times as a Dutch visitor reads them: in the Netherlands' time zone
//! (`kb_domain::time`), with Dutch or English month names.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
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

/// The time in the Netherlands at the instant `t`.
pub(crate) fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    kb_domain::time::amsterdam(t)
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
