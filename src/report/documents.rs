//! How each report is laid out as a document. Column definitions live here,
//! once per grid, and serve the table, CSV and Markdown formats alike.

use super::{Cell, Column, Document, Grid, Section};
use crate::engine::check::{CheckReport, CompareReport, CompareRow, Verdict};
use crate::engine::plan::{MoneyBand, PlanReport, PositionOut, Status, StrategyOut};
use crate::model::Band;
use crate::money::{Money, Rate, format_money, format_rate};
use crate::rates::{AssetEntry, RateBook};

fn raw_money(m: Money) -> String {
    m.0.normalize().to_string()
}

fn raw_rate(r: Rate) -> String {
    r.0.normalize().to_string()
}

fn band_cell(b: Band) -> Cell {
    Cell::new(
        band_text_of(b),
        vec![raw_rate(b.low), raw_rate(b.mid), raw_rate(b.high)],
    )
}

/// "3.00 / 4.00 / 5.00%": a band with the percent sign once.
fn band_text_of(b: Band) -> String {
    let bare = |r: Rate| format_rate(r).trim_end_matches('%').to_string();
    format!(
        "{} / {} / {}",
        bare(b.low),
        bare(b.mid),
        format_rate(b.high)
    )
}

fn income_cell(m: MoneyBand, currency: &str) -> Cell {
    Cell::new(
        format_money(m.mid, currency),
        vec![raw_money(m.low), raw_money(m.mid), raw_money(m.high)],
    )
}

fn money_cell(m: Money, currency: &str) -> Cell {
    Cell::new(format_money(m, currency), vec![raw_money(m)])
}

fn rate_cell(r: Rate) -> Cell {
    Cell::new(format_rate(r), vec![raw_rate(r)])
}

fn status_text(s: Option<Status>) -> String {
    s.map_or("-".to_string(), |s| s.name().to_string())
}

/// A row of the positions grid: a position, or the total.
struct PositionRow {
    name: String,
    strategy: String,
    asset: String,
    place: String,
    amount: Money,
    weight: Rate,
    apy: Band,
    reward_share: Rate,
    expected_il: Option<Rate>,
    net_apy: Band,
    income: MoneyBand,
    screened: bool,
    risk_adjusted: Band,
}

fn position_columns(currency: &str) -> Vec<Column<PositionRow>> {
    let c1 = currency.to_string();
    let c2 = currency.to_string();
    vec![
        Column::new("Position", &["name"], false, |r: &PositionRow| {
            Cell::plain(&r.name)
        }),
        Column::new("Strategy", &["strategy"], false, |r: &PositionRow| {
            Cell::plain(&r.strategy)
        }),
        Column::new("Asset", &["asset"], false, |r: &PositionRow| {
            Cell::plain(&r.asset)
        }),
        Column::new(
            "Protocol (chain)",
            &["protocol_chain"],
            false,
            |r: &PositionRow| Cell::plain(&r.place),
        ),
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
        ),
        Column::new("Rewards", &["reward_share"], true, |r: &PositionRow| {
            rate_cell(r.reward_share)
        }),
        Column::new(
            "Exp. IL",
            &["expected_il"],
            true,
            |r: &PositionRow| match r.expected_il {
                Some(il) => rate_cell(il),
                None => Cell::new("-", vec![String::new()]),
            },
        ),
        Column::new(
            "Net APY (mid)",
            &["net_apy_low", "net_apy_mid", "net_apy_high"],
            true,
            |r: &PositionRow| {
                let mut c = band_cell(r.net_apy);
                c.text = if r.screened {
                    "screened".into()
                } else {
                    format_rate(r.net_apy.mid)
                };
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
            |r: &PositionRow| {
                let mut c = band_cell(r.risk_adjusted);
                c.text = format_rate(r.risk_adjusted.mid);
                c
            },
        ),
        Column::new(
            "Income / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            move |r: &PositionRow| income_cell(r.income, &c2),
        ),
    ]
}

fn pool_text(l: &crate::engine::plan::LiquidityOut) -> String {
    use crate::model::PoolKind;
    match l.pool {
        PoolKind::ConstantProduct => "constant-product".into(),
        PoolKind::Weighted => format!(
            "weighted {}",
            format_rate(Rate(l.weight.unwrap_or_default()))
        ),
        PoolKind::Concentrated => {
            let [lo, hi] = l.range.unwrap_or_default();
            format!("concentrated {}x-{}x", lo.normalize(), hi.normalize())
        }
        PoolKind::Stable => format!(
            "stable (A = {})",
            l.amplification.unwrap_or_default().normalize()
        ),
    }
}

fn liquidity_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    fn lp<'b>(p: &'b &PositionOut) -> &'b crate::engine::plan::LiquidityOut {
        p.liquidity
            .as_ref()
            .expect("only liquidity positions are listed")
    }
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new("Pair", &["pair"], false, |p: &&PositionOut| {
            Cell::plain(
                p.pair
                    .as_ref()
                    .map_or("-".to_string(), |[a, b]| format!("{a}/{b}")),
            )
        }),
        Column::new("Pool", &["pool"], false, |p: &&PositionOut| {
            Cell::plain(pool_text(lp(p)))
        }),
        Column::new(
            "Ratio vol.",
            &["ratio_volatility"],
            true,
            |p: &&PositionOut| rate_cell(lp(p).ratio_volatility),
        ),
        Column::new(
            "Fee APR (mid)",
            &["fee_apr_low", "fee_apr_mid", "fee_apr_high"],
            true,
            |p: &&PositionOut| {
                let mut c = band_cell(lp(p).fee_apr);
                c.text = format_rate(lp(p).fee_apr.mid);
                c
            },
        ),
        Column::new(
            "Rewards (mid)",
            &["reward_apy_low", "reward_apy_mid", "reward_apy_high"],
            true,
            |p: &&PositionOut| {
                let mut c = band_cell(lp(p).reward_apy);
                c.text = format_rate(lp(p).reward_apy.mid);
                c
            },
        ),
        Column::new("Exp. IL", &["expected_il"], true, |p: &&PositionOut| {
            rate_cell(p.expected_il.unwrap_or_default())
        }),
        Column::new(
            "Net APY low / mid / high",
            &["net_apy_low", "net_apy_mid", "net_apy_high"],
            true,
            |p: &&PositionOut| band_cell(p.net_apy),
        ),
    ]
}

