//! Income actually received set against the income planned.
//!
//! The file is a CSV with the header `date,position,amount,currency`: ISO
//! dates (`2026-07-31`), the plan's position names, amounts of at least zero
//! in the portfolio's currency. The period it covers is every calendar month
//! from the earliest payment's to the latest's, both whole; a position's
//! expected income over it is its planned yearly paid-out income (fees,
//! interest and rewards, the snapshot's figure, else the current plan's)
//! times months / 12. A position that received less than its low band over
//! the period raises `income-below`. Pure: it reads text handed to it.

use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use super::fields::{amount, csv_problem, field_at, line_at};
use super::snapshot::Snapshot;
use super::{Flag, Raised, scaled};
use crate::engine::plan::{MoneyBand, PlanReport};
use crate::error::{Diagnostic, Diagnostics, nearest, shorten};
use crate::money::{Money, format_money};

pub use crate::date::Date;

/// Payments received, each checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Received {
    /// Date, position and amount of each payment, in file order.
    pub payments: Vec<(Date, String, Money)>,
}

/// One position's income received against the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncomeRow {
    /// The position's name.
    pub position: String,
    /// What it paid over the period.
    pub received: Money,
    /// What the plan expected over the period: low, mid, high.
    pub expected: MoneyBand,
    /// True when `received` is below `expected.low`.
    pub below_low: bool,
    /// Where `expected` comes from: "snapshot" (the plan of the quarter,
    /// also for a position removed since) or "current plan" (a position
    /// added since, which the snapshot does not have).
    pub expected_from: &'static str,
}

/// Income received over a period against the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncomeReview {
    /// The first day of the earliest payment's month.
    pub from: Date,
    /// The last day of the latest payment's month.
    pub to: Date,
    /// Whole months covered.
    pub months: u32,
    /// Every position that paid or was expected to pay, in the plan's order.
    pub positions: Vec<IncomeRow>,
    /// Everything received.
    pub received: Money,
    /// Everything expected.
    pub expected: MoneyBand,
}

impl IncomeReview {
    /// An `income-below` flag for each position paid below its low band.
    pub(super) fn raised(&self, currency: &str) -> Vec<Raised> {
        self.positions
            .iter()
            .filter(|r| r.below_low)
            .map(|r| Raised {
                flag: Flag::IncomeBelow,
                position: Some(r.position.clone()),
                message: format!(
                    "{}: paid {} from {} to {}, below the low band's {} (mid {})",
                    r.position,
                    format_money(r.received, currency),
                    self.from,
                    self.to,
                    format_money(r.expected.low.settle(), currency),
                    format_money(r.expected.mid.settle(), currency)
                ),
            })
            .collect()
    }
}

/// The last day of `d`'s month.
fn month_end(d: Date) -> Date {
    let mut day = 31;
    while Date::parse(&format!("{:04}-{:02}-{day:02}", d.year, d.month)).is_none() && day > 28 {
        day -= 1;
    }
    Date { day, ..d }
}

/// Compares `received` with the plan: the snapshot's paid-out income per
/// position (positions removed since included), else the current plan's
/// for a position added since. `received` holds at least one payment
/// ([`read_income`] refuses a file with none).
#[must_use]
pub fn compare_income(then: &Snapshot, now: &PlanReport, received: &Received) -> IncomeReview {
    let first = received.payments.iter().map(|p| p.0).min();
    let last = received.payments.iter().map(|p| p.0).max();
    let from = first.map_or(
        Date {
            year: 1970,
            month: 1,
            day: 1,
        },
        |a| Date { day: 1, ..a },
    );
    let to = last.map_or(from, month_end);
    let months = if first.is_some() {
        u32::try_from(to.month_index() - from.month_index() + 1).unwrap_or(0)
    } else {
        0
    };
    let current: std::collections::HashSet<&str> =
        now.positions.iter().map(|p| p.name.as_str()).collect();
    let before = then.by_name();
    let removed = then
        .positions
        .iter()
        .filter(|o| !current.contains(o.name.as_str()))
        .map(|o| (o.name.clone(), o.paid_out_income.money(), "snapshot"));
    let planned = now.positions.iter().map(|p| {
        before
            .get(p.name.as_str())
            .map_or((p.name.clone(), p.paid_out_income, "current plan"), |o| {
                (p.name.clone(), o.paid_out_income.money(), "snapshot")
            })
    });
    // Each position's payments, summed in file order.
    let mut by_position: std::collections::HashMap<&str, Money> = std::collections::HashMap::new();
    for (_, position, amount) in &received.payments {
        let sum = by_position.entry(position.as_str()).or_insert(Money::ZERO);
        *sum = *sum + *amount;
    }
    let mut positions = Vec::new();
    for (name, yearly, expected_from) in planned.chain(removed) {
        let expected = scaled(yearly, months, 12);
        let got = by_position
            .get(name.as_str())
            .copied()
            .unwrap_or(Money::ZERO);
        if got.0.is_zero() && expected.high.0.is_zero() {
            continue;
        }
        positions.push(IncomeRow {
            position: name,
            received: got,
            below_low: got < expected.low.settle(),
            expected,
            expected_from,
        });
    }
    let expected = positions
        .iter()
        .fold(MoneyBand::default(), |acc, r| acc.add(r.expected));
    IncomeReview {
        from,
        to,
        months,
        received: positions.iter().map(|r| r.received).sum(),
        expected,
        positions,
    }
}

