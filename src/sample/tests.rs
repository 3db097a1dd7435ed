use super::*;
use crate::registry;
use crate::snapshot::{load, Flags, Kind, Repos};

fn registry() -> Registry {
    registry::parse(
        std::path::Path::new("organizations.toml"),
        include_str!("../../content/data/organizations.toml"),
    )
    .unwrap()
}

fn options(models: usize, date: &str, seed: u64) -> Options {
    Options {
        models,
        datasets: 0,
        spaces: 0,
        date: date.to_owned(),
        seed,
    }
}

/// Writes and reads back a snapshot, as the report will.
fn snapshot(options: &Options) -> (Repos, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("models.jsonl");
    let manifest = write(options, &registry(), &path).unwrap();
    let snapshot = load(&path).unwrap();
    assert_eq!(snapshot.manifest.as_ref(), Some(&manifest));
    let table = snapshot.tables.into_iter().next().unwrap();
    (table.repos, manifest)
}

struct Shares {
    top200: f64,
    below200: f64,
    cn: f64,
    us: f64,
    independent: f64,
    derivatives: f64,
}

/// Shares of all-time downloads, which the generator calibrates.
fn shares(models: &Repos) -> Shares {
    let registry = registry();
    let downloads = &models.downloads_all_time;
    let total: u64 = downloads.iter().sum();
    let mut sorted = downloads.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let country = |code: &str| {
        let held: u64 = (0..models.len())
            .filter(|&i| {
                let org = registry.get(models.strings.get(models.author[i]));
                org.and_then(|o| o.country.as_deref()) == Some(code)
            })
            .map(|i| downloads[i])
            .sum();
        held as f64 / total as f64
    };
    let n = models.len() as f64;
    let independent = (0..models.len())
        .filter(|&i| {
            let org = registry.get(models.strings.get(models.author[i]));
            org.is_some_and(|o| o.kind == OrgKind::Independent)
        })
        .count();
    Shares {
        top200: sorted[..200].iter().sum::<u64>() as f64 / total as f64,
        below200: downloads.iter().filter(|&&d| d < 200).count() as f64 / n,
        cn: country("CN"),
        us: country("US"),
        independent: independent as f64 / n,
        derivatives: models
            .derivative
            .iter()
            .filter(|&&d| d != Derivative::Original)
            .count() as f64
            / n,
    }
}

fn near(value: f64, target: f64, tolerance: f64) -> bool {
    (value - target).abs() <= tolerance
}

#[test]
fn the_same_options_give_the_same_bytes() {
    let registry = registry();
    let a = generate(&options(3000, "2026-03-15", 7), &registry).unwrap();
    let b = generate(&options(3000, "2026-03-15", 7), &registry).unwrap();
    let c = generate(&options(3000, "2026-03-15", 8), &registry).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.lines().count(), 3000);
}

#[test]
fn spring_2026_matches_the_report() {
    let (models, manifest) = snapshot(&options(20_000, "2026-03-15", 1));
    assert!(manifest.synthetic);
    assert!(manifest
        .source
        .contains("--models 20000 --datasets 0 --spaces 0 --date 2026-03-15 --seed 1"));
    assert_eq!(manifest.files["models.jsonl"].rows, 20_000);
    let s = shares(&models);
    assert!(near(s.top200, 0.496, 0.002), "top 200: {}", s.top200);
    assert!(near(s.below200, 0.50, 0.002), "below 200: {}", s.below200);
    assert!(near(s.cn, 0.41, 0.015), "CN: {}", s.cn);
    assert!(near(s.us, 0.37, 0.015), "US: {}", s.us);
    assert!(
        near(s.independent, 0.40, 0.02),
        "independent: {}",
        s.independent
    );
}

#[test]
fn spring_2025_is_us_led_with_fewer_derivatives() {
    let (early, _) = snapshot(&options(12_000, "2025-03-15", 1));
    let (late, _) = snapshot(&options(12_000, "2026-03-15", 1));
    let (early, late) = (shares(&early), shares(&late));
    assert!(near(early.us, 0.70, 0.015), "US: {}", early.us);
    assert!(early.cn < 0.2, "CN: {}", early.cn);
    assert!(late.cn > late.us);
    assert!(early.derivatives + 0.05 < late.derivatives);
    assert!(early.independent + 0.08 < late.independent);
}

#[test]
fn the_trends_go_on_after_spring_2026_and_slow_down() {
    let p = |date: &str| world::progress(world::parse_date(date).unwrap());
    assert_eq!(p("2024-09-15"), 0.0);
    assert_eq!(p("2025-03-15"), 0.0);
    assert_eq!(p("2026-03-15"), 1.0);
    let (spring, autumn, next) = (p("2026-03-15"), p("2026-09-15"), p("2027-03-15"));
    // The pace of the last year at first, then slower, and bounded.
    let day = p("2026-03-16") - spring;
    assert!(near(day, 1.0 / 365.0, 1e-4), "{day}");
    assert!(autumn - spring > 0.25, "{autumn}");
    assert!(
        next - autumn < autumn - spring && next - autumn > 0.05,
        "{next}"
    );
    assert!(p("2040-01-01") < 1.5);
}

