//! Gathering the paths of a simulation into its report: percentiles of value
//! and income per year, the chance of paying the goal, depletion and the
//! median years to the goal. Reads finished paths (or their tally and
//! order statistics, for a run too large to keep); runs none.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::SimSettings;
use super::path::Chunk;
use super::results::{Percentiles, Simulation, YearChance};
use super::select;
use super::tally::Tally;
use crate::engine::floats::{money, rate};
use crate::engine::plan_report::PlanReport;
use crate::engine::schema::SCHEMA_VERSION;
use crate::model::Portfolio;
use crate::money::Money;

/// The percentiles reported for each series.
const QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// The nearest-rank index of quantile `q` among `len` values (`len` ≥ 1).
fn rank(q: f64, len: u64) -> u64 {
    ((q * len as f64).ceil() as u64).clamp(1, len) - 1
}

/// The ranks (0-based, ascending) wanted of each series over `paths` paths
/// and `years` years: the series are the value of year 1..=years, then the
/// gross income of year 1..=years; each wants its five percentiles, and
/// the final year's value also the median path of `mean_above_median`
/// (rank `paths / 2`).
pub(super) fn wanted_ranks(paths: u64, years: u32) -> Vec<Vec<u64>> {
    let years = years as usize;
    (0..2 * years)
        .map(|s| {
            if paths == 0 {
                return Vec::new();
            }
            let mut r: Vec<u64> = QUANTILES.iter().map(|q| rank(*q, paths)).collect();
            if s + 1 == years {
                r.push(paths / 2);
            }
            r
        })
        .collect()
}

/// Series `s` of a chunk (see [`wanted_ranks`]).
pub(super) fn series(c: &Chunk, s: usize) -> &[f64] {
    let years = c.value.len() / c.len.max(1);
    let (field, y) = if s < years {
        (&c.value, s)
    } else {
        (&c.income, s - years)
    };
    &field[y * c.len..(y + 1) * c.len]
}

/// Buckets of the histogram that places each wanted rank, as a power of two.
const BUCKET_BITS: u32 = 11;

/// The values of `ranks` (ascending, each below `xs.len()`) in `xs`, in the
/// order of `f64::total_cmp`. One pass spreads the values' sort keys
/// (`select::key`) over 2,048 buckets of equal key width between the least
/// and the greatest; a second collects the values of the buckets that hold
/// a wanted rank, and each rank is selected among its bucket's values
/// (`select_within`). A bucket can hold every value (all equal but one, say):
/// the selection is then over all of them, as without buckets.
#[cfg(test)]
fn select_ranks(xs: &[f64], ranks: &[u64]) -> Vec<f64> {
    select_ranks_in(&[xs], ranks)
}

/// [`select_ranks`] over the values of several slices taken together; on
/// an x86-64 processor with AVX2, through a copy compiled for it (the same
/// operations, so the same values).
fn select_ranks_in(parts: &[&[f64]], ranks: &[u64]) -> Vec<f64> {
    #[cfg(target_arch = "x86_64")]
    if super::cpu::has_avx2() {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { select_ranks_avx2(parts, ranks) };
    }
    select_ranks_any(parts, ranks)
}

/// [`select_ranks_any`] compiled for processors with AVX2.
///
/// # Safety
///
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn select_ranks_avx2(parts: &[&[f64]], ranks: &[u64]) -> Vec<f64> {
    select_ranks_any(parts, ranks)
}

/// [`select_ranks_in`] for any processor of the target.
#[inline(always)]
fn select_ranks_any(parts: &[&[f64]], ranks: &[u64]) -> Vec<f64> {
    let mut out = vec![0.0; ranks.len()];
    let (mut lo, mut hi) = (u64::MAX, 0);
    for part in parts {
        for &x in *part {
            let k = select::key(x);
            lo = lo.min(k);
            hi = hi.max(k);
        }
    }
    if lo > hi {
        return out;
    }
    let shift = (u64::BITS - (hi - lo).leading_zeros()).saturating_sub(BUCKET_BITS);
    let bucket = |x: f64| ((select::key(x) - lo) >> shift) as usize;
    let mut counts = vec![0u32; 1 << BUCKET_BITS];
    for part in parts {
        for &x in *part {
            counts[bucket(x)] += 1;
        }
    }
    // The bucket of each rank, and how many values lie below that bucket.
    let mut at = Vec::with_capacity(ranks.len());
    let (mut b, mut below) = (0, 0u64);
    for &r in ranks {
        while below + u64::from(counts[b]) <= r {
            below += u64::from(counts[b]);
            b += 1;
        }
        at.push((b, below));
    }
    // Each wanted bucket's values, gathered in one pass.
    let mut group = vec![u8::MAX; 1 << BUCKET_BITS];
    let mut held: Vec<Vec<f64>> = Vec::new();
    for &(b, _) in &at {
        if group[b] == u8::MAX {
            group[b] = held.len() as u8;
            held.push(Vec::with_capacity(counts[b] as usize));
        }
    }
    for part in parts {
        for &x in *part {
            let g = group[bucket(x)];
            if g != u8::MAX {
                held[g as usize].push(x);
            }
        }
    }
    let mut i = 0;
    while i < at.len() {
        let (b, below) = at[i];
        let n = at[i..].iter().take_while(|(c, _)| *c == b).count();
        let local: Vec<u64> = ranks[i..i + n].iter().map(|r| r - below).collect();
        select_within(&mut held[group[b] as usize], 0, &local, &mut out[i..i + n]);
        i += n;
    }
    out
}

