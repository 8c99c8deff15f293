//! Where the time of one diagnosis goes: reading, indexing, rules, and freeing.
//!
//! `cargo run --release -p kdiag-bench --example phases -- DUMP.json [ROUNDS]`
//! (make a dump with `cargo run --release -p kdiag-bench --bin gen-dump -- DUMP.json`).
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: phases DUMP.json [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let text = std::fs::read_to_string(path)?;
    for _ in 0..rounds {
        let t = Instant::now();
        let parsed = kdiag::input::parse(&text)?;
        let read = t.elapsed();
        let objects = parsed.objects.len();
        let t = Instant::now();
        let snapshot = kdiag::Snapshot::new(parsed.objects, None);
        let index = t.elapsed();
        let t = Instant::now();
        let report = kdiag::rules::run(&snapshot);
        let rules = t.elapsed();
        let t = Instant::now();
        drop(snapshot);
        let free = t.elapsed();
        println!(
            "read {read:.0?}  index {index:.0?}  rules {rules:.0?}  free {free:.0?}  ({objects} objects, {} findings)",
            report.findings.len()
        );
    }
    Ok(())
}
