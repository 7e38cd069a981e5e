//! Exact order statistics of every yearly series (value and income per
//! year) of a run too large to keep: the paths are run again, pass after
//! pass, and each pass narrows where each wanted rank lies.
//!
//! A value's sort key is its bit pattern made monotone (the order of
//! `f64::total_cmp`). The first pass counts, for every series, the values
//! by the top 12 bits of their key; the bucket holding a wanted rank is then
//! split by the next 12 bits among the values that share its prefix, and so
//! on; once a bucket holds few values they are collected and the rank is
//! selected among them. Every path draws the same numbers in every pass
//! (`stream`), so the result is exactly the order statistic a sort of all
//! the values would give, while memory holds only counts: it does not grow
//! with the number of paths. Counts are integers and a rank among collected
//! values does not depend on their order, so the result does not depend on
//! the number of threads either.

use rayon::prelude::*;

use super::path::Chunk;

/// Key bits resolved per pass.
const BITS: u32 = 12;
/// Buckets of a pass's histogram.
const BUCKETS: usize = 1 << BITS;
/// A bucket with at most this many values is collected rather than split
/// (few in the tests, so that they split buckets several times).
const COLLECT: u64 = if cfg!(test) { 16 } else { 4096 };
/// At most this many accumulators per pass (each the size of the pass's
/// histograms), whatever the number of threads.
const GROUPS: usize = 8;

/// The sort key of `x`: unsigned, in the order of `f64::total_cmp`.
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The value whose sort key is `k`.
fn value_of(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Sees each chunk of a pass, with its number.
type ChunkHook<'a> = &'a (dyn Fn(u32, &Chunk) + Sync);

/// A set of values of one series: those whose sort keys start with `prefix`'s
/// high `bits` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Probe {
    /// Index of the series.
    series: usize,
    /// The known high bits of the keys (the rest zero).
    prefix: u64,
    /// How many high bits of the key are known.
    bits: u32,
}

impl Probe {
    /// True when `k` shares the known prefix.
    fn holds(&self, k: u64) -> bool {
        self.bits == 0 || k >> (64 - self.bits) == self.prefix >> (64 - self.bits)
    }

    /// How many key bits a pass resolves.
    fn width(&self) -> u32 {
        BITS.min(64 - self.bits)
    }

    /// The bucket of `k` among the next `width` bits.
    fn bucket(&self, k: u64) -> usize {
        ((k << self.bits) >> (64 - self.width())) as usize
    }
}

/// One wanted rank of one series, and how far it is resolved.
#[derive(Clone, Debug)]
struct Wanted {
    /// The values that still hold the rank.
    probe: Probe,
    /// The rank among them (0-based).
    rank: u64,
    /// How many they are.
    count: u64,
    /// The answer, once known.
    value: Option<f64>,
}

/// What one group of chunks found in a pass: a histogram per splitting
/// probe, the values of each collecting probe.
struct Found {
    hist: Vec<u32>,
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
/// giving chunk `c` again for pass `pass` (`chunks` of them in all). `first`
/// sees every chunk of the first pass (in no particular order).
pub(super) fn order_statistics(
    ranks: &[Vec<u64>],
    paths: u64,
    chunks: u32,
    series: fn(&Chunk, usize) -> &[f64],
    rerun: &(dyn Fn(u32, usize) -> Chunk + Sync),
    first: ChunkHook<'_>,
) -> Vec<Vec<f64>> {
    let mut wanted: Vec<Wanted> = ranks
        .iter()
        .enumerate()
        .flat_map(|(series, rs)| {
            rs.iter().map(move |&rank| Wanted {
                probe: Probe {
                    series,
                    prefix: 0,
                    bits: 0,
                },
                rank,
                count: paths,
                value: None,
            })
        })
        .collect();
    let mut pass = 0;
    while pass == 0 || wanted.iter().any(|w| w.value.is_none()) {
        // The distinct probes of the open ranks: splitting or collecting.
        let (mut split, mut collect) = (Vec::new(), Vec::new());
        for w in wanted.iter().filter(|w| w.value.is_none()) {
            let list = if w.count <= COLLECT {
                &mut collect
            } else {
                &mut split
            };
            if !list.contains(&w.probe) {
                list.push(w.probe);
            }
        }
        let hook = (pass == 0).then_some(first);
        let found = one_pass(&split, &collect, (chunks, pass), series, rerun, hook);
        for w in wanted.iter_mut().filter(|w| w.value.is_none()) {
            if let Some(n) = split.iter().position(|p| *p == w.probe) {
                let [low, high] = found.ends[n];
                if w.rank < low.count {
                    w.value = Some(value_of(low.key));
                } else if w.rank >= w.count - high.count.min(w.count) {
                    w.value = Some(value_of(high.key));
                } else {
                    narrow(w, &found.hist[n * BUCKETS..(n + 1) * BUCKETS]);
                }
            } else if let Some(n) = collect.iter().position(|p| *p == w.probe) {
                let mut xs = found.collected[n].clone();
                w.value = Some(if xs.is_empty() {
                    0.0
                } else {
                    let at = (w.rank as usize).min(xs.len() - 1);
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
    out
}

/// Moves `w` into the bucket of `hist` that holds its rank.
fn narrow(w: &mut Wanted, hist: &[u32]) {
    let p = &mut w.probe;
    let width = p.width();
    let mut below = 0u64;
    for (b, n) in hist.iter().enumerate().take(1 << width) {
        let n = u64::from(*n);
        if below + n > w.rank {
            p.prefix |= (b as u64) << (64 - p.bits - width);
            p.bits += width;
            w.rank -= below;
            w.count = n;
            if p.bits == 64 {
                w.value = Some(value_of(p.prefix));
            }
            return;
        }
        below += n;
    }
    // Unreachable with consistent counts; answer rather than loop.
    w.value = Some(value_of(p.prefix));
}

/// Runs every chunk once, building the histograms of the `split` probes and
/// the values of the `collect` probes, and showing each chunk to `hook`.
fn one_pass(
    split: &[Probe],
    collect: &[Probe],
    (chunks, pass): (u32, usize),
    series: fn(&Chunk, usize) -> &[f64],
    rerun: &(dyn Fn(u32, usize) -> Chunk + Sync),
    hook: Option<ChunkHook<'_>>,
) -> Found {
    // Per series, the probes that look at it: (is split, slot).
    let n_series = split
        .iter()
        .chain(collect)
        .map(|p| p.series + 1)
        .max()
        .unwrap_or(0);
    let mut by_series: Vec<Vec<(bool, usize)>> = vec![Vec::new(); n_series];
    for (slot, p) in split.iter().enumerate() {
        by_series[p.series].push((true, slot));
    }
    for (slot, p) in collect.iter().enumerate() {
        by_series[p.series].push((false, slot));
    }
    let empty = || Found {
        hist: vec![0; split.len() * BUCKETS],
        ends: vec![[Extreme::LOW, Extreme::HIGH]; split.len()],
        collected: vec![Vec::new(); collect.len()],
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
                    for &(is_split, slot) in probes {
                        if is_split {
                            let p = &split[slot];
                            if p.holds(k) {
                                f.hist[slot * BUCKETS + p.bucket(k)] += 1;
                                let [low, high] = &mut f.ends[slot];
                                low.see(k, true);
                                high.see(k, false);
                            }
                        } else if collect[slot].holds(k) {
                            f.collected[slot].push(x);
                        }
                    }
                }
            }
            f
        })
        .reduce(empty, |mut a, b| {
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
            a
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
