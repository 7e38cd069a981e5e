//! Unit tests of the impermanent-loss maths against domain.md §2 reference values.

use std::f64::consts::PI;

use super::*;

fn pct(x: f64) -> f64 {
    x * 100.0
}

/// Rounds to `dp` decimals, as the reference values are shown.
fn round(x: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (x * f).round() / f
}

#[test]
fn constant_product_reference_values() {
    // domain.md §2: r = 1.25, 1.5, 1.75, 2, 3, 4, 5.
    let cases = [
        (1.25, -0.62),
        (1.5, -2.02),
        (1.75, -3.79),
        (2.0, -5.72),
        (3.0, -13.40),
        (4.0, -20.00),
        (5.0, -25.46),
    ];
    for (r, want) in cases {
        let got = pct(impermanent_loss(&Pool::ConstantProduct, r).unwrap());
        assert_eq!(round(got, 2), want, "r = {r}");
    }
}

#[test]
fn weighted_reference_values() {
    // domain.md §2: w = 0.8: r = 1.5 → −1.2027%, r = 2 → −3.2722%.
    let pool = Pool::Weighted { weight: 0.8 };
    assert_eq!(round(pct(pool.impermanent_loss(1.5)), 4), -1.2027);
    assert_eq!(round(pct(pool.impermanent_loss(2.0)), 4), -3.2722);
}

#[test]
fn n_token_reference_values() {
    // Balancer's example: COMP ×2, WETH ×1.15.
    let even = weighted_n(&[2.0, 1.15], &[0.5, 0.5]).unwrap();
    assert_eq!(round(pct(even), 6), -3.709518);
    let heavy = weighted_n(&[2.0, 1.15], &[0.8, 0.2]).unwrap();
    assert_eq!(round(pct(heavy), 5), -2.16089);
}

#[test]
fn concentrated_reference_values() {
    // [0.5, 2], k = 1.2 → −1.4138%.
    let pool = Pool::Concentrated {
        lower: 0.5,
        upper: 2.0,
    };
    assert_eq!(round(pct(pool.impermanent_loss(1.2)), 4), -1.4138);
    // [1500, 3000] entered at 2000, price to 2500 → −3.8343%.
    let pool = Pool::Concentrated {
        lower: 0.75,
        upper: 1.5,
    };
    assert_eq!(round(pct(pool.impermanent_loss(1.25)), 4), -3.8343);
}

#[test]
fn concentrated_amounts_agree_with_the_closed_form_in_range() {
    for (a, b) in [(0.5, 2.0), (0.75, 1.5), (0.9, 1.2), (0.1, 30.0)] {
        let pool = Pool::Concentrated { lower: a, upper: b };
        for i in 0..=40 {
            let k = a + (b - a) * f64::from(i) / 40.0;
            let closed = concentrated_in_range(a, b, k).unwrap();
            assert!(
                (pool.impermanent_loss(k) - closed).abs() < 1e-12,
                "[{a},{b}] k={k}"
            );
        }
    }
    assert_eq!(concentrated_in_range(0.5, 2.0, 3.0), None);
}

#[test]
fn symmetric_range_amplifies_constant_product() {
    // [1/R, R] multiplies v2 IL by sqrt(R)/(sqrt(R) − 1): R = 2 → ×3.4142.
    let pool = Pool::Concentrated {
        lower: 0.5,
        upper: 2.0,
    };
    let factor = pool.impermanent_loss(1.3) / Pool::ConstantProduct.impermanent_loss(1.3);
    assert!((factor - 2f64.sqrt() / (2f64.sqrt() - 1.0)).abs() < 1e-12);
    assert_eq!(round(factor, 4), 3.4142);
}

#[test]
fn expected_il_reference_values() {
    // domain.md §2: σ = 0.5 → −3.0767%; 0.8 → −7.6884%; 1.0 → −11.7503%; σ = 0.8, T = 0.25 → −1.9801%.
    for (sigma, years, want) in [
        (0.5, 1.0, -3.0767),
        (0.8, 1.0, -7.6884),
        (1.0, 1.0, -11.7503),
        (0.8, 0.25, -1.9801),
    ] {
        assert_eq!(
            round(pct(expected_il_constant_product(sigma, years)), 4),
            want
        );
        let numeric = expected_il(&Pool::ConstantProduct, sigma, years).unwrap();
        assert_eq!(round(pct(numeric), 4), want);
    }
}