/// The longest period an income file may cover, in months: the plan's
/// yields are a year's; ten years of payments are not one quarter's review.
pub const MAX_MONTHS: i64 = 120;

/// A file with no payment (no period to compare over), or payments
/// spread over more than [`MAX_MONTHS`]; `places` are the payments' dates.
fn period_problem(
    payments: &[(Date, String, Money)],
    places: &[Range<usize>],
    text: &str,
) -> Option<Diagnostic> {
    let first = (0..payments.len()).min_by_key(|&i| payments[i].0);
    let last = (0..payments.len()).max_by_key(|&i| payments[i].0);
    let (Some(first), Some(last)) = (first, last) else {
        return Some(
            Diagnostic::at(line_at(text, 0), "the income file lists no payment")
                .with_help("the period compared runs from the first payment's month to the last's: list the payments received since the snapshot, or leave out --income"),
        );
    };
    let (a, b) = (payments[first].0, payments[last].0);
    let months = b.month_index() - a.month_index() + 1;
    (months > MAX_MONTHS).then(|| {
        Diagnostic::at(
            places[first].clone(),
            format!("the payments run from {a} to {b}, {months} months; a review compares at most {MAX_MONTHS} months (10 years)"),
        )
        .with_related(places[last].clone(), "the latest payment")
        .with_help("list the payments received since the snapshot (a quarter's, a year's)")
    })
}

