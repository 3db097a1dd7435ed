use std::path::Path;

use super::*;
use crate::diagnostics::Errors;

const HEAD: &str = "title = \"t\"\ndescription = \"d\"\nbase-url = \"https://x.org/\"\n";

fn parse_body(body: &str) -> anyhow::Result<Config> {
    parse(Path::new("stateof.toml"), &format!("{HEAD}{body}"))
}

/// The message of a config with one error (lines count from the 3-line `HEAD`).
fn error(body: &str) -> String {
    let err = parse_body(body).unwrap_err();
    assert!(
        err.downcast_ref::<Errors>().is_none(),
        "more than one: {err:#}"
    );
    format!("{err:#}")
}

const COUNT: &str = "[figures.a]\nlabel = \"a\"\nmetric = \"count\"\n";

#[test]
fn a_misspelt_key_is_named_with_the_key_meant() {
    let msg = error("[figures.a]\nlable = \"a\"\nmetric = \"count\"\n");
    assert_eq!(
        msg,
        "stateof.toml:5: figure `a`: unknown key `lable` (did you mean `label`?)"
    );
    let msg = error(&format!("{COUNT}fliter = 1\n"));
    assert_eq!(
        msg,
        "stateof.toml:7: figure `a`: unknown key `fliter` (did you mean `filter`?)"
    );
    let msg = error("titel = \"x\"\n");
    assert!(
        msg.starts_with("stateof.toml:4: unknown key `titel` (did you mean `title`?)"),
        "{msg}"
    );
}

#[test]
fn unknown_names_get_the_nearest_name() {
    let msg = error(&format!("{COUNT}format = \"percnt\"\n"));
    assert_eq!(
        msg,
        "stateof.toml:7: figure `a`: `format`: unknown value `percnt` (did you mean `percent`?)"
    );
    let msg = error("[figures.a]\nlabel = \"a\"\nmetric = \"cont\"\n");
    assert_eq!(
        msg,
        "stateof.toml:6: figure `a`: `metric`: unknown value `cont` (did you mean `count`?)"
    );
    let share = "[figures.s]\nlabel = \"s\"\nmetric = \"share_by\"\n";
    let msg = error(&format!("{share}key = \"autor\"\nweight = \"count\"\n"));
    assert_eq!(
        msg,
        "stateof.toml:7: figure `s`: `key`: unknown value `autor` (did you mean `author`?)"
    );
    let msg = error(&format!("{share}key = \"author\"\nweight = \"dowloads\"\n"));
    assert!(
        msg.starts_with("stateof.toml:8: figure `s`: `weight`: unknown value `dowloads` (did you mean `downloads`?)"),
        "{msg}"
    );
    let msg = error("[figures.t]\nlabel = \"t\"\nmetric = \"sum\"\nfield = \"like\"\n");
    assert!(
        msg.contains("`field`: unknown value `like` (did you mean `likes`?)"),
        "{msg}"
    );
    let msg = error(&format!(
        "{COUNT}filter = {{ key = \"author.knd\", is = [\"company\"] }}\n"
    ));
    assert!(
        msg.starts_with("stateof.toml:7: figure `a`: `filter.key`: unknown value `author.knd` (did you mean `author.kind`?)"),
        "{msg}"
    );
}

#[test]
fn charts_name_their_kind_and_figure_at_their_line() {
    let msg = error(&format!(
        "{COUNT}[charts.c]\nkind = \"bars\"\nfigure = \"a\"\ntitle = \"t\"\n"
    ));
    assert_eq!(
        msg,
        "stateof.toml:8: chart `c`: `kind`: unknown value `bars` (did you mean `bar`?)"
    );
    let msg = error(&format!(
        "{COUNT}[charts.c]\nkind = \"bar\"\nfigure = \"b\"\ntitle = \"t\"\n"
    ));
    assert!(
        msg.starts_with("stateof.toml:9: chart `c`: draws unknown figure `b`"),
        "{msg}"
    );
    let msg = error(
        "[figures.a]\nlabel = \"a\"\nmetric = \"share_by\"\nkey = \"author\"\nweight = \"count\"\n\
         [charts.c]\nkind = \"line\"\nfigure = \"a\"\ntitle = \"t\"\n",
    );
    assert_eq!(
        msg,
        "stateof.toml:10: chart `c`: a line chart cannot draw figure `a` (metric `share_by`); \
         time series draw `count_by_month` figures"
    );
}

#[test]
fn growth_needs_a_known_scalar_base() {
    let msg = error(
        "[figures.a]\nlabel = \"a\"\nmetric = \"count_by_month\"\n\
         [figures.g]\nlabel = \"g\"\nmetric = \"growth\"\nfigure = \"a\"\n",
    );
    assert_eq!(
        msg,
        "stateof.toml:7: figure `g`: measures the growth of `a`, which is not a single computed number"
    );
    let msg = error(&format!(
        "{COUNT}[figures.g]\nlabel = \"g\"\nmetric = \"growth\"\nfigure = \"b\"\n"
    ));
    assert!(
        msg.starts_with("stateof.toml:7: figure `g`: measures the growth of unknown figure `b`"),
        "{msg}"
    );
}

