//! Exact splitting of whole cents by the largest-remainder method.
//!
//! Splitting 100.00 three ways by weight must give amounts that add up to
//! 100.00 exactly. Each part first gets the whole cents of its exact share; the
//! cents left over go one each to the parts with the largest fractional
//! remainders (earlier parts first on ties), so the split is deterministic.
//! Knows nothing about portfolios: it splits numbers.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Splits `total` whole cents in proportion to `shares` (any non-negative
/// numbers, not all zero). The result has one entry per share and sums to `total`.
/// With no shares, or shares summing to zero, everything is zero.
#[must_use]
pub fn split_cents(total: Decimal, shares: &[Decimal]) -> Vec<Decimal> {
    let sum: Decimal = shares.iter().copied().sum();
    if shares.is_empty() || sum <= Decimal::ZERO {
        return vec![Decimal::ZERO; shares.len()];
    }
    let exact: Vec<Decimal> = shares.iter().map(|s| total * *s / sum).collect();
    let mut parts: Vec<Decimal> = exact.iter().map(Decimal::floor).collect();
    let given: Decimal = parts.iter().copied().sum();
    let mut left = (total - given).to_usize().unwrap_or(0);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - parts[b])
            .cmp(&(exact[a] - parts[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += Decimal::ONE;
        left -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: i64) -> Decimal {
        Decimal::from(x)
    }

    #[test]
    fn thirds_of_a_hundred_dollars() {
        let parts = split_cents(d(10_000), &[d(1), d(1), d(1)]);
        assert_eq!(parts, vec![d(3334), d(3333), d(3333)]);
    }

    #[test]
    fn largest_remainder_wins_the_extra_cent() {
        // 1.01 split 0.2 / 0.8: exact 20.2 and 80.8 cents → 20 and 81.
        let parts = split_cents(d(101), &[Decimal::new(2, 1), Decimal::new(8, 1)]);
        assert_eq!(parts, vec![d(20), d(81)]);
    }

    #[test]
    fn zero_shares_give_zero() {
        assert_eq!(split_cents(d(100), &[d(0), d(0)]), vec![d(0), d(0)]);
        assert!(split_cents(d(100), &[]).is_empty());
    }
}
