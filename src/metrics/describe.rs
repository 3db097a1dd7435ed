//! Metric definitions in plain English: one sentence per figure, shown as its provenance
//! and listed on the methodology page ("Share of all downloads held by the 200
//! most-downloaded models").

use crate::config::{Field, Filter, Key, Metric, Weight};
use crate::format::thousands;
use crate::registry::UNATTRIBUTED;
use crate::snapshot::Kind;

use super::group::{display, UNKNOWN_COUNTRY};

/// The definition of `metric` as one sentence.
pub fn describe(metric: &Metric, kind: Kind) -> String {
    let mut text = sentence(metric, kind);
    if let Metric::ShareBy { key, .. } | Metric::ShareOf { key, .. } | Metric::Hhi { key, .. } =
        metric
    {
        if *key == Key::BaseModel {
            text.push_str(
                "; a merge counts once for each of its parents, so these are shares of links \
                 from a derivative to a base model, not of models",
            );
        }
        if *key == Key::Language {
            text.push_str(
                "; a dataset in several languages counts once for each, so these are shares \
                 of dataset\u{2013}language pairs, not of datasets",
            );
        }
    }
    text
}

/// The definition without notes on how a key counts.
fn sentence(metric: &Metric, kind: Kind) -> String {
    let (one, many) = (kind.singular(), kind.name());
    let models = |filter: Option<&Filter>, all| rows_noun(kind, filter, all);
    let weight_noun = |weight| weight_noun(weight, kind);
    let most = |field, n| most(field, n, kind);
    match metric {
        Metric::Count { filter } => format!("Number of {}", models(filter.as_ref(), false)),
        Metric::Sum { field, filter } => format!(
            "Total {} of {}",
            noun(*field),
            models(filter.as_ref(), true)
        ),
        Metric::Quantile { field, q, filter } => format!(
            "{} {} across {}",
            quantile_name(*q),
            noun(*field),
            models(filter.as_ref(), true)
        ),
        Metric::ShareBelow {
            field,
            threshold,
            filter,
        } => format!(
            "Share of {} with {}",
            models(filter.as_ref(), true),
            below(*field, *threshold)
        ),
        Metric::TopShare { field, n } => format!(
            "Share of all {} held by the {}",
            noun(*field),
            most(*field, *n)
        ),
        Metric::Gini { field } => format!(
            "Gini coefficient of {} across all {many} (0 when every {one} has the same, \
             near 1 when one {one} has nearly all)",
            noun(*field)
        ),
        Metric::Hhi { key, weight } => format!(
            "Herfindahl\u{2013}Hirschman index of {} by {}: the sum of each group's squared \
             share, from near 0 (spread out) to 1 (one group holds all)",
            weight_noun(*weight),
            key_noun(*key)
        ),
        Metric::Lorenz { field, points } => format!(
            "Lorenz curve of {0}: the share of all {0} held by the least-{1} {many}, at \
             {2} evenly spaced shares of {many} from 0 to 1",
            noun(*field),
            participle(*field),
            points + 1
        ),
        Metric::ShareBy {
            key,
            weight,
            top,
            filter,
        } => format!(
            "Share of {} by {} among {}: the {}, then the rest as \u{201c}Other\u{201d}",
            weight_noun(*weight),
            key_noun(*key),
            models(filter.as_ref(), true),
            if *top == 1 {
                "largest group".to_owned()
            } else {
                format!("{top} largest groups")
            }
        ),
        Metric::ShareOf {
            key,
            value,
            weight,
            filter,
        } => {
            let whose = predicate(*key, std::slice::from_ref(value), false);
            let head = match (weight, filter) {
                (Weight::Count, _) => format!("Share of {many} {whose}"),
                (_, None) => format!("Share of all {} held by {many} {whose}", weight_noun(*weight)),
                (_, Some(_)) => format!("Share of {} held by {many} {whose}", weight_noun(*weight)),
            };
            match filter {
                Some(f) => format!("{head}, among {many} {}", predicate(f.key, &f.is, f.not)),
                None => head,
            }
        }
        Metric::CountByMonth {
            filter,
            since,
            cumulative,
        } => {
            let from = since.as_ref().map_or(String::new(), |s| format!(", from {s} on"));
            let m = models(filter.as_ref(), false);
            if *cumulative {
                format!("Running total of {m} created, at the end of each month{from}")
            } else {
                format!("Number of {m} created each month{from}")
            }
        }
        Metric::LogHistogram { field } => format!(
            "Number of {many} by {}, in bins by powers of ten (0, 1\u{2013}9, 10\u{2013}99, \u{2026})",
            noun(*field)
        ),
        Metric::Top { n, by } => format!(
            "The {}, ties broken by {one} id",
            most(*by, *n)
        ),
        Metric::Growth { figure } => format!(
            "Change in figure `{figure}` since the edition compared to: this edition's \
             value divided by that edition's, minus 1"
        ),
        Metric::Sourced { .. } => {
            "Stated by a source, not computed: each edition's value is the one the source \
             named beside it gives for that edition"
                .to_owned()
        }
    }
}