/// Reads the income file at `path` whose text is `text`: every payment's
/// position must be one of `known` (the plan's and the snapshot's), its
/// currency `currency`, its date no later than `today`.
///
/// # Errors
/// A header other than `date,position,amount,currency`, a date that is not
/// an ISO calendar date or is after `today`, an unknown position, an amount
/// that is negative, too large, not a number or not in whole cents, or
/// another currency: every problem at its field. No payment at all, or
/// payments over more than [`MAX_MONTHS`].
pub fn read_income(
    path: &Path,
    text: &str,
    known: &[String],
    currency: &str,
    today: Date,
) -> Result<Received, Diagnostics> {
    let mut problems = Vec::new();
    let mut payments = Vec::new();
    let mut places: Vec<Range<usize>> = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header_ok = reader
        .headers()
        .is_ok_and(|h| h.iter().collect::<Vec<_>>() == ["date", "position", "amount", "currency"]);
    if !header_ok {
        problems.push(
            Diagnostic::at(line_at(text, 0), "the income file does not start with the header `date,position,amount,currency`")
                .with_help("write `date,position,amount,currency` on the first line, then one payment per line, e.g. 2026-07-31,ETH staking,212.40,USD"),
        );
        return Err(Diagnostics::new(path, text, "income file", problems));
    }
    let names: std::collections::HashSet<&str> = known.iter().map(String::as_str).collect();
    for record in reader.records() {
        let r = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(
                    text,
                    &e,
                    ("income", "a payment line", 4),
                    "write `date,position,amount,currency` on each line",
                ));
                continue;
            }
        };
        let at = r
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        let line = line_at(text, at);
        if r.len() != 4 {
            problems.push(super::fields::wrong_length(
                text,
                line,
                ("a payment line", r.len(), 4),
                "write `date,position,amount,currency`; quote a name that holds a comma",
            ));
            continue;
        }
        let before = problems.len();
        let field = |i: usize| field_at(text, &line, i);
        let date = Date::parse(&r[0]);
        match date {
            None => problems.push(
                Diagnostic::at(field(0), format!("\"{}\" is not a date", shorten(&r[0])))
                    .with_help("write the date as YYYY-MM-DD, a day that exists, e.g. 2026-07-31"),
            ),
            Some(d) if d > today => problems.push(
                Diagnostic::at(
                    field(0),
                    format!("the payment of {d} is dated after today"),
                )
                .with_help("income received is in the past: correct the date, or leave the payment out until it arrives"),
            ),
            Some(_) => {}
        }
        if !names.contains(&r[1]) {
            let help = match nearest(&r[1], known.iter().map(String::as_str)) {
                Some(n) => format!("did you mean \"{n}\"? Names are the plan's position names"),
                None => "use the plan's position names".to_string(),
            };
            problems.push(
                Diagnostic::at(
                    field(1),
                    format!(
                        "no position is named \"{}\" in the profile or the snapshot",
                        shorten(&r[1])
                    ),
                )
                .with_help(help),
            );
        }
        let amount = match amount(&r[2]) {
            Ok(a) => Some(a),
            Err(why) => {
                problems.push(
                    Diagnostic::at(field(2), format!("the amount \"{}\" {why}", shorten(&r[2])))
                        .with_help(
                            "write what was received, at least 0, in whole cents, e.g. 212.40",
                        ),
                );
                None
            }
        };
        if !r[3].eq_ignore_ascii_case(currency) {
            problems.push(
                Diagnostic::at(
                    field(3),
                    format!(
                        "the currency \"{}\" is not the portfolio's ({currency})",
                        shorten(&r[3])
                    ),
                )
                .with_help(format!(
                    "convert the amount to {currency} and write {currency}"
                )),
            );
        }
        if problems.len() == before {
            if let (Some(d), Some(a)) = (date, amount) {
                payments.push((d, r[1].to_string(), Money(a)));
                places.push(field(0));
            }
        }
    }
    if problems.is_empty() {
        problems.extend(period_problem(&payments, &places, text));
    }
    if problems.is_empty() {
        Ok(Received { payments })
    } else {
        Err(Diagnostics::new(path, text, "income file", problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-7-31",
            "31/07/2026",
            "2026-07-32",
            "",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(month_end(Date::parse("2024-02-10").unwrap()).day, 29);
    }

    #[test]
    fn bad_lines_are_reported_with_their_lines() {
        let known = vec!["A".to_string()];
        let text = "date,position,amount,currency\n2026-07-31,A,10,USD\n2026-02-30,A,1,USD\n2026-08-01,B,1,USD\n2026-08-01,A,1,EUR\n";
        let e = read_income(Path::new("i.csv"), text, &known, "USD", TODAY)
            .unwrap_err()
            .to_string();
        assert!(e.contains("i.csv:3:1") && e.contains("not a date"), "{e}");
        assert!(e.contains("i.csv:4:12") && e.contains("\"B\""), "{e}");
        assert!(e.contains("i.csv:5:16") && e.contains("EUR"), "{e}");
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 29,
    };

    #[test]
    fn unix_days_are_calendar_dates() {
        // Checked against `date -u -d @$((DAYS * 86400))`.
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(11_017).to_string(), "2000-03-01");
        assert_eq!(Date::from_unix_days(20_786).to_string(), "2026-11-29");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn no_payment_a_future_one_or_decades_of_them_are_refused() {
        let known = vec!["A".to_string()];
        let read = |body: &str| {
            read_income(
                Path::new("i.csv"),
                &format!("date,position,amount,currency\n{body}"),
                &known,
                "USD",
                TODAY,
            )
            .map_err(|e| e.to_string())
        };
        let e = read("").unwrap_err();
        assert!(e.contains("lists no payment"), "{e}");
        let e = read("2026-11-30,A,1,USD\n").unwrap_err();
        assert!(
            e.contains("i.csv:2:1") && e.contains("2026-11-30 is dated after today"),
            "{e}"
        );
        let e = read("1900-01-01,A,1,USD\n2026-09-30,A,1,USD\n").unwrap_err();
        assert!(e.contains("1521 months"), "{e}");
        assert!(read("2016-12-01,A,1,USD\n2026-11-29,A,1,USD\n").is_ok());
    }

    #[test]
    fn amounts_say_why_they_are_refused_at_their_column() {
        let known = vec!["A".to_string()];
        let text = "date,position,amount,currency\n2026-07-31,A,10.001,USD\n2026-07-31,A,-10,USD\n2026-07-31,A,1e400,USD\n";
        let e = read_income(Path::new("i.csv"), text, &known, "USD", TODAY)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("i.csv:2:14") && e.contains("fractions of a cent"),
            "{e}"
        );
        assert!(e.contains("i.csv:3:14") && e.contains("is negative"), "{e}");
        assert!(e.contains("i.csv:4:14") && e.contains("too large"), "{e}");
    }
}
