//! The initiative form's content as the person typed it, read from a posted form or from
//! the API's answer, and turned into the API's `InitiativeInput`. Nothing typed is ever
//! dropped: a refused save shows the form again with exactly these values.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::client::nullable;

/// The selection of an initiative the form edits (`initiative(id:)`), also read for the
/// list of changes when someone else saved first.
pub(crate) const INITIATIVE_FIELDS: &str = "id version status rejectionReason
  title summary titleEn summaryEn body kind format cost preventionLevel evidenceLevel region startYear endYear
  website contactEmail contactPersonal languages targetGroups educationLevels
  themes { code } topics { code }
  organisations { role organisation { id name } }
  buildsOn { id title } inspiredBy { id title } relatedTo { id title }";

/// An initiative as the API answers [`INITIATIVE_FIELDS`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Stored {
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) status: String,
    #[serde(deserialize_with = "nullable")]
    pub(crate) rejection_reason: Option<String>,
    pub(crate) title: String,
    pub(crate) summary: String,
    #[serde(deserialize_with = "nullable")]
    pub(crate) title_en: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) summary_en: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) body: Option<String>,
    pub(crate) kind: String,
    #[serde(deserialize_with = "nullable")]
    pub(crate) format: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) cost: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) prevention_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) evidence_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) region: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) start_year: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) end_year: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) website: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub(crate) contact_email: Option<String>,
    pub(crate) contact_personal: bool,
    pub(crate) languages: Vec<String>,
    pub(crate) target_groups: Vec<String>,
    pub(crate) education_levels: Vec<String>,
    pub(crate) themes: Vec<Code>,
    pub(crate) topics: Vec<Code>,
    pub(crate) organisations: Vec<Involved>,
    pub(crate) builds_on: Vec<Linked>,
    pub(crate) inspired_by: Vec<Linked>,
    pub(crate) related_to: Vec<Linked>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Code {
    pub(crate) code: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Involved {
    pub(crate) role: String,
    pub(crate) organisation: Org,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Org {
    pub(crate) id: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Linked {
    pub(crate) id: String,
    pub(crate) title: String,
}

/// The kinds of link the form offers, as the API names them.
pub(crate) const LINK_TYPES: [&str; 3] = ["BUILDS_ON", "INSPIRED_BY", "RELATED_TO"];

/// What the form holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Draft {
    /// The initiative's global id; none for a new one.
    pub(crate) id: Option<String>,
    /// The version the person started from.
    pub(crate) version: Option<i64>,
    pub(crate) title: String,
    pub(crate) summary: String,
    /// The title and summary in English, optional.
    pub(crate) title_en: String,
    pub(crate) summary_en: String,
    pub(crate) body: String,
    pub(crate) kind: String,
    pub(crate) format: String,
    pub(crate) cost: String,
    pub(crate) prevention_level: String,
    pub(crate) evidence_level: String,
    pub(crate) region: String,
    pub(crate) start_year: String,
    pub(crate) end_year: String,
    pub(crate) website: String,
    pub(crate) contact_email: String,
    /// Whether the contact address is a person's, published with their consent.
    pub(crate) contact_personal: bool,
    /// The address the form warned about as looking like a person's: saving it again
    /// unticked confirms it is a team's.
    pub(crate) contact_checked: String,
    pub(crate) languages: Vec<String>,
    pub(crate) target_groups: Vec<String>,
    pub(crate) education_levels: Vec<String>,
    pub(crate) themes: Vec<String>,
    pub(crate) topics: Vec<String>,
    /// The lead organisation's global id.
    pub(crate) lead: String,
    /// Other organisations: global id, role and name (shown, not sent).
    pub(crate) partners: Vec<(String, String, String)>,
    /// Links to other initiatives: type, global id and title (shown, not sent).
    pub(crate) links: Vec<(String, String, String)>,
    /// What the organisation picker and the initiative picker search for.
    pub(crate) find_organisation: String,
    pub(crate) find_initiative: String,
}

/// A year as typed: empty is none, anything else must be a whole number.
pub(crate) fn year(text: &str) -> Result<Option<i64>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| ())
}

