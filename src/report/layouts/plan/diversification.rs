//! The plan's diversification fields: the portfolio's shares by protocol,
//! chain, asset group and strategy, and how much of it depends on smart
//! contracts, as the engine measured them. Shares are fractions shown as percents; amounts are in the
//! portfolio's currency. Formats only; computes nothing.

use crate::engine::risk::{Diversification, Exposure};
use crate::money::{format_money, format_rate};
use crate::report::document::Section;

/// "aave 40.00%, lido 30.00%", or "none".
fn exposure_list(items: &[Exposure]) -> String {
    if items.is_empty() {
        return "none".to_string();
    }
    items
        .iter()
        .map(|e| format!("{} {}", e.name, format_rate(e.share)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The diversification fields; amounts in `currency`.
pub(super) fn diversification_section(d: &Diversification, currency: &str) -> Section {
    Section::Fields {
        raws: Vec::new(),
        title: "Diversification".into(),
        rows: vec![
            ("By protocol".into(), exposure_list(&d.by_protocol)),
            (
                "By chain (on-chain positions)".into(),
                exposure_list(&d.by_chain),
            ),
            ("By asset group".into(), exposure_list(&d.by_asset_group)),
            ("By strategy".into(), exposure_list(&d.by_strategy)),
            (
                "DeFi / non-DeFi".into(),
                format!(
                    "{} ({}) / {} ({})",
                    format_rate(d.defi.share),
                    format_money(d.defi.amount, currency),
                    format_rate(d.non_defi.share),
                    format_money(d.non_defi.amount, currency)
                ),
            ),
        ],
    }
}