#[test]
fn ratio_volatility_reference_values() {
    // σ1 = σ2 = 0.8, ρ = 0.8 → 0.506 → E[IL] −3.149%.
    let s = ratio_volatility(0.8, 0.8, 0.8).unwrap();
    assert_eq!(round(s, 3), 0.506);
    assert_eq!(round(pct(expected_il_constant_product(s, 1.0)), 3), -3.149);
    // Against a stablecoin (σ2 = 0) the ratio volatility is σ1.
    assert_eq!(ratio_volatility(0.7, 0.0, 0.0).unwrap(), 0.7);
}

#[test]
fn numerical_expected_il_matches_the_closed_forms_to_1e9() {
    for sigma in [0.05, 0.2, 0.5, 0.8, 1.0, 1.5, 2.0] {
        for years in [0.25, 1.0, 2.0] {
            let spread = sigma * f64::sqrt(years);
            // Gauss–Hermite and composite Gauss–Legendre, both independent of
            // the closed forms the planner uses for smooth pools.
            let cp = super::expected::by_hermite(&Pool::ConstantProduct, spread);
            assert!(
                (cp - expected_il_constant_product(sigma, years)).abs() < 1e-9,
                "cp σ={sigma} T={years}"
            );
            let panels = super::expected::by_legendre_panels(&Pool::ConstantProduct, spread);
            assert!((panels - cp).abs() < 1e-9, "cp panels σ={sigma} T={years}");
            for w in [0.2, 0.5, 0.8] {
                let num = super::expected::by_hermite(&Pool::Weighted { weight: w }, spread);
                assert!(
                    (num - expected_il_weighted(w, sigma, years)).abs() < 1e-9,
                    "w={w} σ={sigma}"
                );
            }
            // A stable pool with A = 0 is constant product.
            let st = expected_il(&Pool::Stable { amplification: 0.0 }, sigma, years).unwrap();
            assert!((st - cp).abs() < 1e-9, "stable A=0 σ={sigma}");
        }
    }
}

#[test]
fn stable_pool_integral_matches_a_brute_force_sum() {
    // An independent trapezoid sum over z with 200,000 steps.
    for (amp, s) in [(100.0, 0.2), (2000.0, 0.05)] {
        let pool = Pool::Stable { amplification: amp };
        let (lo, hi, n) = (-12.0f64, 12.0 + s, 200_000);
        let h = (hi - lo) / f64::from(n);
        let mu = -0.5 * s * s;
        let sum: f64 = (0..=n)
            .map(|i| {
                let z = lo + h * f64::from(i);
                let (lp, hold) = pool.values((mu + s * z).exp());
                let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                w * (lp - hold) * (-0.5 * z * z).exp()
            })
            .sum::<f64>()
            * h
            / (2.0 * PI).sqrt();
        let q = expected_il(&pool, s, 1.0).unwrap();
        assert!((q - sum).abs() < 1e-8, "A={amp} s={s}: {q} vs {sum}");
    }
}

#[test]
fn wide_ranges_tend_to_constant_product() {
    let cp = Pool::ConstantProduct.impermanent_loss(2.0);
    let mut last = f64::NEG_INFINITY;
    for r in [4.0, 16.0, 256.0, 65536.0, 1e12] {
        let il = Pool::Concentrated {
            lower: 1.0 / r,
            upper: r,
        }
        .impermanent_loss(2.0);
        assert!(il > last && il <= cp + 1e-15);
        last = il;
    }
    assert!((last - cp).abs() < 1e-5);
}

#[test]
fn stable_pool_loses_little_at_the_peg_and_much_on_a_depeg() {
    let stable = Pool::Stable {
        amplification: DEFAULT_AMPLIFICATION,
    };
    assert!(stable.impermanent_loss(1.0).abs() < 1e-12);
    // A 0.1% wobble costs almost nothing...
    assert!(stable.impermanent_loss(0.999).abs() < 1e-4);
    // ...a 10% depeg leaves the pool holding mostly the cheap coin: close to
    // the constant-sum loss 2·0.9/1.9 − 1 = −5.26%, far beyond constant product.
    let depeg = stable.impermanent_loss(0.9);
    let cp = Pool::ConstantProduct.impermanent_loss(0.9);
    assert!(depeg < 10.0 * cp, "stable {depeg} vs cp {cp}");
    assert!(depeg > 2.0 * 0.9 / 1.9 - 1.0 - 1e-9);
}

