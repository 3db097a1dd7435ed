//! The world model: what the Hub looks like at a date, and the organisations that
//! publish in it. Its trends are set by two points, spring 2025 (`p = 0`) and spring
//! 2026 (`p = 1`), and move linearly between them; after spring 2026 they go on along
//! a curve that slows down (`progress`), so a later edition still sees change.

use super::names::{Role, Task, PROFILES};
use super::{Org, Owner, DAY, YEAR};
use crate::registry::{OrgKind, Registry};
use anyhow::{bail, Result};
use std::collections::BTreeMap;

/// No model is older than this (2020-01-01).
pub const START: i64 = 18_262 * DAY;

/// Download shares by country: (code, spring 2025, spring 2026). Other countries
/// with registry organisations get a small share.
const COUNTRIES: &[(&str, f64, f64)] = &[
    ("CN", 0.13, 0.41),
    ("US", 0.70, 0.37),
    ("FR", 0.035, 0.035),
    ("DE", 0.02, 0.02),
    ("GB", 0.012, 0.012),
    ("KR", 0.003, 0.008),
    ("AE", 0.006, 0.006),
    ("CA", 0.005, 0.006),
    ("JP", 0.003, 0.004),
    ("FI", 0.004, 0.003),
    ("IN", 0.001, 0.002),
    ("IL", 0.0015, 0.0015),
    ("CH", 0.0, 0.0015),
    ("ES", 0.001, 0.0015),
];
const OTHER_COUNTRY: f64 = 0.001;

pub struct World {
    /// The snapshot time (Unix seconds, midnight of the date).
    pub date: i64,
    /// Progress of the trends: 0 at (and before) spring 2025, 1 at spring 2026, then
    /// slowing towards `1 + SLOWDOWN` (see `progress`).
    pub p: f64,
    top200: f64,
    below200: f64,
    /// Share of models published by independent uploaders in the registry.
    independents: f64,
    /// Chance that a model from an unattributed author is a derivative.
    pub user_derivatives: f64,
}

/// After spring 2026 the trends keep the pace they had, slowing with this time
/// constant (in years): half a year on they have gone 0.32 of a year's change further,
/// a year on 0.43, and never more than 0.5.
const SLOWDOWN: f64 = 0.5;

fn lerp(a: f64, b: f64, p: f64) -> f64 {
    a + (b - a) * p
}

/// The trends' progress at `date`: years since spring 2025 up to spring 2026 (0 before
/// it), then `1 + SLOWDOWN · (1 − e^(−t / SLOWDOWN))` for `t` years after spring 2026,
/// which goes on at the same pace and saturates smoothly, so shares keep drifting
/// without leaving their range.
pub fn progress(date: i64) -> f64 {
    let spring_2025 = days_from_civil(2025, 3, 15) * DAY;
    let spring_2026 = days_from_civil(2026, 3, 15) * DAY;
    let years = (date - spring_2025) as f64 / (spring_2026 - spring_2025) as f64;
    if years <= 1.0 {
        years.max(0.0)
    } else {
        1.0 + SLOWDOWN * (1.0 - (-(years - 1.0) / SLOWDOWN).exp())
    }
}

impl World {
    pub fn at(date: i64) -> World {
        let p = progress(date);
        World {
            date,
            p,
            top200: lerp(0.46, 0.496, p),
            below200: lerp(0.47, 0.50, p),
            independents: lerp(0.27, 0.40, p),
            user_derivatives: lerp(0.22, 0.35, p),
        }
    }

