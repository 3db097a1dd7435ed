//! The top-n table: the rows with the largest downloads or likes.

use std::cmp::Ordering;

use super::group::{display, NONE};
use crate::config::{Field, Key};
use crate::figures::{Cell, Table};
use crate::snapshot::{Flags, Kind, Repos, Sym};

/// The `n` rows with the largest `by`, in descending order, ties by id; rows without
/// `by` are left out. Columns: the repository, its author, what it is for (a model's
/// task, a dataset's task category, a space's SDK), then its downloads (the all-time
/// column only when the snapshot has `downloadsAllTime`; none for spaces) and likes.
/// An absent author or task reads as the charts show it ("None declared").
pub fn top(repos: &Repos, n: usize, by: Field) -> Table {
    let column = super::column(repos, by);
    let lacks = super::lacks(by);
    let id = |row: usize| repos.strings.get(repos.id[row]);
    let order = |a: &usize, b: &usize| -> Ordering {
        column[*b].cmp(&column[*a]).then_with(|| id(*a).cmp(id(*b)))
    };
    let mut rows = candidates(column, n);
    rows.retain(|&row| !repos.flags[row].has(lacks));
    rows.sort_unstable_by(order);
    rows.truncate(n);
    let kind = repos.kind;
    let downloads = kind.has_field(Field::Downloads);
    let all_time = downloads && (repos.flags.iter()).any(|f| !f.has(Flags::NO_DOWNLOADS_ALL_TIME));
    let (what, purpose, key) = match kind {
        Kind::Models => ("Model", "Task", Key::PipelineTag),
        Kind::Datasets => ("Dataset", "Task", Key::TaskCategory),
        Kind::Spaces => ("Space", "SDK", Key::Sdk),
    };
    let purposes = match kind {
        Kind::Models => &repos.pipeline_tag,
        Kind::Datasets => &repos.task_category,
        Kind::Spaces => &repos.sdk,
    };
    let mut columns = vec![what, "Author", purpose];
    if downloads {
        columns.push("Downloads (30 days)");
    }
    if all_time {
        columns.push("Downloads (all time)");
    }
    columns.push("Likes");
    let text = |s: &str| Cell::Text(s.to_owned());
    let shown = |key: Key, sym: Sym| {
        let value = repos.strings.get(sym);
        text(if sym.is_none() {
            display(key, NONE)
        } else {
            value
        })
    };
    let number = |x: u64, flag: Flags, row: usize| {
        if repos.flags[row].has(flag) {
            text("")
        } else {
            Cell::Number(x as f64)
        }
    };
    Table {
        columns: columns.into_iter().map(str::to_owned).collect(),
        rows: rows
            .into_iter()
            .map(|row| {
                let purpose = purposes.get(row).copied().unwrap_or(Sym::NONE);
                let mut cells = vec![
                    text(id(row)),
                    shown(Key::Author, repos.author[row]),
                    shown(key, purpose),
                ];
                if downloads {
                    cells.push(number(repos.downloads[row], Flags::NO_DOWNLOADS, row));
                }
                if all_time {
                    let x = repos.downloads_all_time[row];
                    cells.push(number(x, Flags::NO_DOWNLOADS_ALL_TIME, row));
                }
                cells.push(number(repos.likes[row], Flags::NO_LIKES, row));
                cells
            })
            .collect(),
    }
}

/// The rows that can be among the `n` largest of `column`: every row at or above the
/// n-th largest value. Found on the numbers alone, so the id tie-break only ever
/// compares the rows tied at that value.
fn candidates(column: &[u64], n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    if n >= column.len() {
        return (0..column.len()).collect();
    }
    let mut values = column.to_vec();
    let (_, &mut floor, _) = values.select_nth_unstable_by(n - 1, |a, b| b.cmp(a));
    (0..column.len())
        .filter(|&row| column[row] >= floor)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{models, Row};

    #[test]
    fn orders_by_field_then_id() {
        let models = models(&[
            Row::new("b/tie", 50).likes(1),
            Row::new("a/small", 5).likes(9),
            Row::new("a/tie", 50).task("text-generation"),
            Row::new("c/big", 90),
        ]);
        let table = top(&models, 3, Field::Downloads);
        assert_eq!(
            table.columns,
            ["Model", "Author", "Task", "Downloads (30 days)", "Likes"]
        );
        let ids: Vec<&Cell> = table.rows.iter().map(|r| &r[0]).collect();
        let text = |s: &str| Cell::Text(s.to_owned());
        assert_eq!(ids, [&text("c/big"), &text("a/tie"), &text("b/tie")]);
        assert_eq!(
            table.rows[1],
            [
                text("a/tie"),
                text("a"),
                text("text-generation"),
                Cell::Number(50.0),
                Cell::Number(0.0)
            ]
        );
        let by_likes = top(&models, 1, Field::Likes);
        assert_eq!(by_likes.rows[0][0], text("a/small"));
        assert_eq!(top(&models, 10, Field::Likes).rows.len(), 4);
        assert!(top(&models, 0, Field::Likes).rows.is_empty());
    }
}
