//! Nearest-name suggestions for error messages ("did you mean `top200_share`?").

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn nearest<'a, I, S>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c.as_ref()), c.as_ref()))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `" (did you mean `x`?)"` when a close candidate exists, or an empty string.
pub fn did_you_mean<'a, I, S>(name: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    match nearest(name, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["top200_share", "median_downloads", "us_share"];
        assert_eq!(nearest("top20_share", &names), Some("top200_share"));
        assert_eq!(nearest("median_download", &names), Some("median_downloads"));
        assert_eq!(nearest("zzzzzz", &names), None);
        assert_eq!(did_you_mean("zzzzzz", &names), "");
    }
}