    /// Downloads, most first: log-normal around 200, the share below 200 and the
    /// top-200 share calibrated exactly, the top 200 on a power law.
    pub fn downloads(&self, n: usize, rng: &mut super::Rng) -> Vec<u64> {
        let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mut sorted = z.clone();
        sorted.sort_by(f64::total_cmp);
        let below = ((self.below200 * n as f64).round() as usize).min(n);
        let cut = sorted.get(below).copied().unwrap_or(f64::INFINITY);
        let mut x: Vec<u64> = z
            .iter()
            .map(|&z| (200.0 * (3.0 * (z - cut)).exp()).floor() as u64)
            .collect();
        x.sort_unstable_by(|a, b| b.cmp(a));
        let head = 200;
        if n >= 2 * head {
            let tail: u64 = x[head..].iter().sum();
            let want = self.top200 / (1.0 - self.top200) * tail as f64;
            let floor = x[head] as f64;
            let shape = |i: usize| ((i + 1) as f64).powf(-0.9);
            let norm: f64 = (0..head).map(shape).sum();
            let a = (want - head as f64 * floor) / norm;
            let have: u64 = x[..head].iter().sum();
            for (i, v) in x[..head].iter_mut().enumerate() {
                *v = if a > 0.0 {
                    (floor + a * shape(i)).round() as u64
                } else {
                    (*v as f64 * want / have as f64).round() as u64
                };
            }
        }
        x
    }

    /// Who publishes each model. Registry organisations with a country get the
    /// most-downloaded models, each to the country furthest below its download
    /// target; independents get their share of the rest by count; the others go
    /// to synthetic handles.
    pub fn owners(
        &self,
        downloads: &[u64],
        orgs: &[Org],
        users: &super::names::Handles,
        rng: &mut super::Rng,
    ) -> Vec<Owner> {
        let n = downloads.len();
        let total: u64 = downloads.iter().sum();
        let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, org) in orgs.iter().enumerate() {
            if let (Some(c), false) = (&org.country, org.kind == OrgKind::Independent) {
                by_country.entry(c).or_default().push(i);
            }
        }
        let countries: Vec<(f64, Vec<usize>)> = by_country
            .into_iter()
            .map(|(code, members)| {
                let share = COUNTRIES
                    .iter()
                    .find(|c| c.0 == code)
                    .map_or(OTHER_COUNTRY, |&(_, a, b)| lerp(a, b, self.p));
                (share * total as f64, members)
            })
            .collect();
        let mut sums = vec![0.0; countries.len()];
        let mut country: Vec<Option<usize>> = vec![None; n];
        if !countries.is_empty() {
            for i in n / 20..n {
                if rng.chance(0.02) {
                    let c = rng.weighted(countries.iter().map(|c| c.0));
                    country[i] = Some(c);
                    sums[c] += downloads[i] as f64;
                }
            }
            let targets: f64 = countries.iter().map(|c| c.0).sum();
            let budget = (total as f64 - targets) * 0.5;
            let mut reserved = 0.0;
            for i in 0..n {
                let d = downloads[i] as f64;
                if country[i].is_some() || (i >= n / 20 && d < 1.0) {
                    continue;
                }
                if i >= 10 && rng.chance(0.08) && reserved + d <= budget {
                    reserved += d;
                    continue;
                }
                // The country furthest behind its target that this model does not
                // push past it; but now and then a country for which the model is a
                // big one (a fifteenth to a third of its target) claims it, so that
                // small countries hold a few large models rather than many middling.
                let deficit = |c: usize| countries[c].0 - sums[c];
                let open = || (0..countries.len()).filter(|&c| deficit(c) >= d);
                let big = |c: &usize| (countries[*c].0 / 15.0..=countries[*c].0 / 3.0).contains(&d);
                let relative = |c: usize| deficit(c) / countries[c].0;
                let claim = rng.chance(0.2).then(|| {
                    open()
                        .filter(big)
                        .max_by(|&a, &b| relative(a).total_cmp(&relative(b)).then(b.cmp(&a)))
                });
                let best = claim.flatten().or_else(|| {
                    open().max_by(|&a, &b| deficit(a).total_cmp(&deficit(b)).then(b.cmp(&a)))
                });
                if let Some(c) = best {
                    country[i] = Some(c);
                    sums[c] += d;
                }
            }
        }
        let pick = |rng: &mut super::Rng, members: &[usize]| {
            members[rng.weighted(members.iter().map(|&o| orgs[o].weight))]
        };
        let independents: Vec<usize> = (0..orgs.len())
            .filter(|&o| orgs[o].kind == OrgKind::Independent)
            .collect();
        let stateless: Vec<usize> = (0..orgs.len())
            .filter(|&o| orgs[o].kind != OrgKind::Independent && orgs[o].country.is_none())
            .collect();
        let mut owners: Vec<Option<Owner>> = country
            .iter()
            .map(|c| c.map(|c| Owner::Org(pick(rng, &countries[c].1))))
            .collect();
        let mut rest: Vec<usize> = (0..n).filter(|&i| owners[i].is_none()).collect();
        for i in (1..rest.len()).rev() {
            rest.swap(i, rng.below(i + 1));
        }
        let want = if independents.is_empty() {
            0
        } else {
            ((self.independents * n as f64).round() as usize).min(rest.len())
        };
        for (k, &i) in rest.iter().enumerate() {
            owners[i] = Some(if k < want {
                Owner::Org(pick(rng, &independents))
            } else if !stateless.is_empty() && rng.chance(0.01) {
                Owner::Org(pick(rng, &stateless))
            } else {
                Owner::User(users.pick(rng))
            });
        }
        owners.into_iter().flatten().collect()
    }

    /// A creation time in `[lo, hi)`, denser near `hi`: uploads double every year.
    pub fn created(&self, lo: i64, hi: i64, rng: &mut super::Rng) -> i64 {
        let lo = lo.max(START);
        let hi = hi.min(self.date) - 60;
        if lo >= hi {
            return hi.max(START);
        }
        let k = std::f64::consts::LN_2 / YEAR;
        let e = (-k * (hi - lo) as f64).exp();
        let u = 1.0 - rng.unit();
        hi + ((u * (1.0 - e) + e).ln() / k) as i64
    }
}