fn staking_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    fn st<'b>(p: &'b &PositionOut) -> &'b crate::engine::plan::StakingOut {
        p.staking
            .as_ref()
            .expect("only staking positions are listed")
    }
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new("Route", &["method"], false, |p: &&PositionOut| {
            Cell::plain(crate::resolve::method_name(st(p).method))
        }),
        Column::new(
            "Provider fee",
            &["provider_fee"],
            true,
            |p: &&PositionOut| rate_cell(st(p).provider_fee),
        ),
        Column::new(
            "Nominal APY",
            &["nominal_apy_low", "nominal_apy_mid", "nominal_apy_high"],
            true,
            |p: &&PositionOut| band_cell(st(p).apy),
        ),
        Column::new(
            "Supply inflation",
            &["supply_inflation"],
            true,
            |p: &&PositionOut| match st(p).supply_inflation {
                Some(i) => rate_cell(i),
                None => Cell::new("-", vec![String::new()]),
            },
        ),
        Column::new(
            "Real APY",
            &["real_apy_low", "real_apy_mid", "real_apy_high"],
            true,
            |p: &&PositionOut| match p.real_apy {
                Some(b) => band_cell(b),
                None => Cell::new("-", vec![String::new(), String::new(), String::new()]),
            },
        ),
        Column::new(
            "Unbonding",
            &["unbonding_days"],
            true,
            |p: &&PositionOut| {
                let d = st(p).unbonding_days;
                Cell::new(
                    if d == 0 {
                        "none".to_string()
                    } else {
                        format!("{d} days")
                    },
                    vec![d.to_string()],
                )
            },
        ),
    ]
}

fn risk_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new(
            "Protocols (tier)",
            &["protocols"],
            false,
            |p: &&PositionOut| {
                let parts: Vec<String> = p
                    .risk
                    .sources
                    .iter()
                    .map(|s| format!("{} ({})", s.protocol.as_deref().unwrap_or("-"), s.tier))
                    .collect();
                Cell::plain(parts.join(" + "))
            },
        ),
        Column::new(
            "Loss event",
            &["loss_probability"],
            true,
            |p: &&PositionOut| rate_cell(p.risk.loss_probability),
        ),
        Column::new(
            "Expected loss",
            &["expected_loss"],
            true,
            |p: &&PositionOut| rate_cell(p.risk.expected_loss),
        ),
        Column::new(
            "Net APY (mid)",
            &["net_apy_mid"],
            true,
            |p: &&PositionOut| rate_cell(p.net_apy.mid),
        ),
        Column::new(
            "Risk-adjusted (mid)",
            &["risk_adjusted_apy_mid"],
            true,
            |p: &&PositionOut| rate_cell(p.risk_adjusted_apy.mid),
        ),
        Column::new("Note", &["note"], false, |p: &&PositionOut| {
            let notes: Vec<&str> = p
                .risk
                .sources
                .iter()
                .filter_map(|s| s.note.as_deref())
                .collect();
            Cell::plain(notes.join("; "))
        }),
    ]
}