#[test]
fn an_autumn_2026_snapshot_differs_from_spring_2026() {
    let (spring, _) = snapshot(&options(12_000, "2026-03-15", 1));
    let (autumn, _) = snapshot(&options(12_000, "2026-09-15", 1));
    let (spring, autumn) = (shares(&spring), shares(&autumn));
    // Headline shares move on as percentages a reader would see.
    assert!(
        autumn.cn > spring.cn + 0.05,
        "CN {} → {}",
        spring.cn,
        autumn.cn
    );
    assert!(
        autumn.us < spring.us - 0.05,
        "US {} → {}",
        spring.us,
        autumn.us
    );
    assert!(autumn.independent > spring.independent + 0.02);
    assert!(autumn.derivatives > spring.derivatives);
    assert!(autumn.top200 > spring.top200 && autumn.top200 < 0.55);
}

#[test]
fn rows_are_consistent() {
    let (models, _) = snapshot(&options(5_000, "2025-09-01", 3));
    let registry = registry();
    let date = world::parse_date("2025-09-01").unwrap();
    let last_month = (2025 * 12 + 8) as u32;
    let ids: HashSet<&str> = models.id.iter().map(|&s| models.strings.get(s)).collect();
    assert_eq!(ids.len(), models.len(), "ids are unique");
    for i in 0..models.len() {
        let id = models.strings.get(models.id[i]);
        let author = models.strings.get(models.author[i]);
        assert!(id.starts_with(&format!("{author}/")), "{id}");
        assert!(models.created_month[i] <= last_month, "{id}");
        assert!(!models.pipeline_tag[i].is_none(), "{id}");
        let derived = models.derivative[i] != Derivative::Original;
        let base = models.strings.get(models.base_model[i]);
        assert_eq!(derived, !base.is_empty(), "{id}");
        if derived {
            assert!(ids.contains(base), "{id}: base {base} is in the snapshot");
        }
        if author == "TheBloke" {
            assert!(models.created_month[i] <= 2024 * 12, "{id}");
        }
        // Thirty days are part of all time; nothing is missing; March 2022 is only
        // ever the placeholder month for repositories older than the migration.
        assert!(models.downloads[i] <= models.downloads_all_time[i], "{id}");
        assert_eq!(models.flags[i].0 & !Flags::PLACEHOLDER_DATE.0, 0, "{id}");
        assert!(models.created_month[i] >= 2022 * 12 + 2, "{id}");
    }
    assert!(models.flags.iter().any(|f| f.has(Flags::PLACEHOLDER_DATE)));
    let unattributed = (0..models.len())
        .filter(|&i| registry.get(models.strings.get(models.author[i])).is_none())
        .count();
    assert!(unattributed > models.len() / 5);
    assert!(date > world::START);
}

#[test]
fn compressed_output_reads_back_and_bad_options_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let registry = registry();
    for name in ["m.jsonl.zst", "m.jsonl.gz"] {
        let path = dir.path().join("out").join(name);
        let manifest = write(&options(500, "2026-01-31", 2), &registry, &path).unwrap();
        let snapshot = load(&path).unwrap();
        assert_eq!(snapshot.main().repos.len(), 500);
        assert_eq!(snapshot.manifest.unwrap(), manifest);
    }
    for date in ["2026-02-30", "2026-3-15", "26-03-15", "tomorrow", ""] {
        let err = generate(&options(10, date, 1), &registry).unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{date}: {err}");
    }
    assert!(generate(&options(0, "2026-03-15", 1), &registry).is_err());
    let err = write(
        &options(10, "2026-03-15", 1),
        &registry,
        &dir.path().join("x.csv"),
    );
    assert!(format!("{:#}", err.unwrap_err()).contains("x.csv"));
}

#[test]
fn handles_stay_unique_beyond_the_patterns() {
    let registry = registry();
    let handles = names::Handles::new(100_000, &registry, &mut Rng::new(1));
    let unique: HashSet<&String> = handles.names.iter().collect();
    assert_eq!(unique.len(), 100_000);
    assert!(handles.names.iter().all(|h| registry.get(h).is_none()));
}

#[test]
fn an_empty_registry_still_gives_a_snapshot() {
    let text = generate(&options(1000, "2026-03-15", 5), &Registry::default()).unwrap();
    assert_eq!(text.lines().count(), 1000);
}