impl Draft {
    /// The form of a stored initiative.
    pub(crate) fn of(i: &Stored) -> Self {
        let lead = i
            .organisations
            .iter()
            .find(|o| o.role == "LEAD")
            .map(|o| o.organisation.id.clone())
            .unwrap_or_default();
        let mut links = Vec::new();
        for (kind, list) in [
            ("BUILDS_ON", &i.builds_on),
            ("INSPIRED_BY", &i.inspired_by),
            ("RELATED_TO", &i.related_to),
        ] {
            for l in list {
                links.push((kind.to_owned(), l.id.clone(), l.title.clone()));
            }
        }
        Draft {
            id: Some(i.id.clone()),
            version: Some(i.version),
            title: i.title.clone(),
            summary: i.summary.clone(),
            title_en: i.title_en.clone().unwrap_or_default(),
            summary_en: i.summary_en.clone().unwrap_or_default(),
            body: i.body.clone().unwrap_or_default(),
            kind: i.kind.clone(),
            format: i.format.clone().unwrap_or_default(),
            cost: i.cost.clone().unwrap_or_default(),
            prevention_level: i.prevention_level.clone().unwrap_or_default(),
            evidence_level: i.evidence_level.clone().unwrap_or_default(),
            region: i.region.clone().unwrap_or_default(),
            start_year: i.start_year.map(|y| y.to_string()).unwrap_or_default(),
            end_year: i.end_year.map(|y| y.to_string()).unwrap_or_default(),
            website: i.website.clone().unwrap_or_default(),
            contact_email: i.contact_email.clone().unwrap_or_default(),
            contact_personal: i.contact_personal,
            // An address saved before was looked at then: no second warning.
            contact_checked: i.contact_email.clone().unwrap_or_default(),
            languages: i.languages.clone(),
            target_groups: i.target_groups.clone(),
            education_levels: i.education_levels.clone(),
            themes: i.themes.iter().map(|t| t.code.clone()).collect(),
            topics: i.topics.iter().map(|t| t.code.clone()).collect(),
            lead,
            partners: i
                .organisations
                .iter()
                .filter(|o| o.role != "LEAD")
                .map(|o| {
                    (
                        o.organisation.id.clone(),
                        o.role.clone(),
                        o.organisation.name.clone(),
                    )
                })
                .collect(),
            links,
            find_organisation: String::new(),
            find_initiative: String::new(),
        }
    }

    /// The form as posted (`application/x-www-form-urlencoded`, repeated keys kept).
    /// Partners and links come as `partner`/`link` values `id|role|name` and
    /// `type|id|title`, each kept only when its `…_keep` box is still ticked.
    pub(crate) fn from_form(pairs: &[(String, String)]) -> Self {
        let one = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let many = |key: &str| {
            let mut out: Vec<String> = Vec::new();
            for (k, v) in pairs {
                if k == key && !v.is_empty() && !out.contains(v) {
                    out.push(v.clone());
                }
            }
            out
        };
        let triples = |key: &str| {
            many(key)
                .into_iter()
                .filter_map(|v| {
                    let mut parts = v.splitn(3, '|');
                    let a = parts.next()?.to_owned();
                    let b = parts.next()?.to_owned();
                    let c = parts.next().unwrap_or_default().to_owned();
                    Some((a, b, c))
                })
                .collect::<Vec<_>>()
        };
        // A partner's role may be changed in its own select, named after its id.
        let partners = triples("partner")
            .into_iter()
            .map(|(id, role, name)| {
                let chosen = one(&format!("rol-{id}"));
                let role = if chosen.is_empty() { role } else { chosen };
                (id, role, name)
            })
            .collect();
        Draft {
            id: Some(one("id")).filter(|s| !s.is_empty()),
            version: one("version").parse().ok(),
            title: one("title"),
            summary: one("summary"),
            title_en: one("titleEn"),
            summary_en: one("summaryEn"),
            body: one("body"),
            kind: one("kind"),
            format: one("format"),
            cost: one("cost"),
            prevention_level: one("preventionLevel"),
            evidence_level: one("evidenceLevel"),
            region: one("region"),
            start_year: one("startYear"),
            end_year: one("endYear"),
            website: one("website"),
            contact_email: one("contactEmail"),
            contact_personal: one("contactPersonal") == "ja",
            contact_checked: one("contactChecked"),
            languages: many("languages"),
            target_groups: many("targetGroups"),
            education_levels: many("educationLevels"),
            themes: many("themes"),
            topics: many("topics"),
            lead: one("lead"),
            partners,
            links: triples("link"),
            find_organisation: one("zoekOrganisatie"),
            find_initiative: one("zoekInitiatief"),
        }
    }