fn diversification_section(d: &crate::engine::risk::Diversification, cur: &str) -> Section {
    let list = |items: &[crate::engine::risk::Exposure]| {
        if items.is_empty() {
            return "none".to_string();
        }
        items
            .iter()
            .map(|e| format!("{} {}", e.name, format_rate(e.share)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Section::Fields {
        title: "Diversification".into(),
        rows: vec![
            ("By protocol".into(), list(&d.by_protocol)),
            ("By chain (on-chain positions)".into(), list(&d.by_chain)),
            ("By asset group".into(), list(&d.by_asset_group)),
            ("By strategy".into(), list(&d.by_strategy)),
            (
                "DeFi / non-DeFi".into(),
                format!(
                    "{} ({}) / {} ({})",
                    format_rate(d.defi.share),
                    format_money(d.defi.amount, cur),
                    format_rate(d.non_defi.share),
                    format_money(d.non_defi.amount, cur)
                ),
            ),
        ],
    }
}

/// Lays out a plan: positions, strategies, totals, goal, warnings.
pub fn plan_document(r: &PlanReport) -> Document {
    let cur = r.portfolio.currency.as_str();
    let money = |m: Money| format_money(m, cur);
    let band_money =
        |b: MoneyBand| format!("{} / {} / {}", money(b.low), money(b.mid), money(b.high));
    let rows: Vec<PositionRow> = r
        .positions
        .iter()
        .map(|p| PositionRow {
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
        })
        .collect();
    let t = &r.totals;
    let total = PositionRow {
        name: "Total".into(),
        strategy: String::new(),
        asset: String::new(),
        place: String::new(),
        amount: r.portfolio.value,
        weight: Rate(rust_decimal::Decimal::ONE),
        apy: t.gross_apy,
        reward_share: Rate::ZERO,
        expected_il: None,
        net_apy: t.apy,
        income: t.annual_income,
        screened: false,
        risk_adjusted: t.risk_adjusted_apy,
    };
    let mut total_row = total;
    total_row.reward_share = r.totals.reward_share;
    let mut sections = vec![Section::Grid(Grid::build(
        "Positions",
        &position_columns(cur),
        &rows,
        Some(&total_row),
    ))];

    let lps: Vec<&PositionOut> = r
        .positions
        .iter()
        .filter(|p| p.liquidity.is_some())
        .collect();
    if !lps.is_empty() {
        sections.push(Section::Grid(Grid::build(
            "Liquidity: fees against impermanent loss (1 year)",
            &liquidity_columns(),
            &lps,
            None,
        )));
    }
    let stakers: Vec<&PositionOut> = r.positions.iter().filter(|p| p.staking.is_some()).collect();
    if !stakers.is_empty() {
        sections.push(Section::Grid(Grid::build(
            "Staking: nominal against real (dilution-adjusted) yield",
            &staking_columns(),
            &stakers,
            None,
        )));
    }
    let all: Vec<&PositionOut> = r.positions.iter().collect();
    sections.push(Section::Grid(Grid::build(
        "Protocol risk (yearly)",
        &risk_columns(),
        &all,
        None,
    )));
    sections.push(diversification_section(&r.diversification, cur));
    let c = cur.to_string();
    let strategy_columns: Vec<Column<StrategyOut>> = vec![
        Column::new("Strategy", &["strategy"], false, |s: &StrategyOut| {
            Cell::plain(s.strategy.name())
        }),
        Column::new("Amount", &["amount"], true, {
            let c = c.clone();
            move |s: &StrategyOut| money_cell(s.amount, &c)
        }),
        Column::new("Weight", &["weight"], true, |s: &StrategyOut| {
            rate_cell(s.weight)
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |s: &StrategyOut| band_cell(s.apy),
        ),
        Column::new(
            "Income / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            move |s: &StrategyOut| income_cell(s.annual_income, &c),
        ),
    ];
    sections.push(Section::Grid(Grid::build(
        "By strategy",
        &strategy_columns,
        &t.strategies,
        None,
    )));

    sections.push(Section::Fields {
        title: "Totals (low / mid / high)".into(),
        rows: vec![
            ("Blended APY".into(), band_text_of(t.apy)),
            ("Annual income".into(), band_money(t.annual_income)),
            ("Monthly income".into(), band_money(t.monthly_income)),
            (
                "After-tax annual income".into(),
                band_money(t.after_tax_annual_income),
            ),
            (
                "Expected loss from protocol risk".into(),
                format!("{} a year", money(t.expected_annual_loss)),
            ),
            (
                "Risk-adjusted APY".into(),
                band_text_of(t.risk_adjusted_apy),
            ),
            (
                "Risk-adjusted annual income".into(),
                band_money(t.risk_adjusted_annual_income),
            ),
            (
                "Sustainable annual income".into(),
                format!(
                    "{} (mid, emissions at a haircut, screened positions excluded)",
                    money(t.sustainable_annual_income)
                ),
            ),
        ],
    });

    if let Some(g) = &r.goal {
        let target = if g.annual_target.min == g.annual_target.max {
            format!("{} a year", money(g.annual_target.min))
        } else {
            format!(
                "{} to {} a year",
                money(g.annual_target.min),
                money(g.annual_target.max)
            )
        };
        let meaning = match g.status {
            Status::Meets => "the low band covers the minimum",
            Status::Likely => "the mid band covers the minimum, the low band does not",
            Status::AtRisk => "only the high band covers the minimum",
            Status::Short => "not even the high band covers the minimum",
        };
        let mut rows = vec![
            (
                "Target".into(),
                format!("{target}{}", if g.after_tax { ", after tax" } else { "" }),
            ),
            (
                "Required yield".into(),
                format!(
                    "{} (for the maximum: {})",
                    format_rate(g.required_yield),
                    format_rate(g.required_yield_max)
                ),
            ),
            ("Sustainable ceiling".into(), format_rate(g.ceiling)),
            ("Status".into(), format!("{} ({meaning})", g.status.name())),
            (
                "Gap (mid)".into(),
                if g.gap.0.is_sign_positive() && !g.gap.0.is_zero() {
                    format!("{} a year short", money(g.gap))
                } else {
                    format!("covered with {} a year to spare", money(Money(-g.gap.0)))
                },
            ),
        ];
        if g.starts_in_years > 0 {
            rows.push((
                "Income starts".into(),
                format!(
                    "in {} years (compared here with today's income)",
                    g.starts_in_years
                ),
            ));
        }
        sections.push(Section::Fields {
            title: "Goal".into(),
            rows,
        });
    }
    sections.push(Section::Notes {
        title: "Warnings".into(),
        items: if r.warnings.is_empty() {
            vec!["none".into()]
        } else {
            r.warnings
                .iter()
                .map(|w| format!("{}[{}]: {}", w.severity.name(), w.lint, w.message))
                .collect()
        },
    });
    Document {
        title: format!("{} ({})", r.profile.name, r.profile.path),
        lines: vec![format!(
            "Portfolio value {} ({})",
            money(r.portfolio.value),
            r.portfolio.currency
        )],
        sections,
    }
}

/// Lays out the verdicts of `check`.
pub fn check_document(r: &CheckReport) -> Document {
    let columns: Vec<Column<Verdict>> = vec![
        Column::new("Profile", &["profile"], false, |v: &Verdict| {
            Cell::plain(if v.profile.name.is_empty() {
                v.profile.path.clone()
            } else {
                v.profile.name.clone()
            })
        }),
        Column::new("Path", &["path"], false, |v: &Verdict| {
            Cell::plain(&v.profile.path)
        }),
        Column::new("Status", &["status"], false, |v: &Verdict| {
            Cell::plain(status_text(v.status))
        }),
        Column::new("Warnings", &["warnings"], true, |v: &Verdict| {
            Cell::plain(v.warnings.len().to_string())
        }),
        Column::new("Result", &["result"], false, |v: &Verdict| {
            Cell::plain(if v.error.is_some() {
                "ERROR"
            } else if v.passed {
                "PASS"
            } else {
                "FAIL"
            })
        }),
        Column::new("Why", &["why"], false, |v: &Verdict| {
            Cell::plain(v.failures.join("; "))
        }),
    ];
    let mut notes = Vec::new();
    for v in &r.profiles {
        for w in &v.warnings {
            notes.push(format!(
                "{}: {}[{}]: {}",
                v.profile.path,
                w.severity.name(),
                w.lint,
                w.message
            ));
        }
    }
    let failed = r.profiles.iter().filter(|v| !v.passed).count();
    Document {
        title: "Check".into(),
        lines: vec![format!(
            "{} of {} profiles passed (required status: {} or better)",
            r.profiles.len() - failed,
            r.profiles.len(),
            r.require.name()
        )],
        sections: vec![
            Section::Grid(Grid::build("Profiles", &columns, &r.profiles, None)),
            Section::Notes {
                title: "Warnings".into(),
                items: if notes.is_empty() {
                    vec!["none".into()]
                } else {
                    notes
                },
            },
        ],
    }
}

/// Lays out profiles side by side for `compare`.
pub fn compare_document(r: &CompareReport) -> Document {
    let columns: Vec<Column<CompareRow>> = vec![
        Column::new("Profile", &["profile"], false, |c: &CompareRow| {
            Cell::plain(&c.profile.name)
        }),
        Column::new("Value", &["value"], true, |c: &CompareRow| {
            money_cell(c.value, &c.currency)
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |c: &CompareRow| band_cell(c.apy),
        ),
        Column::new(
            "Income / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            |c: &CompareRow| income_cell(c.annual_income, &c.currency),
        ),
        Column::new(
            "Income / mo (mid)",
            &["monthly_low", "monthly_mid", "monthly_high"],
            true,
            |c: &CompareRow| income_cell(c.monthly_income, &c.currency),
        ),
        Column::new(
            "Sustainable / yr",
            &["sustainable_income"],
            true,
            |c: &CompareRow| money_cell(c.sustainable_annual_income, &c.currency),
        ),
        Column::new(
            "Required yield",
            &["required_yield"],
            true,
            |c: &CompareRow| match c.required_yield {
                Some(y) => rate_cell(y),
                None => Cell::new("-", vec![String::new()]),
            },
        ),
        Column::new("Status", &["status"], false, |c: &CompareRow| {
            Cell::plain(status_text(c.status))
        }),
        Column::new("Warnings", &["warnings"], true, |c: &CompareRow| {
            Cell::plain(c.warnings.to_string())
        }),
    ];
    let mut columns = columns;
    if r.profiles.iter().any(|c| c.success_probability.is_some()) {
        columns.push(Column::new(
            "Success (sim.)",
            &["success_probability"],
            true,
            |c: &CompareRow| match c.success_probability {
                Some(p) => rate_cell(p),
                None => Cell::new("-", vec![String::new()]),
            },
        ));
    }
    Document {
        title: "Compare".into(),
        lines: vec![format!("{} profiles", r.profiles.len())],
        sections: vec![Section::Grid(Grid::build(
            "Profiles",
            &columns,
            &r.profiles,
            None,
        ))],
    }
}

fn band_text(b: Option<Band>) -> Cell {
    match b {
        Some(b) => band_cell(b),
        None => Cell::new("-", vec![String::new(), String::new(), String::new()]),
    }
}

/// Lays out the effective rate book for `yieldplan rates`.
pub fn rates_document(book: &RateBook) -> Document {
    // Show each asset's effective lending band: its own, or its class's.
    let assets: Vec<(String, AssetEntry)> = book
        .assets
        .iter()
        .map(|(k, v)| {
            let mut v = v.clone();
            if v.lending.is_none() {
                let class = if v.class == crate::rates::AssetClass::Stablecoin {
                    "stablecoin"
                } else {
                    "volatile"
                };
                v.lending = book.lending.get(class).cloned();
            }
            (k.clone(), v)
        })
        .collect();
    let columns: Vec<Column<(String, AssetEntry)>> = vec![
        Column::new("Asset", &["asset"], false, |a: &(String, AssetEntry)| {
            Cell::plain(&a.0)
        }),
        Column::new("Name", &["name"], false, |a: &(String, AssetEntry)| {
            Cell::plain(&a.1.name)
        }),
        Column::new("Class", &["class"], false, |a: &(String, AssetEntry)| {
            Cell::plain(a.1.class.name())
        }),
        Column::new(
            "Staking low / mid / high",
            &["staking_low", "staking_mid", "staking_high"],
            true,
            |a: &(String, AssetEntry)| band_text(a.1.staking.as_ref().map(|b| b.band())),
        ),
        Column::new(
            "Lending low / mid / high",
            &["lending_low", "lending_mid", "lending_high"],
            true,
            |a: &(String, AssetEntry)| band_text(a.1.lending.as_ref().map(|b| b.band())),
        ),
        Column::new(
            "Supply inflation",
            &["inflation"],
            true,
            |a: &(String, AssetEntry)| {
                a.1.inflation
                    .as_ref()
                    .map_or(Cell::new("-", vec![String::new()]), |f| {
                        rate_cell(f.value.rate())
                    })
            },
        ),
        Column::new(
            "Volatility",
            &["volatility"],
            true,
            |a: &(String, AssetEntry)| {
                a.1.volatility
                    .as_ref()
                    .map_or(Cell::new("-", vec![String::new()]), |f| {
                        rate_cell(f.value.rate())
                    })
            },
        ),
        Column::new(
            "Unbonding days",
            &["unbonding_days"],
            true,
            |a: &(String, AssetEntry)| {
                Cell::plain(
                    a.1.unbonding_days
                        .as_ref()
                        .map_or("-".to_string(), |d| d.value.to_string()),
                )
            },
        ),
    ];
    let classes: Vec<(String, String, Band, String)> = book
        .lending
        .iter()
        .map(|(k, b)| ("lending".to_string(), k.clone(), b.band(), b.source.clone()))
        .chain(book.liquidity.iter().map(|(k, b)| {
            (
                "liquidity fee APR".to_string(),
                k.clone(),
                b.band(),
                b.source.clone(),
            )
        }))
        .chain(book.farming.iter().map(|f| {
            (
                "farming".to_string(),
                format!("all (reward share {})", format_rate(f.reward_share.rate())),
                f.band(),
                f.source.clone(),
            )
        }))
        .collect();
    let class_columns: Vec<Column<(String, String, Band, String)>> = vec![
        Column::new(
            "Kind",
            &["kind"],
            false,
            |c: &(String, String, Band, String)| Cell::plain(&c.0),
        ),
        Column::new(
            "Class",
            &["class"],
            false,
            |c: &(String, String, Band, String)| Cell::plain(&c.1),
        ),
        Column::new(
            "low / mid / high",
            &["low", "mid", "high"],
            true,
            |c: &(String, String, Band, String)| band_cell(c.2),
        ),
        Column::new(
            "Source",
            &["source"],
            false,
            |c: &(String, String, Band, String)| Cell::plain(&c.3),
        ),
    ];
    let mut sources = Vec::new();
    for (symbol, a) in &book.assets {
        let figures = [
            ("staking", a.staking.as_ref().map(|b| &b.source)),
            ("lending", a.lending.as_ref().map(|b| &b.source)),
            ("inflation", a.inflation.as_ref().map(|f| &f.source)),
            ("volatility", a.volatility.as_ref().map(|f| &f.source)),
            ("unbonding", a.unbonding_days.as_ref().map(|d| &d.source)),
        ];
        for (what, src) in figures {
            if let Some(src) = src {
                sources.push(format!("{symbol} {what}: {src}"));
            }
        }
    }
    let indexes: Vec<String> = book
        .index
        .iter()
        .map(|(id, t)| {
            let parts: Vec<String> = t
                .components
                .iter()
                .map(|c| {
                    let what = c
                        .name
                        .clone()
                        .or_else(|| c.asset.clone())
                        .or_else(|| c.pair.as_ref().map(|[a, b]| format!("{a}/{b}")))
                        .unwrap_or_default();
                    format!("{} {} {}", format_rate(c.weight.rate()), c.strategy, what)
                })
                .collect();
            format!(
                "{id} ({}): {}. Source: {}",
                t.name,
                parts.join(", "),
                t.source
            )
        })
        .collect();
    Document {
        title: "Rate book".into(),
        lines: vec![format!(
            "as of {}",
            book.as_of.as_deref().unwrap_or("(no date)")
        )],
        sections: vec![
            Section::Grid(Grid::build("Assets", &columns, &assets, None)),
            Section::Grid(Grid::build(
                "Lending, liquidity and farming bands",
                &class_columns,
                &classes,
                None,
            )),
            Section::Fields {
                title: "Staking routes (provider fee on rewards)".into(),
                rows: book
                    .staking_methods
                    .iter()
                    .map(|(m, e)| (m.clone(), format!("{} ({})", format_rate(e.fee.rate()), e.source)))
                    .collect(),
            },
            Section::Fields {
                title: "Protocol risk tiers (yearly loss probability x loss given the event = expected loss)".into(),
                rows: book
                    .risk_tiers
                    .iter()
                    .map(|(t, e)| {
                        (
                            t.clone(),
                            format!(
                                "{} x {} = {} ({})",
                                format_rate(e.loss_probability.rate()),
                                format_rate(e.loss_given_event.rate()),
                                format_rate(Rate(e.loss_probability.0 * e.loss_given_event.0)),
                                e.source
                            ),
                        )
                    })
                    .collect(),
            },
            Section::Fields {
                title: "Protocols".into(),
                rows: book
                    .protocols
                    .iter()
                    .map(|(id, e)| (id.clone(), format!("{}: {} ({})", e.name, e.tier, e.source)))
                    .collect(),
            },
            Section::Notes {
                title: "Index templates".into(),
                items: indexes,
            },
            Section::Notes {
                title: "Sources".into(),
                items: sources,
            },
        ],
    }
}

/// A pool described in words.
fn pool_words(p: &crate::engine::il::PoolOut) -> String {
    use crate::model::PoolKind;
    let pct = |d: rust_decimal::Decimal| format_rate(Rate(d));
    match p.kind {
        PoolKind::ConstantProduct => "a constant-product 50/50 pool".to_string(),
        PoolKind::Weighted => {
            let w = p.weight.unwrap_or_default();
            format!(
                "a weighted pool ({} A / {} B)",
                pct(w),
                pct(rust_decimal::Decimal::ONE - w)
            )
        }
        PoolKind::Concentrated => format!(
            "a concentrated position on {}x to {}x the entry price",
            p.lower.unwrap_or_default().normalize(),
            p.upper.unwrap_or_default().normalize()
        ),
        PoolKind::Stable => format!(
            "a StableSwap pool with amplification {}",
            p.amplification.unwrap_or_default().normalize()
        ),
    }
}

/// Lays out an impermanent-loss answer, explained in words.
pub fn il_document(r: &crate::engine::il::IlReport, currency: &str) -> Document {
    let pool = pool_words(&r.pool);
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    if let (Some(ratio), Some(il)) = (r.ratio, r.impermanent_loss) {
        rows.push(("Price ratio".to_string(), ratio.normalize().to_string()));
        rows.push(("Impermanent loss".to_string(), format_rate(il)));
        let mut text = format!(
            "If asset A's price moves to {}x its entry price against asset B, {pool} is worth {} less than simply holding the deposit",
            ratio.normalize(),
            format_rate(Rate(-il.0))
        );
        if let (Some(amount), Some(loss)) = (r.amount, r.loss) {
            text.push_str(&format!(
                ": {} on {}",
                format_money(loss, currency),
                format_money(amount, currency)
            ));
            rows.push(("Loss".to_string(), format_money(loss, currency)));
        }
        text.push_str(". Fees and rewards must exceed this for providing liquidity to pay.");
        lines.push(text);
    }
    if let (Some(sigma), Some(e)) = (r.ratio_volatility, r.expected_impermanent_loss) {
        let years = r.years.unwrap_or_default().normalize();
        let source = match (r.volatility_a, r.volatility_b, r.correlation) {
            (Some(a), Some(b), Some(rho)) => format!(
                " (from {} and {} with correlation {})",
                format_rate(a),
                format_rate(b),
                rho.normalize()
            ),
            _ => String::new(),
        };
        rows.push((
            "Ratio volatility".to_string(),
            format!("{} a year{source}", format_rate(sigma)),
        ));
        let span = if years == rust_decimal::Decimal::ONE {
            "1 year".to_string()
        } else {
            format!("{years} years")
        };
        rows.push(("Horizon".to_string(), span.clone()));
        rows.push(("Expected impermanent loss".to_string(), format_rate(e)));
        let mut text = format!(
            "With the A/B price ratio swinging {} a year{source} and no view on its direction, {pool} is expected to lose {} against holding over {span}",
            format_rate(sigma),
            format_rate(Rate(-e.0))
        );
        if let (Some(amount), Some(loss)) = (r.amount, r.expected_loss) {
            text.push_str(&format!(
                ": {} on {}",
                format_money(loss, currency),
                format_money(amount, currency)
            ));
            rows.push(("Expected loss".to_string(), format_money(loss, currency)));
        }
        text.push_str(". That is the fee income needed just to break even with holding.");
        lines.push(text);
    }
    Document {
        title: format!("Impermanent loss: {pool}"),
        lines,
        sections: vec![Section::Fields {
            title: "Figures".into(),
            rows,
        }],
    }
}

/// Lays out a stress test: one row per shock, so a user sees in one screen
/// which shock breaks the income goal.
pub fn stress_document(r: &crate::engine::stress::StressReport) -> Document {
    use crate::engine::stress::ShockOut;
    let cur = r.currency.clone();
    let c1 = cur.clone();
    let c2 = cur.clone();
    let columns: Vec<Column<ShockOut>> = vec![
        Column::new("Shock", &["shock"], false, |s: &ShockOut| {
            Cell::plain(&s.name)
        }),
        Column::new("Value after", &["value"], true, move |s: &ShockOut| {
            money_cell(s.value, &c1)
        }),
        Column::new(
            "Change",
            &["value_change", "value_change_share"],
            true,
            |s: &ShockOut| {
                Cell::new(
                    format_rate(s.value_change_share),
                    vec![raw_money(s.value_change), raw_rate(s.value_change_share)],
                )
            },
        ),
        Column::new(
            "Income / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            move |s: &ShockOut| income_cell(s.annual_income, &c2),
        ),
        Column::new("Goal status", &["status"], false, |s: &ShockOut| {
            Cell::plain(status_text(s.status))
        }),
        Column::new("Verdict", &["breaks_goal"], false, |s: &ShockOut| {
            Cell::new(
                match s.status {
                    None => "-",
                    Some(_) if s.breaks_goal => "BREAKS the goal",
                    Some(_) => "holds",
                },
                vec![s.breaks_goal.to_string()],
            )
        }),
    ];
    let mut rows = vec![r.baseline.clone()];
    rows.extend(r.shocks.iter().cloned());
    let breaking: Vec<&str> = r
        .shocks
        .iter()
        .filter(|s| s.breaks_goal)
        .map(|s| s.name.as_str())
        .collect();
    let mut lines = Vec::new();
    match r.goal_min {
        Some(min) => {
            lines.push(format!(
                "Goal: at least {} a year{}",
                format_money(min, &cur),
                if r.after_tax { " after tax" } else { "" }
            ));
            lines.push(if breaking.is_empty() {
                "No shock below breaks the goal: the mid income still covers it after each."
                    .to_string()
            } else {
                format!(
                    "Breaks the goal (mid income below the minimum): {}.",
                    breaking.join(", ")
                )
            });
        }
        None => lines.push("The profile has no goal: values and income only.".into()),
    }
    Document {
        title: format!("Stress test: {} ({})", r.profile.name, r.profile.path),
        lines,
        sections: vec![
            Section::Grid(Grid::build("Shocks", &columns, &rows, None)),
            Section::Notes {
                title: "What each shock does".into(),
                items: r
                    .shocks
                    .iter()
                    .map(|s| format!("{}: {}", s.name, s.description))
                    .collect(),
            },
        ],
    }
}

/// A one-line chart of `values` from "▁" to "█" (empty for no values).
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    values
        .iter()
        .map(|v| {
            if hi > lo {
                let i = ((v - lo) / (hi - lo) * 7.0).round() as usize;
                BARS[i.min(7)]
            } else {
                BARS[3]
            }
        })
        .collect()
}

/// Lays out a deterministic projection: one row a year, a summary, and a
/// sparkline of the value.
pub fn project_document(p: &crate::engine::project::Projection) -> Document {
    use crate::engine::project::{Phase, YearRow};
    use rust_decimal::prelude::ToPrimitive;
    let cur = p.currency.clone();
    let m = |f: fn(&YearRow) -> Money| {
        let cur = cur.clone();
        move |r: &YearRow| money_cell(f(r), &cur)
    };
    let columns: Vec<Column<YearRow>> = vec![
        Column::new("Year", &["year"], true, |r: &YearRow| {
            Cell::plain(r.year.to_string())
        }),
        Column::new("Phase", &["phase"], false, |r: &YearRow| {
            Cell::plain(match r.phase {
                Phase::Accumulate => "accumulate",
                Phase::Income => "income",
            })
        }),
        Column::new("Start value", &["start_value"], true, m(|r| r.start_value)),
        Column::new(
            "Gross income",
            &["gross_income"],
            true,
            m(|r| r.gross_income),
        ),
        Column::new("Tax", &["tax"], true, m(|r| r.tax)),
        Column::new("Paid out", &["paid_out"], true, m(|r| r.paid_out)),
        Column::new("Reinvested", &["reinvested"], true, m(|r| r.reinvested)),
        Column::new(
            "Contributions",
            &["contributions"],
            true,
            m(|r| r.contributions),
        ),
        Column::new("Withdrawn", &["withdrawn"], true, m(|r| r.withdrawn)),
        Column::new(
            "Price growth",
            &["price_growth"],
            true,
            m(|r| r.price_growth),
        ),
        Column::new("End value", &["end_value"], true, m(|r| r.end_value)),
        Column::new("Goal", &["goal"], true, {
            let cur = cur.clone();
            move |r: &YearRow| match r.goal {
                Some(g) => money_cell(g, &cur),
                None => Cell::new("-", vec![String::new()]),
            }
        }),
        Column::new(
            "Income covers it",
            &["income_covers_goal"],
            false,
            |r: &YearRow| {
                Cell::plain(match r.income_covers_goal {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                })
            },
        ),
    ];
    let mut lines = vec![format!(
        "Each year: income at {} (blended mid), price growth {}, inflation {}; sustainable yield {}.",
        format_rate(p.income_yield),
        format_rate(p.price_growth),
        format_rate(p.inflation),
        format_rate(p.sustainable_yield)
    )];
    if let Some(y) = p.depleted_after_years {
        lines.push(format!(
            "The capital runs out after {} years.",
            y.normalize()
        ));
    }
    match p.years_to_goal {
        Some(y) if y.is_zero() => {
            lines.push("The sustainable income already covers the goal.".into())
        }
        Some(y) => lines.push(format!(
            "The sustainable income covers the goal after {} years.",
            y.normalize()
        )),
        None if p.rows.iter().any(|r| r.goal.is_some()) => lines.push(format!(
            "The sustainable income does not cover the goal within {} years.",
            p.years
        )),
        None => {}
    }
    let values: Vec<f64> = p
        .rows
        .iter()
        .map(|r| r.end_value.0.to_f64().unwrap_or(0.0))
        .collect();
    Document {
        title: format!(
            "Projection: {} ({}), {} years",
            p.profile.name, p.profile.path, p.years
        ),
        lines,
        sections: vec![
            Section::Grid(Grid::build("Year by year", &columns, &p.rows, None)),
            Section::Notes {
                title: "Value".into(),
                items: vec![format!(
                    "{}  {} -> {}",
                    sparkline(&values),
                    p.rows
                        .first()
                        .map_or(String::new(), |r| format_money(r.start_value, &cur)),
                    p.rows
                        .last()
                        .map_or(String::new(), |r| format_money(r.end_value, &cur))
                )],
            },
        ],
    }
}

/// Lays out a Monte Carlo simulation: the chances, then percentile bands of
/// value and income year by year, and a sparkline of the median value.
pub fn simulation_document(r: &crate::engine::simulate::Simulation) -> Document {
    use crate::engine::simulate::Percentiles;
    use rust_decimal::prelude::ToPrimitive;
    let cur = r.currency.clone();
    let band = |title: &'static str, key: &'static str| {
        let cur = cur.clone();
        let keys: &'static [&'static str] = match key {
            "value" => &[
                "value_p5",
                "value_p25",
                "value_p50",
                "value_p75",
                "value_p95",
            ],
            _ => &[
                "income_p5",
                "income_p25",
                "income_p50",
                "income_p75",
                "income_p95",
            ],
        };
        Column::new(title, keys, true, move |x: &(Percentiles, Percentiles)| {
            let q = if key == "value" { &x.0 } else { &x.1 };
            Cell::new(
                format!(
                    "{} / {} / {}",
                    format_money(q.p5, &cur),
                    format_money(q.p50, &cur),
                    format_money(q.p95, &cur)
                ),
                [q.p5, q.p25, q.p50, q.p75, q.p95]
                    .iter()
                    .map(|m| raw_money(*m))
                    .collect(),
            )
        })
    };
    let columns: Vec<Column<(Percentiles, Percentiles)>> = vec![
        Column::new("Year", &["year"], true, |x: &(Percentiles, Percentiles)| {
            Cell::plain(x.0.year.to_string())
        }),
        band("Value P5 / P50 / P95", "value"),
        band("Income P5 / P50 / P95", "income"),
    ];
    let rows: Vec<(Percentiles, Percentiles)> = r
        .value
        .iter()
        .cloned()
        .zip(r.income.iter().cloned())
        .collect();
    let mut lines = vec![format!(
        "{} paths over {} years, seed {} (the same seed gives the same result).",
        r.paths, r.years, r.seed
    )];
    match (r.success_probability, r.success_standard_error) {
        (Some(p), Some(se)) => lines.push(format!(
            "Chance of paying the goal in every year of the income phase: {} (standard error {}).",
            format_rate(p),
            format_rate(se)
        )),
        _ => lines.push("No income phase within the horizon: no success probability.".into()),
    }
    lines.push(format!(
        "Chance the capital runs out: {}.",
        format_rate(r.depletion_probability)
    ));
    if let Some(y) = r.median_years_to_goal {
        lines.push(format!(
            "Median years until the sustainable income covers the goal: {y}."
        ));
    }
    let mut sections = vec![Section::Grid(Grid::build(
        "Percentiles by year",
        &columns,
        &rows,
        None,
    ))];
    if !r.goal_by_year.is_empty() {
        sections.push(Section::Fields {
            title: "Chance of paying the goal, by year".into(),
            rows: r
                .goal_by_year
                .iter()
                .map(|y| (format!("year {}", y.year), format_rate(y.probability)))
                .collect(),
        });
    }
    let median: Vec<f64> = r
        .value
        .iter()
        .map(|q| q.p50.0.to_f64().unwrap_or(0.0))
        .collect();
    sections.push(Section::Notes {
        title: "Median value".into(),
        items: vec![format!(
            "{}  {} -> {}",
            sparkline(&median),
            r.value
                .first()
                .map_or(String::new(), |q| format_money(q.p50, &cur)),
            r.value
                .last()
                .map_or(String::new(), |q| format_money(q.p50, &cur))
        )],
    });
    Document {
        title: format!("Simulation: {} ({})", r.profile.name, r.profile.path),
        lines,
        sections,
    }
}

/// Lays out screened pools: APY, base against rewards, the 30-day mean,
/// mu ± sigma, TVL, flags and the sustainability verdict with its reasons.
pub fn pools_document(r: &crate::pools::PoolsReport) -> Document {
    use crate::pools::{PoolRow, Verdict};
    let columns: Vec<Column<PoolRow>> = vec![
        Column::new("Project", &["project"], false, |p: &PoolRow| {
            Cell::plain(&p.project)
        }),
        Column::new("Chain", &["chain"], false, |p: &PoolRow| {
            Cell::plain(&p.chain)
        }),
        Column::new("Symbol", &["symbol"], false, |p: &PoolRow| {
            Cell::plain(&p.symbol)
        }),
        Column::new("TVL", &["tvl_usd"], true, |p: &PoolRow| {
            money_cell(p.tvl_usd, "USD")
        }),
        Column::new("APY", &["apy"], true, |p: &PoolRow| rate_cell(p.apy)),
        Column::new(
            "Base / reward",
            &["apy_base", "apy_reward"],
            true,
            |p: &PoolRow| {
                Cell::new(
                    format!(
                        "{} / {}",
                        format_rate(p.apy_base),
                        format_rate(p.apy_reward)
                    ),
                    vec![raw_rate(p.apy_base), raw_rate(p.apy_reward)],
                )
            },
        ),
        Column::new(
            "30-day mean",
            &["apy_mean_30d"],
            true,
            |p: &PoolRow| match p.apy_mean_30d {
                Some(x) => rate_cell(x),
                None => Cell::new("-", vec![String::new()]),
            },
        ),
        Column::new(
            "mu ± sigma",
            &["mu", "sigma"],
            true,
            |p: &PoolRow| match (p.mu, p.sigma) {
                (Some(m), Some(s)) => Cell::new(
                    format!("{} ± {}", format_rate(m), format_rate(s)),
                    vec![raw_rate(m), raw_rate(s)],
                ),
                (m, s) => Cell::new(
                    "-",
                    vec![
                        m.map_or(String::new(), raw_rate),
                        s.map_or(String::new(), raw_rate),
                    ],
                ),
            },
        ),
        Column::new("IL risk", &["il_risk"], false, |p: &PoolRow| {
            Cell::new(
                if p.il_risk { "yes" } else { "no" },
                vec![p.il_risk.to_string()],
            )
        }),
        Column::new("Outlier", &["outlier"], false, |p: &PoolRow| {
            Cell::new(
                if p.outlier { "yes" } else { "no" },
                vec![p.outlier.to_string()],
            )
        }),
        Column::new("Verdict", &["verdict"], false, |p: &PoolRow| {
            Cell::plain(match p.verdict {
                Verdict::Sustainable => "sustainable",
                Verdict::Caution => "caution",
                Verdict::Unsustainable => "unsustainable",
            })
        }),
        Column::new("Reasons", &["reasons"], false, |p: &PoolRow| {
            Cell::plain(p.reasons.join("; "))
        }),
        Column::new("Pool id", &["pool"], false, |p: &PoolRow| {
            Cell::plain(&p.pool)
        }),
    ];
    Document {
        title: "Pools".into(),
        lines: vec![format!(
            "{} pools read, {} skipped for impossible values, {} match the filters; showing {}.",
            r.read,
            r.skipped,
            r.matched,
            r.pools.len()
        )],
        sections: vec![Section::Grid(Grid::build(
            "Pools", &columns, &r.pools, None,
        ))],
    }
}