/// The definition of a growth figure of the figure labelled `label` since the edition
/// `previous`; without one, as a definition for every edition, each since its own
/// earlier edition (the methodology names it beside each value).
pub fn describe_growth(label: &str, previous: Option<&str>) -> String {
    let since = match previous {
        Some(previous) => format!("the {previous} edition"),
        None => "the earlier edition each edition is compared to".to_owned(),
    };
    format!(
        "Change in \u{201c}{label}\u{201d} since {since}: this edition's value divided by \
         that edition's, minus 1"
    )
}

/// The field in words, with the window it counts: the API's `downloads` are the last
/// 30 days, `downloadsAllTime` every download since the model was created.
fn noun(field: Field) -> &'static str {
    match field {
        Field::Downloads => "downloads in the last 30 days",
        Field::DownloadsAllTime => "downloads since creation",
        Field::Likes => "likes",
    }
}

fn participle(field: Field) -> &'static str {
    match field {
        Field::Downloads | Field::DownloadsAllTime => "downloaded",
        Field::Likes => "liked",
    }
}

/// "200 most-downloaded models", "most-liked space".
fn most(field: Field, n: usize, kind: Kind) -> String {
    match n {
        1 => format!("most-{} {}", participle(field), kind.singular()),
        n => format!(
            "{} most-{} {}",
            thousands(n as f64),
            participle(field),
            kind.name()
        ),
    }
}

fn weight_noun(weight: Weight, kind: Kind) -> &'static str {
    match weight {
        Weight::Count => kind.name(),
        Weight::Downloads => noun(Field::Downloads),
        Weight::DownloadsAllTime => noun(Field::DownloadsAllTime),
        Weight::Likes => "likes",
    }
}

fn key_noun(key: Key) -> &'static str {
    match key {
        Key::Author => "author",
        Key::AuthorCountry => "author's country",
        Key::AuthorKind => "author's kind",
        Key::PipelineTag => "task",
        Key::LibraryName => "library",
        Key::License => "license",
        Key::Derivative => "derivative kind",
        Key::BaseModel => "base model",
        Key::TaskCategory => "task category",
        Key::SizeCategory => "size category",
        Key::Language => "language",
        Key::Sdk => "SDK",
    }
}

/// "all models" or "datasets whose language is fr" (`all` adds the "all").
fn rows_noun(kind: Kind, filter: Option<&Filter>, all: bool) -> String {
    match filter {
        Some(f) => format!("{kind} {}", predicate(f.key, &f.is, f.not)),
        None if all => format!("all {kind}"),
        None => kind.name().to_owned(),
    }
}

/// "whose author's country is China", "whose task is neither a nor b".
fn predicate(key: Key, values: &[String], not: bool) -> String {
    if let [value] = values {
        if key == Key::AuthorCountry && value == UNATTRIBUTED {
            let is = if not { "is" } else { "is not" };
            return format!("whose author {is} in the organisation registry");
        }
        if key == Key::AuthorKind && value == "independent" {
            let is = if not { "is not" } else { "is" };
            return format!("whose author {is} a user account on the Hub");
        }
        if key == Key::AuthorCountry && value == UNKNOWN_COUNTRY {
            let is = if not { "is" } else { "is not" };
            return format!("whose author's country {is} known");
        }
    }
    // Country codes read as names; other values stay as written in the config.
    let shown: Vec<&str> = values
        .iter()
        .map(|v| match key {
            Key::AuthorCountry => display(key, v),
            _ => v.as_str(),
        })
        .collect();
    let list = match (shown.as_slice(), not) {
        ([], false) => "nothing".to_owned(),
        ([], true) => "anything".to_owned(),
        ([one], false) => (*one).to_owned(),
        ([one], true) => format!("not {one}"),
        ([a, b], true) => format!("neither {a} nor {b}"),
        ([init @ .., last], false) => format!("{} or {last}", init.join(", ")),
        (all, true) => format!("none of {}", all.join(", ")),
    };
    format!("whose {} is {list}", key_noun(key))
}

