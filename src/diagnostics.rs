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
/// failure itself when there is just one).
pub fn all<T>(results: impl IntoIterator<Item = anyhow::Result<T>>) -> anyhow::Result<Vec<T>> {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    let mut more = 0;
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(err) if errors.len() < MAX_ERRORS => errors.extend(split(err)),
            Err(_) => more += 1,
        }
    }
    if errors.len() > MAX_ERRORS {
        more += errors.len() - MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
    }
    match errors.len() {
        0 => Ok(values),
        1 if more == 0 => Err(errors.pop().expect("one error")),
        _ => Err(Errors { list: errors, more }.into()),
    }
}

/// The separate errors inside `err`: the list of an `Errors`, else `err` itself.
pub fn split(err: anyhow::Error) -> Vec<anyhow::Error> {
    match err.downcast::<Errors>() {
        Ok(errors) => errors.list,
        Err(err) => vec![err],
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
