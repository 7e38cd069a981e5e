//! Glue between the command line and the library: read files, dispatch the
//! command, write the output, choose the exit code. All I/O of the program
//! happens here; the parts it calls are pure.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{
    CheckArgs, Cli, Command, CompareArgs, IlArgs, Output, PlanArgs, ProjectArgs, RatesArgs,
    StressArgs,
};
use crate::engine::check::{self, CheckReport, Policy};
use crate::engine::il::{self, IlQuery, Pool};
use crate::engine::simulate::{DEFAULT_PATHS, DEFAULT_SEED, SimSettings, simulate};
use crate::engine::{PlanReport, plan};
use crate::error::Diagnostics;
use crate::money::{MAX_MONEY, Money, decimal_from_f64};
use crate::profile::MAX_PROFILE_BYTES;
use crate::rates::RateBook;
use crate::report::{
    self, check_document, compare_document, il_document, plan_document, rates_document,
};

/// How a successful run ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: a check failed.
    CheckFailed,
    /// Exit code 2: some input was broken, reported on stderr, the rest done.
    InputError,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::CheckFailed => ExitCode::from(1),
            Outcome::InputError => ExitCode::from(2),
        }
    }
}

/// Prints an error to stderr in the program's one style.
pub fn report_error(e: &anyhow::Error) {
    let text = match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {e:#}"),
    };
    let _ = writeln!(io::stderr(), "{text}");
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Plan(a) => run_plan(a),
        Command::Check(a) => run_check(a),
        Command::Compare(a) => run_compare(a),
        Command::Il(a) => run_il(a),
        Command::Stress(a) => run_stress(a),
        Command::Project(a) => run_project(a),
        Command::Pools(a) => run_pools(a),
        Command::Rates(a) => run_rates(a),
    }
}

/// The default rate book, extended by `--rates` when given.
pub fn load_book(rates: Option<&Path>) -> Result<RateBook> {
    match rates {
        None => Ok(RateBook::default_book()),
        Some(path) => {
            let bytes = read_limited(path, "rate book")?;
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!(
                    "rate book {} is not valid UTF-8 text; save it as UTF-8",
                    path.display()
                )
            })?;
            Ok(RateBook::with_file(path, &text)?)
        }
    }
}

fn read_limited(path: &Path, what: &str) -> Result<Vec<u8>> {
    let meta = fs::metadata(path)
        .with_context(|| format!("cannot read {what} {}: check the path", path.display()))?;
    if meta.is_dir() {
        bail!(
            "{what} {} is a directory; give the path of a .toml file",
            path.display()
        );
    }
    if meta.len() > MAX_PROFILE_BYTES as u64 {
        bail!(
            "{what} {} is {} bytes, more than the {} MiB accepted; split it into smaller files",
            path.display(),
            meta.len(),
            MAX_PROFILE_BYTES / (1024 * 1024)
        );
    }
    fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// Reads, resolves and plans one profile.
pub fn plan_file(path: &Path, book: &RateBook) -> Result<PlanReport> {
    Ok(load_file(path, book)?.1)
}

/// Reads a pools snapshot, reporting what is wrong with it in the program's style.
pub fn read_pools(path: &Path) -> Result<crate::pools::Snapshot> {
    let bytes = read_limited(path, "pools snapshot")?;
    crate::pools::read_snapshot(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "pools snapshot {}: {e}\n  = help: save the response of the pools endpoint as it is, e.g. curl -o pools.json https://yields.llama.fi/pools",
            path.display()
        )
    })
}

/// Adds a snapshot's pools to a rate book, as `pool_id` sources.
fn add_pools(book: &mut RateBook, path: &Path) -> Result<()> {
    let snapshot = read_pools(path)?;
    let source = format!("DefiLlama pools snapshot {}", path.display());
    for p in &snapshot.pools {
        book.pools
            .insert(p.id.clone(), crate::rates::PoolEntry::from_pool(p, &source));
    }
    Ok(())
}

/// The rate book a command works with: the default, `--rates`, `--pools`.
pub fn book_for(out: &Output) -> Result<RateBook> {
    let mut book = load_book(out.rates.as_deref())?;
    if let Some(path) = &out.pools {
        add_pools(&mut book, path)?;
    }
    Ok(book)
}

fn run_plan(a: PlanArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let report = plan_file(&a.profile, &book)?;
    let text = report::render(a.out.format, &report, plan_document);
    emit(&a.out, &[a.profile.as_path()], &text)?;
    Ok(Outcome::Success)
}

/// Reads, resolves and plans one profile, keeping the portfolio. A
/// `[rates] pools` snapshot named in the profile (relative to its folder) is
/// read and added to the book first.
pub fn load_file(path: &Path, book: &RateBook) -> Result<(crate::model::Portfolio, PlanReport)> {
    let bytes = read_limited(path, "profile")?;
    let (text, spec, problems) = crate::profile::read_profile(path, &bytes)?;
    let portfolio = match &spec.pools_file {
        Some(file) if problems.is_empty() => {
            let base = path.parent().unwrap_or(Path::new("."));
            let mut own = book.clone();
            add_pools(&mut own, &base.join(&file.value))?;
            crate::load_read(path, &text, &spec, problems, &own)?
        }
        _ => crate::load_read(path, &text, &spec, problems, book)?,
    };
    let planned = plan(&portfolio);
    Ok((portfolio, planned))
}

