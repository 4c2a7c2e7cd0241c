//! Validators of input fields, in the "parse, don't validate" manner: each takes the raw
//! value and the GraphQL input path of its field (`input.title`), and returns either the
//! cleaned value to store or a `BAD_USER_INPUT` error that names that field.
//!
//! Lengths are counted in `char`s (Unicode scalar values), the closest cheap measure to
//! what a user sees as characters; "ë" typed as one code point counts once.

use chrono::{DateTime, Utc};
use url::{Host, Url};

use crate::error::DomainError;
use crate::sanitise::sanitise_rich_text;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest summary, in characters.
pub const SUMMARY_MAX: usize = 1_000;
/// Longest rich-text body, in characters of the raw input.
pub const BODY_MAX: usize = 100_000;
/// Longest URL, in characters.
pub const URL_MAX: usize = 500;
/// Longest e-mail address, in characters.
pub const EMAIL_MAX: usize = 254;
/// Longest local part (before the `@`) of an e-mail address.
pub const EMAIL_LOCAL_MAX: usize = 64;
/// Longest label (between dots) of a domain name.
pub const DOMAIN_LABEL_MAX: usize = 63;
/// Earliest year accepted.
pub const YEAR_MIN: i32 = 1900;
/// Latest year accepted.
pub const YEAR_MAX: i32 = 2100;
/// Shortest rejection reason, in characters.
pub const REASON_MIN: usize = 10;
/// Longest rejection reason, in characters.
pub const REASON_MAX: usize = 2_000;
/// Most languages one item may list.
pub const LANGUAGES_MAX: usize = 10;

/// The ISO 639-1 language codes (sorted, for binary search).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// A title: trimmed, every run of whitespace (tabs and line breaks included) made one
/// space, not empty, at most 200 characters, and free of other control characters.
pub fn title(field: &str, s: &str) -> Result<String, DomainError> {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Err(DomainError::bad_input(field, "title may not be empty"));
    }
    if collapsed.chars().any(char::is_control) {
        return Err(DomainError::bad_input(
            field,
            "title may not contain control characters",
        ));
    }
    let len = collapsed.chars().count();
    if len > TITLE_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("title may be at most {TITLE_MAX} characters, got {len}"),
        ));
    }
    Ok(collapsed)
}

/// A summary: trimmed, not empty, at most 1,000 characters, with line breaks (`\n`) as the
/// only control characters. Windows line ends (`\r\n`) are first turned into `\n`.
pub fn summary(field: &str, s: &str) -> Result<String, DomainError> {
    let text = s.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::bad_input(field, "summary may not be empty"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DomainError::bad_input(
            field,
            "summary may not contain control characters other than line breaks",
        ));
    }
    let len = text.chars().count();
    if len > SUMMARY_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("summary may be at most {SUMMARY_MAX} characters, got {len}"),
        ));
    }
    Ok(text.to_owned())
}

/// A rich-text body (Markdown or HTML): at most 100,000 characters as sent, then cleaned
/// with [`sanitise_rich_text`]. A body that is blank, before or after cleaning, becomes
/// the empty string; the body is optional.
///
/// The limit applies to the raw input so that the cost of cleaning is bounded, and so that
/// a client cannot tell from the outcome what the sanitiser removed.
pub fn body(field: &str, s: &str) -> Result<String, DomainError> {
    let len = s.chars().count();
    if len > BODY_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("body may be at most {BODY_MAX} characters, got {len}"),
        ));
    }
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    let cleaned = sanitise_rich_text(s);
    if cleaned.trim().is_empty() {
        return Ok(String::new());
    }
    Ok(cleaned)
}

