//! Placing Tera's "Variable `x` not found in context" errors: Tera names neither the
//! line nor what the context does hold, so this finds the variable in the template's
//! source (or a parent's) and suggests the nearest name the context offers.

use crate::suggest::did_you_mean;

/// How deep into the context names are listed for suggestions (`edition.snapshot.date`).
const DEPTH: usize = 3;

/// `templates/T:LINE: variable `x` not found (did you mean `y`?)` when `message` (Tera's
/// joined error chain) is about an unknown variable found in a template's source.
pub(super) fn unknown_variable(
    tera: &tera::Tera,
    template: &str,
    context: &tera::Context,
    message: &str,
) -> Option<String> {
    let rest = message.split("Variable `").nth(1)?;
    let (variable, rest) = rest.split_once('`')?;
    if !rest.starts_with(" not found in context") {
        return None;
    }
    let found = tera.get_template(template).ok()?;
    let chain = std::iter::once(template).chain(found.parents.iter().map(String::as_str));
    let (name, line) = chain
        .filter_map(|name| Some((name, line_of(&source(tera, name)?, variable)?)))
        .next()?;
    let mut names = Vec::new();
    list_names(&context.clone().into_json(), "", DEPTH, &mut names);
    Some(format!(
        "templates/{name}:{line}: variable `{variable}` not found{}",
        did_you_mean(variable, &names)
    ))
}

fn source(tera: &tera::Tera, name: &str) -> Option<String> {
    let path = tera.get_template(name).ok()?.path.clone()?;
    std::fs::read_to_string(path).ok()
}

/// The 1-based line of the first use of `variable` in `text` (not part of a longer name).
fn line_of(text: &str, variable: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let at = text.match_indices(variable).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + variable.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })?;
    Some(text[..at].matches('\n').count() + 1)
}

/// The dotted names of `value`'s object keys, `depth` levels down.
fn list_names(value: &serde_json::Value, prefix: &str, depth: usize, names: &mut Vec<String>) {
    let serde_json::Value::Object(map) = value else {
        return;
    };
    for (key, inner) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if depth > 1 {
            list_names(inner, &name, depth - 1, names);
        }
        names.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_variable_and_the_nearest_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "<h1>\n{{ page.titel }}</h1>\n",
        )
        .unwrap();
        let tera = tera::Tera::new(&format!("{}/*", dir.path().display())).unwrap();
        let mut context = tera::Context::new();
        context.insert("page", &serde_json::json!({"title": "T", "kind": "home"}));
        let err = tera.render("page.html", &context).unwrap_err();
        let message = super::super::tera_chain(&err);
        assert_eq!(
            unknown_variable(&tera, "page.html", &context, &message).as_deref(),
            Some("templates/page.html:2: variable `page.titel` not found (did you mean `page.title`?)")
        );
        assert_eq!(line_of("{{ a.bc }} {{ a.b }}", "a.b"), Some(1));
        assert_eq!(line_of("{{ a.bc }}", "a.b"), None);
    }
}
