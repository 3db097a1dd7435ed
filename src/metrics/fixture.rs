//! Test fixtures: small `Repos` built by hand through the `Strings` interner.

use std::collections::BTreeMap;

use crate::config::{FigureDef, Filter, Key};
use crate::registry::{self, Registry};
use crate::snapshot::{Derivative, Flags, Repos};

/// One model row, built up with the setters below.
#[derive(Debug, Clone, Default)]
pub struct Row {
    id: &'static str,
    downloads: u64,
    likes: u64,
    created: Option<(u32, u32)>,
    task: &'static str,
    library: &'static str,
    license: &'static str,
    derivative: Derivative,
    base_model: &'static str,
    /// `downloadsAllTime`, absent unless set.
    all_time: Option<u64>,
    more_bases: Vec<&'static str>,
    placeholder_date: bool,
}

impl Row {
    /// A row `author/name` with `downloads`; the author is the part before `/`.
    pub fn new(id: &'static str, downloads: u64) -> Row {
        Row {
            id,
            downloads,
            ..Row::default()
        }
    }

    pub fn likes(mut self, likes: u64) -> Row {
        self.likes = likes;
        self
    }

    pub fn created(mut self, year: u32, month: u32) -> Row {
        self.created = Some((year, month));
        self
    }

    pub fn task(mut self, task: &'static str) -> Row {
        self.task = task;
        self
    }

    pub fn library(mut self, library: &'static str) -> Row {
        self.library = library;
        self
    }

    pub fn license(mut self, license: &'static str) -> Row {
        self.license = license;
        self
    }

    pub fn derived(mut self, kind: Derivative, base_model: &'static str) -> Row {
        self.derivative = kind;
        self.base_model = base_model;
        self
    }

    /// A merge of all of `parents` (at least one).
    pub fn merge(mut self, parents: &[&'static str]) -> Row {
        self.derivative = Derivative::Merge;
        self.base_model = parents[0];
        self.more_bases = parents[1..].to_vec();
        self
    }

    pub fn all_time(mut self, downloads: u64) -> Row {
        self.all_time = Some(downloads);
        self
    }

    /// Created on the Hub's placeholder date (2022-03-02).
    pub fn placeholder_date(mut self) -> Row {
        self.created = Some((2022, 3));
        self.placeholder_date = true;
        self
    }
}

/// The rows as columns.
pub fn models(rows: &[Row]) -> Repos {
    let mut m = Repos::default();
    for row in rows {
        let author = row.id.split_once('/').map_or("", |(a, _)| a);
        let id = m.strings.intern(row.id);
        m.id.push(id);
        let author = m.strings.intern(author);
        m.author.push(author);
        m.downloads.push(row.downloads);
        m.likes.push(row.likes);
        m.created_month
            .push(row.created.map_or(0, |(y, mo)| y * 12 + mo - 1));
        let tag = m.strings.intern(row.task);
        m.pipeline_tag.push(tag);
        let library = m.strings.intern(row.library);
        m.library_name.push(library);
        let license = m.strings.intern(row.license);
        m.license.push(license);
        m.derivative.push(row.derivative);
        let base = m.strings.intern(row.base_model);
        m.base_model.push(base);
        for more in &row.more_bases {
            let sym = m.strings.intern(more);
            m.more_bases.push((m.id.len() as u32 - 1, sym));
        }
        m.downloads_all_time.push(row.all_time.unwrap_or(0));
        let mut flags = Flags::default();
        flags.set(Flags::NO_DOWNLOADS_ALL_TIME, row.all_time.is_none());
        flags.set(Flags::NO_CREATED_AT, row.created.is_none());
        flags.set(Flags::PLACEHOLDER_DATE, row.placeholder_date);
        m.flags.push(flags);
    }
    m
}

/// Six models, 1000 downloads in all: by country CN 700, US 200, unknown 50,
/// unattributed 40, FR 10; by kind company 900, academic 50, unattributed 40,
/// independent 10. Two have a task, two a library, one a license; one is quantized and
/// one a finetune.
pub fn sample() -> Repos {
    models(&[
        Row::new("qwen/a", 600)
            .task("text-generation")
            .license("apache-2.0"),
        Row::new("qwen/a-gguf", 100).derived(Derivative::Quantized, "qwen/a"),
        Row::new("meta/c", 200)
            .task("text-generation")
            .library("transformers"),
        Row::new("lab/d", 50).library("transformers"),
        Row::new("rando/e", 40),
        Row::new("solo/f", 10).derived(Derivative::Finetune, "meta/c"),
    ])
}

/// A registry with a Chinese company `qwen`, a US company `meta`, an academic lab
/// `lab` with no country, and an independent French developer `solo`.
pub fn registry() -> Registry {
    registry::parse(
        std::path::Path::new("orgs.toml"),
        r#"
        [org.qwen]
        name = "Qwen"
        country = "CN"
        kind = "company"
        source = "https://qwen.example"
        [org.meta]
        name = "Meta"
        country = "US"
        kind = "company"
        source = "https://meta.example"
        [org.lab]
        name = "A Lab"
        kind = "academic"
        source = "https://lab.example"
        [org.solo]
        name = "Solo"
        country = "FR"
        kind = "independent"
        source = "https://solo.example"
        "#,
    )
    .expect("valid test registry")
}

/// Figure definitions from report-config TOML text (`[figures.NAME]` tables), read
/// by the real config parser. Test texts without the site keys get a stand-in header.
pub fn figure_defs(text: &str) -> BTreeMap<String, FigureDef> {
    let text = if text.contains("base-url") {
        text.to_owned()
    } else {
        format!("title = \"t\"\ndescription = \"d\"\nbase-url = \"https://example.org/\"\n{text}")
    };
    crate::config::parse(std::path::Path::new("stateof.toml"), &text)
        .expect("valid figure definitions")
        .figures
}

/// A filter keeping rows whose `key` is one of `is` (or none of them, with `not`).
pub fn filter(key: Key, is: &[&str], not: bool) -> Filter {
    Filter {
        key,
        is: is.iter().map(|s| s.to_string()).collect(),
        not,
    }
}
