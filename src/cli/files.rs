//! Every file the program reads or writes, and its standard streams: reads
//! with a size limit, output to stdout or atomically to `--output`, and error
//! text to stderr. Nothing else in the program touches the file system.
//! It must not interpret what it reads: parsing is the library's job.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use yieldplan::error::Diagnostics;
use yieldplan::profile::MAX_PROFILE_BYTES;

/// Reads a whole input file (a profile, a rate book, a pools snapshot) of at
/// most [`MAX_PROFILE_BYTES`] bytes. `what` names the file in errors.
///
/// # Errors
/// The path is missing, a directory, too large or unreadable.
pub fn read_limited(path: &Path, what: &str) -> Result<Vec<u8>> {
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

/// Writes one line of error text to stderr; a failure to write it is ignored
/// (there is nowhere left to report it).
pub fn print_error(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
}

/// Writes `text` to stdout, or atomically to `output` when given, never over
/// one of `inputs`.
///
/// # Errors
/// The output cannot be written, or would overwrite an input.
pub fn emit(output: Option<&Path>, inputs: &[&Path], text: &str) -> Result<()> {
    match output {
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
///
/// # Errors
/// `path` is one of `inputs`, a directory, in a missing directory, or cannot
/// be written.
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

/// The text of an error in the program's one style: a profile's diagnostics
/// as they render, anything else as `error: ` and its chain of causes.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {e:#}"),
    }
}

/// Prints an error to stderr in the program's one style.
pub fn report_error(e: &anyhow::Error) {
    print_error(&error_text(e));
}
