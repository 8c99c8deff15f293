//! `gen-dump [--pods N] [--nodes N] [--events N] [--seed N] OUT.json`
//!
//! Writes a deterministic synthetic cluster dump, as `kubectl get
//! deployments,replicasets,pods,nodes,events -A -o json` would print it (`-` writes to
//! stdout). Defaults: 10,000 pods, 1,000 nodes, 50,000 events, seed 42 (about 100 MB).

use kdiag_bench::{DumpSpec, write_dump};
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen-dump [--pods N] [--nodes N] [--events N] [--seed N] OUT.json";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("gen-dump: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut spec = DumpSpec::default();
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let slot = match flag.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--pods" => &mut spec.pods,
            "--nodes" => &mut spec.nodes,
            "--events" => &mut spec.events,
            "--seed" => {
                let v = inline
                    .or_else(|| args.next())
                    .ok_or("--seed needs a value")?;
                spec.seed = v.parse().map_err(|e| format!("--seed {v}: {e}"))?;
                continue;
            }
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option {f}")),
            _ => {
                if out.replace(arg).is_some() {
                    return Err("more than one output file given".into());
                }
                continue;
            }
        };
        let v = inline
            .or_else(|| args.next())
            .ok_or_else(|| format!("{flag} needs a value"))?;
        *slot = v.parse().map_err(|e| format!("{flag} {v}: {e}"))?;
    }
    let out = out.ok_or("no output file given")?;
    let start = Instant::now();
    let written = if out == "-" {
        let stdout = std::io::stdout();
        let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
        write_dump(&spec, &mut w).and_then(|()| w.flush())
    } else {
        std::fs::File::create(&out).and_then(|f| {
            let mut w = BufWriter::with_capacity(1 << 20, f);
            write_dump(&spec, &mut w).and_then(|()| w.flush())
        })
    };
    match written {
        // `gen-dump - | head` is fine.
        Err(e) if out == "-" && e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(|e| format!("{out}: {e}"))?,
    }
    if out != "-" {
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "gen-dump: wrote {out}: {:.1} MB, {} items ({} pods, {} nodes, {} events, {} deployments, {} replicasets) in {:.2?}",
            bytes as f64 / 1e6,
            spec.items(),
            spec.pods,
            spec.nodes,
            spec.events,
            spec.deployments(),
            spec.replicasets(),
            start.elapsed()
        );
    }
    Ok(())
}
