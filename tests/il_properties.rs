//! Property tests for the impermanent-loss maths: the invariants any correct
//! IL function has, checked over random prices, weights and ranges.

use proptest::prelude::*;
use yieldplan::engine::il::{
    Pool, concentrated_in_range, expected_il, expected_il_constant_product, expected_il_weighted,
    impermanent_loss,
};

fn ratio() -> impl Strategy<Value = f64> {
    // Price ratios from 1/1000 to 1000, log-uniform.
    (-6.9f64..6.9).prop_map(f64::exp)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn il_is_never_positive(r in ratio(), w in 0.01f64..0.99, lo in 0.01f64..0.99, hi in 1.01f64..100.0, amp in 0.0f64..5000.0) {
        for pool in [
            Pool::ConstantProduct,
            Pool::Weighted { weight: w },
            Pool::Concentrated { lower: lo, upper: hi },
            Pool::Stable { amplification: amp },
        ] {
            let il = impermanent_loss(&pool, r).unwrap();
            prop_assert!(il <= 1e-12, "{pool:?} at {r}: {il}");
            prop_assert!(il >= -1.0, "{pool:?} at {r}: {il}");
        }
    }

    #[test]
    fn constant_product_is_symmetric(r in ratio()) {
        let a = impermanent_loss(&Pool::ConstantProduct, r).unwrap();
        let b = impermanent_loss(&Pool::ConstantProduct, 1.0 / r).unwrap();
        prop_assert!((a - b).abs() < 1e-12);
    }

    #[test]
    fn weighted_is_symmetric_in_ratio_and_weight(r in ratio(), w in 0.01f64..0.99) {
        let a = impermanent_loss(&Pool::Weighted { weight: w }, r).unwrap();
        let b = impermanent_loss(&Pool::Weighted { weight: 1.0 - w }, 1.0 / r).unwrap();
        prop_assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn concentrated_matches_its_closed_form_in_range(lo in 0.05f64..0.99, hi in 1.01f64..20.0, t in 0.0f64..1.0) {
        let k = lo + (hi - lo) * t;
        let pool = Pool::Concentrated { lower: lo, upper: hi };
        let exact = impermanent_loss(&pool, k).unwrap();
        let closed = concentrated_in_range(lo, hi, k).unwrap();
        prop_assert!((exact - closed).abs() < 1e-12);
    }

    #[test]
    fn concentrated_is_continuous_at_its_bounds(lo in 0.05f64..0.99, hi in 1.01f64..20.0) {
        let pool = Pool::Concentrated { lower: lo, upper: hi };
        for bound in [lo, hi] {
            let below = pool.impermanent_loss(bound * (1.0 - 1e-9));
            let above = pool.impermanent_loss(bound * (1.0 + 1e-9));
            prop_assert!((below - above).abs() < 1e-6, "jump at {bound}: {below} vs {above}");
        }
    }

    #[test]
    fn a_symmetric_range_loses_at_least_as_much_as_constant_product(width in 1.01f64..50.0, r in ratio()) {
        let narrow = impermanent_loss(&Pool::Concentrated { lower: 1.0 / width, upper: width }, r).unwrap();
        let wide = impermanent_loss(&Pool::ConstantProduct, r).unwrap();
        prop_assert!(narrow <= wide + 1e-12);
    }

    #[test]
    fn numerical_expected_il_equals_the_closed_forms(sigma in 0.0f64..2.0, years in 0.0f64..3.0, w in 0.05f64..0.95) {
        let cp = expected_il(&Pool::ConstantProduct, sigma, years).unwrap();
        prop_assert!((cp - expected_il_constant_product(sigma, years)).abs() < 1e-9);
        let weighted = expected_il(&Pool::Weighted { weight: w }, sigma, years).unwrap();
        prop_assert!((weighted - expected_il_weighted(w, sigma, years)).abs() < 1e-9);
    }

    #[test]
    fn expected_il_grows_with_volatility(s1 in 0.0f64..1.5, ds in 0.01f64..1.0) {
        for pool in [Pool::ConstantProduct, Pool::Concentrated { lower: 0.8, upper: 1.25 }] {
            let a = expected_il(&pool, s1, 1.0).unwrap();
            let b = expected_il(&pool, s1 + ds, 1.0).unwrap();
            prop_assert!(b <= a + 1e-12, "{pool:?}: {a} then {b}");
        }
    }
}
