//! Deterministic synthetic data sets for benchmarks: the same `n` and seed always give
//! the same rows. Distributions follow the demo data: topic and theme popularity is
//! skewed (a few topics carry most initiatives), each initiative has 1–4 themes and
//! topics and 1–3 organisations, and newer initiatives build on older ones.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kb_domain::{
    EducationLevel, EventKind, InitiativeKind, OrganisationKind, Region, TargetGroup, Vocabulary,
};
use sea_orm::{EntityTrait, TransactionTrait};

use super::batch::{Batch, NewEvent, NewInitiative, NewOrganisation, sync_sequences};
use crate::entity::{theme, topic};
use crate::{Result, Store};

/// What a synthetic load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticSummary {
    pub organisations: usize,
    pub initiatives: usize,
    pub events: usize,
    pub links: usize,
}

/// SplitMix64: small, fast and reproducible across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn with weight 1/(i+1): a Zipf-like skew.
    fn zipf(&mut self, n: usize) -> usize {
        let total: f64 = (1..=n).map(|i| 1.0 / i as f64).sum();
        let mut x = (self.next() as f64 / u64::MAX as f64) * total;
        for i in 0..n {
            x -= 1.0 / (i + 1) as f64;
            if x <= 0.0 {
                return i;
            }
        }
        n - 1
    }
    /// `k` distinct indexes below `n`, drawn with the Zipf skew.
    fn distinct_zipf(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        let mut tries = 0;
        while out.len() < k.min(n) && tries < 50 {
            let i = self.zipf(n);
            if !out.contains(&i) {
                out.push(i);
            }
            tries += 1;
        }
        out
    }
}

const ADJECTIVES: [&str; 12] = [
    "Samen",
    "Sterk",
    "Open",
    "Veilig",
    "Gezond",
    "Verbonden",
    "Actief",
    "Bewust",
    "Digitaal",
    "Positief",
    "Krachtig",
    "Groen",
];
const NOUNS: [&str; 12] = [
    "studeren",
    "netwerk",
    "gesprek",
    "kompas",
    "lab",
    "atelier",
    "academie",
    "pad",
    "huis",
    "programma",
    "route",
    "kring",
];
const PLACES: [&str; 12] = [
    "Veenhoven",
    "Lindeburg",
    "Zandwijk",
    "Oosterkamp",
    "Weidemond",
    "Hogeveld",
    "Bergdaal",
    "Rietvoorde",
    "Duinstede",
    "Brugmeer",
    "Kleihaven",
    "Heidebeek",
];

fn at(year: i32, day: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days((day % 360) as i64)
}

