//! One snapshot line (a Hub API model, dataset or space entry) into one row of `Repos`
//! columns.
//!
//! Only the fields the metrics need are parsed, as strings borrowed from the line where
//! the JSON has no escapes; everything else in the entry is skipped. Tags are reduced
//! while they are read (license, derivative kind, base model), so a row costs no
//! allocation beyond the strings the interner has not seen yet. Most lines are read by
//! `scan`, a byte scanner for the plain shape of an entry; the others, and every line
//! with an error, by serde_json through `Entry`, which is also the definition `scan`
//! is tested against.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{is_placeholder, scan, Derivative, Flags, Kind, Repos};

/// A string borrowed from the input when it has no escapes.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Str<'a>(#[serde(borrow)] pub(super) Cow<'a, str>);

/// The fields of a Hub API entry (model, dataset or space) that the metrics use.
///
/// `id` and `modelId` are read apart (not as a serde alias): current entries carry
/// both, and `id` wins; old ones (early 2022, `huggingface_hub`'s `ModelInfo`) only
/// `modelId`.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Entry<'a> {
    #[serde(borrow, default)]
    pub(super) id: Option<Str<'a>>,
    #[serde(borrow, default, rename = "modelId")]
    pub(super) model_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub(super) author: Option<Str<'a>>,
    #[serde(default)]
    pub(super) downloads: Option<u64>,
    #[serde(default, rename = "downloadsAllTime")]
    pub(super) downloads_all_time: Option<u64>,
    #[serde(default)]
    pub(super) likes: Option<u64>,
    #[serde(borrow, default, rename = "createdAt")]
    pub(super) created_at: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub(super) pipeline_tag: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub(super) library_name: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub(super) sdk: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub(super) tags: Option<Tags<'a>>,
}

/// What the metrics need from an entry's `tags`.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Tags<'a> {
    pub(super) license: Option<Cow<'a, str>>,
    derivative: Derivative,
    /// The first model named by a `base_model:<kind>:X` tag.
    kind_base: Option<Cow<'a, str>>,
    /// Further models named by tags of the same kind (a merge's other parents), each
    /// once.
    more_bases: Vec<Cow<'a, str>>,
    /// The first model named by a plain `base_model:X` tag.
    plain_base: Option<Cow<'a, str>>,
    /// A dataset's first `task_categories:X`.
    task_category: Option<Cow<'a, str>>,
    /// A dataset's `size_categories:X`.
    size_category: Option<Cow<'a, str>>,
    /// A dataset's `language:X` tags, each once, in order.
    languages: Vec<Cow<'a, str>>,
}

impl<'a> Tags<'a> {
    pub(super) fn add(&mut self, tag: Cow<'a, str>) {
        if let Some(license) = strip(&tag, "license:") {
            self.license.get_or_insert(license);
            return;
        }
        let Some(base) = strip(&tag, "base_model:") else {
            return self.add_dataset_tag(tag);
        };
        let kinds = [
            ("finetune:", Derivative::Finetune),
            ("adapter:", Derivative::Adapter),
            ("quantized:", Derivative::Quantized),
            ("merge:", Derivative::Merge),
        ];
        for (prefix, kind) in kinds {
            if let Some(model) = strip(&base, prefix) {
                match &self.kind_base {
                    None => {
                        self.derivative = kind;
                        self.kind_base = Some(model);
                    }
                    Some(first)
                        if self.derivative == kind
                            && *first != model
                            && !self.more_bases.contains(&model) =>
                    {
                        self.more_bases.push(model);
                    }
                    Some(_) => {}
                }
                return;
            }
        }
        self.plain_base.get_or_insert(base);
    }
}

impl<'a> Tags<'a> {
    /// The tags that describe a dataset's task, size and languages.
    fn add_dataset_tag(&mut self, tag: Cow<'a, str>) {
        if let Some(task) = strip(&tag, "task_categories:") {
            self.task_category.get_or_insert(task);
        } else if let Some(size) = strip(&tag, "size_categories:") {
            self.size_category.get_or_insert(size);
        } else if let Some(language) = strip(&tag, "language:") {
            if !self.languages.contains(&language) {
                self.languages.push(language);
            }
        }
    }
}

