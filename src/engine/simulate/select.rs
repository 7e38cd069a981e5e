//! Exact order statistics of every yearly series (value and income per
//! year) of a run too large to keep: the paths are run again, pass after
//! pass, and each pass narrows where each wanted rank lies.
//!
//! A value's sort key is its bit pattern made monotone (the order of
//! `f64::total_cmp`). Before the first pass, the first chunks (a pilot of
//! a sixteenth of them, 1,024 to 4,096 paths) bracket each wanted rank: the
//! keys between the pilot's quantiles 5 standard errors either side of it.
//! Each pass then counts, for every wanted rank, the values below its
//! bracket and the values within it by bucket: the first pass splits a
//! bracket into 512 buckets of equal value (it may reach from a mass of
//! zeros across many powers of two), later passes into at most 4,096 of
//! equal key width. The bucket holding the rank becomes the next bracket,
//! and once a bracket holds few values they are collected and the rank is
//! selected among them. When the pilot expects few enough values within the
//! brackets (runs up to about 200,000 paths × 30 years), the first pass
//! collects them too and the run takes one pass. A rank the pilot's bracket
//! misses (about one in a million) is found the same way from the keys
//! beside the bracket, a pass or more later. The shipped profiles at
//! 1,000,000 paths take two passes.
//!
//! Every path draws the same numbers in every pass (`stream`), so the
//! result is exactly the order statistic a sort of all the values would
//! give, while memory holds only counts: it does not grow with the number
//! of paths. Counts are integers and a rank among collected values does not
//! depend on their order, so the result does not depend on the number of
//! threads either.

use rayon::prelude::*;

use super::path::Chunk;

/// Buckets of a pass's histogram, as a power of two: at least this many
/// key bits are resolved per pass.
const BITS: u32 = 12;
/// Buckets of the first pass's histograms, as a power of two: fewer, since
/// each wanted rank then has a bracket of its own, a few percent of the
/// paths wide, and the histograms of every rank of every year are held at
/// once.
const FIRST_BITS: u32 = 9;
/// A bucket with at most this many values is collected rather than split
/// (few in the tests, so that they split buckets several times).
const COLLECT: u64 = if cfg!(test) { 16 } else { 4096 };
/// At most this many accumulators per pass (each the size of the pass's
/// histograms), whatever the number of threads.
const GROUPS: usize = 8;
/// The pilot's chunks: the first sixteenth of the run's, within these bounds.
const PILOT_CHUNKS: (u32, u32) = (8, 32);
/// The first pass also collects the values within every bracket when the
/// pilot expects at most `.0` of them in all (8 bytes each), and the run
/// then takes one pass; a group of chunks stops collecting past `.1`, a
/// quarter of it (so at most twice it are held, in at most [`GROUPS`]
/// groups).
pub(super) const FIRST_COLLECT: (usize, usize) = (4_000_000, 1_000_000);
/// How many standard errors of the pilot's quantile a bracket spans on
/// either side of it.
const PILOT_Z: f64 = 5.0;

/// The sort key of `x`: unsigned, in the order of `f64::total_cmp`.
pub(super) fn key(x: f64) -> u64 {
    let b = x.to_bits();
    // Negative: every bit flipped; else the sign bit set (without a branch).
    b ^ ((((b as i64) >> 63) as u64) | 1 << 63)
}

/// The value whose sort key is `k`.
fn value_of(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Sees each chunk of a pass, with its number.
type ChunkHook<'a> = &'a (dyn Fn(u32, &Chunk) + Sync);

/// A set of values of one series: those whose sort keys lie in `lo..=hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Probe {
    /// Index of the series.
    series: usize,
    /// The smallest key of the set.
    lo: u64,
    /// The largest key of the set.
    hi: u64,
    /// Split into buckets of equal value rather than equal key width (a
    /// pilot's bracket, which may reach from a mass of zeros across many
    /// powers of two to where the rank lies).
    linear: bool,
}