#[test]
fn bad_inputs_are_errors() {
    assert_eq!(
        impermanent_loss(&Pool::ConstantProduct, 0.0),
        Err(IlError::Ratio(0.0))
    );
    assert!(impermanent_loss(&Pool::Weighted { weight: 1.0 }, 2.0).is_err());
    assert!(
        impermanent_loss(
            &Pool::Concentrated {
                lower: 1.1,
                upper: 2.0
            },
            2.0
        )
        .is_err()
    );
    assert!(expected_il(&Pool::ConstantProduct, -0.1, 1.0).is_err());
    assert!(ratio_volatility(0.5, 0.5, 1.5).is_err());
    assert!(weighted_n(&[1.0, 2.0], &[0.5, 0.4]).is_err());
}

/// A non-finite intermediate goes to its limit: the expected loss of a pool
/// whose price ratio swings wildly is −100%, never 0 (σ²T past ~750 once
/// turned it into 0), and it is answered at once for any spread.
#[test]
fn huge_volatility_goes_to_the_limit_of_minus_100_percent() {
    let pools = [
        Pool::ConstantProduct,
        Pool::Weighted { weight: 0.8 },
        Pool::Concentrated {
            lower: 0.5,
            upper: 2.0,
        },
        Pool::Stable {
            amplification: 100.0,
        },
    ];
    for pool in pools {
        for (sigma, years) in [(30.0, 1.0), (1e8, 1.0), (1.0, 1e20), (1e154, 1e10)] {
            let loss = expected_il(&pool, sigma, years).unwrap();
            assert!(
                (-1.0..-0.999_999).contains(&loss),
                "{pool:?} σ={sigma} T={years}: {loss}"
            );
        }
    }
    // The expectation falls monotonically toward the limit.
    let mut last = 0.0;
    for sigma in [0.5, 1.0, 2.0, 5.0, 10.0, 30.0] {
        let loss = expected_il(
            &Pool::Stable {
                amplification: 100.0,
            },
            sigma,
            1.0,
        )
        .unwrap();
        assert!(loss <= last + 1e-12, "σ={sigma}: {loss} after {last}");
        last = loss;
    }
}

/// Small losses keep their digits: the constant-product loss near `r = 1`
/// and the closed-form expected losses at small volatilities, against
/// values computed with mpmath at 40 digits from the same `f64` inputs, to
/// 14 significant digits (the textbook forms, which subtract 1, held 5 to
/// 11 of them here).
#[test]
// The reference values are written with the digits mpmath gave.
#[allow(clippy::excessive_precision)]
fn small_losses_keep_their_digits() {
    let close = |got: f64, want: f64, what: &str| {
        assert!(
            ((got - want) / want).abs() < 1e-14,
            "{what}: {got:e}, want {want:e}"
        );
    };
    let ratios = [
        (1.0001, -1.249_875_010_155_193_5e-9),
        (1.000_000_001, -1.250_000_205_600_935_7e-19),
        (0.9999, -1.250_125_010_156_756e-9),
        (2.0, -0.057_190_958_417_936_634),
        (0.25, -0.2),
        (4.0, -0.2),
        (1e-12, -0.999_998),
        (1e12, -0.999_998),
    ];
    for (r, want) in ratios {
        close(
            Pool::ConstantProduct.impermanent_loss(r),
            want,
            &format!("r = {r}"),
        );
    }
    let spreads = [
        (0.01, -1.249_992_187_532_552e-5),
        (0.0001, -1.249_999_999_218_750_1e-9),
        (0.7, -0.059_411_936_635_657_93),
        (3.0, -0.675_347_532_641_650_3),
    ];
    for (sigma, want) in spreads {
        close(
            expected_il_constant_product(sigma, 1.0),
            want,
            &format!("σ = {sigma}"),
        );
    }
    close(
        expected_il_weighted(0.8, 0.001, 1.0),
        -7.999_999_680_000_01e-8,
        "weighted, σ = 0.001",
    );
}

