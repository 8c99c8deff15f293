//! Reading pasted text costs no more than reading the same objects as JSON.
//!
//! `cargo run --release -p kdiag-bench --example text_vs_json [MB]` generates the same pods
//! and events as `kubectl describe pod` text (about MB megabytes, default 10) and as a
//! kubectl-style JSON `List`, then measures `kdiag::input::parse` on each two ways, side by
//! side in one run:
//!
//! - **fresh process**: both inputs are written to files, and this program runs itself once
//!   per parse (`text_vs_json --file PATH`, alternating text and JSON, 5 each): read the
//!   file, time one parse — what a CLI run does;
//! - **warm heap**: in this process, alternating text and JSON, best of 5 each.
//!
//! It prints the times and the text/JSON ratios for the same objects.

use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;

/// Time one parse; the parsed objects are dropped after the clock stops.
fn time_parse(text: &str) -> (Duration, usize) {
    let t = Instant::now();
    let parsed = kdiag::input::parse(text);
    let took = t.elapsed();
    (took, parsed.map(|p| p.objects.len()).unwrap_or(0))
}

/// `--file PATH`: read PATH, time one parse, print "<ms> <objects>".
fn child(path: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let (took, n) = time_parse(&text);
    println!("{:.3} {n}", took.as_secs_f64() * 1e3);
    Ok(())
}

/// Run this program on `path` in a fresh process; the parse time in ms.
fn fresh(path: &std::path::Path) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .arg("--file")
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .split_whitespace()
        .next()
        .and_then(|ms| ms.parse().ok())
        .ok_or_else(|| {
            format!(
                "child failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )
        })
}

/// The smallest and the median of some times.
fn min_median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--file") {
        return child(args.get(2).ok_or("--file needs a path")?);
    }
    let mb: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let (text, json) = kdiag_bench::generate_text_pair(mb << 20);
    let objects = |s: &str| kdiag::input::parse(s).map(|p| p.objects.len()).unwrap_or(0);
    println!(
        "text: {:.1} MB, json: {:.1} MB, {} / {} objects",
        text.len() as f64 / 1_048_576.0,
        json.len() as f64 / 1_048_576.0,
        objects(&text),
        objects(&json),
    );

    // KDIAG_BENCH_DIR keeps the two files there (to profile one side: `--file PATH`).
    let keep = std::env::var_os("KDIAG_BENCH_DIR");
    let dir = keep.clone().map_or_else(
        || std::env::temp_dir().join(format!("kdiag-text-vs-json-{}", std::process::id())),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (text_path, json_path) = (dir.join("pods.txt"), dir.join("pods.json"));
    std::fs::write(&text_path, &text).map_err(|e| e.to_string())?;
    std::fs::write(&json_path, &json).map_err(|e| e.to_string())?;
    let (mut ft, mut fj) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ft.push(fresh(&text_path)?);
        fj.push(fresh(&json_path)?);
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let ((ft_min, ft_med), (fj_min, fj_med)) = (min_median(ft), min_median(fj));
    println!(
        "fresh process ({ROUNDS} each): text {ft_min:.1} ms min / {ft_med:.1} median, \
         json {fj_min:.1} / {fj_med:.1}; text/json {:.2} (min) {:.2} (median)",
        ft_min / fj_min,
        ft_med / fj_med
    );

    let (mut wt, mut wj) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        wt = wt.min(time_parse(&text).0);
        wj = wj.min(time_parse(&json).0);
    }
    println!(
        "warm heap (best of {ROUNDS}): text {:.1} ms, json {:.1} ms; text/json {:.2}",
        wt.as_secs_f64() * 1e3,
        wj.as_secs_f64() * 1e3,
        wt.as_secs_f64() / wj.as_secs_f64()
    );
    Ok(())
}
