//! The Monte Carlo progress bar: on stderr, only when stderr is a terminal and
//! the run is long. It must not change what is computed or printed on stdout.

use std::io::{self, IsTerminal};

use yieldplan::engine::PlanReport;
use yieldplan::engine::simulate::{SimSettings, Simulation, simulate};
use yieldplan::model::Portfolio;

/// Path-years below which no bar is shown.
const LONG_RUN: u64 = 50_000;

/// Runs the Monte Carlo, with a progress bar on stderr when it is a terminal
/// and the run is long.
///
/// # Errors
/// A horizon the simulation refuses (amounts past its limit).
pub fn simulate_with_progress(
    portfolio: &Portfolio,
    planned: &PlanReport,
    settings: SimSettings,
) -> anyhow::Result<Simulation> {
    let long = u64::from(settings.paths) * u64::from(settings.years) >= LONG_RUN;
    let bar = if long && io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(u64::from(settings.paths));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} simulating {pos}/{len} paths {bar:30} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let result = if bar.is_hidden() {
        simulate(portfolio, planned, settings, &|| {})
    } else {
        simulate(portfolio, planned, settings, &|| bar.inc(1))
    };
    bar.finish_and_clear();
    result.map_err(|e| anyhow::anyhow!("{e}\n  = help: {}", e.help))
}