/// Weighted and concentrated losses keep their digits near `r = 1` and
/// hold them elsewhere: against mpmath at 50 digits from the same `f64`
/// inputs, to 1e-13 relative (the textbook `lp / hold − 1` held 6 or 7
/// digits at r = 1.0001).
#[test]
// The reference values are written with the digits mpmath gave; one ratio
// is e, where the series gives way to the closed form.
#[allow(clippy::excessive_precision, clippy::approx_constant)]
fn weighted_and_concentrated_losses_keep_their_digits() {
    let weighted = [
        (0.2, 0.01, -0.50360701925997851),
        (0.2, 0.5, -0.032721596337639847),
        (0.2, 0.9, -0.00086901799900327551),
        (0.2, 0.9999, -8.0006400464017198e-10),
        (0.2, 1.0001, -7.9993600463947571e-10),
        (0.2, 1.5, -0.014116571638455806),
        (0.2, 2.718281828459045, -0.09098576887156295),
        (0.2, 2.72, -0.091103330368885794),
        (0.2, 3.0, -0.1101921859889162),
        (0.2, 100.0, -0.87923622925434711),
        (0.5, 0.01, -0.80198019801980198),
        (0.5, 0.5, -0.057190958417936634),
        (0.5, 0.9, -0.0013860020520907366),
        (0.5, 0.9999, -1.2501250101567559e-9),
        (0.5, 1.0001, -1.2498750101551935e-9),
        (0.5, 1.5, -0.020204102886728761),
        (0.5, 2.718281828459045, -0.11318111602992608),
        (0.5, 2.72, -0.11331061814673968),
        (0.5, 3.0, -0.13397459621556135),
        (0.5, 100.0, -0.80198019801980198),
        (0.8, 0.01, -0.87923622925434711),
        (0.8, 0.5, -0.042751370835804155),
        (0.8, 0.9, -0.00090639256508526038),
        (0.8, 0.9999, -8.0009600944069154e-10),
        (0.8, 1.0001, -7.9990400943895592e-10),
        (0.8, 1.5, -0.01202723769814882),
        (0.8, 2.718281828459045, -0.062782336251475628),
        (0.8, 2.72, -0.062850911918601911),
        (0.8, 3.0, -0.073759736430503046),
        (0.8, 100.0, -0.50360701925997842),
        (0.99, 0.01, -0.47380474972316627),
        (0.99, 0.5, -0.0030143068745358355),
        (0.99, 0.9, -5.6887509293174931e-5),
        (0.99, 0.9999, -4.9506567733941466e-11),
        (0.99, 1.0001, -4.9493433733786081e-11),
        (0.99, 1.5, -0.00071549372776967843),
        (0.99, 2.718281828459045, -0.0036520459961056314),
        (0.99, 2.72, -0.0036560116464160741),
        (0.99, 3.0, -0.0042879152629153933),
        (0.99, 100.0, -0.035458452659897062),
    ];
    for (w, r, want) in weighted {
        let got = Pool::Weighted { weight: w }.impermanent_loss(r);
        assert!(
            ((got - want) / want).abs() < 1e-13,
            "w = {w}, r = {r}: {got:e}, want {want:e}"
        );
    }
    let concentrated = [
        (0.5, 2.0, 1.0001, -4.2673402109430716e-9),
        (0.5, 2.0, 0.9999, -4.2681937643389993e-9),
        (0.5, 2.0, 1.000001, -4.2677626845006948e-13),
        (0.5, 2.0, 0.75, -0.035018500703990657),
        (0.5, 2.0, 1.5, -0.068981122091450735),
        (0.9, 1.1, 1.0001, -2.5545744123161428e-8),
        (0.9, 1.1, 0.9999, -2.5550728990361729e-8),
        (0.9, 1.1, 1.000001, -2.5548211429874389e-12),
        (0.9, 1.1, 0.95, -0.0067114995018064718),
        (0.9, 1.1, 1.05, -0.0060874508149866054),
        (0.99, 1.01, 1.0001, -2.5059220572563884e-7),
        (0.99, 1.01, 0.9999, -2.5064220416886247e-7),
        (0.99, 1.01, 1.000001, -2.5061695288715363e-11),
        (0.99, 1.01, 0.995, -0.00062968062697305264),
        (0.99, 1.01, 1.005, -0.00062343072431860726),
        // Ranges a hair wide (which gave gains), by mpmath at 60 digits.
        (
            0.999_999_99,
            1.000_000_01,
            0.999_999_985,
            -5.000_000_106_373_797e-9,
        ),
        (
            0.999_999_999_999_999_9,
            1.000_000_000_000_000_2,
            0.999_999_999_999_999_8,
            -5.551_115_123_125_784e-17,
        ),
        (0.9999, 1.0001, 1.000_001, -2.500_059_991_778_628e-9),
        (
            0.999_999_999_9,
            1.000_000_000_1,
            1.000_000_001,
            -4.750_000_390_410_512e-10,
        ),
    ];
    for (lower, upper, r, want) in concentrated {
        let got = Pool::Concentrated { lower, upper }.impermanent_loss(r);
        assert!(
            ((got - want) / want).abs() < 1e-13,
            "[{lower}, {upper}], r = {r}: {got:e}, want {want:e}"
        );
    }
}

