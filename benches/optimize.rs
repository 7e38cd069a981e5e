//! Benchmark of `optimize` (not a test).
//!
//! Run: `cargo bench --bench optimize` (set `BENCH_RUNS` for more than 5
//! runs). It builds a 50-position profile (staking, lending, liquidity and
//! farming over 12 protocols and 6 chains, an income goal, the income
//! template's strategy bounds and every lint cap) and times, in process,
//! the whole optimization (reading the profile, the linear program in two
//! stages, rounding and planning the chosen mix) for min-risk and
//! max-income, and min-CVaR over 2,000 one-year scenarios. Prints the
//! median of the runs. Targets: under 20 ms for min-risk and max-income,
//! under 300 ms for min-CVaR.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use yieldplan::engine::optimize::{GoalBand, Objective, OptimizeStatus};
use yieldplan::optimize::{OptimizeSettings, optimize_profile};
use yieldplan::rates::RateBook;

/// A profile of `n` positions, every weight free within the template.
fn profile(n: usize) -> String {
    let protocols = [
        "aave", "compound", "maker", "lido", "uniswap", "curve", "spark", "balancer", "yearn",
        "convex", "morpho", "pendle",
    ];
    let chains = [
        "ethereum",
        "arbitrum",
        "optimism",
        "base",
        "polygon",
        "avalanche",
    ];
    let staking = ["ETH", "SOL", "ADA", "DOT", "ATOM", "AVAX"];
    let stables = ["USDC", "USDT", "DAI"];
    let mut s = String::from(
        "name = \"Fifty\"\n[portfolio]\nvalue = 1000000\n[goal]\nannual_income = 45000\n\
         [assumptions]\ntax_rate = \"15%\"\n[optimize]\ntemplate = \"income\"\n",
    );
    for i in 0..n {
        let protocol = protocols[i % protocols.len()];
        let chain = chains[(i / 2) % chains.len()];
        let apy = 3 + (i * 7) % 11;
        let body = match i % 4 {
            0 => format!(
                "strategy = \"staking\"\nasset = \"{}\"\nmethod = \"delegated\"\n",
                staking[(i / 4) % staking.len()]
            ),
            1 => format!(
                "strategy = \"lending\"\nasset = \"{}\"\nprotocol = \"{protocol}\"\nchain = \"{chain}\"\napy = {{ low = \"{}%\", high = \"{}%\" }}\n",
                stables[(i / 4) % stables.len()],
                apy - 2,
                apy + 2
            ),
            2 => format!(
                "strategy = \"liquidity\"\npair = [\"ETH\", \"{}\"]\npool = \"constant-product\"\nprotocol = \"{protocol}\"\nchain = \"{chain}\"\nfee_apr = {{ low = \"{}%\", high = \"{}%\" }}\n",
                stables[(i / 4) % stables.len()],
                apy + 4,
                apy + 14
            ),
            _ => format!(
                "strategy = \"farming\"\nasset = \"USDC\"\nprotocol = \"{protocol}\"\nchain = \"{chain}\"\napy = {{ low = \"{}%\", high = \"{}%\" }}\nreward_apy = \"3%\"\n",
                apy + 2,
                apy + 10
            ),
        };
        let _ = write!(
            s,
            "[[position]]\nname = \"P{i}\"\n{body}weight = {{ max = \"100%\" }}\n"
        );
    }
    s
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let text = profile(50);
    let book = RateBook::default_book();
    let path = Path::new("fifty.toml");
    for objective in [Objective::MinRisk, Objective::MaxIncome, Objective::MinCvar] {
        let settings = OptimizeSettings {
            objective,
            band: GoalBand::Mid,
            scenarios: 2_000,
            seed: 1,
        };
        let mut status = None;
        let mut times = Vec::new();
        for _ in 0..=runs {
            let start = Instant::now();
            let (text2, spec, problems) =
                yieldplan::profile::read_profile(path, text.as_bytes()).expect("profile");
            let done =
                optimize_profile(path, &text2, &spec, problems, &book, settings).expect("optimize");
            times.push(start.elapsed().as_secs_f64());
            status = Some(done.report.status);
        }
        times.remove(0);
        let ms = median(times) * 1e3;
        let target = if objective == Objective::MinCvar {
            300.0
        } else {
            20.0
        };
        println!(
            "optimize 50 positions, {objective:<10} {:>9.2} ms  (target < {target} ms; {})",
            ms,
            match status {
                Some(OptimizeStatus::Optimal) => "optimal",
                _ => "infeasible",
            }
        );
    }
}