    /// The API's `InitiativeInput` for this content, or the fields that cannot be sent
    /// as typed (a year that is not a number) with their messages.
    pub(crate) fn input(&self) -> Result<Value, Vec<(String, String)>> {
        let mut bad = Vec::new();
        let mut years = [None, None];
        for (slot, (field, text)) in years.iter_mut().zip([
            ("input.startYear", &self.start_year),
            ("input.endYear", &self.end_year),
        ]) {
            match year(text) {
                Ok(y) => *slot = y,
                Err(()) => bad.push((field.to_owned(), "not a year".to_owned())),
            }
        }
        if !bad.is_empty() {
            return Err(bad);
        }
        let mut input = Map::new();
        for (key, value) in [
            ("title", &self.title),
            ("summary", &self.summary),
            ("titleEn", &self.title_en),
            ("summaryEn", &self.summary_en),
            ("body", &self.body),
            ("website", &self.website),
            ("contactEmail", &self.contact_email),
        ] {
            input.insert(key.to_owned(), json!(value));
        }
        for (key, value) in [
            ("kind", &self.kind),
            ("format", &self.format),
            ("cost", &self.cost),
            ("preventionLevel", &self.prevention_level),
            ("evidenceLevel", &self.evidence_level),
            ("region", &self.region),
        ] {
            if !value.is_empty() {
                input.insert(key.to_owned(), json!(value));
            }
        }
        input.insert("contactPersonal".to_owned(), json!(self.contact_personal));
        for (key, value) in [("startYear", years[0]), ("endYear", years[1])] {
            if let Some(y) = value {
                input.insert(key.to_owned(), json!(y));
            }
        }
        for (key, value) in [
            ("languages", &self.languages),
            ("targetGroups", &self.target_groups),
            ("educationLevels", &self.education_levels),
            ("themes", &self.themes),
            ("topics", &self.topics),
        ] {
            input.insert(key.to_owned(), json!(value));
        }
        let mut organisations = Vec::new();
        if !self.lead.is_empty() {
            organisations.push(json!({ "organisation": self.lead, "role": "LEAD" }));
        }
        for (id, role, _) in &self.partners {
            if *id != self.lead {
                organisations.push(json!({ "organisation": id, "role": role }));
            }
        }
        input.insert("organisations".to_owned(), Value::Array(organisations));
        Ok(Value::Object(input))
    }
}

/// A revision's snapshot of an initiative (`Revision.after`), read loosely: each field
/// as the JSON the store wrote, to compare two of them field by field.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Snapshot(pub(crate) Map<String, Value>);

impl Snapshot {
    /// The fields a person edits, in the form's order, with their labels.
    pub(crate) const FIELDS: [(&'static str, &'static str, &'static str); 23] = [
        ("title", "Titel", "Title"),
        ("summary", "Samenvatting", "Summary"),
        ("title_en", "Titel in het Engels", "Title in English"),
        (
            "summary_en",
            "Samenvatting in het Engels",
            "Summary in English",
        ),
        ("body", "Beschrijving", "Description"),
        ("kind", "Soort", "Kind"),
        ("themes", "Thema's", "Themes"),
        ("topics", "Onderwerpen", "Topics"),
        ("target_groups", "Doelgroepen", "Target groups"),
        ("education_levels", "Onderwijsniveaus", "Education levels"),
        ("format", "Vorm", "Format"),
        ("cost", "Kosten", "Cost"),
        ("prevention_level", "Preventieniveau", "Prevention level"),
        ("evidence_level", "Onderbouwing", "Evidence"),
        ("region", "Regio", "Region"),
        ("start_year", "Startjaar", "Start year"),
        ("end_year", "Eindjaar", "End year"),
        ("languages", "Talen", "Languages"),
        ("website", "Website", "Website"),
        ("contact_email", "Contactadres", "Contact address"),
        ("contact_personal", "Persoonlijk adres", "Personal address"),
        ("organisations", "Organisaties", "Organisations"),
        ("status", "Status", "Status"),
    ];

    /// The value of `field` as text for a person: lists joined, nothing as empty.
    pub(crate) fn text(&self, field: &str) -> String {
        fn show(v: &Value) -> String {
            match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
                other => other.to_string(),
            }
        }
        self.0.get(field).map(show).unwrap_or_default()
    }