/// [`select_ranks`] on `xs`, the values of ranks `offset ..` of the whole,
/// writing the value of `ranks[i]` to `out[i]`.
fn select_within(xs: &mut [f64], offset: usize, ranks: &[u64], out: &mut [f64]) {
    if ranks.is_empty() {
        return;
    }
    let m = ranks.len() / 2;
    let at = ranks[m] as usize - offset;
    let rank = ranks[m];
    let (below, v, above) = xs.select_nth_unstable_by(at, f64::total_cmp);
    let v = *v;
    out[m] = v;
    // Ranks equal to the middle one (ties in the wanted ranks) share its value.
    let lo = ranks[..m].partition_point(|&r| r < rank);
    let hi = m + 1 + ranks[m + 1..].partition_point(|&r| r == rank);
    out[lo..m].fill(v);
    out[m + 1..hi].fill(v);
    let (left, rest) = out.split_at_mut(lo);
    let right = &mut rest[hi - lo..];
    select_within(below, offset, &ranks[..lo], left);
    select_within(above, offset + at + 1, &ranks[hi..], right);
}

/// The wanted order statistics of every series of paths kept in `chunks`,
/// the series in parallel.
pub(super) fn order_statistics(chunks: &[Chunk], ranks: &[Vec<u64>]) -> Vec<Vec<f64>> {
    ranks
        .par_iter()
        .enumerate()
        .map(|(s, r)| {
            let parts: Vec<&[f64]> = chunks.iter().map(|c| series(c, s)).collect();
            let mut sorted: Vec<(usize, u64)> = r.iter().copied().enumerate().collect();
            sorted.sort_by_key(|(_, rank)| *rank);
            let ascending: Vec<u64> = sorted.iter().map(|(_, rank)| *rank).collect();
            let values = select_ranks_in(&parts, &ascending);
            let mut out = vec![0.0; r.len()];
            for ((i, _), v) in sorted.iter().zip(values) {
                out[*i] = v;
            }
            out
        })
        .collect()
}

/// The gross income (before tax, as the simulated income is) that pays the
/// goal's minimum in each year of the horizon, indexed to inflation: the
/// minimum itself, or grossed up by `1 / (1 − tax)` when the goal is after
/// tax (tax is below 100%, checked when the profile is read).
fn goal_line(p: &Portfolio, years: u32) -> Vec<Money> {
    p.goal.as_ref().map_or_else(Vec::new, |g| {
        let keep = Decimal::ONE - p.assumptions.tax_rate.0;
        let gross = if g.after_tax && keep > Decimal::ZERO {
            g.annual_min.0 / keep
        } else {
            g.annual_min.0
        };
        let mut index = Decimal::ONE;
        (0..years)
            .map(|_| {
                let v = Money(gross * index);
                index *= Decimal::ONE + p.assumptions.inflation.0;
                v
            })
            .collect()
    })
}

/// A simulated amount as money, to 12 significant digits: thirty years of
/// float steps leave noise in the last digits of an `f64`
/// (3333.299666670001 for 3333.29966667), far below what the paths can tell
/// apart (a standard error of the median is a few parts in a thousand).
fn estimate(x: f64) -> Money {
    if x == 0.0 || !x.is_finite() {
        return money(x);
    }
    money(format!("{x:.11e}").parse().unwrap_or(x))
}

/// The yearly percentiles of the series `from..from + years`.
fn yearly(stats: &[Vec<f64>], tally: &Tally, from: usize, years: u32) -> Vec<Percentiles> {
    (0..years as usize)
        .map(|y| {
            let v = |i: usize| estimate(stats[from + y].get(i).copied().unwrap_or(0.0));
            Percentiles {
                year: y as u32 + 1,
                p5: v(0),
                p25: v(1),
                p50: v(2),
                p75: v(3),
                p95: v(4),
                mean: estimate(tally.mean(from + y)),
            }
        })
        .collect()
}