#[test]
fn dates_convert_both_ways() {
    let day = |y, m, d| world::days_from_civil(y, m, d) * DAY;
    assert_eq!(world::timestamp(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        world::timestamp(day(2024, 2, 29) + 3661),
        "2024-02-29T01:01:01.000Z"
    );
    assert_eq!(world::parse_date("2026-03-15").unwrap(), day(2026, 3, 15));
    assert_eq!(world::parse_date("2024-02-29").unwrap(), day(2024, 2, 29));
    assert!(world::parse_date("2025-02-29").is_err());
}

#[test]
fn datasets_and_spaces_are_written_beside_the_models_and_keep_changing() {
    let dir = tempfile::tempdir().unwrap();
    let registry = registry();
    let at = |date: &str| {
        let path = dir.path().join(date).join("models.jsonl.zst");
        let options = Options {
            datasets: 600,
            spaces: 900,
            ..options(300, date, 3)
        };
        write(&options, &registry, &path).unwrap();
        load(&path).unwrap()
    };
    let spring = at("2026-03-15");
    let autumn = at("2026-09-15");
    for snapshot in [&spring, &autumn] {
        let kinds: Vec<Kind> = snapshot.tables.iter().map(|t| t.kind()).collect();
        assert_eq!(kinds, [Kind::Models, Kind::Datasets, Kind::Spaces]);
        assert_eq!(snapshot.table(Kind::Datasets).unwrap().repos.len(), 600);
        assert_eq!(snapshot.table(Kind::Spaces).unwrap().repos.len(), 900);
    }
    // The world keeps moving after the last edition: Docker's share of spaces grows.
    let docker = |snapshot: &crate::snapshot::Snapshot| {
        let spaces = &snapshot.table(Kind::Spaces).unwrap().repos;
        let n = spaces
            .sdk
            .iter()
            .filter(|&&s| spaces.strings.get(s) == "docker");
        n.count() as f64 / spaces.len() as f64
    };
    assert!(
        docker(&autumn) > docker(&spring),
        "{} vs {}",
        docker(&autumn),
        docker(&spring)
    );
}

#[test]
fn zstd_output_is_the_same_on_any_number_of_cores() {
    // Over 16 MB, so that level 9's multithreaded mode cuts it into several jobs.
    let mut text = String::new();
    let mut rng = Rng::new(7);
    while text.len() < 40 << 20 {
        let n = rng.next_u64() % 1_000_000;
        text.push_str(&format!(
            "{{\"id\":\"org/model-{n}\",\"downloads\":{}}}\n",
            n % 977
        ));
    }
    let one = zstd_with(text.as_bytes(), 1).unwrap();
    assert_eq!(one, zstd_with(text.as_bytes(), 3).unwrap());
    assert_eq!(zstd::decode_all(&one[..]).unwrap(), text.as_bytes());
}

#[test]
fn existing_lists_the_files_a_write_would_replace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models.jsonl.zst");
    assert!(existing(&out).is_empty());
    let mut steps = Vec::new();
    write_reporting(&options(50, "2026-03-15", 1), &registry(), &out, &mut |s| {
        steps.push(s)
    })
    .unwrap();
    assert_eq!(steps, [Step::Generate, Step::Compress, Step::Write]);
    assert_eq!(existing(&out).len(), 3);
    std::fs::remove_file(&out).unwrap();
    // Another snapshot's manifest in the folder would be replaced too.
    let beside = ["authors.jsonl.zst", MANIFEST].map(|name| dir.path().join(name));
    assert_eq!(existing(&out), beside);
}

#[test]
fn parquet_output_reads_back_to_the_rows_json_lines_reads_to() {
    let dir = tempfile::tempdir().unwrap();
    let registry = registry();
    let options = Options {
        datasets: 200,
        spaces: 300,
        ..options(400, "2026-03-15", 5)
    };
    let at = |name: &str| {
        let path = dir.path().join(name.replace('.', "-")).join(name);
        let manifest = write(&options, &registry, &path).unwrap();
        (load(&path).unwrap(), manifest)
    };
    let (json, _) = at("models.jsonl.zst");
    let (parquet, manifest) = at("models.parquet");
    // The manifest names the Parquet files, with their rows, and checks out on load.
    let names: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "authors.jsonl.zst",
            "datasets.parquet",
            "models.parquet",
            "spaces.parquet"
        ]
    );
    assert_eq!(manifest.files["datasets.parquet"].rows, 200);
    assert_eq!(json.tables.len(), 3);
    for (a, b) in json.tables.iter().zip(&parquet.tables) {
        assert!(b.path.to_string_lossy().ends_with(".parquet"));
        assert_eq!(a.kind(), b.kind());
        assert_eq!(a.quality, b.quality);
        let (a, b) = (&a.repos, &b.repos);
        assert_eq!(a.len(), b.len());
        assert_eq!(
            (&a.downloads, &a.downloads_all_time),
            (&b.downloads, &b.downloads_all_time)
        );
        assert_eq!(
            (&a.likes, &a.created_month, &a.flags),
            (&b.likes, &b.created_month, &b.flags)
        );
        assert_eq!(
            (&a.author, &a.license, &a.derivative),
            (&b.author, &b.license, &b.derivative)
        );
        assert_eq!(
            (&a.sdk, &a.language, &a.base_model),
            (&b.sdk, &b.language, &b.base_model)
        );
    }
}