/// How a probe's keys are split into at most `2^bits` buckets.
#[derive(Clone, Copy, Debug)]
enum Buckets {
    /// Buckets of `2^shift` keys from `lo`.
    Keys { lo: u64, shift: u32 },
    /// Buckets of equal value from `base`, `scale` of them per unit, the
    /// largest value in bucket `last`.
    Values { base: f64, scale: f64, last: usize },
}

impl Buckets {
    /// The bucket of key `k` (value `x`) of the probe: never decreasing as
    /// the key grows, so every bucket is a run of keys.
    fn of(self, k: u64, x: f64) -> usize {
        match self {
            Buckets::Keys { lo, shift } => ((k - lo) >> shift) as usize,
            Buckets::Values { base, scale, last } => (((x - base) * scale) as usize).min(last),
        }
    }
}

impl Probe {
    /// Every value of `series`.
    fn all(series: usize) -> Probe {
        Probe {
            series,
            lo: 0,
            hi: u64::MAX,
            linear: false,
        }
    }

    /// How the probe's keys are split: by value when it is linear and both
    /// ends are finite values a finite distance apart, else into the
    /// fewest whole key bits that make at most `2^bits` buckets.
    fn buckets(&self, bits: u32) -> Buckets {
        let (a, b) = (value_of(self.lo), value_of(self.hi));
        let n = 1usize << bits;
        let scale = n as f64 / (b - a);
        if self.linear && a.is_finite() && b.is_finite() && scale.is_finite() && scale > 0.0 {
            return Buckets::Values {
                base: a,
                scale,
                last: n - 1,
            };
        }
        let span = self.hi - self.lo;
        Buckets::Keys {
            lo: self.lo,
            shift: (u64::BITS - span.leading_zeros()).saturating_sub(bits),
        }
    }

    /// The keys of bucket `b` of the split `buckets` (a bucket holding a
    /// value, so not empty).
    fn part(&self, b: usize, buckets: Buckets) -> Probe {
        let of = |k: u64| buckets.of(k, value_of(k));
        // The smallest key of the probe in bucket `b` or above, if any.
        let first = |b: usize| {
            if of(self.hi) < b {
                return None;
            }
            let (mut l, mut h) = (self.lo, self.hi);
            while l < h {
                let m = l + (h - l) / 2;
                if of(m) >= b { h = m } else { l = m + 1 }
            }
            Some(l)
        };
        let lo = first(b).unwrap_or(self.hi);
        Probe {
            series: self.series,
            lo,
            hi: first(b + 1).map_or(self.hi, |k| k - 1).max(lo),
            linear: false,
        }
    }
}

/// One wanted rank of one series, and how far it is resolved.
#[derive(Clone, Debug)]
struct Wanted {
    /// The values that hold the rank (or, before the first pass, are
    /// expected to).
    probe: Probe,
    /// The rank among all values of the series (0-based).
    rank: u64,
    /// How many values the probe holds, once counted.
    count: Option<u64>,
    /// The answer, once known.
    value: Option<f64>,
}

/// What one group of chunks found in a pass: per probe, the values below
/// it; per splitting probe, a histogram; per collecting probe, its values.
struct Found {
    /// Splitting probes first, then collecting ones.
    below: Vec<u64>,
    hist: Vec<u32>,
    /// Per splitting probe, in a first pass that collects too: its values.
    first: Vec<Vec<f64>>,
    /// How many values `first` holds; past the group's cap it holds none
    /// and `full` is set.
    first_count: usize,
    /// A group went past its cap: the first pass's values are incomplete.
    full: bool,
    /// Per splitting probe: its smallest and largest keys, each with how
    /// many values have it (a mass of equal values, such as the zeros of
    /// depleted paths, is resolved at once instead of bit by bit).
    ends: Vec<[Extreme; 2]>,
    collected: Vec<Vec<f64>>,
}

/// The smallest (or largest) key seen and how many values have it.
#[derive(Clone, Copy, Debug)]
struct Extreme {
    key: u64,
    count: u64,
}

impl Extreme {
    /// Nothing seen yet, when looking for the smallest key.
    const LOW: Extreme = Extreme {
        key: u64::MAX,
        count: 0,
    };
    /// Nothing seen yet, when looking for the largest key.
    const HIGH: Extreme = Extreme { key: 0, count: 0 };