#[test]
fn ranges_and_closed_values_point_at_their_key() {
    let msg = error(
        "[figures.med]\nlabel = \"m\"\nmetric = \"quantile\"\nfield = \"downloads\"\nq = 1.5\n",
    );
    assert_eq!(
        msg,
        "stateof.toml:8: figure `med`: q must be between 0 and 1, not 1.5"
    );
    let msg = error(
        "[figures.us]\nlabel = \"u\"\nmetric = \"share_of\"\nkey = \"author.country\"\n\
         value = \"UK\"\nweight = \"count\"\n",
    );
    assert!(
        msg.starts_with("stateof.toml:8: figure `us`: `UK` is not a value of key `author.country` (did you mean `GB`?)"),
        "{msg}"
    );
    let msg = error(&format!(
        "{COUNT}filter = {{ key = \"derivative\", is = [\"merged\"] }}\n"
    ));
    assert!(
        msg.starts_with("stateof.toml:7: figure `a`: in the filter: `merged` is not a value of key `derivative` (did you mean `merge`?)"),
        "{msg}"
    );
    let msg =
        error("[figures.m]\nlabel = \"m\"\nmetric = \"count_by_month\"\nsince = \"2024-1\"\n");
    assert!(
        msg.starts_with("stateof.toml:7: figure `m`: `since`: `2024-1` is not a month"),
        "{msg}"
    );
    let msg = error("[figures.\"../x\"]\nlabel = \"a\"\nmetric = \"count\"\n");
    assert!(
        msg.starts_with("stateof.toml:4: figure `../x`: `../x` cannot be a figure or chart name"),
        "{msg}"
    );
}

#[test]
fn every_error_is_reported_in_file_order() {
    let err = parse_body(
        "[figures.b]\nlable = \"b\"\nmetric = \"count\"\n\
         [figures.a]\nlabel = \"a\"\nmetric = \"count\"\nformat = \"percnt\"\n\
         [charts.c]\nkind = \"bar\"\nfigure = \"nope\"\ntitle = \"t\"\n",
    )
    .unwrap_err();
    let errors = err.downcast_ref::<Errors>().expect("several errors");
    let lines: Vec<String> = errors.list.iter().map(|e| e.to_string()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("stateof.toml:5: figure `b`"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("stateof.toml:10: figure `a`"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("stateof.toml:13: chart `c`"),
        "{lines:?}"
    );
}

#[test]
fn definitions_keep_their_line_out_of_the_cache_key() {
    let config = parse_body(&format!(
        "{COUNT}[figures.m]\nlabel = \"m\"\nmetric = \"count_by_month\"\nsince = \"2024-01\"\n"
    ))
    .unwrap();
    assert_eq!(config.path, Path::new("stateof.toml"));
    assert_eq!((config.figures["a"].line, config.figures["m"].line), (4, 7));
    let Metric::CountByMonth { since, .. } = &config.figures["m"].metric else {
        panic!("not count_by_month");
    };
    assert_eq!(since.map(|m| m.to_string()).as_deref(), Some("2024-01"));
    let mut moved = config.figures["a"].clone();
    moved.line = 40;
    assert_eq!(
        serde_json::to_string(&moved).unwrap(),
        serde_json::to_string(&config.figures["a"]).unwrap()
    );
}

#[test]
fn formats_default_by_metric() {
    let config = parse_body(
        "[figures.g]\nlabel = \"g\"\nmetric = \"growth\"\nfigure = \"n\"\n\
         [figures.n]\nlabel = \"n\"\nmetric = \"count\"\n\
         [figures.s]\nlabel = \"s\"\nmetric = \"top_share\"\nfield = \"downloads\"\nn = 2\n\
         [figures.c]\nlabel = \"c\"\nmetric = \"count\"\nformat = \"compact\"\n",
    )
    .unwrap();
    assert_eq!(config.figures["g"].format(), Format::Change);
    assert_eq!(config.figures["n"].format(), Format::Thousands);
    assert_eq!(config.figures["s"].format(), Format::Percent);
    assert_eq!(config.figures["c"].format(), Format::Compact);
    assert_eq!(config.figures["s"].metric.name(), "top_share");
}

#[test]
fn the_demo_config_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/stateof.toml");
    let text = std::fs::read_to_string(path).unwrap();
    parse(Path::new(path), &text).unwrap();
}

#[test]
fn the_project_is_found_in_the_nearest_folder_above_with_a_config() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("report");
    let deep = project.join("content/2026-spring");
    std::fs::create_dir_all(&deep).unwrap();
    assert_eq!(find_root(&deep), None);
    std::fs::write(project.join(FILE_NAME), "").unwrap();
    assert_eq!(find_root(&project), Some(std::path::PathBuf::new()));
    assert_eq!(find_root(&deep), Some(std::path::PathBuf::from("../..")));
    let err = load(&deep).unwrap_err().to_string();
    assert!(err.contains("--root DIR"), "{err}");
}