/// `s` without `prefix`, still borrowed from the input when `s` is.
fn strip<'a>(s: &Cow<'a, str>, prefix: &str) -> Option<Cow<'a, str>> {
    match s {
        Cow::Borrowed(b) => b.strip_prefix(prefix).map(Cow::Borrowed),
        Cow::Owned(o) => o
            .strip_prefix(prefix)
            .map(|rest| Cow::Owned(rest.to_owned())),
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Tags<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor<'a>(PhantomData<Tags<'a>>);
        impl<'de: 'a, 'a> Visitor<'de> for TagsVisitor<'a> {
            type Value = Tags<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of tag strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tags<'a>, A::Error> {
                let mut tags = Tags::default();
                while let Some(Str(tag)) = seq.next_element()? {
                    tags.add(tag);
                }
                Ok(tags)
            }
        }
        deserializer.deserialize_seq(TagsVisitor(PhantomData))
    }
}

/// Parses one JSON line and appends it to `models` (a table of one kind). The error says what is wrong
/// and at which column; the caller adds the file and line.
pub(super) fn push(models: &mut Repos, line: &[u8]) -> Result<(), String> {
    let entry = match scan::entry(line) {
        Some(entry) => entry,
        None => parse(line)?,
    };
    add(models, entry)
}

/// The line's entry as serde_json reads it: the reference `scan` is held to. A line
/// must hold an object (serde would also read a list as the fields in order).
pub(super) fn parse(line: &[u8]) -> Result<Entry<'_>, String> {
    if line.starts_with(super::chunks::BOM) {
        return Err(
            "column 1: a byte order mark (U+FEFF) starts this line; only the \
                    file's first line may start with one: remove it"
                .into(),
        );
    }
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if let Some(at) = line
        .iter()
        .position(|b| !blank(b))
        .filter(|&i| line[i] == b'[')
    {
        return Err(format!(
            "column {}: a list, where an entry is a JSON object (`{{\"id\": …}}`)",
            at + 1
        ));
    }
    serde_json::from_slice(line).map_err(describe)
}

/// Appends one entry's row to `repos`, reading the fields its kind has.
pub(super) fn add(repos: &mut Repos, entry: Entry) -> Result<(), String> {
    let kind = repos.kind;
    let id = match (entry.id, entry.model_id) {
        (Some(Str(id)), _) => id,
        (None, Some(Str(id))) if kind == Kind::Models => id,
        _ if kind == Kind::Models => return Err("missing field `id` (and no `modelId`)".into()),
        _ => return Err("missing field `id`".into()),
    };
    let author = match &entry.author {
        Some(Str(author)) => author.as_ref(),
        None => id.split_once('/').map_or("", |(author, _)| author),
    };
    let created_month = match &entry.created_at {
        Some(Str(date)) => created(date)?,
        None => 0,
    };
    let has_downloads = kind.has_field(crate::config::Field::Downloads);
    let mut flags = Flags::default();
    flags.set(Flags::NO_AUTHOR, author.is_empty());
    flags.set(Flags::NO_CREATED_AT, entry.created_at.is_none());
    let placeholder = |Str(date): &Str| is_placeholder(date);
    flags.set(
        Flags::PLACEHOLDER_DATE,
        entry.created_at.as_ref().is_some_and(placeholder),
    );
    flags.set(
        Flags::NO_DOWNLOADS,
        has_downloads && entry.downloads.is_none(),
    );
    flags.set(
        Flags::NO_DOWNLOADS_ALL_TIME,
        has_downloads && entry.downloads_all_time.is_none(),
    );
    flags.set(Flags::NO_LIKES, entry.likes.is_none());
    let tags = entry.tags.unwrap_or_default();
    let row = repos.id.len() as u32;
    let strings = &mut repos.strings;
    let author = strings.intern(author);
    // Ids are unique but for rare repeats, which `chunks` drops: stored, not looked up
    // (see `Strings::push`).
    let id = strings.push(&id);
    let license = strings.intern(tags.license.as_deref().unwrap_or(""));
    match kind {
        Kind::Models => add_model(repos, &entry.pipeline_tag, &entry.library_name, &tags, row),
        Kind::Datasets => add_dataset(repos, &tags, row),
        Kind::Spaces => {
            let sdk = intern_opt(&mut repos.strings, &entry.sdk);
            repos.sdk.push(sdk);
        }
    }

    repos.id.push(id);
    repos.author.push(author);
    if has_downloads {
        repos.downloads.push(entry.downloads.unwrap_or(0));
        (repos.downloads_all_time).push(entry.downloads_all_time.unwrap_or(0));
    }
    repos.likes.push(entry.likes.unwrap_or(0));
    repos.created_month.push(created_month);
    repos.flags.push(flags);
    repos.license.push(license);
    Ok(())
}