/// The registry's organisations with their roles, weights and model families at
/// the world's date; organisations with nothing to publish yet are left out.
pub fn orgs(registry: &Registry, world: &World) -> Vec<Org> {
    let mut orgs = Vec::new();
    for (author, org) in &registry.orgs {
        let profile = PROFILES.iter().find(|p| p.author == author);
        let independent = org.kind == OrgKind::Independent;
        let role = profile.map_or(
            if independent {
                Role::Quantizer
            } else {
                Role::Maker
            },
            |p| p.role,
        );
        // A fading organisation keeps at least half its smaller weight after 2026.
        let weight = profile.map_or(1.0, |p| {
            let (then, now) = p.weights;
            lerp(then, now, world.p).max(then.min(now) / 2.0)
        });
        let families: Vec<(String, i64, Task, &'static str)> = match profile {
            Some(p) => p
                .families
                .iter()
                .map(|&(name, since, task, license)| {
                    (name.to_owned(), month_start(since), task, license)
                })
                .filter(|f| f.1 < world.date)
                .collect(),
            None if role == Role::Maker => {
                vec![(author.to_lowercase(), START, Task::Chat, "apache-2.0")]
            }
            None => Vec::new(),
        };
        if weight <= 0.0 || (role == Role::Maker && families.is_empty()) {
            continue;
        }
        orgs.push(Org {
            author: author.clone(),
            country: org.country.clone(),
            kind: org.kind,
            role,
            weight,
            families,
            active: (
                profile.and_then(|p| p.from).map_or(START, month_start),
                profile
                    .and_then(|p| p.until)
                    .map_or(world.date, month_start)
                    .min(world.date),
            ),
        });
    }
    orgs
}

/// `YYYY-MM` (from the profile table) → Unix time of the month's first day.
fn month_start(month: &str) -> i64 {
    let year = month[..4].parse().unwrap_or(2020);
    let month = month[5..].parse().unwrap_or(1);
    days_from_civil(year, month, 1) * DAY
}

/// `YYYY-MM-DD` → Unix time of its midnight (UTC).
pub fn parse_date(date: &str) -> Result<i64> {
    let parts: Vec<&str> = date.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match (parts.len(), numbers.as_deref()) {
        (3, Some(&[y, m, d]))
            if parts.iter().map(|p| p.len()).eq([4, 2, 2])
                && (1..=12).contains(&m)
                && (1..=days_in_month(y as i64, m)).contains(&d) =>
        {
            Ok(days_from_civil(y as i64, m, d) * DAY)
        }
        _ => bail!("`{date}` is not a date: expected YYYY-MM-DD, e.g. 2026-03-15"),
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m as usize - 1]
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2025-03-04T12:00:00.000Z` for a Unix time.
pub fn timestamp(t: i64) -> String {
    let (days, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z")
}
