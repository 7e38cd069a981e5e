//! The plan's positions grid: one row per position and a total row, with
//! amount, weight, APY band, reward share, expected impermanent loss, net and
//! risk-adjusted APY and yearly income. Rates are fractions shown as
//! percents; amounts are in the portfolio's currency. Formats only; computes
//! nothing.

use rust_decimal::Decimal;

use crate::engine::plan::{MoneyBand, PlanReport, PositionOut};
use crate::model::Band;
use crate::money::{Money, Rate};
use crate::report::cells::{
    band_cell, band_mid_cell, income_cell, money_cell, optional_rate_cell, rate_cell,
};
use crate::report::document::{Cell, Column, Grid, Section};

/// A row of the positions grid: a position, or the total.
struct PositionRow {
    /// The position's name, or "Total".
    name: String,
    /// The strategy's name.
    strategy: String,
    /// The asset, or the pair as "A/B".
    asset: String,
    /// "protocol (chain)", either part alone, or "-".
    place: String,
    /// The amount invested, in the portfolio's currency.
    amount: Money,
    /// Share of the portfolio (a fraction).
    weight: Rate,
    /// Gross yearly yield band (fractions).
    apy: Band,
    /// Share of the yield paid in reward tokens (a fraction).
    reward_share: Rate,
    /// Expected impermanent loss over a year (a fraction), for liquidity.
    expected_il: Option<Rate>,
    /// Net yearly yield band (fractions).
    net_apy: Band,
    /// Yearly income band, in the portfolio's currency.
    income: MoneyBand,
    /// Whether the position was screened out as unsustainable.
    screened: bool,
    /// Net yield less expected protocol losses (fractions).
    risk_adjusted: Band,
}

impl PositionRow {
    /// The row of one position.
    fn of(p: &PositionOut) -> PositionRow {
        PositionRow {
            name: p.name.clone(),
            strategy: p.strategy.name().to_string(),
            asset: match (&p.asset, &p.pair) {
                (_, Some([a, b])) => format!("{a}/{b}"),
                (Some(a), None) => a.clone(),
                (None, None) => "-".into(),
            },
            place: match (&p.protocol, &p.chain) {
                (Some(pr), Some(ch)) => format!("{pr} ({ch})"),
                (Some(pr), None) => pr.clone(),
                (None, Some(ch)) => format!("({ch})"),
                (None, None) => "-".into(),
            },
            amount: p.amount,
            weight: p.weight,
            apy: p.apy,
            reward_share: p.reward_share,
            expected_il: p.expected_il,
            net_apy: p.net_apy,
            income: p.annual_income,
            screened: p.screened,
            risk_adjusted: p.risk_adjusted_apy,
        }
    }

    /// The total row: the whole portfolio at 100% weight, with the totals'
    /// bands. Its APY is the blended APY of the Totals section (what the
    /// income earns: after expected impermanent loss, screened positions at
    /// nothing), not the gross average of the rows above it.
    fn total(r: &PlanReport) -> PositionRow {
        let t = &r.totals;
        PositionRow {
            name: "Total".into(),
            strategy: String::new(),
            asset: String::new(),
            place: String::new(),
            amount: r.portfolio.value,
            weight: Rate(Decimal::ONE),
            apy: t.apy,
            reward_share: t.reward_share,
            expected_il: None,
            net_apy: t.apy,
            income: t.annual_income,
            screened: false,
            risk_adjusted: t.risk_adjusted_apy,
        }
    }
}

/// The columns that name the position.
fn name_columns() -> Vec<Column<PositionRow>> {
    vec![
        Column::new("Position", &["name"], false, |r: &PositionRow| {
            Cell::plain(&r.name)
        }),
        Column::new("Strategy", &["strategy"], false, |r: &PositionRow| {
            Cell::plain(&r.strategy)
        }),
        Column::new("Asset", &["asset"], false, |r: &PositionRow| {
            Cell::plain(&r.asset)
        })
        .detail(),
        Column::new(
            "Protocol (chain)",
            &["protocol_chain"],
            false,
            |r: &PositionRow| Cell::plain(&r.place),
        )
        .detail(),
    ]
}

/// The columns of figures: amount, weight, yields and income in `currency`.
fn figure_columns(currency: &str) -> Vec<Column<PositionRow>> {
    let (c1, c2) = (currency.to_string(), currency.to_string());
    vec![
        Column::new("Amount", &["amount"], true, move |r: &PositionRow| {
            money_cell(r.amount, &c1)
        }),
        Column::new("Weight", &["weight"], true, |r: &PositionRow| {
            rate_cell(r.weight)
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |r: &PositionRow| band_cell(r.apy),
        )
        .detail(),
        Column::new("Rewards", &["reward_share"], true, |r: &PositionRow| {
            rate_cell(r.reward_share)
        })
        .detail(),
        Column::new("Exp. IL", &["expected_il"], true, |r: &PositionRow| {
            optional_rate_cell(r.expected_il)
        })
        .detail(),
        Column::new(
            "Net APY (mid)",
            &["net_apy_low", "net_apy_mid", "net_apy_high"],
            true,
            |r: &PositionRow| {
                let mut c = band_mid_cell(r.net_apy);
                if r.screened {
                    c.text = "screened".into();
                }
                c
            },
        ),
        Column::new(
            "Risk-adj. (mid)",
            &[
                "risk_adjusted_apy_low",
                "risk_adjusted_apy_mid",
                "risk_adjusted_apy_high",
            ],
            true,
            |r: &PositionRow| band_mid_cell(r.risk_adjusted),
        )
        .detail(),
        Column::new(
            "Paid out / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            move |r: &PositionRow| income_cell(r.income, &c2),
        ),
    ]
}

/// The positions grid, with the total as its footer.
pub(super) fn positions_section(r: &PlanReport) -> Section {
    let rows: Vec<PositionRow> = r.positions.iter().map(PositionRow::of).collect();
    let mut columns = name_columns();
    columns.extend(figure_columns(&r.portfolio.currency));
    Section::Grid(Grid::build(
        "Positions",
        &columns,
        &rows,
        Some(&PositionRow::total(r)),
    ))
}
