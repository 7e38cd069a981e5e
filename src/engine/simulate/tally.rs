//! What a simulation's report counts and sums over its paths, a chunk of
//! paths at a time: goal paid per year and in every year, depletion, years
//! to the goal, and the sums behind the yearly means. Counts are exact
//! integers; sums are added in chunk order (each chunk in path order), so
//! they do not depend on the number of threads, nor on whether the paths
//! were kept in memory.

use super::path::Chunk;

/// The tally of one chunk of paths, or of all of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Tally {
    /// Paths counted.
    pub(super) paths: u64,
    /// Sum of each series over the paths: the value of year 1..=years, then
    /// the gross income of year 1..=years.
    pub(super) sums: Vec<f64>,
    /// The least and the greatest of each series over the paths (the same
    /// order as `sums`): the mean lies between them.
    pub(super) lows: Vec<f64>,
    pub(super) highs: Vec<f64>,
    /// Paths that paid the goal in full, per income-phase year.
    pub(super) paid_by_year: Vec<u64>,
    /// Paths that paid the goal in full in every income-phase year.
    pub(super) always_paid: u64,
    /// Paths whose capital ran out.
    pub(super) depleted: u64,
    /// Paths by whole years to the goal (index `years`: at the horizon's end;
    /// `years + 1`: never within the horizon).
    pub(super) years_to_goal: Vec<u64>,
}

impl Tally {
    /// The tally of one chunk's paths over `years` years.
    pub(super) fn of(c: &Chunk, years: u32) -> Tally {
        let years = years as usize;
        let phase_years = c.paid.len() / c.len.max(1);
        let rows = || {
            (0..years)
                .map(|y| &c.value[y * c.len..(y + 1) * c.len])
                .chain((0..years).map(|y| &c.income[y * c.len..(y + 1) * c.len]))
        };
        let rows: Vec<&[f64]> = rows().collect();
        let (mut sums, mut lows, mut highs) = (Vec::new(), Vec::new(), Vec::new());
        // One pass a series: the sum in path order (from −0, as
        // `Iterator::sum` adds), the least and the greatest. Four series run
        // side by side: each sum is still its own chain in path order, but
        // the four chains' additions overlap instead of waiting on one
        // another.
        for group in rows.chunks(4) {
            let mut sum = [-0.0; 4];
            let mut low = [f64::INFINITY; 4];
            let mut high = [f64::NEG_INFINITY; 4];
            if let [a, b, c, d] = group {
                for (((&a, &b), &c), &d) in a.iter().zip(*b).zip(*c).zip(*d) {
                    for (k, x) in [a, b, c, d].into_iter().enumerate() {
                        sum[k] += x;
                        low[k] = low[k].min(x);
                        high[k] = high[k].max(x);
                    }
                }
            } else {
                for (k, r) in group.iter().enumerate() {
                    for &x in *r {
                        sum[k] += x;
                        low[k] = low[k].min(x);
                        high[k] = high[k].max(x);
                    }
                }
            }
            sums.extend_from_slice(&sum[..group.len()]);
            lows.extend_from_slice(&low[..group.len()]);
            highs.extend_from_slice(&high[..group.len()]);
        }
        let paid_by_year = (0..phase_years)
            .map(|k| {
                c.paid[k * c.len..(k + 1) * c.len]
                    .iter()
                    .filter(|ok| **ok)
                    .count() as u64
            })
            .collect();
        let mut every_year = vec![true; c.len];
        for year in c.paid.chunks_exact(c.len.max(1)) {
            for (all, &paid) in every_year.iter_mut().zip(year) {
                *all &= paid;
            }
        }
        let always_paid = every_year.iter().filter(|all| **all).count() as u64;
        // Buckets 0 ..= years (the horizon's end included), then "never".
        let mut years_to_goal = vec![0; years + 2];
        for y in &c.years_to_goal {
            years_to_goal[(*y as usize).min(years + 1)] += 1;
        }
        Tally {
            paths: c.len as u64,
            sums,
            lows,
            highs,
            paid_by_year,
            always_paid,
            depleted: c.depleted.iter().filter(|d| **d).count() as u64,
            years_to_goal,
        }
    }

