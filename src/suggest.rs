//! Nearest-name suggestions for error messages ("did you mean `top200_share`?").

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn nearest<'a, I, S>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    // Jaro-Winkler finds a near name among long ones, but matches no letter out of
    // place in names of three or four letters (`fgi` for `fig`): one edit (a swap
    // counts as one) is close too, and wins over a mere likeness.
    let edits = (name.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let c = c.as_ref();
            let typo = strsim::osa_distance(name, c) <= edits;
            (typo, strsim::jaro_winkler(name, c), c)
        })
        .filter(|(typo, score, _)| *typo || *score > 0.7)
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, c)| c)
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
        let short = ["fig", "chart", "table", "claim", "end"];
        assert_eq!(nearest("fgi", &short), Some("fig"));
        assert_eq!(nearest("edn", &short), Some("end"));
        assert_eq!(nearest("xyz", &short), None);
        assert_eq!(did_you_mean("zzzzzz", &names), "");
    }
}