    /// Sees key `k`; `low` when keeping the smallest.
    fn see(&mut self, k: u64, low: bool) {
        if k == self.key {
            self.count += 1;
        } else if (k < self.key) == low {
            *self = Extreme { key: k, count: 1 };
        }
    }

    /// Merges what another group saw.
    fn merge(&mut self, other: Extreme, low: bool) {
        if other.key == self.key {
            self.count += other.count;
        } else if (other.key < self.key) == low && other.count > 0 {
            *self = other;
        }
    }
}

/// The values of rank `ranks[s]` (0-based, among all paths) of every series
/// `s`, each series being `series(chunk, s)` of every chunk, with `rerun`
/// giving chunk `c` again for pass `pass` (`chunks` of them in all; the
/// pilot runs its chunks as pass 1). `first` sees every chunk of the first
/// pass (in no particular order). The first pass also collects when the
/// pilot expects at most `first_collect.0` values in its brackets, at most
/// `first_collect.1` a group ([`FIRST_COLLECT`]). Also returns the number
/// of passes.
pub(super) fn order_statistics(
    ranks: &[Vec<u64>],
    (paths, chunks): (u64, u32),
    series: fn(&Chunk, usize) -> &[f64],
    rerun: &(dyn Fn(u32, usize) -> Chunk + Sync),
    first: ChunkHook<'_>,
    first_collect: (usize, usize),
) -> (Vec<Vec<f64>>, usize) {
    let (low, high) = PILOT_CHUNKS;
    let pilot_chunks = (chunks / 16).clamp(low, high).min(chunks);
    let (brackets, expected) = pilot(ranks, paths, pilot_chunks, series, rerun);
    let collect_first = expected <= first_collect.0 as f64;
    let mut wanted: Vec<Wanted> = ranks
        .iter()
        .zip(brackets)
        .flat_map(|(rs, probes)| {
            rs.iter().zip(probes).map(|(&rank, probe)| Wanted {
                probe,
                rank,
                count: None,
                value: None,
            })
        })
        .collect();
    let mut pass = 0;
    while pass == 0 || wanted.iter().any(|w| w.value.is_none()) {
        // The distinct probes of the open ranks: splitting or collecting.
        let (mut split, mut collect) = (Vec::new(), Vec::new());
        for w in wanted.iter().filter(|w| w.value.is_none()) {
            let list = match w.count {
                Some(n) if n <= COLLECT => &mut collect,
                _ => &mut split,
            };
            if !list.contains(&w.probe) {
                list.push(w.probe);
            }
        }
        let hook = (pass == 0).then_some(first);
        let bits = if pass == 0 { FIRST_BITS } else { BITS };
        let cap = (pass == 0 && collect_first).then_some(first_collect.1);
        let mut found = one_pass(
            (&split, &collect),
            (chunks, pass, bits),
            series,
            rerun,
            hook,
            cap,
        );
        let width = 1usize << bits;
        for w in wanted.iter_mut().filter(|w| w.value.is_none()) {
            if let Some(n) = split.iter().position(|p| *p == w.probe) {
                let hist = &found.hist[n * width..(n + 1) * width];
                let below = found.below[n];
                let within: u64 = hist.iter().map(|&c| u64::from(c)).sum();
                let [low, high] = found.ends[n];
                let kept = cap.is_some() && !found.full;
                if kept && w.rank >= below && w.rank - below < within {
                    // The first pass kept every value of the bracket.
                    let at = (w.rank - below) as usize;
                    let xs = &mut found.first[n];
                    w.value = Some(*xs.select_nth_unstable_by(at, f64::total_cmp).1);
                } else if w.rank < below {
                    // Only a pilot's bracket can miss: look below it.
                    w.probe = Probe {
                        hi: w.probe.lo.saturating_sub(1),
                        ..Probe::all(w.probe.series)
                    };
                    w.count = Some(below);
                } else if w.rank - below >= within {
                    w.probe = Probe {
                        lo: w.probe.hi.saturating_add(1),
                        ..Probe::all(w.probe.series)
                    };
                    w.count = Some(paths - below - within);
                } else if w.rank - below < low.count {
                    w.value = Some(value_of(low.key));
                } else if w.rank - below >= within - high.count.min(within) {
                    w.value = Some(value_of(high.key));
                } else {
                    narrow(w, below, hist, bits);
                }
            } else if let Some(n) = collect.iter().position(|p| *p == w.probe) {
                let mut xs = found.collected[n].clone();
                let below = found.below[split.len() + n];
                w.value = Some(if xs.is_empty() {
                    0.0
                } else {
                    let at = (w.rank.saturating_sub(below) as usize).min(xs.len() - 1);
                    *xs.select_nth_unstable_by(at, f64::total_cmp).1
                });
            }
        }
        pass += 1;
    }
    let mut out: Vec<Vec<f64>> = ranks.iter().map(|r| Vec::with_capacity(r.len())).collect();
    for w in wanted {
        out[w.probe.series].push(w.value.unwrap_or(0.0));
    }
    (out, pass)
}