/// A web address, returned in the normal form of the WHATWG URL standard (the form a
/// browser requests), after our policy:
///
/// - trimmed; at most 500 characters both as sent and once normalised (the width of the
///   `website` columns); no whitespace or control characters inside;
/// - `http://` or `https://` (in any case) before the host: no other scheme, nor the
///   shorthands browsers forgive (`http:example.org`, `https:\\example.org`);
/// - no user name or password (`https://bank.nl@evil.example/` is refused);
/// - a host that is a domain name with at least one dot (so not `localhost` nor an
///   intranet name), an IPv4 address written as four decimal numbers, or an IPv6 address
///   in brackets. International domain names are accepted.
///
/// The normal form has scheme and host in lower case, an international domain name in
/// punycode (`universiteit.例え.jp` → `universiteit.xn--r8jz45g.jp`), no default port, `/`
/// for an empty path, `.` and `..` segments resolved, and characters outside ASCII in path
/// and query percent-encoded. Stored so, a URL is plain ASCII, is what the browser will
/// fetch (a homograph shows as punycode rather than as the domain it imitates), and two
/// spellings of one address compare equal.
pub fn url(field: &str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::bad_input(field, "URL may not be empty"));
    }
    let len = s.chars().count();
    if len > URL_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("URL may be at most {URL_MAX} characters, got {len}"),
        ));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DomainError::bad_input(
            field,
            "URL may not contain spaces or control characters",
        ));
    }
    let after_scheme = match s.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            rest
        }
        _ => {
            return Err(DomainError::bad_input(
                field,
                "URL must start with http:// or https://",
            ));
        }
    };
    // The authority as written; the parser below forgives a `\` for a `/`, so it ends
    // there too.
    let authority_end = after_scheme
        .find(['/', '?', '#', '\\'])
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_end];
    if authority.contains('@') {
        return Err(DomainError::bad_input(
            field,
            "URL may not contain a user name or password",
        ));
    }
    if authority.is_empty() {
        return Err(DomainError::bad_input(field, "URL must name a host"));
    }
    let parsed = Url::parse(s)
        .map_err(|e| DomainError::bad_input(field, format!("URL is not valid: {e}")))?;
    match parsed.host() {
        Some(Host::Domain(domain)) => url_domain(field, domain)?,
        Some(Host::Ipv4(ip)) => {
            // The parser also reads `127.1` and `0x7f.0.0.1` as 127.0.0.1; refuse such
            // disguises rather than store an address the author did not see.
            let written = authority
                .rsplit_once(':')
                .map_or(authority, |(host, _)| host);
            if written != ip.to_string() {
                return Err(DomainError::bad_input(
                    field,
                    format!(
                        "URL host {written:?} must be a domain name or an IPv4 address of four decimal numbers"
                    ),
                ));
            }
        }
        Some(Host::Ipv6(_)) => {}
        None => return Err(DomainError::bad_input(field, "URL must name a host")),
    }
    let normal = String::from(parsed);
    let len = normal.len();
    if len > URL_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("URL may be at most {URL_MAX} characters once normalised, got {len}"),
        ));
    }
    Ok(normal)
}