/// Extreme ratios and weights: the largest float ratio is a loss of 100%
/// (its square used to overflow to a loss past the decimal's range), a
/// weighted pool neither loses more than everything nor gains (a weight a
/// hair from 1 gave a gain), and the extremes keep their digits.
#[test]
#[allow(clippy::excessive_precision)]
fn extreme_ratios_stay_losses() {
    assert_eq!(Pool::ConstantProduct.impermanent_loss(f64::MAX), -1.0);
    assert_eq!(
        Pool::ConstantProduct.impermanent_loss(f64::MIN_POSITIVE),
        -1.0
    );
    for w in [0.01, 0.1, 0.5, 0.8, 0.999, 1e-14, 0.999_999_999_999_999_9] {
        for r in [
            5e-324,
            1e-300,
            1e-100,
            0.3,
            3.0,
            1e40,
            1e100,
            1e300,
            f64::MAX,
        ] {
            let il = Pool::Weighted { weight: w }.impermanent_loss(r);
            assert!((-1.0..=0.0).contains(&il), "w = {w}, r = {r}: {il}");
        }
    }
    // Weights a hair from 0 or 1, and ratios far from the entry price,
    // against mpmath at 60 digits (the weight as the float holds it).
    let weighted = [
        (0.999_999_999_999_999_9, 0.3, -1.253_842_062_406_859e-16),
        (0.999_999_999_999_999_9, 3.0, -4.795_559_749_320_366e-17),
        (0.999_999_999_999_999_9, 1e-8, -1.110_222_796_686_338e-8),
        (1e-16, 0.3, -5.039_728_043_259_36e-17),
        (1e-9, 3.0, -9.013_877_089_256_404_7e-10),
        (1e-9, 0.3, -5.039_728_039_539_417_6e-10),
        (0.001, 2.8, -0.000_768_467_101_996_931_29),
        (0.1, 0.3, -0.046_700_913_370_738_355),
    ];
    for (w, r, want) in weighted {
        let got = Pool::Weighted { weight: w }.impermanent_loss(r);
        assert!(
            ((got - want) / want).abs() < 1e-13,
            "w = {w}, r = {r}: {got:e}, want {want:e}"
        );
    }
    // Concentrated: the largest and smallest ratios on the widest ranges
    // (inf/inf made them 0), and below a tiny lower bound (8 digits kept).
    let range =
        |lower: f64, upper: f64, r: f64| Pool::Concentrated { lower, upper }.impermanent_loss(r);
    assert_eq!(range(0.5, f64::MAX, f64::MAX), -1.0);
    assert_eq!(range(1e-308, f64::MAX, 5e-324), -1.0);
    for (lower, upper, r, want) in [
        (1e-17, 1.5, 1e-20, -0.999_999_999_996_837_72),
        (1e-16, 4.0, 1e-17, -0.999_999_998_999_999_99),
        (0.5, 4.0, 100.0, -0.974_292_725_352_101_84),
        (0.5, 4.0, 0.1, -0.733_382_431_552_120_15),
    ] {
        let got = range(lower, upper, r);
        assert!(
            ((got - want) / want).abs() < 1e-13,
            "[{lower}, {upper}], r = {r}: {got:e}, want {want:e}"
        );
    }
}