/// Runs the Monte Carlo, with a progress bar on stderr when it is a terminal
/// and the run is long.
fn run_simulation(
    portfolio: &crate::model::Portfolio,
    planned: &PlanReport,
    settings: SimSettings,
) -> crate::engine::simulate::Simulation {
    use std::io::IsTerminal;
    let long = u64::from(settings.paths) * u64::from(settings.years) >= 50_000;
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
    let result = simulate(portfolio, planned, settings, &|| bar.inc(1));
    bar.finish_and_clear();
    result
}

fn run_project(a: ProjectArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let (portfolio, planned) = load_file(&a.profile, &book)?;
    let text = if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        let sim = run_simulation(&portfolio, &planned, settings);
        if let Some(path) = &a.sim.plot {
            let svg = report::simulation_svg(&sim)
                .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
            write_atomic(path, &[a.profile.as_path()], &svg)?;
        }
        report::render(a.out.format, &sim, report::simulation_document)
    } else {
        let projection = crate::engine::project::project(&portfolio, &planned, a.years);
        report::render(a.out.format, &projection, report::project_document)
    };
    emit(&a.out, &[a.profile.as_path()], &text)?;
    Ok(Outcome::Success)
}

fn run_stress(a: StressArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let bytes = read_limited(&a.profile, "profile")?;
    let portfolio = crate::load(&a.profile, &bytes, &book)?;
    let planned = plan(&portfolio);
    let report = crate::engine::stress::stress(&portfolio, &planned);
    let text = report::render(a.out.format, &report, report::stress_document);
    emit(&a.out, &[a.profile.as_path()], &text)?;
    Ok(Outcome::Success)
}