/// "fewer than 10 downloads", "no likes", "fewer than 0.5 downloads".
fn below(field: Field, threshold: f64) -> String {
    if threshold == 1.0 {
        format!("no {}", noun(field))
    } else if threshold.fract() == 0.0 {
        format!("fewer than {} {}", thousands(threshold), noun(field))
    } else {
        format!("fewer than {threshold} {}", noun(field))
    }
}

/// "Median", "90th percentile of", "0.999-quantile of".
fn quantile_name(q: f64) -> String {
    let percent = q * 100.0;
    if q == 0.5 {
        "Median".to_owned()
    } else if q == 0.0 {
        "Minimum".to_owned()
    } else if q == 1.0 {
        "Maximum".to_owned()
    } else if (percent - percent.round()).abs() < 1e-9 {
        let n = percent.round() as u32;
        let suffix = match (n % 10, n % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!("{n}{suffix} percentile of")
    } else {
        format!("{q}-quantile of")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_models(metric: &Metric) -> String {
        describe(metric, Kind::Models)
    }

    fn metric(toml_text: &str) -> Metric {
        let text = format!(
            "title = \"t\"\ndescription = \"d\"\nbase-url = \"https://example.org/\"\n\
             [figures.f]\nlabel = \"f\"\n{toml_text}"
        );
        crate::metrics::fixture::figure_defs(&text)["f"]
            .metric
            .clone()
    }

    #[test]
    fn scalar_definitions_read_as_sentences() {
        let cases = [
            (
                "metric = \"top_share\"\nfield = \"downloads\"\nn = 200",
                "Share of all downloads in the last 30 days held by the 200 most-downloaded models",
            ),
            (
                "metric = \"top_share\"\nfield = \"downloads_all_time\"\nn = 200",
                "Share of all downloads since creation held by the 200 most-downloaded models",
            ),
            (
                "metric = \"quantile\"\nfield = \"likes\"\nq = 0.5",
                "Median likes across all models",
            ),
            (
                "metric = \"quantile\"\nfield = \"downloads\"\nq = 0.92",
                "92nd percentile of downloads in the last 30 days across all models",
            ),
            (
                "metric = \"share_below\"\nfield = \"downloads\"\nthreshold = 1",
                "Share of all models with no downloads in the last 30 days",
            ),
            (
                "metric = \"share_below\"\nfield = \"downloads\"\nthreshold = 1000",
                "Share of all models with fewer than 1,000 downloads in the last 30 days",
            ),
            (
                "metric = \"count\"\nfilter = { key = \"author.country\", is = [\"unattributed\"], not = true }",
                "Number of models whose author is in the organisation registry",
            ),
            (
                "metric = \"share_of\"\nkey = \"author.country\"\nvalue = \"CN\"\nweight = \"downloads\"",
                "Share of all downloads in the last 30 days held by models whose author's country is China",
            ),
            (
                "metric = \"share_of\"\nkey = \"derivative\"\nvalue = \"quantized\"\nweight = \"count\"\n\
                 filter = { key = \"pipeline_tag\", is = [\"a\", \"b\", \"c\"] }",
                "Share of models whose derivative kind is quantized, among models whose task is a, b or c",
            ),
        ];
        for (def, expected) in cases {
            assert_eq!(describe_models(&metric(def)), expected, "{def}");
        }
    }

    #[test]
    fn series_definitions_name_their_shape() {
        let by = describe_models(&metric(
            "metric = \"share_by\"\nkey = \"author.country\"\nweight = \"downloads\"\n\
             filter = { key = \"author.country\", is = [\"US\", \"CN\"], not = true }",
        ));
        assert_eq!(
            by,
            "Share of downloads in the last 30 days by author's country among models whose author's country is \
             neither United States nor China: the 8 largest groups, then the rest as \u{201c}Other\u{201d}"
        );
        let bases = describe_models(&metric(
            "metric = \"share_by\"\nkey = \"base_model\"\nweight = \"count\"",
        ));
        assert!(bases.ends_with("shares of links from a derivative to a base model, not of models"));
        let months = describe_models(&metric(
            "metric = \"count_by_month\"\nsince = \"2024-01\"\ncumulative = true",
        ));
        assert_eq!(
            months,
            "Running total of models created, at the end of each month, from 2024-01 on"
        );
        assert!(
            describe_models(&metric("metric = \"lorenz\"\nfield = \"likes\""))
                .contains("101 evenly")
        );
        assert_eq!(
            describe_growth("Top 200 share", Some("2025-autumn")),
            "Change in \u{201c}Top 200 share\u{201d} since the 2025-autumn edition: this \
             edition's value divided by that edition's, minus 1"
        );
        assert!(describe_growth("Top 200 share", None)
            .contains("since the earlier edition each edition is compared to:"));
    }
}
