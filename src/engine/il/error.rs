//! Why an impermanent-loss question cannot be answered, and how to fix it.
//! Holds no maths.

/// Why an IL question cannot be answered.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IlError {
    /// The price ratio is not a finite number above 0.
    #[error("the price ratio must be a finite number above 0, not {}", compact(*.0))]
    Ratio(f64),
    /// The weights are not all positive or do not add up to 1.
    #[error("pool weights must each be above 0% and add up to 100%")]
    Weights,
    /// The range (multiples of the entry price) does not contain 1.
    #[error("the range [{}, {}] must contain the entry price 1 (lower < 1 < upper)", compact(*.0), compact(*.1))]
    Range(f64, f64),
    /// A volatility is negative or not finite.
    #[error("volatility must be a finite number of at least 0, not {}", compact(*.0))]
    Volatility(f64),
    /// The correlation is outside [-1, 1].
    #[error("correlation must be between -1 and 1, not {}", compact(*.0))]
    Correlation(f64),
    /// The horizon in years is outside [`super::report::MIN_YEARS`] to
    /// [`super::report::MAX_YEARS`].
    #[error("the horizon must be from 0.0001 years (about an hour) to 1000 years, not {}", compact(*.0))]
    Years(f64),
    /// The StableSwap amplification is negative or not finite.
    #[error("amplification must be a number from 0 to 1,000,000, not {}", compact(*.0))]
    Amplification(f64),
}

impl IlError {
    /// How to fix it, in terms of the `il` command line.
    #[must_use]
    pub fn help(&self) -> &'static str {
        match self {
            IlError::Ratio(_) => {
                "give --ratio as end price over entry price, e.g. 1.5 when A rose 50% against B"
            }
            IlError::Weights => "give --weights as two positive percents adding to 100, e.g. 80:20",
            IlError::Range(..) => {
                "give --range as LOWER:UPPER around the entry price, e.g. 0.8:1.25"
            }
            IlError::Volatility(_) => {
                "give volatility as an annual fraction or percent, e.g. 0.8 or 80%"
            }
            IlError::Correlation(_) => "give --correlation between -1 and 1, e.g. 0.8",
            IlError::Years(_) => "give --years as a number of years, e.g. 1 or 0.25",
            IlError::Amplification(_) => {
                "give --amplification from 0 to 1,000,000, e.g. 100 (real pools run from about 10 to a few thousand)"
            }
        }
    }
}

/// `x` as written in a message: plainly, or in scientific notation when
/// plain digits would run long (1e308, 1e-300).
fn compact(x: f64) -> String {
    if x.is_infinite() {
        // Text such as 1e400 reads as infinity.
        return format!(
            "{}a number too large to hold",
            if x < 0.0 { "minus " } else { "" }
        );
    }
    if x != 0.0 && x.is_finite() && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}