/// Checks the domain of a URL, already lower case and in punycode: at least one dot, and
/// labels of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.
fn url_domain(field: &str, domain: &str) -> Result<(), DomainError> {
    if !domain.contains('.') {
        return Err(DomainError::bad_input(
            field,
            format!("URL host {domain:?} must contain a dot"),
        ));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= DOMAIN_LABEL_MAX
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if !domain.split('.').all(label_ok) {
        return Err(DomainError::bad_input(
            field,
            format!(
                "URL host {domain:?} is not a valid domain name: parts of 1 to {DOMAIN_LABEL_MAX} letters, digits or hyphens, not starting or ending with a hyphen"
            ),
        ));
    }
    Ok(())
}

/// An e-mail address: trimmed, at most 254 characters, exactly one `@`; a local part of
/// 1 to 64 characters from `A–Z a–z 0–9 . ! # $ % & ' * + / = ? ^ _ ` { | } ~ -` that neither
/// starts nor ends with a dot nor has two in a row; a domain with at least one dot whose
/// labels are letters, digits and hyphens, not starting or ending with a hyphen. The domain
/// is stored in lower case; the local part as given.
pub fn email(field: &str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::bad_input(
            field,
            "e-mail address may not be empty",
        ));
    }
    let len = s.chars().count();
    if len > EMAIL_MAX {
        return Err(DomainError::bad_input(
            field,
            format!("e-mail address may be at most {EMAIL_MAX} characters, got {len}"),
        ));
    }
    let (local, domain) = match s.split_once('@') {
        Some((local, domain)) if !domain.contains('@') => (local, domain),
        _ => {
            return Err(DomainError::bad_input(
                field,
                "e-mail address must contain exactly one @",
            ));
        }
    };
    let local_len = local.chars().count();
    if local_len == 0 || local_len > EMAIL_LOCAL_MAX {
        return Err(DomainError::bad_input(
            field,
            format!(
                "e-mail address must have 1 to {EMAIL_LOCAL_MAX} characters before the @, got {local_len}"
            ),
        ));
    }
    if !local.chars().all(is_email_local_char) {
        return Err(DomainError::bad_input(
            field,
            "e-mail address has a character before the @ that is not allowed",
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(DomainError::bad_input(
            field,
            "e-mail address may not start or end with a dot before the @, nor have two dots in a row",
        ));
    }
    let domain = domain.to_ascii_lowercase();
    if !domain.contains('.') {
        return Err(DomainError::bad_input(
            field,
            "e-mail domain must contain at least one dot",
        ));
    }
    for label in domain.split('.') {
        let label_ok = !label.is_empty()
            && label.len() <= DOMAIN_LABEL_MAX
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !label_ok {
            return Err(DomainError::bad_input(
                field,
                format!(
                    "e-mail domain part {label:?} must be 1 to {DOMAIN_LABEL_MAX} letters, digits or hyphens, not starting or ending with a hyphen"
                ),
            ));
        }
    }
    Ok(format!("{local}@{domain}"))
}

/// Whether `c` may appear in the local part of an e-mail address (RFC 5322 `atext` or `.`).
fn is_email_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// A calendar year from 1900 to 2100.
pub fn year(field: &str, y: i32) -> Result<i32, DomainError> {
    if (YEAR_MIN..=YEAR_MAX).contains(&y) {
        Ok(y)
    } else {
        Err(DomainError::bad_input(
            field,
            format!("year must be between {YEAR_MIN} and {YEAR_MAX}, got {y}"),
        ))
    }
}

/// A range of years, either end optional: each a valid [`year`], and the end not before
/// the start (an error on the end's field).
pub fn year_range(
    start_field: &str,
    start: Option<i32>,
    end_field: &str,
    end: Option<i32>,
) -> Result<(), DomainError> {
    if let Some(start) = start {
        year(start_field, start)?;
    }
    if let Some(end) = end {
        year(end_field, end)?;
    }
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(DomainError::bad_input(
            end_field,
            format!("end year may not be before start year {start}, got {end}"),
        ));
    }
    Ok(())
}

/// The times of an event: it must end strictly after it starts (an error on the end's
/// field).
pub fn event_times(
    end_field: &str,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
) -> Result<(), DomainError> {
    if ends > starts {
        Ok(())
    } else {
        Err(DomainError::bad_input(
            end_field,
            format!(
                "event must end after it starts ({}), got {}",
                starts.to_rfc3339(),
                ends.to_rfc3339()
            ),
        ))
    }
}

/// The reason a moderator gives for rejecting an item: trimmed, 10 to 2,000 characters, so
/// that the author learns what to change.
pub fn reason(field: &str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    let len = s.chars().count();
    if !(REASON_MIN..=REASON_MAX).contains(&len) {
        return Err(DomainError::bad_input(
            field,
            format!("reason must be {REASON_MIN} to {REASON_MAX} characters, got {len}"),
        ));
    }
    Ok(s.to_owned())
}

