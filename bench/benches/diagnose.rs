//! kdiag's throughput benchmark: full diagnosis vs. the typed-parse floor vs. `Value`.
//!
//! `cargo bench -p kdiag-bench` generates the default dump (10,000 pods, 1,000 nodes,
//! 50,000 events) once, then times, round-robin so machine noise hits all equally:
//!
//! * `typed floor` — [`kdiag_bench::typed_floor`]: the same bytes into the same typed
//!   `k8s-openapi` objects, one pass, no kdiag code;
//! * `serde_json::Value` — [`kdiag_bench::value_parse`];
//! * `kdiag diagnose` — `kdiag::diagnose_str(text, &Options::default())`.
//! * `kdiag input::parse only` — reading without the rules, to split the cost.
//!
//! Peak heap is measured by a counting global allocator, once per case, outside the timed
//! runs. Targets: diagnose ≤ 1.25× the floor; peak ≤ 2.5× the input (input included).
//!
//! Environment: `KDIAG_BENCH_PODS`, `KDIAG_BENCH_NODES`, `KDIAG_BENCH_EVENTS`,
//! `KDIAG_BENCH_SEED` shape the dump; `KDIAG_BENCH_ITERS` (default 5) and
//! `KDIAG_BENCH_WARMUP` (default 1) the runs. Run without `--bench` (as `cargo test
//! --benches` does) it only smoke-tests on a small dump.

use kdiag_bench::alloc::{CURRENT, Counting, PEAK};
use kdiag_bench::{DumpSpec, generate, typed_floor, value_parse};
use std::hint::black_box;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

const DIAGNOSE_TARGET: f64 = 1.25;
const PEAK_TARGET: f64 = 2.5;

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak heap growth over what was live when `f` started (the result still counts: it is
/// live when `f` returns).
fn peak_extra<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    let extra = PEAK.load(Relaxed).saturating_sub(base);
    (out, extra)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number")),
        Err(_) => default,
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn median(xs: &mut [Duration]) -> Duration {
    xs.sort();
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2
    }
}

struct Case<'a> {
    name: &'static str,
    run: Box<dyn Fn() -> usize + 'a>,
    times: Vec<Duration>,
    peak: usize,
}