/// A `createdAt` as a month (`month_of`), refused when it is not a date or falls in a
/// year no repository on the Hub was created in.
fn created(date: &str) -> Result<u32, String> {
    let month =
        month_of(date).ok_or_else(|| format!("`createdAt` is `{date}`, not an ISO 8601 date"))?;
    if !PLAUSIBLE_YEARS.contains(&(month / 12)) {
        return Err(format!(
            "`createdAt` is `{date}`: no repository on the Hub was created in year {}",
            month / 12
        ));
    }
    Ok(month)
}

/// The columns only models have.
fn add_model(
    repos: &mut Repos,
    pipeline_tag: &Option<Str>,
    library_name: &Option<Str>,
    tags: &Tags,
    row: u32,
) {
    let strings = &mut repos.strings;
    let pipeline_tag = intern_opt(strings, pipeline_tag);
    let library_name = intern_opt(strings, library_name);
    let base = tags.kind_base.as_deref().or(tags.plain_base.as_deref());
    let base_model = strings.intern(base.unwrap_or(""));
    for more in &tags.more_bases {
        let sym = strings.intern(more);
        repos.more_bases.push((row, sym));
    }
    repos.pipeline_tag.push(pipeline_tag);
    repos.library_name.push(library_name);
    repos.derivative.push(tags.derivative);
    repos.base_model.push(base_model);
}

/// The columns only datasets have.
fn add_dataset(repos: &mut Repos, tags: &Tags, row: u32) {
    let strings = &mut repos.strings;
    let task = strings.intern(tags.task_category.as_deref().unwrap_or(""));
    let size = strings.intern(tags.size_category.as_deref().unwrap_or(""));
    let mut languages = tags.languages.iter();
    let first = strings.intern(languages.next().map_or("", |l| l.as_ref()));
    for more in languages {
        let sym = strings.intern(more);
        repos.more_languages.push((row, sym));
    }
    repos.task_category.push(task);
    repos.size_category.push(size);
    repos.language.push(first);
}

fn intern_opt(strings: &mut super::Strings, s: &Option<Str>) -> super::Sym {
    strings.intern(s.as_ref().map_or("", |Str(s)| s.as_ref()))
}

/// serde's message with the position inside the line as a column.
fn describe(err: serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    format!("column {}: {message}", err.column())
}

/// The years a creation date can fall in; outside them it is a corrupt value, which
/// would otherwise draw a monthly series of thousands of years.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<u32> = 1990..=2200;