pub(super) async fn load(store: &Store, n: usize, seed: u64) -> Result<SyntheticSummary> {
    let db = &store.db;
    let mut rng = Rng(seed ^ 0x4B45_4E4E_4953_4241);
    let themes: Vec<i64> = theme::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut topics: Vec<i64> = topic::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    // A fixed, seed-dependent popularity order of topics.
    for i in (1..topics.len()).rev() {
        let j = rng.below(i + 1);
        topics.swap(i, j);
    }
    let txn = db.begin().await?;
    let mut batch = Batch::start(&txn).await?;
    let tag = format!("s{seed}");

    let n_orgs = (n / 40).max(20);
    let mut orgs = Vec::with_capacity(n_orgs);
    for o in 0..n_orgs {
        let kind = *rng.pick(OrganisationKind::ALL);
        let place = rng.pick(&PLACES);
        let name = format!("{} {place} {o}", kind_name(kind));
        orgs.push(batch.add_organisation(
            NewOrganisation {
                slug: format!("synthetic-{tag}-org-{o}"),
                name,
                kind: kind.code().into(),
                region: Some(rng.pick(Region::ALL).code().into()),
                city: Some((*place).into()),
                website: Some(format!("https://org{o}.{tag}.example")),
                email: None,
                description_nl: "Synthetische organisatie voor benchmarks.".into(),
                description_en: Some("Synthetic organisation for benchmarks.".into()),
                part_of_id: None,
                created_at: at(2015, o as u64),
            },
            true,
        ));
    }

    let mut initiatives: Vec<i64> = Vec::with_capacity(n);
    let mut published: Vec<i64> = Vec::with_capacity(n);
    let mut links = 0;
    for i in 0..n {
        let status = match rng.below(100) {
            0..=89 => "published",
            90..=94 => "draft",
            95..=96 => "submitted",
            _ => "archived",
        };
        let year = 2012 + rng.below(15) as i32;
        let k = rng.range(1, 4);
        let topic_ids: Vec<i64> = rng
            .distinct_zipf(topics.len(), k)
            .into_iter()
            .map(|t| topics[t])
            .collect();
        let k = rng.range(1, 4);
        let theme_ids: Vec<i64> = rng
            .distinct_zipf(themes.len(), k)
            .into_iter()
            .map(|t| themes[t])
            .collect();
        let mut by: Vec<(i64, String)> = Vec::new();
        for k in 0..rng.range(1, 3) {
            let org = orgs[rng.zipf(orgs.len())];
            if by.iter().all(|(o, _)| *o != org) {
                by.push((
                    org,
                    if k == 0 {
                        "lead"
                    } else if rng.chance(70) {
                        "partner"
                    } else {
                        "funder"
                    }
                    .into(),
                ));
            }
        }
        let languages = match rng.below(100) {
            0..=79 => vec!["nl".to_owned()],
            80..=94 => vec!["en".to_owned()],
            _ => vec!["en".to_owned(), "nl".to_owned()],
        };
        let title = format!(
            "{} {} {} {}",
            rng.pick(&ADJECTIVES),
            rng.pick(&NOUNS),
            rng.pick(&PLACES),
            i + 1
        );
        let kind = *rng.pick(InitiativeKind::ALL);
        let published_at =
            matches!(status, "published" | "archived").then(|| at(year.max(2015), rng.next()));
        let id = batch.add_initiative(
            NewInitiative {
                slug: format!("synthetic-{tag}-{}", i + 1),
                summary: format!("{title}: een synthetisch initiatief voor benchmarks."),
                title,
                title_en: None,
                summary_en: None,
                body: Some(
                    "Synthetische tekst.\n\nDit initiatief bestaat alleen in de benchmarkdata."
                        .into(),
                ),
                kind: kind.code().into(),
                status: status.into(),
                rejection_reason: None,
                format: Some(["online", "on_campus", "hybrid"][rng.below(3)].into()),
                cost: Some(if rng.chance(85) { "free" } else { "paid" }.into()),
                prevention_level: Some(
                    ["universal", "selective", "indicated", "care"][rng.zipf(4)].into(),
                ),
                evidence_level: Some(
                    [
                        "not_assessed",
                        "well_described",
                        "well_founded",
                        "first_indications",
                        "good_indications",
                        "strong_indications",
                    ][rng.zipf(6)]
                    .into(),
                ),
                region: Some(rng.pick(Region::ALL).code().into()),
                start_year: Some(year),
                end_year: rng.chance(30).then(|| year + rng.range(0, 4) as i32),
                website: Some(format!("https://i{}.{tag}.example", i + 1)),
                contact_email: None,
                created_at: at(year.max(2015), i as u64),
                published_at,
                languages,
                target_groups: distinct_codes(&mut rng, TargetGroup::ALL, 3),
                education_levels: distinct_codes(&mut rng, EducationLevel::ALL, 3),
                theme_ids,
                topic_ids,
                organisations: by,
            },
            true,
        );
        // About half of the newer initiatives build on, or relate to, an older one.
        if !published.is_empty() && status == "published" && rng.chance(50) {
            let target = published[published.len() - 1 - rng.zipf(published.len().min(500))];
            let kind = ["builds_on", "inspired_by", "related_to"][rng.below(3)];
            batch.add_link(
                id,
                target,
                kind,
                Some("Synthetische koppeling.".into()),
                at(year.max(2015), 1),
            );
            links += 1;
        }
        if status == "published" {
            published.push(id);
        }
        initiatives.push(id);
        if batch.pending() >= 5_000 {
            batch.flush(&txn).await?;
        }
    }

    let n_events = (n / 50).max(5);
    for e in 0..n_events {
        let starts = at(2019 + rng.below(8) as i32, rng.next());
        let featured: Vec<i64> = if published.is_empty() {
            Vec::new()
        } else {
            let mut f: Vec<i64> = (0..rng.range(0, 4))
                .map(|_| *rng.pick(&published))
                .collect();
            f.sort_unstable();
            f.dedup();
            f
        };
        let kind = *rng.pick(EventKind::ALL);
        let organiser = orgs[rng.zipf(orgs.len())];
        batch.add_event(
            NewEvent {
                slug: format!("synthetic-{tag}-event-{}", e + 1),
                title: format!(
                    "{} {} {}",
                    rng.pick(&ADJECTIVES),
                    kind.code().replace('_', " "),
                    e + 1
                ),
                summary: "Synthetische bijeenkomst voor benchmarks.".into(),
                kind: kind.code().into(),
                status: "published".into(),
                starts_at: starts,
                ends_at: starts + Duration::hours(3),
                location: Some(rng.pick(&PLACES).to_string()),
                online: rng.chance(40),
                region: Some(rng.pick(Region::ALL).code().into()),
                website: None,
                created_at: starts - Duration::days(60),
                published_at: Some(starts - Duration::days(30)),
                theme_ids: vec![themes[rng.zipf(themes.len())]],
                topic_ids: vec![topics[rng.zipf(topics.len())]],
                organiser_ids: vec![organiser],
                initiative_ids: featured,
            },
            true,
        );
    }
    batch.flush(&txn).await?;
    crate::durability::commit(txn).await?;
    sync_sequences(
        db,
        &["organisation", "initiative", "event", "initiative_link"],
    )
    .await?;
    Ok(SyntheticSummary {
        organisations: n_orgs,
        initiatives: initiatives.len(),
        events: n_events,
        links,
    })
}

fn distinct_codes<V: Vocabulary>(rng: &mut Rng, all: &[V], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, max) {
        let c = rng.pick(all).code().to_owned();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn kind_name(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::University => "Universiteit",
        OrganisationKind::UniversityOfAppliedSciences => "Hogeschool",
        OrganisationKind::MboInstitution => "Mbo-college",
        OrganisationKind::WellbeingOrganisation => "Welzijn",
        OrganisationKind::StudentOrganisation => "Studentenvereniging",
        OrganisationKind::HealthService => "Gezondheidsdienst",
        OrganisationKind::KnowledgeInstitute => "Kenniscentrum",
        OrganisationKind::Government => "Gemeente",
        OrganisationKind::Network => "Netwerk",
        OrganisationKind::Other => "Stichting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = {
            let mut r = Rng(7);
            (0..5).map(|_| r.next()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng(7);
            (0..5).map(|_| r.next()).collect()
        };
        assert_eq!(a, b);
    }

    #[test]
    fn zipf_favours_the_first_items() {
        let mut r = Rng(1);
        let mut counts = [0usize; 10];
        for _ in 0..10_000 {
            counts[r.zipf(10)] += 1;
        }
        assert!(counts[0] > counts[4] * 3, "{counts:?}");
        assert!(counts.iter().all(|c| *c > 0));
    }
}