fn main() {
    let real = std::env::args().any(|a| a == "--bench");
    let default = if real {
        DumpSpec::default()
    } else {
        DumpSpec {
            pods: 300,
            nodes: 30,
            events: 1_500,
            ..DumpSpec::default()
        }
    };
    let spec = DumpSpec {
        pods: env_or("KDIAG_BENCH_PODS", default.pods),
        nodes: env_or("KDIAG_BENCH_NODES", default.nodes),
        events: env_or("KDIAG_BENCH_EVENTS", default.events),
        seed: env_or("KDIAG_BENCH_SEED", default.seed),
    };
    let iters: usize = env_or("KDIAG_BENCH_ITERS", if real { 5 } else { 1 }).max(1);
    let warmup: usize = env_or("KDIAG_BENCH_WARMUP", usize::from(real));
    if !real {
        println!("(smoke run: pass --bench, as `cargo bench` does, for the real benchmark)");
    }

    let start = Instant::now();
    let text = generate(&spec);
    let gen_time = start.elapsed();
    let input = text.len();
    println!(
        "dump: {} pods, {} nodes, {} events, {} deployments, {} replicasets = {} items, {:.1} MB (seed {}), generated in {:.2?}",
        spec.pods,
        spec.nodes,
        spec.events,
        spec.deployments(),
        spec.replicasets(),
        spec.items(),
        mb(input),
        spec.seed,
        gen_time
    );

    let options = kdiag::Options::default();
    let text = text.as_str();
    let mut cases = [
        Case {
            name: "typed floor (k8s-openapi)",
            run: Box::new(|| typed_floor(text)),
            times: Vec::new(),
            peak: 0,
        },
        Case {
            name: "serde_json::Value",
            run: Box::new(|| value_parse(text)),
            times: Vec::new(),
            peak: 0,
        },
        Case {
            name: "kdiag diagnose_str",
            run: Box::new(|| match kdiag::diagnose_str(text, &options) {
                Ok(report) => report.findings.len(),
                Err(_) => 0,
            }),
            times: Vec::new(),
            peak: 0,
        },
        Case {
            name: "kdiag input::parse only",
            run: Box::new(|| match kdiag::input::parse(text) {
                Ok(parsed) => parsed.objects.len(),
                Err(_) => 0,
            }),
            times: Vec::new(),
            peak: 0,
        },
    ];

    // Correctness first, and peak memory (one untimed call each).
    let (floor_items, floor_peak) = peak_extra(|| typed_floor(text));
    assert_eq!(floor_items, spec.items(), "typed floor read every item");
    cases[0].peak = floor_peak;
    let (value_items, value_peak) = peak_extra(|| value_parse(text));
    assert_eq!(value_items, spec.items(), "Value parse read every item");
    cases[1].peak = value_peak;
    let (report, diag_peak) = peak_extra(|| kdiag::diagnose_str(text, &options));
    cases[2].peak = diag_peak;
    match &report {
        Ok(r) => {
            let read: usize = r.summary.objects.values().sum();
            println!(
                "kdiag: read {read} objects; {} findings ({} errors, {} warnings, {} infos); {} input warnings",
                r.findings.len(),
                r.summary.errors,
                r.summary.warnings,
                r.summary.infos,
                r.input_warnings.len()
            );
            if read != spec.items() {
                println!(
                    "WARNING: kdiag read {read} objects, the dump has {}",
                    spec.items()
                );
            }
        }
        Err(e) => println!("WARNING: kdiag::diagnose_str failed: {e}"),
    }
    drop(report);
    let (_, parse_peak) = peak_extra(|| kdiag::input::parse(text).map(|p| p.objects.len()));
    cases[3].peak = parse_peak;

    // Timed runs, round-robin; the starting case rotates so none always runs first.
    let n = cases.len();
    for round in 0..warmup + iters {
        for k in 0..n {
            let case = &mut cases[(round + k) % n];
            let t = Instant::now();
            black_box((case.run)());
            let dt = t.elapsed();
            if round >= warmup {
                case.times.push(dt);
            }
        }
    }

    let medians: Vec<Duration> = cases.iter_mut().map(|c| median(&mut c.times)).collect();
    let floor = medians[0].as_secs_f64();
    println!();
    println!(
        "{} timed runs each after {} warm-up, median wall time; peak = heap high-water mark during one call",
        iters, warmup
    );
    println!(
        "{:<28} {:>10} {:>9} {:>9} {:>12} {:>11} {:>14}",
        "case", "median", "MB/s", "x floor", "min..max", "peak extra", "peak w/ input"
    );
    for (case, med) in cases.iter().zip(&medians) {
        let secs = med.as_secs_f64();
        let lo = case.times.iter().min().copied().unwrap_or_default();
        let hi = case.times.iter().max().copied().unwrap_or_default();
        println!(
            "{:<28} {:>8.1}ms {:>9.0} {:>8.2}x {:>5.0}..{:<5.0}ms {:>8.1} MB {:>10.2}x in",
            case.name,
            secs * 1e3,
            mb(input) / secs,
            secs / floor,
            lo.as_secs_f64() * 1e3,
            hi.as_secs_f64() * 1e3,
            mb(case.peak),
            (input + case.peak) as f64 / input as f64,
        );
    }
    let diag_ratio = medians[2].as_secs_f64() / floor;
    let value_ratio = medians[1].as_secs_f64() / floor;
    let peak_ratio = (input + diag_peak) as f64 / input as f64;
    println!();
    println!(
        "diagnose/floor = {diag_ratio:.2}x  value/floor = {value_ratio:.2}x  peak = {peak_ratio:.2}x input ({:.1} MB input + {:.1} MB extra)",
        mb(input),
        mb(diag_peak)
    );
    if diag_ratio > DIAGNOSE_TARGET {
        println!("WARNING: diagnose/floor {diag_ratio:.2}x is above the {DIAGNOSE_TARGET}x target");
    }
    if peak_ratio > PEAK_TARGET {
        println!("WARNING: peak memory {peak_ratio:.2}x input is above the {PEAK_TARGET}x target");
    }
}
