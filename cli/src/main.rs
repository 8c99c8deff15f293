//! `kdiag` — diagnose why Kubernetes pods will not start, offline.
//!
//! ```text
//! kubectl get pods,nodes,events -o json | kdiag
//! kdiag dump.yaml --output markdown > ticket.md
//! kdiag dump.json --fail-on warning      # exit 1 on any warning (CI)
//! kdiag explain image-pull.not-found
//! ```
//!
//! Exit status: 0 nothing at or above `--fail-on` (default `error`); 1 findings at or
//! above it; 2 the input could not be read at all, or the arguments are wrong.
//!
//! As a kubectl plugin: copy or symlink the binary to `kubectl-kdiag` anywhere on `PATH`,
//! then `kubectl kdiag dump.json` works the same (the program name is fixed to `kdiag`,
//! whatever name it was started under).

mod text;

use clap::{Parser, Subcommand, ValueEnum};
use kdiag::{Options, Report, Severity, Timestamp};
use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

/// Diagnose why Kubernetes pods won't start — offline, from what kubectl printed.
///
/// Reads Pods, Nodes, Events and workloads (JSON or YAML, as `kubectl get -o json|yaml`
/// prints them, several documents or lists at once) and names the root cause of every
/// failure, with the evidence and the fix.
#[derive(Debug, Parser)]
#[command(
    name = "kdiag",
    bin_name = "kdiag",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  \
        kubectl get pods,nodes,events -o json | kdiag\n  \
        kdiag dump.yaml --output markdown > ticket.md\n  \
        kdiag explain --list\n\n\
        A file literally named `explain` can be read as `./explain`.\n\
        As a kubectl plugin: copy or symlink this binary to `kubectl-kdiag` on PATH, \
        then run `kubectl kdiag`.\n\
        Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, \
        2 unreadable input or bad arguments."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    diagnose: DiagnoseArgs,
}

/// The arguments of a diagnosis (the default action).
#[derive(Debug, clap::Args)]
struct DiagnoseArgs {
    /// File to read; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,

    /// How to print the report.
    #[arg(short, long, value_enum, default_value_t = Output::Text)]
    output: Output,

    /// Exit with status 1 when a finding at or above this severity is found.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    fail_on: FailOn,

    /// Measure ages against this moment (RFC 3339, e.g. 2026-01-01T00:00:00Z) instead of
    /// the newest timestamp in the input.
    #[arg(long, value_parser = parse_now, value_name = "RFC3339")]
    now: Option<Timestamp>,

    /// When to colour the text output (`auto`: only on a terminal and without NO_COLOR).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Explain a failure id: what it means, why it happens, how to fix it.
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The failure id, e.g. `oom-killed` (see `kdiag explain --list`).
    #[arg(required_unless_present = "list", conflicts_with = "list")]
    id: Option<String>,

    /// List every failure id, one per line.
    #[arg(long)]
    list: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// For people: grouped by workload, coloured on a terminal.
    Text,
    /// The report (schema `kdiag.report/v1`), for tools.
    Json,
    /// A Markdown document, for a ticket or chat.
    Markdown,
}

/// The `--fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on errors and warnings.
    Warning,
    /// Never fail because of findings.
    Never,
}

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

fn parse_now(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>()
        .map_err(|e| format!("expected an RFC 3339 timestamp such as 2026-01-01T00:00:00Z ({e})"))
}

/// Exit status: nothing at or above `--fail-on`.
const EXIT_OK: u8 = 0;
/// Exit status: findings at or above `--fail-on`.
const EXIT_FINDINGS: u8 = 1;
/// Exit status: unreadable input or bad arguments.
const EXIT_TROUBLE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_OK
            });
        }
    };
    ExitCode::from(match cli.command {
        Some(Command::Explain(args)) => explain(&args),
        None => diagnose(&cli.diagnose),
    })
}

/// Say something on stderr, prefixed with the program name. Failing to write to stderr
/// is ignored: there is nowhere left to report it.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "kdiag: {message}");
}

/// Write everything to stdout. A closed pipe (`kdiag | head`) is not an error: the reader
/// has seen what it wanted. Any other failure is reported and turns the status into 2.
fn emit(bytes: &[u8], color: Color, status: u8) -> u8 {
    let stdout = std::io::stdout().lock();
    let mut stream = match color {
        // Colour only on a terminal, and never with NO_COLOR set (CLICOLOR_FORCE forces).
        Color::Auto => anstream::AutoStream::auto(stdout),
        Color::Always => anstream::AutoStream::always(stdout),
        Color::Never => anstream::AutoStream::never(stdout),
    };
    match stream.write_all(bytes).and_then(|()| stream.flush()) {
        Ok(()) => status,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status,
        Err(e) => {
            complain(&format!("cannot write output: {e}"));
            EXIT_TROUBLE
        }
    }
}

