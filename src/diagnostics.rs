//! What a build has to say besides its output: errors, which stop it, and warnings,
//! which do not.
//!
//! Both read `PATH:LINE[:COL]: message` wherever a place is known, the same text on a
//! terminal and in the preview server's overlay. A step that checks many independent
//! things (figure definitions, content files, pages) reports every failure at once
//! through `all`, up to `MAX_ERRORS`, so an editor fixes a batch per build, not one.

use std::fmt;

/// The most errors one build reports; the rest are counted, not listed.
pub const MAX_ERRORS: usize = 20;

/// Several errors found by one step, in the order found.
#[derive(Debug)]
pub struct Errors {
    pub list: Vec<anyhow::Error>,
    /// Errors found beyond `MAX_ERRORS`.
    pub more: usize,
}

impl fmt::Display for Errors {
    /// One error per line, each after the first prefixed `error: ` as `main` prefixes
    /// the first, then a count.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, err) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("\nerror: ")?;
            }
            write!(f, "{err:#}")?;
        }
        let total = self.list.len() + self.more;
        if total > 1 {
            write!(f, "\n{total} errors")?;
            if self.more > 0 {
                write!(f, " (the first {} shown)", self.list.len())?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// The values of `results`, or one error holding all the failures (an `Errors`, or the
/// failure itself when there is just one). An error said twice (the same template
/// failing on every page) is listed once; a nested `Errors` is flattened.
pub fn all<T>(results: impl IntoIterator<Item = anyhow::Result<T>>) -> anyhow::Result<Vec<T>> {
    let mut values = Vec::new();
    let mut found = Errors {
        list: Vec::new(),
        more: 0,
    };
    let mut seen = std::collections::HashSet::new();
    for result in results {
        let err = match result {
            Ok(value) => {
                values.push(value);
                continue;
            }
            Err(err) => err,
        };
        let list = match err.downcast::<Errors>() {
            Ok(inner) => {
                found.more += inner.more;
                inner.list
            }
            Err(err) => vec![err],
        };
        for err in list {
            if !seen.insert(format!("{err:#}")) {
                continue;
            }
            if found.list.len() < MAX_ERRORS {
                found.list.push(err);
            } else {
                found.more += 1;
            }
        }
    }
    match found.list.len() {
        0 => Ok(values),
        1 if found.more == 0 => Err(found.list.pop().expect("one error")),
        _ => Err(found.into()),
    }
}

/// Each error inside `err` as a terminal prints it after `error: ` (the list of an
/// `Errors`, else `err` itself), and a last line counting those left out.
pub fn messages(err: &anyhow::Error) -> Vec<String> {
    match err.downcast_ref::<Errors>() {
        Some(errors) => {
            let mut texts: Vec<String> = errors.list.iter().map(|e| format!("{e:#}")).collect();
            if errors.more > 0 {
                texts.push(format!("{} more errors not shown", errors.more));
            }
            texts
        }
        None => vec![format!("{err:#}")],
    }
}

/// Warnings found by a build, in the order found, each once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Warnings(Vec<String>);

impl Warnings {
    pub fn push(&mut self, warning: impl Into<String>) {
        let warning = warning.into();
        if !self.0.contains(&warning) {
            self.0.push(warning);
        }
    }

    pub fn extend(&mut self, other: Warnings) {
        for warning in other.0 {
            self.push(warning);
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::anyhow;

    #[test]
    fn collects_every_failure_up_to_the_cap() {
        let results = (0..30).map(|i| {
            if i % 2 == 0 {
                Err(anyhow!("a.md:{i}: bad"))
            } else {
                Ok(i)
            }
        });
        let err = all(results).unwrap_err();
        let errors = err.downcast_ref::<Errors>().unwrap();
        assert_eq!(errors.list.len(), 15);
        let text = format!("{err:#}");
        assert!(
            text.starts_with("a.md:0: bad\nerror: a.md:2: bad\n"),
            "{text}"
        );
        assert!(text.ends_with("\n15 errors"), "{text}");

        let many = all((0..25).map(|i| Err::<(), _>(anyhow!("e{i}")))).unwrap_err();
        let text = format!("{many:#}");
        assert!(text.ends_with("25 errors (the first 20 shown)"), "{text}");
    }

    #[test]
    fn one_error_stays_itself_and_nested_lists_flatten() {
        let one = all([Ok(1), Err(anyhow!("only"))]).unwrap_err();
        assert!(one.downcast_ref::<Errors>().is_none());
        assert_eq!(format!("{one:#}"), "only");
        let inner = all([Err::<(), _>(anyhow!("x")), Err(anyhow!("y"))]).unwrap_err();
        let outer = all([Err::<(), _>(inner), Err(anyhow!("z"))]).unwrap_err();
        assert_eq!(outer.downcast_ref::<Errors>().unwrap().list.len(), 3);
        let again = all([Err::<(), _>(anyhow!("same")), Err(anyhow!("same"))]).unwrap_err();
        assert!(
            again.downcast_ref::<Errors>().is_none(),
            "said twice, listed once"
        );
        let capped = all((0..25).map(|i| Err::<(), _>(anyhow!("e{i}")))).unwrap_err();
        let outer = all([Err::<(), _>(capped), Err(anyhow!("z"))]).unwrap_err();
        let texts = messages(&outer);
        assert_eq!(texts.len(), 21);
        assert_eq!(texts[20], "6 more errors not shown");
        assert_eq!(all([Ok(1), Ok(2)]).unwrap(), vec![1, 2]);
    }

    #[test]
    fn warnings_are_kept_once_in_order() {
        let mut w = Warnings::default();
        w.push("b");
        w.push("a");
        w.push("b");
        assert_eq!(w.as_slice(), ["b", "a"]);
    }
}