/// Languages an item is available in: each an ISO 639-1 code of two lowercase letters
/// (`nl`, `en`), returned sorted without duplicates, at most 10 of them.
pub fn languages(field: &str, codes: &[String]) -> Result<Vec<String>, DomainError> {
    for code in codes {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(DomainError::bad_input(
                field,
                format!("language code must be two lowercase letters, got {code:?}"),
            ));
        }
        if ISO_639_1.binary_search(&code.as_str()).is_err() {
            return Err(DomainError::bad_input(
                field,
                format!("language code {code:?} is not an ISO 639-1 code"),
            ));
        }
    }
    let mut out = codes.to_vec();
    out.sort();
    out.dedup();
    if out.len() > LANGUAGES_MAX {
        return Err(DomainError::bad_input(
            field,
            format!(
                "at most {LANGUAGES_MAX} languages may be listed, got {}",
                out.len()
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use chrono::TimeZone;

    const FIELD: &str = "input.field";

    /// Asserts that `result` is a `BAD_USER_INPUT` error on `field`, and returns its message.
    #[track_caller]
    fn refused<T: std::fmt::Debug>(result: Result<T, DomainError>, field: &str) -> String {
        let err = result.expect_err("the value should have been refused");
        assert_eq!(err.code, ErrorCode::BadUserInput);
        assert_eq!(err.field.as_deref(), Some(field));
        err.message
    }

    fn ok<T: std::fmt::Debug>(result: Result<T, DomainError>) -> T {
        result.expect("the value should have been accepted")
    }

    // title

    #[test]
    fn a_title_is_trimmed_and_its_inner_whitespace_collapsed() {
        assert_eq!(
            ok(title(FIELD, "  Mentale \t gezondheid\n op  de campus ")),
            "Mentale gezondheid op de campus"
        );
    }

    #[test]
    fn a_title_of_exactly_200_characters_is_accepted() {
        let s = "ë".repeat(200);
        assert_eq!(ok(title(FIELD, &s)), s);
    }

    #[test]
    fn a_title_longer_than_200_characters_is_rejected() {
        let message = refused(title("input.title", &"a".repeat(201)), "input.title");
        assert_eq!(message, "title may be at most 200 characters, got 201");
    }

    #[test]
    fn a_blank_title_is_rejected() {
        refused(title("input.title", ""), "input.title");
        refused(title("input.title", " \t\n "), "input.title");
    }

    #[test]
    fn a_title_with_a_control_character_is_rejected() {
        refused(title("input.title", "Stress\u{0}"), "input.title");
        refused(title("input.title", "Stress \u{1b}[31m"), "input.title");
    }

    // summary

    #[test]
    fn a_summary_keeps_its_line_breaks_and_is_trimmed() {
        assert_eq!(
            ok(summary(FIELD, "  Eerste regel.\r\nTweede regel.\n")),
            "Eerste regel.\nTweede regel."
        );
    }

    #[test]
    fn a_summary_of_exactly_1000_characters_is_accepted() {
        assert_eq!(ok(summary(FIELD, &"a".repeat(1_000))).len(), 1_000);
    }

    #[test]
    fn a_summary_longer_than_1000_characters_is_rejected() {
        let message = refused(
            summary("input.summary", &"a".repeat(1_001)),
            "input.summary",
        );
        assert_eq!(message, "summary may be at most 1000 characters, got 1001");
    }

    #[test]
    fn a_blank_summary_is_rejected() {
        refused(summary("input.summary", "  \n "), "input.summary");
    }

    #[test]
    fn a_summary_with_a_tab_or_other_control_character_is_rejected() {
        refused(summary("input.summary", "a\tb"), "input.summary");
        refused(summary("input.summary", "a\u{7}b"), "input.summary");
    }

    // body

    #[test]
    fn a_body_is_sanitised() {
        assert_eq!(
            ok(body(
                FIELD,
                "<p onclick=\"x()\">Hallo</p><script>alert(1)</script>"
            )),
            "<p>Hallo</p>"
        );
    }

    #[test]
    fn a_markdown_body_is_kept() {
        let markdown = "**vet** en _schuin_\n\n- punt";
        assert_eq!(ok(body(FIELD, markdown)), markdown);
    }

    #[test]
    fn a_blank_body_becomes_empty() {
        assert_eq!(ok(body(FIELD, "")), "");
        assert_eq!(ok(body(FIELD, " \n\t ")), "");
        assert_eq!(ok(body(FIELD, "<script>alert(1)</script>")), "");
    }

    #[test]
    fn a_body_of_exactly_100000_characters_is_accepted() {
        assert_eq!(ok(body(FIELD, &"a".repeat(100_000))).len(), 100_000);
    }

    #[test]
    fn a_body_longer_than_100000_characters_is_rejected_before_sanitising() {
        // Mostly markup the sanitiser would remove: the raw length counts.
        let s = format!(
            "{}{}",
            "<script></script>".repeat(5_000),
            "a".repeat(15_001)
        );
        assert_eq!(s.chars().count(), 100_001);
        let message = refused(body("input.body", &s), "input.body");
        assert_eq!(message, "body may be at most 100000 characters, got 100001");
    }

    // url

    #[test]
    fn an_http_or_https_url_is_accepted_in_its_normal_form() {
        for (s, normal) in [
            ("https://example.org/", "https://example.org/"),
            ("https://example.org", "https://example.org/"),
            (
                "http://example.org/pad?x=1#anker",
                "http://example.org/pad?x=1#anker",
            ),
            (
                "https://sub.example.co.uk:8443/a",
                "https://sub.example.co.uk:8443/a",
            ),
            ("http://example.org:80/a/../b", "http://example.org/b"),
            (
                "https://example.org/zoek?q=één",
                "https://example.org/zoek?q=%C3%A9%C3%A9n",
            ),
        ] {
            assert_eq!(ok(url(FIELD, s)), normal);
        }
    }

    #[test]
    fn an_international_domain_name_is_accepted_in_punycode() {
        assert_eq!(
            ok(url(FIELD, "https://universiteit.例え.jp/")),
            "https://universiteit.xn--r8jz45g.jp/"
        );
        assert_eq!(
            ok(url(FIELD, "https://www.universiteit-één.nl/")),
            "https://www.xn--universiteit-n-nkba.nl/"
        );
    }

    #[test]
    fn an_ip_address_is_accepted() {
        assert_eq!(
            ok(url(FIELD, "http://[2001:db8::1]/pad")),
            "http://[2001:db8::1]/pad"
        );
        assert_eq!(
            ok(url(FIELD, "https://192.0.2.10:8443/x")),
            "https://192.0.2.10:8443/x"
        );
    }

    #[test]
    fn an_ipv4_address_in_a_shorthand_is_rejected() {
        for s in ["https://127.1/", "https://0x7f.0.0.1/", "https://1.2.3/"] {
            refused(url("input.website", s), "input.website");
        }
    }

    #[test]
    fn localhost_and_intranet_names_are_rejected() {
        for s in [
            "https://localhost/",
            "http://localhost:8080/graphql",
            "https://intranet/",
        ] {
            let message = refused(url("input.website", s), "input.website");
            assert!(message.ends_with("must contain a dot"), "{message}");
        }
    }

    #[test]
    fn a_url_is_trimmed_and_its_scheme_and_host_lower_cased() {
        assert_eq!(
            ok(url(FIELD, "  HTTPS://Example.ORG/Pad  ")),
            "https://example.org/Pad"
        );
    }

    #[test]
    fn a_url_with_another_scheme_is_rejected() {
        for s in [
            "javascript:alert(1)",
            "ftp://example.org",
            "mailto:a@example.org",
            "data:text/html,x",
            "example.org",
            "//example.org",
            "http:example.org",
            "http:/example.org",
            "https:\\\\example.org",
            "JavaScript://example.org/%0aalert(1)",
        ] {
            refused(url("input.website", s), "input.website");
        }
    }

    #[test]
    fn a_url_without_a_proper_host_is_rejected() {
        for s in [
            "https://",
            "https:///pad",
            "https://intranet/",
            "https://.example.org",
            "https://example..org",
            "https://exa_mple.org",
            "https://example.org:http",
            "https://example.org:123456",
            "https://-example.org/",
            "https://example-.org/",
            "https://example.org./",
            "https://ex ample.org/",
        ] {
            refused(url("input.website", s), "input.website");
        }
    }

    #[test]
    fn a_url_with_credentials_is_rejected() {
        for s in [
            "https://bank.nl@evil.example/",
            "https://jan:geheim@example.org/",
            "https://@example.org/",
        ] {
            let message = refused(url("input.website", s), "input.website");
            assert_eq!(message, "URL may not contain a user name or password");
        }
    }

    #[test]
    fn a_url_label_of_63_characters_is_accepted_and_of_64_rejected() {
        let s = format!("https://{}.nl/", "a".repeat(63));
        assert_eq!(ok(url(FIELD, &s)), s);
        let s = format!("https://{}.nl/", "a".repeat(64));
        refused(url("input.website", &s), "input.website");
    }

    #[test]
    fn a_url_with_whitespace_or_control_characters_is_rejected() {
        refused(
            url("input.website", "https://example.org/a b"),
            "input.website",
        );
        refused(
            url("input.website", "https://example.org/\u{0}"),
            "input.website",
        );
    }

    #[test]
    fn a_url_of_exactly_500_characters_is_accepted_and_of_501_rejected() {
        let base = "https://example.org/";
        let s = format!("{base}{}", "a".repeat(500 - base.len()));
        assert_eq!(ok(url(FIELD, &s)), s);
        let message = refused(url("input.website", &format!("{s}a")), "input.website");
        assert_eq!(message, "URL may be at most 500 characters, got 501");
    }

    #[test]
    fn a_url_longer_than_500_characters_once_normalised_is_rejected() {
        let s = format!("https://example.org/{}", "ä".repeat(90));
        assert_eq!(s.chars().count(), 110);
        let message = refused(url("input.website", &s), "input.website");
        assert_eq!(
            message,
            "URL may be at most 500 characters once normalised, got 560"
        );
    }

    // email

    #[test]
    fn an_email_address_is_accepted_with_its_domain_lower_cased() {
        assert_eq!(
            ok(email(FIELD, "  Jan.de-Vries+kb@Example.NL ")),
            "Jan.de-Vries+kb@example.nl"
        );
        assert_eq!(
            ok(email(FIELD, "o'brien!#$%&*/=?^_`{|}~@mail.uni-x.ac.uk")),
            "o'brien!#$%&*/=?^_`{|}~@mail.uni-x.ac.uk"
        );
    }

    #[test]
    fn a_malformed_email_address_is_rejected() {
        for s in [
            "",
            "jan",
            "jan@",
            "@example.org",
            "jan@@example.org",
            "jan@a@example.org",
            "jan@localhost",
            ".jan@example.org",
            "jan.@example.org",
            "j..an@example.org",
            "j an@example.org",
            "jan(x)@example.org",
            "jän@example.org",
            "jan@-example.org",
            "jan@example-.org",
            "jan@exa_mple.org",
            "jan@example..org",
            "jan@example.org.",
        ] {
            refused(email("input.email", s), "input.email");
        }
    }

    #[test]
    fn an_email_local_part_of_64_characters_is_accepted_and_of_65_rejected() {
        ok(email(FIELD, &format!("{}@example.org", "a".repeat(64))));
        refused(
            email("input.email", &format!("{}@example.org", "a".repeat(65))),
            "input.email",
        );
    }

    #[test]
    fn an_email_address_of_254_characters_is_accepted_and_of_255_rejected() {
        let domain = |len: usize| {
            // Labels of 50 characters joined by dots, ending in ".nl".
            let mut d = String::new();
            while d.len() + 3 < len {
                if !d.is_empty() {
                    d.push('.');
                }
                let take = (len - 3 - d.len()).min(50);
                d.push_str(&"b".repeat(take));
            }
            d.push_str(".nl");
            d
        };
        let address = format!("a@{}", domain(252));
        assert_eq!(address.len(), 254);
        ok(email(FIELD, &address));
        let address = format!("aa@{}", domain(252));
        assert_eq!(address.len(), 255);
        refused(email("input.email", &address), "input.email");
    }

    // year and year_range

    #[test]
    fn years_from_1900_to_2100_are_accepted() {
        assert_eq!(ok(year(FIELD, 1900)), 1900);
        assert_eq!(ok(year(FIELD, 2025)), 2025);
        assert_eq!(ok(year(FIELD, 2100)), 2100);
    }

    #[test]
    fn years_outside_1900_to_2100_are_rejected() {
        let message = refused(year("input.startYear", 1899), "input.startYear");
        assert_eq!(message, "year must be between 1900 and 2100, got 1899");
        refused(year("input.startYear", 2101), "input.startYear");
        refused(year("input.startYear", -1), "input.startYear");
    }

    #[test]
    fn a_year_range_may_be_open_or_a_single_year() {
        ok(year_range("input.startYear", None, "input.endYear", None));
        ok(year_range(
            "input.startYear",
            Some(2020),
            "input.endYear",
            None,
        ));
        ok(year_range(
            "input.startYear",
            None,
            "input.endYear",
            Some(2020),
        ));
        ok(year_range(
            "input.startYear",
            Some(2020),
            "input.endYear",
            Some(2020),
        ));
        ok(year_range(
            "input.startYear",
            Some(2020),
            "input.endYear",
            Some(2024),
        ));
    }

    #[test]
    fn a_year_range_ending_before_it_starts_is_rejected_on_the_end() {
        refused(
            year_range("input.startYear", Some(2024), "input.endYear", Some(2023)),
            "input.endYear",
        );
    }

    #[test]
    fn a_year_range_with_an_invalid_year_is_rejected_on_that_year() {
        refused(
            year_range("input.startYear", Some(1899), "input.endYear", Some(2000)),
            "input.startYear",
        );
        refused(
            year_range("input.startYear", Some(2000), "input.endYear", Some(2101)),
            "input.endYear",
        );
    }

    // event_times

    #[test]
    fn an_event_ending_after_it_starts_is_accepted() {
        let starts = Utc
            .with_ymd_and_hms(2025, 3, 1, 9, 0, 0)
            .single()
            .expect("valid time");
        ok(event_times(
            "input.endsAt",
            starts,
            starts + chrono::Duration::seconds(1),
        ));
    }

    #[test]
    fn an_event_ending_when_or_before_it_starts_is_rejected() {
        let starts = Utc
            .with_ymd_and_hms(2025, 3, 1, 9, 0, 0)
            .single()
            .expect("valid time");
        refused(event_times("input.endsAt", starts, starts), "input.endsAt");
        refused(
            event_times("input.endsAt", starts, starts - chrono::Duration::hours(1)),
            "input.endsAt",
        );
    }

    // reason

    #[test]
    fn a_reason_of_10_characters_is_accepted_and_trimmed() {
        assert_eq!(ok(reason(FIELD, "  Te vaag... \n")), "Te vaag...");
        assert_eq!(ok(reason(FIELD, "0123456789")), "0123456789");
    }

    #[test]
    fn a_reason_of_9_characters_is_rejected() {
        let message = refused(reason("input.reason", "  123456789  "), "input.reason");
        assert_eq!(message, "reason must be 10 to 2000 characters, got 9");
    }

    #[test]
    fn a_reason_of_2000_characters_is_accepted_and_of_2001_rejected() {
        ok(reason(FIELD, &"r".repeat(2_000)));
        refused(reason("input.reason", &"r".repeat(2_001)), "input.reason");
    }

    // languages

    #[test]
    fn languages_are_deduplicated_and_sorted() {
        let codes = ["nl", "en", "nl", "de"].map(String::from);
        assert_eq!(ok(languages(FIELD, &codes)), ["de", "en", "nl"]);
        assert!(ok(languages(FIELD, &[])).is_empty());
    }

    #[test]
    fn a_language_code_that_is_not_two_lowercase_letters_is_rejected() {
        for code in ["EN", "eng", "e", "", "n1", "en-GB", "ñl"] {
            refused(
                languages("input.languages", &[code.to_owned()]),
                "input.languages",
            );
        }
    }

    #[test]
    fn a_language_code_outside_iso_639_1_is_rejected() {
        refused(
            languages("input.languages", &["xx".to_owned()]),
            "input.languages",
        );
    }

    #[test]
    fn ten_languages_are_accepted_and_eleven_rejected() {
        let codes: Vec<String> = ISO_639_1.iter().take(11).map(|c| (*c).to_owned()).collect();
        assert_eq!(ok(languages(FIELD, &codes[..10])).len(), 10);
        let mut with_duplicates = codes[..10].to_vec();
        with_duplicates.extend_from_slice(&codes[..10]);
        assert_eq!(ok(languages(FIELD, &with_duplicates)).len(), 10);
        refused(languages("input.languages", &codes), "input.languages");
    }

    #[test]
    fn the_iso_639_1_table_is_sorted_and_complete() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_639_1.len(), 183);
    }
}