/// The report of a simulation whose paths are tallied in `tally` and whose
/// wanted order statistics (see [`wanted_ranks`]) are `stats`.
pub(super) fn summarise(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    tally: &Tally,
    stats: &[Vec<f64>],
    projection_end: f64,
) -> Simulation {
    let n = tally.paths.max(1) as f64;
    let years = settings.years;
    let share = |hits: u64| hits as f64 / n;
    let phase_years = tally.paid_by_year.len();
    let first_income_year = years as usize - phase_years;
    let goal_by_year = tally
        .paid_by_year
        .iter()
        .enumerate()
        .map(|(k, hits)| YearChance {
            year: (first_income_year + k + 1) as u32,
            probability: rate(share(*hits)),
        })
        .collect();
    let success = (phase_years > 0).then(|| share(tally.always_paid));
    // How far the mean final value sits above the median path's, a fraction
    // of it: 0 when the median is under a cent (shown as $0.00, it is no
    // base for a ratio; a median shrinking toward 0 would make the ratio
    // pass anything a decimal holds). The mean is at most 10^20 (checked
    // after the run), so the ratio is at most 10^22.
    let mean_above_median = match years.checked_sub(1).map(|y| y as usize) {
        Some(last) if tally.paths > 0 => {
            let mean = tally.mean(last);
            let median = stats[last][QUANTILES.len()];
            if median >= 0.01 {
                mean / median - 1.0
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    Simulation {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        paths: settings.paths,
        seed: settings.seed,
        success_probability: success.map(rate),
        success_standard_error: success.map(|q| rate((q * (1.0 - q) / n).sqrt())),
        depletion_probability: rate(share(tally.depleted)),
        goal_by_year,
        value: yearly(stats, tally, 0, years),
        income: yearly(stats, tally, years as usize, years),
        median_years_to_goal: if p.goal.is_some() {
            tally.median_years_to_goal()
        } else {
            None
        },
        goal_line: goal_line(p, years),
        mean_above_median: rate(mean_above_median),
        projection_end: money(projection_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ascending selections give the nearest-rank percentiles of a full
    /// sort, for every length from 1 to 60 and with ties.
    #[test]
    fn selected_ranks_match_a_full_sort() {
        for len in 1..=60usize {
            for ties in [1, 3] {
                let xs: Vec<f64> = (0..len)
                    .map(|i| ((i * 37 + 11) % len / ties) as f64)
                    .collect();
                let mut sorted = xs.clone();
                sorted.sort_by(f64::total_cmp);
                let mut ranks: Vec<u64> = QUANTILES.iter().map(|q| rank(*q, len as u64)).collect();
                ranks.push(len as u64 / 2);
                ranks.sort_unstable();
                let got = select_ranks(&xs, &ranks);
                let want: Vec<f64> = ranks.iter().map(|r| sorted[*r as usize]).collect();
                assert_eq!(got, want, "len {len}");
            }
        }
    }

    /// The bucketed selection gives the ranks of a full sort (in the order
    /// of `f64::total_cmp`, bit for bit) on values spread over many powers
    /// of ten, of both signs, with both zeros, infinities, a mass of equal
    /// values and a lone outlier that leaves the rest in one bucket.
    #[test]
    fn selected_ranks_match_a_full_sort_on_awkward_values() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let cases: Vec<Vec<f64>> = vec![
            (0..5000)
                .map(|_| {
                    let r = next();
                    let magnitude = 10f64.powi((r % 40) as i32 - 20);
                    let sign = if r >> 63 == 1 { -1.0 } else { 1.0 };
                    sign * magnitude * ((r >> 8) % 1000) as f64
                })
                .collect(),
            (0..3000)
                .map(|i| match i % 7 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::INFINITY,
                    3 => f64::NEG_INFINITY,
                    _ => (next() % 100) as f64,
                })
                .collect(),
            (0..4000)
                .map(|i| {
                    if i == 17 {
                        1e300
                    } else {
                        1.0 + (i % 3) as f64 * 1e-12
                    }
                })
                .collect(),
            vec![7.5; 999],
        ];
        for (n, xs) in cases.iter().enumerate() {
            let len = xs.len() as u64;
            let mut ranks: Vec<u64> = QUANTILES.iter().map(|q| rank(*q, len)).collect();
            ranks.push(len / 2);
            ranks.extend([0, len - 1]);
            ranks.sort_unstable();
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let got = select_ranks(xs, &ranks);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let want: Vec<f64> = ranks.iter().map(|r| sorted[*r as usize]).collect();
            assert_eq!(bits(&got), bits(&want), "case {n}");
            // The copy for any processor, beside the one for AVX2.
            let any = super::super::cpu::generic_only(|| select_ranks(xs, &ranks));
            assert_eq!(bits(&any), bits(&want), "case {n}, any processor");
        }
    }
}