fn run_check(a: CheckArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let policy = Policy {
        require: a.require,
        deny: a.deny.clone(),
        allow: a.allow.clone(),
    };
    let mut broken = false;
    let verdicts = a
        .profiles
        .iter()
        .map(|path| match load_file(path, &book) {
            Ok((portfolio, plan)) => {
                let mut verdict = check::judge(&plan, &policy);
                if let Some(min) = a.min_success {
                    let settings = SimSettings {
                        years: 30,
                        paths: DEFAULT_PATHS,
                        seed: DEFAULT_SEED,
                    };
                    let sim = run_simulation(&portfolio, &plan, settings);
                    check::require_success(&mut verdict, sim.success_probability, min);
                }
                verdict
            }
            Err(e) => {
                broken = true;
                report_error(&e);
                let message = match e.downcast_ref::<Diagnostics>() {
                    Some(d) => d.to_string(),
                    None => format!("{e:#}"),
                };
                check::broken(&path.display().to_string(), message)
            }
        })
        .collect();
    let report = CheckReport::new(a.require, verdicts);
    let text = report::render(a.out.format, &report, check_document);
    let inputs: Vec<&Path> = a.profiles.iter().map(PathBuf::as_path).collect();
    emit(&a.out, &inputs, &text)?;
    Ok(if broken {
        Outcome::InputError
    } else if report.passed {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}

fn run_compare(a: CompareArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let loaded = a
        .profiles
        .iter()
        .map(|p| load_file(p, &book))
        .collect::<Result<Vec<_>>>()?;
    let plans: Vec<PlanReport> = loaded.iter().map(|(_, plan)| plan.clone()).collect();
    let mut report = check::compare(&plans);
    if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        for (row, (portfolio, plan)) in report.profiles.iter_mut().zip(&loaded) {
            row.success_probability = run_simulation(portfolio, plan, settings).success_probability;
        }
    }
    let text = report::render(a.out.format, &report, compare_document);
    let inputs: Vec<&Path> = a.profiles.iter().map(PathBuf::as_path).collect();
    emit(&a.out, &inputs, &text)?;
    Ok(Outcome::Success)
}

/// The pool an `il` command line describes.
fn il_pool(a: &IlArgs) -> Result<Pool> {
    let kind = a.pool.as_deref().unwrap_or(match (a.weights, a.range) {
        (Some(_), _) => "weighted",
        (_, Some(_)) => "concentrated",
        _ if a.amplification.is_some() => "stable",
        _ => "constant-product",
    });
    let pool = match (kind, a.weights, a.range) {
        ("weighted", Some((w, _)), None) => Pool::Weighted { weight: w },
        ("weighted", None, _) => bail!("--pool weighted needs --weights A:B, e.g. --weights 80:20"),
        ("concentrated", None, Some((lower, upper))) => Pool::Concentrated { lower, upper },
        ("concentrated", _, None) => {
            bail!("--pool concentrated needs --range LOWER:UPPER, e.g. --range 0.8:1.25")
        }
        ("stable", None, None) => Pool::Stable {
            amplification: a.amplification.unwrap_or(il::DEFAULT_AMPLIFICATION),
        },
        ("constant-product", None, None) => Pool::ConstantProduct,
        (kind, _, _) => {
            bail!("--pool {kind} does not take --weights or --range; drop them or change --pool")
        }
    };
    if a.amplification.is_some() && !matches!(pool, Pool::Stable { .. }) {
        bail!("--amplification applies only to --pool stable");
    }
    Ok(pool)
}

fn run_il(a: IlArgs) -> Result<Outcome> {
    let pool = il_pool(&a)?;
    let amount = match a.amount {
        None => None,
        Some(x) => match decimal_from_f64(x) {
            Some(d) if d > rust_decimal::Decimal::ZERO && d <= MAX_MONEY => Some(Money(d)),
            _ => bail!("--amount {x} must be a positive amount of at most 10^15"),
        },
    };
    let query = IlQuery {
        pool,
        ratio: a.ratio,
        volatility: a.volatility,
        volatility_b: a.volatility_b,
        correlation: a.correlation,
        years: a.years,
        amount,
    };
    let report =
        il::il_report(&query).map_err(|e| anyhow::anyhow!("{e}\n  = help: {}", e.help()))?;
    let currency = a.currency.to_ascii_uppercase();
    let text = report::render(a.format, &report, |r| il_document(r, &currency));
    let out = Output {
        format: a.format,
        rates: None,
        output: a.output.clone(),
        pools: None,
    };
    emit(&out, &[], &text)?;
    Ok(Outcome::Success)
}

fn filter_of(f: &crate::cli::PoolFilter) -> crate::pools::Filter {
    crate::pools::Filter {
        chain: f.chain.clone(),
        project: f.project.clone(),
        symbol: f.symbol.clone(),
        min_tvl: f.min_tvl,
        stablecoin: f.stablecoin,
        max_apy: f.max_apy,
    }
}

fn run_pools(a: crate::cli::PoolsArgs) -> Result<Outcome> {
    let snapshot = read_pools(&a.file)?;
    let report = crate::pools::list(&snapshot, &filter_of(&a.filter), a.sort, a.limit);
    let text = report::render(a.format, &report, report::pools_document);
    let out = Output {
        format: a.format,
        rates: None,
        output: a.output.clone(),
        pools: None,
    };
    emit(&out, &[a.file.as_path()], &text)?;
    Ok(Outcome::Success)
}

fn run_import(a: &crate::cli::ImportArgs) -> Result<Outcome> {
    let snapshot = read_pools(&a.file)?;
    let filter = filter_of(&a.filter);
    let pools: Vec<&crate::pools::Pool> =
        snapshot.pools.iter().filter(|p| filter.keeps(p)).collect();
    let source = format!(
        "DefiLlama pools snapshot {}",
        a.file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    let text = crate::pools::rate_book_extension(&pools, &source, a.as_of.as_deref());
    // The file must read back as a rate book before it is written.
    crate::rates::RateBook::with_file(&a.out, &text)?;
    write_atomic(&a.out, &[a.file.as_path()], &text)?;
    eprintln!(
        "wrote {} pools to {} ({} skipped for impossible values, {} left out by the filters)",
        pools.len(),
        a.out.display(),
        snapshot.skipped,
        snapshot.pools.len() - pools.len()
    );
    Ok(Outcome::Success)
}

fn run_rates(a: RatesArgs) -> Result<Outcome> {
    if let Some(crate::cli::RatesAction::Import(i)) = &a.action {
        return run_import(i);
    }
    let book = book_for(&a.out)?;
    let text = report::render(a.out.format, &book, rates_document);
    let inputs: Vec<&Path> = a.out.rates.iter().map(PathBuf::as_path).collect();
    emit(&a.out, &inputs, &text)?;
    Ok(Outcome::Success)
}

/// Writes the output to stdout, or atomically to `--output`.
fn emit(out: &Output, inputs: &[&Path], text: &str) -> Result<()> {
    match &out.output {
        None => write_stdout(text),
        Some(path) => write_atomic(path, inputs, text),
    }
}

/// Writes to stdout; a closed pipe (`yieldplan ... | head`) is not an error.
fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes through a temporary file in the same directory, then renames it
/// over `path`, so a reader never sees half a file and a failure leaves any
/// earlier file intact. Never overwrites an input.
pub fn write_atomic(path: &Path, inputs: &[&Path], text: &str) -> Result<()> {
    if let Some(input) = inputs.iter().find(|i| same_file(i, path)) {
        bail!(
            "--output {} is an input file ({}); choose another path so the input is not overwritten",
            path.display(),
            input.display()
        );
    }
    if path.is_dir() {
        bail!(
            "--output {} is a directory; give a file path such as plan.json",
            path.display()
        );
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write --output {}: the directory {} does not exist",
            path.display(),
            dir.display()
        );
    }
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| {
            format!(
                "cannot write --output {}: check that the directory is writable",
                path.display()
            )
        });
    }
    Ok(())
}