/// `YYYY-MM…` → `year * 12 + month - 1`.
fn month_of(date: &str) -> Option<u32> {
    let b = date.as_bytes();
    if b.len() < 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..7]).all(u8::is_ascii_digit) {
        return None;
    }
    let year: u32 = date[..4].parse().ok()?;
    let month: u32 = date[5..7].parse().ok()?;
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&'static str]) -> Tags<'static> {
        let mut tags = Tags::default();
        for t in list {
            tags.add(Cow::Borrowed(t));
        }
        tags
    }

    #[test]
    fn tags_give_license_derivative_and_base() {
        let t = tags(&[
            "transformers",
            "base_model:Qwen/Qwen2.5-7B",
            "base_model:quantized:Qwen/Qwen2.5-7B-Instruct",
            "base_model:finetune:other/x",
            "license:apache-2.0",
            "license:mit",
            "region:us",
        ]);
        assert_eq!(t.license.as_deref(), Some("apache-2.0"));
        assert_eq!(t.derivative, Derivative::Quantized);
        assert_eq!(t.kind_base.as_deref(), Some("Qwen/Qwen2.5-7B-Instruct"));
        assert_eq!(t.plain_base.as_deref(), Some("Qwen/Qwen2.5-7B"));

        for (tag, kind) in [
            ("base_model:finetune:a/b", Derivative::Finetune),
            ("base_model:adapter:a/b", Derivative::Adapter),
            ("base_model:merge:a/b", Derivative::Merge),
        ] {
            assert_eq!(tags(&[tag]).derivative, kind);
        }
        let plain = tags(&["base_model:gpt2", "dataset:squad"]);
        assert_eq!(plain.derivative, Derivative::Original);
        assert_eq!(plain.plain_base.as_deref(), Some("gpt2"));
        assert_eq!(plain.license, None);
    }

    #[test]
    fn rows_fill_every_column() {
        let mut models = Repos::default();
        let line = br#"{"_id":"x","id":"Qwen/Qwen2.5-7B-Instruct","author":"Qwen","downloads":123,"likes":4,"tags":["license:apache-2.0","base_model:finetune:Qwen/Qwen2.5-7B","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-03-04T12:00:00.000Z","extra":{"a":[1,2]}}"#;
        push(&mut models, line).unwrap();
        push(
            &mut models,
            br#"{"id":"gpt2","tags":null,"downloads":null}"#,
        )
        .unwrap();
        push(&mut models, br#"{"id":"some\u002fone/esc\"aped"}"#).unwrap();
        let s = &models.strings;
        assert_eq!(models.len(), 3);
        assert_eq!(s.get(models.id[0]), "Qwen/Qwen2.5-7B-Instruct");
        assert_eq!(s.get(models.author[0]), "Qwen");
        assert_eq!(models.downloads, [123, 0, 0]);
        assert_eq!(models.likes, [4, 0, 0]);
        assert_eq!(models.created_month, [2025 * 12 + 2, 0, 0]);
        assert_eq!(s.get(models.pipeline_tag[0]), "text-generation");
        assert_eq!(s.get(models.library_name[0]), "transformers");
        assert_eq!(s.get(models.license[0]), "apache-2.0");
        assert_eq!(models.derivative[0], Derivative::Finetune);
        assert_eq!(s.get(models.base_model[0]), "Qwen/Qwen2.5-7B");
        // No author, and an id without a namespace to take one from.
        assert_eq!(s.get(models.author[1]), "");
        assert!(models.flags[1].has(Flags::NO_AUTHOR | Flags::NO_DOWNLOADS));
        assert!(models.pipeline_tag[1].is_none() && models.license[1].is_none());
        assert_eq!(s.get(models.author[2]), "some");
        assert_eq!(s.get(models.id[2]), "some/one/esc\"aped");
    }

    #[test]
    fn bad_rows_say_what_and_where() {
        let mut models = Repos::default();
        let err = push(&mut models, br#"{"id":"a/b","downloads":"many"}"#).unwrap_err();
        assert!(err.starts_with("column "), "{err}");
        assert!(err.contains("invalid type: string \"many\""), "{err}");
        assert!(!err.contains("line 1"), "{err}");
        let err = push(&mut models, br#"{"author":"a"}"#).unwrap_err();
        assert!(
            err.contains("missing field `id` (and no `modelId`)"),
            "{err}"
        );
        let err = push(&mut models, br#"{"id":"a/b","createdAt":"yesterday"}"#).unwrap_err();
        assert!(err.contains("yesterday"), "{err}");
        for date in ["0999-01-01T00:00:00.000Z", "9999-12-31T00:00:00.000Z"] {
            let line = format!(r#"{{"id":"a/b","createdAt":"{date}"}}"#);
            let err = push(&mut models, line.as_bytes()).unwrap_err();
            assert!(err.contains(date) && err.contains("no repository"), "{err}");
        }
        assert!(models.is_empty());
    }

    #[test]
    fn months_are_counted_from_year_zero() {
        assert_eq!(month_of("2026-01-31T00:00:00Z"), Some(2026 * 12));
        assert_eq!(month_of("2026-12"), Some(2026 * 12 + 11));
        assert_eq!(month_of("2026-13-01"), None);
        assert_eq!(month_of("2026/01/01"), None);
        assert_eq!(month_of("26-1"), None);
    }
}
