//! Reading pasted text costs no more than reading the same objects as JSON.
//!
//! `cargo run --release -p kdiag-bench --example text_vs_json [MB]` generates the same pods
//! and events as `kubectl describe pod` text (about MB megabytes, default 10) and as a JSON
//! `List`, then times `kdiag::input::parse` on each (best of 3) and prints the ratio for the
//! same objects and per megabyte. `text_vs_json MB text` (or `json`) times one parse of
//! one side in a fresh process instead, the way a CLI run reads its input.

use std::time::{Duration, Instant};

fn best_of_3(text: &str) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut objects = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = kdiag::input::parse(text);
        let took = t.elapsed();
        objects = parsed.map(|p| p.objects.len()).unwrap_or(0);
        best = best.min(took);
    }
    (best, objects)
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let (text, json) = kdiag_bench::generate_text_pair(mb << 20);
    // `text_vs_json MB text|json`: one parse only, as a CLI run does (a fresh heap, cold
    // pages); run it in alternating processes to compare.
    if let Some(only) = std::env::args().nth(2) {
        let input = if only == "text" { &text } else { &json };
        let t = Instant::now();
        let parsed = kdiag::input::parse(input);
        let took = t.elapsed();
        println!("{only} {:.1}", took.as_secs_f64() * 1e3);
        drop(parsed);
        return;
    }
    let (t_text, n_text) = best_of_3(&text);
    let (t_json, n_json) = best_of_3(&json);
    let per_mb = |d: Duration, len: usize| d.as_secs_f64() * 1e3 / (len as f64 / 1_048_576.0);
    let per_obj = |d: Duration, n: usize| d.as_secs_f64() * 1e6 / n.max(1) as f64;
    println!(
        "text: {:.1} MB, {n_text} objects, {:.1} ms ({:.2} ms/MB, {:.2} µs/object)",
        text.len() as f64 / 1_048_576.0,
        t_text.as_secs_f64() * 1e3,
        per_mb(t_text, text.len()),
        per_obj(t_text, n_text)
    );
    println!(
        "json: {:.1} MB, {n_json} objects, {:.1} ms ({:.2} ms/MB, {:.2} µs/object)",
        json.len() as f64 / 1_048_576.0,
        t_json.as_secs_f64() * 1e3,
        per_mb(t_json, json.len()),
        per_obj(t_json, n_json)
    );
    println!(
        "text/json for the same objects: {:.2}; per MB: {:.2}",
        t_text.as_secs_f64() / t_json.as_secs_f64(),
        per_mb(t_text, text.len()) / per_mb(t_json, json.len())
    );
}