/// Per series, per wanted rank, the bracket the first `pilot` chunks give:
/// the keys from the pilot's quantile [`PILOT_Z`] standard errors (and one
/// pilot value) below the rank's to as far above it, within the pilot's
/// smallest and largest values; and how many values of the whole run the
/// pilot expects within the brackets, in all.
fn pilot(
    ranks: &[Vec<u64>],
    paths: u64,
    pilot: u32,
    series: fn(&Chunk, usize) -> &[f64],
    rerun: &(dyn Fn(u32, usize) -> Chunk + Sync),
) -> (Vec<Vec<Probe>>, f64) {
    let runs: Vec<Chunk> = (0..pilot).into_par_iter().map(|c| rerun(c, 1)).collect();
    let mut share = 0.0;
    let brackets = ranks
        .iter()
        .enumerate()
        .map(|(s, rs)| {
            let mut keys: Vec<u64> = runs
                .iter()
                .flat_map(|c| series(c, s))
                .map(|&x| key(x))
                .collect();
            keys.sort_unstable();
            let n = keys.len() as f64;
            rs.iter()
                .map(|&rank| {
                    if keys.is_empty() || paths == 0 {
                        share += 1.0;
                        return Probe::all(s);
                    }
                    let q = (rank as f64 + 0.5) / paths as f64;
                    let reach = PILOT_Z * (q * (1.0 - q) / n).sqrt() + 1.0 / n;
                    // Within the pilot's values: the rank lies beyond them
                    // only when it is within a few pilot values of the end.
                    let at = |q: f64| keys[((q * n).floor().max(0.0) as usize).min(keys.len() - 1)];
                    let (lo, hi) = (at(q - reach), at(q + reach));
                    let within =
                        keys.partition_point(|&k| k <= hi) - keys.partition_point(|&k| k < lo);
                    share += within as f64 / n;
                    Probe {
                        series: s,
                        lo,
                        hi,
                        linear: true,
                    }
                })
                .collect()
        })
        .collect();
    (brackets, share * paths as f64)
}

/// Moves `w` into the bucket of `hist` (`2^bits` buckets) that holds its
/// rank, `below` values lying under its probe.
fn narrow(w: &mut Wanted, below: u64, hist: &[u32], bits: u32) {
    let buckets = w.probe.buckets(bits);
    let mut under = below;
    for (b, n) in hist.iter().enumerate() {
        let n = u64::from(*n);
        if under + n > w.rank {
            w.probe = w.probe.part(b, buckets);
            w.count = Some(n);
            if w.probe.lo == w.probe.hi {
                w.value = Some(value_of(w.probe.lo));
            }
            return;
        }
        under += n;
    }
    // Unreachable with consistent counts; answer rather than loop.
    w.value = Some(value_of(w.probe.lo));
}

