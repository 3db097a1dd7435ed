//! The rest of a synthetic Hub: datasets and spaces, shaped like `/api/datasets` and
//! `/api/spaces` entries.
//!
//! Their authors are drawn from the same registry organisations and synthetic handles
//! as the models' (organisations by their weight at the date), so that author-level
//! figures can join the three kinds. Each kind follows trends that move smoothly with
//! the snapshot date and keep moving after the last edition (logistic curves, never a
//! step): datasets turn towards text generation and towards Chinese, and grow larger;
//! spaces turn from Gradio and Streamlit to Docker. Datasets older than March 2022
//! carry the Hub's placeholder creation date for datasets (`…23:29:22.000Z`). A
//! separate random stream from the models' keeps the models' bytes as they were.

use serde::Serialize;

use super::rng::Rng;
use super::world::{timestamp, World, START};
use super::{Org, DAY, YEAR};

/// The placeholder creation date listings give datasets migrated on 2022-03-02.
const DATASET_PLACEHOLDER: &str = "2022-03-02T23:29:22.000Z";
/// When the migration ran: datasets created before carry `DATASET_PLACEHOLDER`.
const MIGRATION: i64 = 19_053 * DAY + 23 * 3600 + 29 * 60;

/// `from` at the start, `to` late, moving along a logistic curve centred on `mid`
/// (years since 2020) with `width` years of steepness: it keeps moving, ever slower,
/// after any edition's date.
fn trend(world: &World, from: f64, to: f64, mid: f64, width: f64) -> f64 {
    let years = (world.date - START) as f64 / YEAR;
    from + (to - from) / (1.0 + (-(years - mid) / width).exp())
}

/// The authors repositories are drawn from: registry organisations (weighted as
/// they publish models at the date) and synthetic handles.
pub struct Authors<'a> {
    pub orgs: &'a [Org],
    pub users: &'a super::names::Handles,
    /// The share of repositories by user handles.
    pub user_share: f64,
}

impl Authors<'_> {
    fn pick(&self, rng: &mut Rng) -> &str {
        if self.orgs.is_empty() || rng.chance(self.user_share) {
            return &self.users.names[self.users.pick(rng)];
        }
        &self.orgs[rng.weighted(self.orgs.iter().map(|o| o.weight.max(1e-6)))].author
    }
}

const DATASET_TASKS: &[(&str, f64, f64)] = &[
    // (task category, weight at the start, weight late)
    ("text-generation", 0.08, 0.34),
    ("question-answering", 0.12, 0.10),
    ("text-classification", 0.22, 0.09),
    ("translation", 0.08, 0.04),
    ("summarization", 0.05, 0.03),
    ("token-classification", 0.07, 0.02),
    ("image-classification", 0.07, 0.05),
    ("automatic-speech-recognition", 0.06, 0.05),
    ("image-text-to-text", 0.00, 0.08),
    ("robotics", 0.00, 0.04),
    ("text-to-image", 0.02, 0.04),
];

const LANGUAGES: &[(&str, f64, f64)] = &[
    ("en", 0.62, 0.52),
    ("zh", 0.04, 0.13),
    ("fr", 0.05, 0.04),
    ("es", 0.05, 0.04),
    ("de", 0.04, 0.03),
    ("ru", 0.03, 0.03),
    ("ja", 0.03, 0.04),
    ("ar", 0.02, 0.03),
    ("hi", 0.02, 0.03),
    ("ko", 0.02, 0.03),
    ("pt", 0.03, 0.02),
    ("vi", 0.01, 0.02),
];

const SIZES: &[(&str, f64, f64)] = &[
    ("n<1K", 0.38, 0.22),
    ("1K<n<10K", 0.30, 0.28),
    ("10K<n<100K", 0.18, 0.24),
    ("100K<n<1M", 0.09, 0.15),
    ("1M<n<10M", 0.04, 0.08),
    ("10M<n<100M", 0.01, 0.03),
];

const DATASET_LICENSES: &[&str] = &[
    "mit",
    "apache-2.0",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "odc-by",
    "other",
];

const SDKS: &[(&str, f64, f64)] = &[
    ("gradio", 0.62, 0.46),
    ("streamlit", 0.26, 0.08),
    ("docker", 0.05, 0.38),
    ("static", 0.07, 0.08),
];

const TOPICS: &[&str] = &[
    "chat",
    "arena",
    "leaderboard",
    "demo",
    "playground",
    "tts",
    "ocr",
    "rag",
    "agent",
    "translate",
    "transcribe",
    "image-gen",
    "detector",
    "eval",
    "search",
    "viewer",
];

const DATA_WORDS: &[&str] = &[
    "instructions",
    "dialogues",
    "reviews",
    "news",
    "math",
    "code",
    "reasoning",
    "qa",
    "speech",
    "captions",
    "wiki",
    "preferences",
    "trajectories",
    "docs",
    "tables",
];

