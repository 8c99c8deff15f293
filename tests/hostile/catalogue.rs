//! Reading `tests/hostile/catalogue.json` from Rust tests (included by `core/tests/hostile.rs`
//! and `cli/tests/hostile.rs` with `#[path]`, so both doors read the cases the same way).

use serde_json::Value;
use std::path::{Path, PathBuf};

/// `tests/hostile/`, from a crate one level below the repository root.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile")
}

/// The catalogue's cases.
pub fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join("catalogue.json")).expect("catalogue.json");
    let catalogue: Value = serde_json::from_str(&text).expect("catalogue.json is JSON");
    catalogue["cases"]
        .as_array()
        .expect("a list of cases")
        .clone()
}

/// A case's name.
pub fn name(case: &Value) -> &str {
    case["name"].as_str().expect("every case has a name")
}

/// A case's input bytes: inline text, a file of `inputs/`, or generated (`head`, then
/// `repeat` `times` times, then `tail`).
pub fn input_bytes(case: &Value) -> Vec<u8> {
    let input = &case["input"];
    if let Some(text) = input.get("text").and_then(Value::as_str) {
        return text.as_bytes().to_vec();
    }
    if let Some(file) = input.get("file").and_then(Value::as_str) {
        let path = dir().join("inputs").join(file);
        return std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let g = &input["generate"];
    let part = |k: &str| g[k].as_str().unwrap_or_default().as_bytes();
    let times = usize::try_from(g["times"].as_u64().expect("generate.times")).expect("fits");
    let mut out = part("head").to_vec();
    out.extend(part("repeat").repeat(times));
    out.extend_from_slice(part("tail"));
    out
}

/// A list of strings the case gives under `key` (empty when absent).
pub fn strings(case: &Value, key: &str) -> Vec<String> {
    case[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What no output may contain: the case's `never` strings and every secret canary.
pub fn never(case: &Value) -> Vec<String> {
    let mut never = strings(case, "never");
    never.push("CANARY".to_owned());
    never
}

/// The expected outcome file of a case.
pub fn expected_path(case: &Value) -> PathBuf {
    dir().join("expected").join(format!("{}.json", name(case)))
}
