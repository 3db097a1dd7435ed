//! The tiny fixture: hostile names from the data are escaped wherever they land,
//! chapters link to each other, a base URL with a sub-path gives working links, and
//! gaps in a snapshot are reported.

use super::{build_ok, fixture, links, read, repo, stateof, stderr};

#[test]
fn data_is_escaped_in_html_svg_xml_and_csv() {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    let page = read(site.join("2026-spring/index.html"));
    assert!(!page.contains("<script>alert"), "raw model name in HTML");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!page.contains("Spring <2026>"));
    let svg = read(site.join("2026-spring/charts/by_author.svg"));
    assert!(
        !svg.contains("evil&co<") && !svg.contains("&co\""),
        "unescaped author in SVG"
    );
    assert!(svg.contains("evil&amp;co"));
    let feed = read(site.join("atom.xml"));
    assert!(!feed.contains("<angle>"), "unescaped summary in the feed");
    assert!(feed.contains("Tiny &lt;Report&gt; &amp; Co"));
    let csv = read(site.join("2026-spring/tables/top_models.csv"));
    assert!(csv.contains("\"someone/\"\"quoted\"\",model\""), "{csv}");
    assert!(csv.contains("'=cmd|calc/x"), "formula guard: {csv}");
}

#[test]
fn chapters_have_contents_and_prev_next_links() {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    let index = read(site.join("2026-spring/index.html"));
    let chapter = read(site.join("2026-spring/details/index.html"));
    assert!(index.contains("rel=\"next\" href=\"/tiny/2026-spring/details/\""));
    assert!(chapter.contains("rel=\"prev\" href=\"/tiny/2026-spring/\""));
    assert!(chapter.contains("aria-current=\"page\">Details</a>"));
}

#[test]
fn sub_path_base_url_links_resolve() {
    let project = fixture("tiny");
    build_ok(
        project.path(),
        &["--base-url", "https://org.github.io/deep/report/"],
    );
    let site = project.path().join("output");
    let broken = links::broken_links(&site, "/deep/report/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let page = read(site.join("2026-spring/index.html"));
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://org.github.io/deep/report/2026-spring/\">"
    ));
    assert!(page.contains("href=\"/deep/report/theme/style.css\""));
}

#[test]
fn edition_page_html_is_stable() {
    let project = fixture("tiny");
    build_ok(project.path(), &[]);
    let page = read(project.path().join("output/2026-spring/index.html"));
    let start = page.find("<main").unwrap();
    let end = page.find("</main>").unwrap();
    insta::assert_snapshot!("tiny_edition_main", &page[start..end]);
}

#[test]
fn snapshot_override_rebuilds_an_edition_from_another_file() {
    let project = fixture("tiny");
    let other = project.path().join("elsewhere.jsonl");
    std::fs::write(
        &other,
        "{\"id\":\"acme/a\",\"downloads\":7}\n{\"id\":\"acme/b\",\"downloads\":3}\n\n",
    )
    .unwrap();
    build_ok(
        project.path(),
        &["--snapshot", "2026-spring=elsewhere.jsonl"],
    );
    let figures: serde_json::Value = serde_json::from_str(&read(
        project.path().join("output/2026-spring/figures.json"),
    ))
    .unwrap();
    assert_eq!(figures["models_total"]["value"], 2.0);
    assert_eq!(figures["us_share"]["value"], 1.0, "acme is a US company");
    assert!(
        figures["models_total"]["provenance"]
            .get("snapshot_date")
            .is_none(),
        "no manifest, no date"
    );
    let page = read(project.path().join("output/2026-spring/index.html"));
    assert!(
        page.contains("elsewhere.jsonl"),
        "the page names the snapshot it was built from"
    );
}

#[test]
fn builds_are_byte_for_byte_reproducible() {
    let project = fixture("tiny");
    build_ok(project.path(), &["--output", "first"]);
    build_ok(project.path(), &["--output", "second"]);
    let files = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let root = project.path().join(dir);
        walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let name = e
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect()
    };
    let first = files("first");
    assert!(first.len() > 20);
    assert_eq!(first, files("second"));
}

