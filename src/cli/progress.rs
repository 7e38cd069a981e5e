//! The Monte Carlo progress bar: on stderr, only when stderr is a terminal and
//! the run is long. It must not change what is computed or printed on stdout.

use std::io::{self, IsTerminal};
use std::path::Path;

use yieldplan::engine::PlanReport;
use yieldplan::engine::simulate::{SimSettings, Simulation, simulate};
use yieldplan::model::Portfolio;

/// Path-years below which no bar is shown.
const LONG_RUN: u64 = 50_000;

/// Runs the Monte Carlo of the profile at `profile`, with a progress bar on
/// stderr when it is a terminal and the run is long. `years_flag`: whether
/// the command takes `--years` (the refusal's help names it only then).
///
/// # Errors
/// A horizon the simulation refuses (amounts past its limit), naming the
/// profile.
pub fn simulate_with_progress(
    profile: &Path,
    portfolio: &Portfolio,
    planned: &PlanReport,
    settings: SimSettings,
    years_flag: bool,
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
    result.map_err(|e| {
        // Only a refusal that a shorter horizon cures points at one (not,
        // say, correlations that cannot hold together).
        let help = if years_flag || !e.help.contains("(--years") {
            e.help.clone()
        } else {
            format!(
                "{}; this command always simulates {} years, so see a shorter horizon with `yieldplan project {} --simulate --years N`",
                e.help.replace(" (--years)", ""),
                settings.years,
                crate::cli::files::shell_word(profile)
            )
        };
        anyhow::anyhow!(
            "{}: {e}\n  = help: {help}",
            crate::cli::files::shown(profile)
        )
    })
}