    /// Whether `field` says the same in both, lists compared as sets.
    pub(crate) fn same(&self, other: &Snapshot, field: &str) -> bool {
        let norm = |s: &Snapshot| match s.0.get(field) {
            Some(Value::Array(items)) => {
                let mut v: Vec<String> = items.iter().map(Value::to_string).collect();
                v.sort();
                Value::from(v)
            }
            Some(Value::String(t)) if t.is_empty() => Value::Null,
            Some(v) => v.clone(),
            None => Value::Null,
        };
        norm(self) == norm(other)
    }

    /// The fields (keys of [`Snapshot::FIELDS`]) that differ between the two.
    pub(crate) fn changed(&self, other: &Snapshot) -> Vec<&'static str> {
        Self::FIELDS
            .iter()
            .map(|(k, _, _)| *k)
            .filter(|k| !self.same(other, k))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_posted_form_is_read_whole_and_becomes_the_input() {
        let d = Draft::from_form(&pairs(&[
            ("id", ""),
            ("version", ""),
            ("title", "Buddy <b>programma</b>"),
            ("summary", "Studenten helpen elkaar."),
            ("kind", "PEER_SUPPORT"),
            ("format", ""),
            ("themes", "support"),
            ("themes", "prevention"),
            ("themes", "support"),
            ("topics", "social-connection"),
            ("startYear", "2024"),
            ("endYear", ""),
            ("lead", "T3JnOjE"),
            ("partner", "T3JnOjI|PARTNER|Hogeschool"),
            ("rol-T3JnOjI", "FUNDER"),
            ("link", "BUILDS_ON|SW5pOjk|Eerder werk"),
        ]));
        assert_eq!(d.id, None);
        assert_eq!(d.title, "Buddy <b>programma</b>");
        assert_eq!(d.themes, ["support", "prevention"]);
        assert_eq!(
            d.partners,
            [(
                "T3JnOjI".to_owned(),
                "FUNDER".to_owned(),
                "Hogeschool".to_owned()
            )]
        );
        assert_eq!(d.links.len(), 1);
        let input = d.input().expect("valid");
        assert_eq!(input["title"], "Buddy <b>programma</b>");
        assert_eq!(input["startYear"], 2024);
        assert!(input.get("endYear").is_none());
        assert!(input.get("format").is_none());
        assert_eq!(
            input["organisations"],
            json!([
                { "organisation": "T3JnOjE", "role": "LEAD" },
                { "organisation": "T3JnOjI", "role": "FUNDER" }
            ])
        );
    }

    #[test]
    fn a_year_that_is_not_a_number_names_its_field() {
        let d = Draft {
            start_year: "twintig".into(),
            end_year: "2030".into(),
            ..Draft::default()
        };
        let bad = d.input().expect_err("not a year");
        assert_eq!(
            bad,
            [("input.startYear".to_owned(), "not a year".to_owned())]
        );
    }

    #[test]
    fn snapshots_compare_lists_as_sets() {
        let a = Snapshot(
            serde_json::from_value(json!({ "title": "A", "themes": ["x", "y"], "body": "" }))
                .expect("map"),
        );
        let b = Snapshot(
            serde_json::from_value(json!({ "title": "B", "themes": ["y", "x"], "body": null }))
                .expect("map"),
        );
        assert_eq!(a.changed(&b), ["title"]);
        assert_eq!(a.text("themes"), "x, y");
    }
}
