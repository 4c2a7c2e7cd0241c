//! Whether a contact address looks like a person's rather than a team's or an
//! organisation's, so forms can warn before a personal address is published.

/// Local parts of addresses that belong to a role, not a person.
const ROLES: [&str; 12] = [
    "info",
    "contact",
    "welzijn",
    "studentenwelzijn",
    "secretariaat",
    "servicedesk",
    "studentendecaan",
    "studentenpsycholoog",
    "team",
    "support",
    "office",
    "wellbeing",
];

/// True for addresses whose local part reads like a name (`j.jansen@`, `jan.de.vries@`)
/// and holds no role word.
pub fn looks_personal(email: &str) -> bool {
    let Some((local, _)) = email.trim().rsplit_once('@') else {
        return false;
    };
    let local = local.to_ascii_lowercase();
    if ROLES.iter().any(|r| local.contains(r)) {
        return false;
    }
    local.contains('.') || local.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_look_personal_and_roles_do_not() {
        for a in [
            "j.jansen@hva.example",
            "jan.de.vries@uni.example",
            "p_smit@x.example",
        ] {
            assert!(looks_personal(a), "{a}");
        }
        for a in [
            "info@hva.example",
            "studentenwelzijn@uni.example",
            "welzijn-team@x.example",
            "geen-adres",
        ] {
            assert!(!looks_personal(a), "{a}");
        }
    }
}
