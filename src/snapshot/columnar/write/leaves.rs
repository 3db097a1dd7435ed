//! Each leaf column of a row group from its entries: levels and values as the `Shape`
//! says (see `write`).

use anyhow::{bail, Context, Result};
use parquet::data_type::{
    ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type, Int96, Int96Type,
};
use parquet::file::writer::SerializedColumnWriter;
use serde_json::Value;

use super::{Counts, Leaf, Shape, TagsAs, Times};

/// Writes one leaf column of a row group.
pub(super) fn write_leaf(
    column: &mut SerializedColumnWriter,
    leaf: Leaf,
    shape: &Shape,
    rows: &[Value],
    first_line: usize,
) -> Result<()> {
    // Lines are counted from 1; `first_line` from 0 (blank lines between rows would
    // shift the count, which only a message shows).
    let line = |i: usize| first_line + i + 1;
    let mut def = Vec::with_capacity(rows.len());
    match leaf {
        Leaf::Text(key) => {
            let mut values = Vec::new();
            for row in rows {
                let value = row.get(key).and_then(Value::as_str);
                def.push(i16::from(value.is_some()));
                values.extend(value.map(ByteArray::from));
            }
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&def), None)?;
        }
        Leaf::Count(key) => {
            let mut values = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let value = match row.get(key) {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_u64().with_context(|| {
                        format!("line {}: `{key}` is {v}, not a count", line(i))
                    })?),
                };
                def.push(i16::from(value.is_some()));
                values.extend(value);
            }
            write_counts(column, shape.counts, &values, &def, key)?;
        }
        Leaf::Time(key) => write_times(column, shape.times, rows, key, first_line)?,
        Leaf::Score => {
            let values: Vec<f64> = rows
                .iter()
                .map(|row| {
                    row.get("trendingScore")
                        .and_then(Value::as_f64)
                        .unwrap_or(0.0)
                })
                .collect();
            let def = vec![1; rows.len()];
            column
                .typed::<DoubleType>()
                .write_batch(&values, Some(&def), None)?;
        }
        Leaf::Tags => write_tags(column, shape.tags, rows)?,
        Leaf::CardData => {
            let values: Vec<ByteArray> = rows
                .iter()
                .map(|row| {
                    let license = row.get("tags").and_then(Value::as_array).and_then(|tags| {
                        tags.iter()
                            .filter_map(Value::as_str)
                            .find_map(|t| t.strip_prefix("license:"))
                    });
                    ByteArray::from(
                        serde_json::json!({ "license": license })
                            .to_string()
                            .as_str(),
                    )
                })
                .collect();
            let def = vec![1; rows.len()];
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&def), None)?;
        }
        Leaf::Sibling => {
            // Two files a repository: a list of structs, never read.
            let names = [
                ByteArray::from("README.md"),
                ByteArray::from(".gitattributes"),
            ];
            let values: Vec<ByteArray> = rows.iter().flat_map(|_| names.clone()).collect();
            let def = vec![3; values.len()];
            let rep: Vec<i16> = (0..values.len()).map(|i| i16::from(i % 2 == 1)).collect();
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&def), Some(&rep))?;
        }
        Leaf::SafetensorsTotal => {
            let values: Vec<i64> = (0..rows.len() as i64).map(|i| i * 1_000_003).collect();
            let def = vec![2; rows.len()];
            column
                .typed::<Int64Type>()
                .write_batch(&values, Some(&def), None)?;
        }
        Leaf::ConfigModelType => {
            let values = vec![ByteArray::from("llama"); rows.len()];
            let def = vec![2; rows.len()];
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&def), None)?;
        }
    }
    Ok(())
}

fn write_counts(
    column: &mut SerializedColumnWriter,
    counts: Counts,
    values: &[u64],
    def: &[i16],
    key: &str,
) -> Result<()> {
    match counts {
        Counts::Int64 => {
            let values: Vec<i64> = values
                .iter()
                .map(|&n| i64::try_from(n).with_context(|| format!("`{key}` {n} is over 2^63")))
                .collect::<Result<_>>()?;
            column
                .typed::<Int64Type>()
                .write_batch(&values, Some(def), None)?;
        }
        Counts::Int32 => {
            let values: Vec<i32> = values
                .iter()
                .map(|&n| i32::try_from(n).with_context(|| format!("`{key}` {n} is over 2^31")))
                .collect::<Result<_>>()?;
            column
                .typed::<Int32Type>()
                .write_batch(&values, Some(def), None)?;
        }
        Counts::Double => {
            let values: Vec<f64> = values.iter().map(|&n| n as f64).collect();
            column
                .typed::<DoubleType>()
                .write_batch(&values, Some(def), None)?;
        }
    }
    Ok(())
}