/// Runs every chunk once, counting the values below every probe, building
/// the histograms (`2^bits` buckets) of the `split` probes and the values of
/// the `collect` probes, and showing each chunk to `hook`. With a `cap`,
/// also keeps the values within every `split` probe, at most `cap` for each
/// group of chunks (past it, none, and `full` is set).
fn one_pass(
    (split, collect): (&[Probe], &[Probe]),
    (chunks, pass, bits): (u32, usize, u32),
    series: fn(&Chunk, usize) -> &[f64],
    rerun: &(dyn Fn(u32, usize) -> Chunk + Sync),
    hook: Option<ChunkHook<'_>>,
    cap: Option<usize>,
) -> Found {
    // Per series, the probes that look at it: (slot in `below`, its
    // histogram's slot when splitting, its buckets).
    let n_series = split
        .iter()
        .chain(collect)
        .map(|p| p.series + 1)
        .max()
        .unwrap_or(0);
    let mut by_series: Vec<Vec<(usize, Option<usize>, Buckets)>> = vec![Vec::new(); n_series];
    for (slot, p) in split.iter().enumerate() {
        by_series[p.series].push((slot, Some(slot), p.buckets(bits)));
    }
    for (slot, p) in collect.iter().enumerate() {
        by_series[p.series].push((split.len() + slot, None, p.buckets(bits)));
    }
    let probe = |slot: usize| {
        if slot < split.len() {
            &split[slot]
        } else {
            &collect[slot - split.len()]
        }
    };
    let empty = || Found {
        below: vec![0; split.len() + collect.len()],
        hist: vec![0; split.len() << bits],
        ends: vec![[Extreme::LOW, Extreme::HIGH]; split.len()],
        collected: vec![Vec::new(); collect.len()],
        first: vec![Vec::new(); if cap.is_some() { split.len() } else { 0 }],
        first_count: 0,
        full: false,
    };
    let per_group = (chunks as usize).div_ceil(GROUPS).max(1);
    (0..chunks)
        .into_par_iter()
        .with_min_len(per_group)
        .fold(empty, |mut f, c| {
            let chunk = rerun(c, pass);
            if let Some(h) = hook {
                h(c, &chunk);
            }
            for (s, probes) in by_series.iter().enumerate() {
                if probes.is_empty() {
                    continue;
                }
                for &x in series(&chunk, s) {
                    let k = key(x);
                    for &(slot, splitting, buckets) in probes {
                        let p = probe(slot);
                        if k < p.lo {
                            f.below[slot] += 1;
                        } else if k <= p.hi {
                            match splitting {
                                Some(h) => {
                                    f.hist[(h << bits) + buckets.of(k, x)] += 1;
                                    let [low, high] = &mut f.ends[h];
                                    low.see(k, true);
                                    high.see(k, false);
                                    if let Some(cap) = cap.filter(|_| !f.full) {
                                        f.first[h].push(x);
                                        f.first_count += 1;
                                        if f.first_count > cap {
                                            f.full = true;
                                            f.first = vec![Vec::new(); split.len()];
                                        }
                                    }
                                }
                                None => f.collected[slot - split.len()].push(x),
                            }
                        }
                    }
                }
            }
            f
        })
        .reduce(empty, |mut a, b| {
            for (x, y) in a.below.iter_mut().zip(&b.below) {
                *x += y;
            }
            for (x, y) in a.hist.iter_mut().zip(&b.hist) {
                *x += y;
            }
            for (x, y) in a.ends.iter_mut().zip(&b.ends) {
                x[0].merge(y[0], true);
                x[1].merge(y[1], false);
            }
            for (x, y) in a.collected.iter_mut().zip(b.collected) {
                x.extend(y);
            }
            a.full |= b.full;
            if a.full {
                a.first = vec![Vec::new(); a.first.len()];
            } else {
                for (x, y) in a.first.iter_mut().zip(b.first) {
                    x.extend(y);
                }
            }
            a
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk of 128 values (one series) from `f(path)`.
    fn chunk_of(c: u32, f: &(dyn Fn(u64) -> f64 + Sync)) -> Chunk {
        let first = u64::from(c) * 128;
        Chunk {
            len: 128,
            value: (first..first + 128).map(f).collect(),
            income: Vec::new(),
            paid: Vec::new(),
            depleted: Vec::new(),
            years_to_goal: Vec::new(),
        }
    }

    fn values(c: &Chunk, _: usize) -> &[f64] {
        &c.value
    }

    /// Every rank of interest found by passes is the value a full sort puts
    /// there, bit for bit, for `chunks` chunks of `f`: without collecting in
    /// the first pass, collecting in it, and with a cap the first pass
    /// passes. Returns the passes each took.
    fn agrees_with_a_sort(chunks: u32, f: &(dyn Fn(u64) -> f64 + Sync)) -> [usize; 3] {
        ranks_agree_with_a_sort(
            chunks,
            f,
            &[0.0, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1.0],
        )
    }

    /// [`agrees_with_a_sort`] for the ranks at the fractions `qs` of the paths.
    fn ranks_agree_with_a_sort(
        chunks: u32,
        f: &(dyn Fn(u64) -> f64 + Sync),
        qs: &[f64],
    ) -> [usize; 3] {
        let paths = u64::from(chunks) * 128;
        let mut all: Vec<f64> = (0..paths).map(f).collect();
        all.sort_by(f64::total_cmp);
        let ranks: Vec<u64> = qs
            .iter()
            .map(|q| ((q * paths as f64) as u64).min(paths - 1))
            .collect();
        let want: Vec<u64> = ranks.iter().map(|&r| all[r as usize].to_bits()).collect();
        // Never; always, with room for every value; always, with room for 40
        // values a group.
        [(0, 0), (usize::MAX, usize::MAX), (usize::MAX, 40)].map(|first_collect| {
            let seen = std::sync::atomic::AtomicU32::new(0);
            let (found, passes) = order_statistics(
                std::slice::from_ref(&ranks),
                (paths, chunks),
                values,
                &|c, _| chunk_of(c, f),
                &|_, _| {
                    seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                },
                first_collect,
            );
            let got: Vec<u64> = found[0].iter().map(|x| x.to_bits()).collect();
            assert_eq!(
                got, want,
                "ranks {ranks:?}, first_collect {first_collect:?}"
            );
            // The first pass shows every chunk once; the pilot shows none.
            assert_eq!(seen.into_inner(), chunks);
            passes
        })
    }

    /// Spread values, values of both signs around zero, a mass of equal
    /// values, infinities and signed zeros.
    #[test]
    fn ranks_found_by_passes_equal_a_full_sort() {
        let spread = |p: u64| (p.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64 * 1e-3;
        agrees_with_a_sort(40, &spread);
        // The five percentiles: collecting in the first pass answers there;
        // past the cap it cannot, and the passes go on as without it.
        let [without, with, capped] =
            ranks_agree_with_a_sort(40, &spread, &[0.05, 0.25, 0.5, 0.75, 0.95]);
        assert!(without > 1, "{without}");
        assert_eq!(with, 1);
        assert_eq!(capped, without);
        agrees_with_a_sort(40, &|p| spread(p) - 4e12);
        agrees_with_a_sort(40, &|p| if p % 3 == 0 { 0.0 } else { spread(p) });
        agrees_with_a_sort(20, &|p| match p % 7 {
            0 => f64::INFINITY,
            1 => f64::NEG_INFINITY,
            2 => -0.0,
            3 => 0.0,
            _ => spread(p),
        });
        agrees_with_a_sort(12, &|_| 42.5);
    }

    /// The pilot's chunks (the first eight) are unlike the rest, so its
    /// brackets miss: the ranks are still found exactly, beside them.
    #[test]
    fn a_pilot_that_misses_still_gives_the_exact_ranks() {
        let spread = |p: u64| (p.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64;
        agrees_with_a_sort(60, &|p| {
            if p < 1024 {
                spread(p) * 1e-9
            } else {
                spread(p)
            }
        });
        agrees_with_a_sort(60, &|p| {
            if p < 1024 {
                spread(p) + 1e30
            } else {
                spread(p)
            }
        });
        agrees_with_a_sort(60, &|p| if p < 1024 { 7.0 } else { spread(p) - 1e15 });
    }

    /// The keys sort as `total_cmp` does, and map back.
    #[test]
    fn keys_keep_the_order_of_the_values() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.5,
            -0.0,
            0.0,
            1e-300,
            1.0,
            1.0000000000000002,
            3e10,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} < {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(value_of(key(x)).to_bits(), x.to_bits());
        }
    }
}