fn diagnose(args: &DiagnoseArgs) -> u8 {
    let bytes = match read_input(args.file.as_deref()) {
        Ok(bytes) => bytes,
        Err(message) => {
            complain(&message);
            return EXIT_TROUBLE;
        }
    };
    let options = match args.now {
        Some(now) => Options::with_now(now),
        None => Options::default(),
    };
    let report = match kdiag::diagnose_bytes(bytes, &options) {
        Ok(report) => report,
        Err(e) => {
            complain(&format!(
                "cannot read input: {}: {}",
                text::clean(&e.location),
                text::clean(&e.message)
            ));
            return EXIT_TROUBLE;
        }
    };
    let status = status_for(&report, args.fail_on);
    let rendered = match args.output {
        Output::Json => {
            let mut json = report.to_json_pretty();
            json.push('\n');
            json
        }
        Output::Markdown => kdiag::render::markdown(&report),
        Output::Text => text::render(&report, text_width()),
    };
    match args.output {
        // Styled text goes through anstream, which drops the styles where unwanted.
        Output::Text => emit(rendered.as_bytes(), args.color, status),
        // JSON and Markdown carry no styles and are written byte for byte.
        Output::Json | Output::Markdown => write_plain(rendered.as_bytes(), status),
    }
}

/// Write bytes to stdout as they are (no escape-sequence processing).
fn write_plain(bytes: &[u8], status: u8) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => status,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status,
        Err(e) => {
            complain(&format!("cannot write output: {e}"));
            EXIT_TROUBLE
        }
    }
}

/// The exit status a report earns under `--fail-on`.
fn status_for(report: &Report, fail_on: FailOn) -> u8 {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Never => return EXIT_OK,
    };
    if report.at_least(threshold).next().is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Read the whole input: a file, or stdin for no path or `-`. At most one byte more than
/// the core reads ([`kdiag::input::MAX_INPUT_BYTES`]), so an endless pipe is refused
/// instead of filling the memory.
fn read_input(path: Option<&std::path::Path>) -> Result<Vec<u8>, String> {
    let limit = u64::try_from(kdiag::input::MAX_INPUT_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    match path {
        Some(p) if p.as_os_str() != "-" => {
            if p.is_dir() {
                return Err(format!("cannot read {}: is a directory", p.display()));
            }
            std::fs::File::open(p)
                .and_then(|f| f.take(limit).read_to_end(&mut bytes))
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        }
        _ => {
            let stdin = std::io::stdin().lock();
            if stdin.is_terminal() {
                complain(
                    "reading from the terminal; paste kubectl output and press Ctrl-D \
                     (or pipe it in: kubectl get pods,events -o json | kdiag)",
                );
            }
            stdin
                .take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
        }
    }
    Ok(bytes)
}

/// Columns to wrap text at: `COLUMNS`, else the terminal's width, else 80; kept between
/// 40 and 100 so paragraphs stay readable.
fn text_width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(80);
    columns.clamp(40, 100)
}

fn explain(args: &ExplainArgs) -> u8 {
    if args.list {
        let mut list = String::new();
        for id in kdiag::rules::ids() {
            list.push_str(id);
            list.push('\n');
        }
        return write_plain(list.as_bytes(), EXIT_OK);
    }
    let Some(id) = args.id.as_deref() else {
        complain("give a failure id, or --list to see them all");
        return EXIT_TROUBLE;
    };
    let id = id.trim();
    match kdiag::rules::explain(id) {
        Some(doc) => {
            let mut doc = doc.to_string();
            if !doc.ends_with('\n') {
                doc.push('\n');
            }
            write_plain(doc.as_bytes(), EXIT_OK)
        }
        None if kdiag::rules::ids().any(|known| known == id) => {
            let note = format!("{id}: no documentation has been written for this id yet\n");
            write_plain(note.as_bytes(), EXIT_OK)
        }
        None => {
            let mut message = format!("unknown failure id `{}`", text::clean(id));
            let close = similar_ids(id);
            if !close.is_empty() {
                message.push_str(&format!("; did you mean {}?", close.join(", ")));
            }
            message.push_str("\nrun `kdiag explain --list` to see every id");
            complain(&message);
            EXIT_TROUBLE
        }
    }
}

/// Known ids that look like `id`: containing it, or a short edit away.
fn similar_ids(id: &str) -> Vec<&'static str> {
    let wanted = id.to_lowercase();
    if wanted.is_empty() {
        return Vec::new();
    }
    kdiag::rules::ids()
        .filter(|known| {
            known.contains(wanted.as_str())
                || known.rsplit('.').next().is_some_and(|m| m == wanted)
                || edit_distance(known, &wanted) <= 2
        })
        .take(5)
        .collect()
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != *cb);
            let delete = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = row.last().copied().unwrap_or(usize::MAX).saturating_add(1);
            row.push(substitute.min(delete).min(insert));
        }
        prev = row;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("oom-killed", "oom-killed"), 0);
        assert_eq!(edit_distance("oom-killed", "oom-kiled"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn explain_file_named_explain_is_a_path() {
        let cli = Cli::try_parse_from(["kdiag", "./explain"]);
        assert!(cli.is_ok_and(|c| c.command.is_none()
            && c.diagnose.file.as_deref() == Some(std::path::Path::new("./explain"))));
        let cli = Cli::try_parse_from(["kdiag", "explain", "--list"]);
        assert!(cli.is_ok_and(|c| matches!(
            c.command,
            Some(Command::Explain(ExplainArgs { list: true, .. }))
        )));
    }

    #[test]
    fn now_must_be_rfc3339() {
        assert!(parse_now("2026-01-01T00:00:00Z").is_ok());
        assert!(parse_now("2026-01-01T02:00:00+02:00").is_ok());
        assert!(parse_now("yesterday").is_err());
    }
}