#[test]
fn coverage_of_no_downloads_is_not_a_number() {
    let project = fixture("tiny");
    let unused =
        "{\"id\":\"acme/unused\",\"author\":\"acme\",\"downloads\":0,\"downloadsAllTime\":0}\n";
    std::fs::write(project.path().join("unused.jsonl"), unused).unwrap();
    build_ok(
        project.path(),
        &[
            "--snapshot",
            "2026-spring=unused.jsonl",
            "--allow-false-claims",
        ],
    );
    let page = read(project.path().join("output/2026-spring/index.html"));
    assert!(
        page.contains("attributes n/a of downloads and 100% of models"),
        "coverage of no downloads"
    );
}

#[test]
fn a_snapshot_with_gaps_is_reported_by_name_and_count() {
    let project = fixture("tiny");
    let shapes = repo().join("tests/fixtures/real-shapes/models.jsonl");
    let arg = format!("2026-spring={}", shapes.display());
    let out = stateof(project.path(), &["build", "--snapshot", &arg]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // Outside the project, the snapshot is named by its file name (never an absolute path).
    let expected = "warning: models.jsonl: snapshot of edition 2026-spring (21 entries): 2 \
         repeated entries dropped, the first entry of each kept (e.g. `lab/torch-model`, \
         `openai-community/gpt2`), 2 without `author`, 4 without `createdAt`, 1 without \
         `downloads`";
    assert!(err.contains(expected), "{err}");
    // No figure of the tiny report reads likes or all-time downloads.
    assert!(
        !err.contains("`likes`") && !err.contains("downloadsAllTime"),
        "{err}"
    );
    // The methodology's data-quality table says the same, per edition (2026 first).
    let method = read(project.path().join("output/methodology/index.html"));
    for row in [
        "<th scope=\"row\">Entries read</th><td class=\"num\">21</td>",
        "<th scope=\"row\">Repeated ids dropped (the first entry kept)</th><td class=\"num\">2</td>",
        "<th scope=\"row\">Without a creation date</th><td class=\"num\">4</td>",
    ] {
        assert!(method.contains(row), "{row} not in the methodology");
    }
    // Its own snapshots, without `downloadsAllTime`, read by no figure, are quiet.
    let own = stderr(&stateof(project.path(), &["build"]));
    assert!(!own.contains("without `"), "{own}");
}

#[test]
fn exclusions_leave_rows_out_and_are_published_with_their_reasons() {
    let project = fixture("tiny");
    let config = project.path().join("stateof.toml");
    let mut text = read(&config);
    text.push_str(
        "\n[[exclude]]\nauthor = \"someone\"\nreason = \"Pulled by <CI> on every commit\"\n",
    );
    std::fs::write(&config, &text).unwrap();
    build_ok(project.path(), &[]);
    let site = project.path().join("output");
    let figures: serde_json::Value =
        serde_json::from_str(&read(site.join("2026-spring/figures.json"))).unwrap();
    // someone's model is out of every figure, and each says so.
    let top = &figures["by_author"]["value"];
    assert!(
        !top.to_string().contains("\"someone\""),
        "someone is still counted: {top}"
    );
    let left = &figures["models_total"]["provenance"]["excluded"][0];
    assert_eq!(left["what"], "every repository of `someone`");
    assert_eq!(left["reason"], "Pulled by <CI> on every commit");
    assert_eq!(left["rows"], 1);
    let method = read(site.join("methodology/index.html"));
    assert!(
        method.contains("Pulled by &lt;CI&gt; on every commit"),
        "reason not published"
    );
    assert!(method.contains("Author <code>someone</code>"));

    // An exclusion without a reason, or with both an id and an author, is refused at its line.
    let line = text.lines().count() + 2;
    text.push_str("\n[[exclude]]\nid = \"x/y\"\nauthor = \"x\"\nreason = \"r\"\n");
    std::fs::write(&config, &text).unwrap();
    let out = stateof(project.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("stateof.toml:{line}:"))
            && err.contains("exactly one of `id` and `author`"),
        "{err}"
    );
}