/// One of `items` by weights that move from their start to their late value.
fn trending<'a>(world: &World, items: &'a [(&'a str, f64, f64)], rng: &mut Rng) -> &'a str {
    let weights = items
        .iter()
        .map(|&(_, from, to)| trend(world, from, to, 5.5, 0.9).max(0.0));
    items[rng.weighted(weights)].0
}

/// A heavy-tailed count with median about `median`: most are small, a few huge.
fn heavy(median: f64, rng: &mut Rng) -> u64 {
    let pareto = (1.0 - rng.unit()).powf(-1.0 / 0.9);
    (median * (pareto - 1.0) * 1.3).floor() as u64
}

/// Downloads in the last 30 days: a share of all-time downloads that shrinks with age.
pub(super) fn last_30_days(all_time: u64, age: i64, rng: &mut Rng) -> u64 {
    let age_days = (age as f64 / DAY as f64).max(1.0);
    let share = ((30.0 / age_days).min(1.0).powf(0.6) * (0.3 * rng.normal()).exp()).min(1.0);
    (all_time as f64 * share).floor() as u64
}

#[derive(Serialize)]
struct DatasetRow<'a> {
    #[serde(rename = "_id")]
    object_id: String,
    id: String,
    author: &'a str,
    downloads: u64,
    #[serde(rename = "downloadsAllTime")]
    downloads_all_time: u64,
    likes: u64,
    #[serde(rename = "trendingScore")]
    trending_score: u64,
    private: bool,
    gated: bool,
    tags: Vec<String>,
    #[serde(rename = "createdAt")]
    created_at: String,
}

#[derive(Serialize)]
struct SpaceRow<'a> {
    #[serde(rename = "_id")]
    object_id: String,
    id: String,
    author: &'a str,
    likes: u64,
    #[serde(rename = "trendingScore")]
    trending_score: u64,
    private: bool,
    sdk: &'a str,
    tags: Vec<String>,
    #[serde(rename = "createdAt")]
    created_at: String,
}

/// `n` dataset entries as JSON lines.
pub fn datasets(n: usize, world: &World, authors: &Authors, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(n * 520);
    for i in 0..n {
        let author = authors.pick(rng);
        let created = world.created(START, world.date, rng);
        let all_time = heavy(60.0, rng);
        let mut tags = vec![format!(
            "task_categories:{}",
            trending(world, DATASET_TASKS, rng)
        )];
        let first = trending(world, LANGUAGES, rng);
        tags.push(format!("language:{first}"));
        // Some datasets are in several languages: each is listed.
        for _ in 0..usize::from(rng.chance(0.12)) * (1 + rng.below(4)) {
            let more = trending(world, LANGUAGES, rng);
            if !tags
                .iter()
                .any(|t| t.strip_prefix("language:") == Some(more))
            {
                tags.push(format!("language:{more}"));
            }
        }
        tags.push(format!("size_categories:{}", trending(world, SIZES, rng)));
        if rng.chance(0.7) {
            tags.push(format!("license:{}", rng.pick(DATASET_LICENSES)));
        }
        tags.extend(["format:parquet", "library:datasets", "region:us"].map(str::to_owned));
        let row = DatasetRow {
            object_id: format!("{:08x}{:016x}", created.max(START), rng.next_u64()),
            id: format!("{author}/{}-{i}", rng.pick(DATA_WORDS)),
            author,
            downloads: last_30_days(all_time, world.date - created, rng),
            downloads_all_time: all_time,
            likes: heavy(0.6, rng),
            trending_score: 0,
            private: false,
            gated: rng.chance(0.04),
            tags,
            created_at: created_at(created, DATASET_PLACEHOLDER),
        };
        push_line(&mut out, &row);
    }
    out
}

/// `n` space entries as JSON lines.
pub fn spaces(n: usize, world: &World, authors: &Authors, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(n * 320);
    for i in 0..n {
        let author = authors.pick(rng);
        // Spaces opened in October 2021.
        let opened = START + (1.8 * YEAR) as i64;
        let created = world.created(opened, world.date, rng);
        let sdk = trending(world, SDKS, rng);
        let mut tags = vec![sdk.to_owned()];
        if rng.chance(0.3) {
            tags.push(format!("license:{}", rng.pick(DATASET_LICENSES)));
        }
        tags.push("region:us".to_owned());
        let row = SpaceRow {
            object_id: format!("{:08x}{:016x}", created.max(START), rng.next_u64()),
            id: format!("{author}/{}-{i}", rng.pick(TOPICS)),
            author,
            likes: heavy(1.2, rng),
            trending_score: 0,
            private: false,
            sdk,
            tags,
            created_at: created_at(created, DATASET_PLACEHOLDER),
        };
        push_line(&mut out, &row);
    }
    out
}

/// A creation time as the Hub lists it: the placeholder before the migration.
fn created_at(time: i64, placeholder: &str) -> String {
    if time < MIGRATION {
        placeholder.to_owned()
    } else {
        timestamp(time)
    }
}

fn push_line(out: &mut String, row: &impl Serialize) {
    out.push_str(&serde_json::to_string(row).expect("rows serialize"));
    out.push('\n');
}
