//! Contact addresses of initiatives are organisational by default: a team's or an
//! organisation's mailbox (`info@`, `studentenwelzijn@`) outlives the person who answers
//! it, and publishes no one's personal data. [`looks_personal`] tells the forms when an
//! address reads like one person's (`j.jansen@`, `jan.de.vries@`, `jjansen@`), so they can
//! warn before it is saved. It is a warning, not a rule: when in doubt it says personal.

/// Words that name a function, a team or a service rather than a person. An address
/// whose local part contains one (`studentenwelzijn`, `welzijn-team`) is a role address.
const ROLE_WORDS: &[&str] = &[
    "info",
    "contact",
    "secretaria",
    "welzijn",
    "wellbeing",
    "welbevinden",
    "team",
    "office",
    "bureau",
    "loket",
    "balie",
    "admin",
    "beheer",
    "support",
    "service",
    "helpdesk",
    "studentzaken",
    "studenten",
    "decan",
    "mentor",
    "redactie",
    "communicatie",
    "press",
    "pers@",
    "noreply",
    "no-reply",
    "hallo",
    "hello",
    "vragen",
    "aanmeld",
    "inschrijv",
    "event",
    "evenement",
    "nieuws",
    "news",
    "project",
    "programma",
    "platform",
    "netwerk",
    "network",
    "psycholog",
    "counsel",
    "zorg",
    "care",
    "raad",
    "council",
    "faculteit",
    "faculty",
    "afdeling",
    "department",
    "hogeschool",
    "universiteit",
    "university",
    "groep",
    "group",
];

/// Whether `email` reads like one person's address rather than a team's or an
/// organisation's. Role words (`info`, `contact`, `secretariaat`, `welzijn`, `team`, …)
/// anywhere in the part before the `@` make it a role address; anything else that names
/// no role (initials and a surname, first and last name, a student number) is taken as
/// personal.
pub fn looks_personal(email: &str) -> bool {
    let Some((local, _domain)) = email.trim().rsplit_once('@') else {
        return false;
    };
    // `naam+nieuwsbrief@` is `naam@`.
    let local = local.split('+').next().unwrap_or(local).to_lowercase();
    if local.is_empty() {
        return false;
    }
    let with_at = format!("{local}@");
    !ROLE_WORDS
        .iter()
        .any(|w| local.contains(w) || (w.ends_with('@') && with_at == *w))
}

#[cfg(test)]
mod tests {
    use super::looks_personal;

    #[test]
    fn names_initials_and_student_numbers_look_personal() {
        for address in [
            "j.jansen@hanze.nl",
            "jan.de.vries@uu.nl",
            "jjansen@hva.nl",
            "Jan.Jansen@Example.NL",
            "p.van-dijk@ru.nl",
            "s1234567@student.rug.nl",
            "anna_bakker@tudelft.nl",
            "m.el-amrani+kennisbank@uva.nl",
        ] {
            assert!(looks_personal(address), "{address} should look personal");
        }
    }

    #[test]
    fn team_and_organisation_mailboxes_are_role_addresses() {
        for address in [
            "info@hanze.nl",
            "studentenwelzijn@uu.nl",
            "welzijn-team@hva.nl",
            "contact@example.nl",
            "secretariaat@ru.nl",
            "Secretariat@tudelft.nl",
            "studentendecanen@rug.nl",
            "helpdesk@surf.nl",
            "wellbeing@uva.nl",
            "pers@hanze.nl",
            "noreply@kennisbank.nl",
            "studentpsychologen@vu.nl",
            "info+events@hanze.nl",
        ] {
            assert!(
                !looks_personal(address),
                "{address} should be a role address"
            );
        }
    }

    #[test]
    fn a_text_without_an_address_is_not_a_person() {
        for text in ["", "jan", "@hanze.nl", "   "] {
            assert!(!looks_personal(text), "{text:?}");
        }
    }

    #[test]
    fn a_person_named_like_a_short_word_is_not_mistaken_for_press() {
        // `pers` is a role only as the whole local part, not inside `persoon` or `pers.k`.
        assert!(looks_personal("k.persijn@uu.nl"));
        assert!(!looks_personal("pers@uu.nl"));
    }
}