    /// Adds `other`, the tally of the paths that follow this one's.
    pub(super) fn add(&mut self, other: &Tally) {
        fn add_all<T: Copy + std::ops::AddAssign>(to: &mut Vec<T>, from: &[T]) {
            if to.is_empty() {
                to.extend_from_slice(from);
            } else {
                for (a, b) in to.iter_mut().zip(from) {
                    *a += *b;
                }
            }
        }
        fn keep<T: Copy>(to: &mut Vec<T>, from: &[T], pick: fn(T, T) -> T) {
            if to.is_empty() {
                to.extend_from_slice(from);
            } else {
                for (a, b) in to.iter_mut().zip(from) {
                    *a = pick(*a, *b);
                }
            }
        }
        self.paths += other.paths;
        add_all(&mut self.sums, &other.sums);
        keep(&mut self.lows, &other.lows, f64::min);
        keep(&mut self.highs, &other.highs, f64::max);
        add_all(&mut self.paid_by_year, &other.paid_by_year);
        add_all(&mut self.years_to_goal, &other.years_to_goal);
        self.always_paid += other.always_paid;
        self.depleted += other.depleted;
    }

    /// The mean of series `i` over the paths (0 when there is none): the sum
    /// over the count, held between the least and the greatest value, so
    /// that paths all at one value have exactly that mean (the division
    /// would otherwise leave a rounding residue, 99999.9899000002 for
    /// 99999.9899).
    pub(super) fn mean(&self, i: usize) -> f64 {
        let Some(sum) = self.sums.get(i) else {
            return 0.0;
        };
        let mean = sum / self.paths.max(1) as f64;
        match (self.lows.get(i), self.highs.get(i)) {
            (Some(&low), Some(&high)) if low <= high => mean.clamp(low, high),
            _ => mean,
        }
    }

    /// The sum of tallies given in path order.
    pub(super) fn total<'a>(tallies: impl IntoIterator<Item = &'a Tally>) -> Tally {
        let mut all = Tally::default();
        for t in tallies {
            all.add(t);
        }
        all
    }

    /// The median of the paths' years to the goal (the path at rank
    /// `paths / 2`); `None` when that path does not get there within the horizon.
    pub(super) fn median_years_to_goal(&self) -> Option<u32> {
        let rank = self.paths / 2;
        let mut below = 0;
        for (y, n) in self.years_to_goal.iter().enumerate() {
            below += n;
            if below > rank {
                return (y + 1 < self.years_to_goal.len()).then_some(y as u32);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four series summed side by side give, bit for bit, each series
    /// summed alone in path order (from −0), with its least and greatest,
    /// for any number of years (groups of four and what is left).
    #[test]
    fn series_summed_side_by_side_match_each_summed_alone() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Values of many magnitudes and both signs: sums that depend
            // on the order of their additions.
            let magnitude = 10f64.powi((state % 24) as i32 - 8);
            let sign = if state >> 63 == 1 { -1.0 } else { 1.0 };
            sign * magnitude * ((state >> 12) % 10_000) as f64
        };
        for years in 1..=7u32 {
            for len in [1usize, 3, 130] {
                let cells = years as usize * len;
                let chunk = Chunk {
                    len,
                    value: (0..cells).map(|_| next()).collect(),
                    income: (0..cells).map(|_| next()).collect(),
                    paid: Vec::new(),
                    depleted: vec![false; len],
                    years_to_goal: vec![u32::MAX; len],
                };
                let tally = Tally::of(&chunk, years);
                let series = chunk.value.chunks(len).chain(chunk.income.chunks(len));
                for (i, r) in series.enumerate() {
                    let sum: f64 = r.iter().sum();
                    let low = r.iter().copied().fold(f64::INFINITY, f64::min);
                    let high = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let at = format!("{years} years, {len} paths, series {i}");
                    assert_eq!(tally.sums[i].to_bits(), sum.to_bits(), "{at}: sum");
                    assert_eq!(tally.lows[i].to_bits(), low.to_bits(), "{at}: least");
                    assert_eq!(tally.highs[i].to_bits(), high.to_bits(), "{at}: greatest");
                }
                assert_eq!(tally.sums.len(), 2 * years as usize);
            }
        }
    }
}