fn write_times(
    column: &mut SerializedColumnWriter,
    times: Times,
    rows: &[Value],
    key: &str,
    first_line: usize,
) -> Result<()> {
    let mut def = Vec::with_capacity(rows.len());
    let mut texts = Vec::new();
    let mut millis = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(text) = row.get(key).and_then(Value::as_str) else {
            def.push(0);
            continue;
        };
        def.push(1);
        if times == Times::Text {
            texts.push(ByteArray::from(text));
            continue;
        }
        let Some(ms) = epoch_millis(text) else {
            bail!(
                "line {}: `{key}` is `{text}`, not a time a timestamp can hold",
                first_line + i + 1
            );
        };
        millis.push(ms);
    }
    let scaled = |per_milli: i64| -> Vec<i64> { millis.iter().map(|ms| ms * per_milli).collect() };
    match times {
        Times::Text => column
            .typed::<ByteArrayType>()
            .write_batch(&texts, Some(&def), None)?,
        Times::Millis { .. } => {
            column
                .typed::<Int64Type>()
                .write_batch(&scaled(1), Some(&def), None)?
        }
        Times::Micros { .. } => {
            column
                .typed::<Int64Type>()
                .write_batch(&scaled(1_000), Some(&def), None)?
        }
        Times::Nanos { .. } => {
            column
                .typed::<Int64Type>()
                .write_batch(&scaled(1_000_000), Some(&def), None)?
        }
        Times::Int96 => {
            let values: Vec<Int96> = millis
                .iter()
                .map(|&ms| {
                    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
                    let nanos = (ms_of_day * 1_000_000) as u64;
                    let mut value = Int96::new();
                    value.set_data(
                        nanos as u32,
                        (nanos >> 32) as u32,
                        (days + 2_440_588) as u32,
                    );
                    value
                })
                .collect();
            column
                .typed::<Int96Type>()
                .write_batch(&values, Some(&def), None)?
        }
    };
    Ok(())
}

fn write_tags(column: &mut SerializedColumnWriter, tags: TagsAs, rows: &[Value]) -> Result<()> {
    let lists = rows
        .iter()
        .map(|row| row.get("tags").and_then(Value::as_array));
    if tags == TagsAs::Json {
        let mut def = Vec::new();
        let mut values = Vec::new();
        for list in lists {
            def.push(i16::from(list.is_some()));
            values
                .extend(list.map(|l| ByteArray::from(Value::from(l.clone()).to_string().as_str())));
        }
        column
            .typed::<ByteArrayType>()
            .write_batch(&values, Some(&def), None)?;
        return Ok(());
    }
    // Levels: 0 no list, 1 an empty list, then (three-level) 2 a null element, 3 one.
    let present = if tags == TagsAs::TwoLevel { 2 } else { 3 };
    let (mut def, mut rep, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for list in lists {
        match list {
            None => {
                def.push(0);
                rep.push(0);
            }
            Some(list) if list.is_empty() => {
                def.push(1);
                rep.push(0);
            }
            Some(list) => {
                for (i, tag) in list.iter().enumerate() {
                    rep.push(i16::from(i > 0));
                    match tag.as_str() {
                        Some(tag) => {
                            def.push(present);
                            values.push(ByteArray::from(tag));
                        }
                        None if present == 3 => def.push(2),
                        None => bail!("a legacy two-level list cannot hold a null tag"),
                    }
                }
            }
        }
    }
    column
        .typed::<ByteArrayType>()
        .write_batch(&values, Some(&def), Some(&rep))?;
    Ok(())
}

/// `text` (`YYYY-MM-DD`, optionally `THH:MM:SS[.fff]` and `Z`) as milliseconds since
/// 1970, or `None` when it is not such a time.
fn epoch_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date: crate::dates::Date = text[..10].parse().ok()?;
    let days = crate::dates::days(date);
    let (mut h, mut m, mut s, mut ms) = (0, 0, 0, 0);
    if b.len() > 10 {
        if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        (h, m, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let rest = &text[19..];
        let rest = match rest.strip_prefix('.') {
            Some(fraction) => {
                let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
                let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
                ms = padded.parse().ok()?;
                &fraction[digits..]
            }
            None => rest,
        };
        if !matches!(rest, "" | "Z" | "+00:00") {
            return None;
        }
    }
    Some(((days * 24 + h) * 60 + m) * 60_000 + s * 1000 + ms)
}
