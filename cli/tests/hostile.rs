//! The catalogue of hostile inputs (`tests/hostile/`) through the command: piped on stdin,
//! each case exits as the catalogue says, prints exactly the core's outcome
//! (`expected/<name>.json`: the report, or the error on stderr), and its text and Markdown
//! echo no secret and write no terminal control character.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/hostile/catalogue.rs"]
mod catalogue;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn run(bytes: &[u8], output: &str) -> std::process::Output {
    cargo_bin_cmd!("kdiag")
        .args(["--output", output])
        .env("NO_COLOR", "1")
        .write_stdin(bytes.to_vec())
        .output()
        .expect("kdiag runs")
}

#[test]
fn catalogue() {
    let mut failures = Vec::new();
    for case in catalogue::cases() {
        let name = catalogue::name(&case);
        let bytes = catalogue::input_bytes(&case);
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(catalogue::expected_path(&case)).expect("expected file"),
        )
        .unwrap();
        let out = run(&bytes, "json");
        let code = out.status.code();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if code.map(u64::try_from) != Some(Ok(case["exit"].as_u64().unwrap())) {
            failures.push(format!(
                "{name}: exit {code:?}, want {}: {stderr}",
                case["exit"]
            ));
        }
        match expected.get("error") {
            Some(error) => {
                let said = format!(
                    "kdiag: cannot read input: {}: {}\n",
                    error["location"].as_str().unwrap(),
                    error["message"].as_str().unwrap()
                );
                if stderr != said || !stdout.is_empty() {
                    failures.push(format!("{name}: stderr {stderr:?}, want {said:?}"));
                }
            }
            None => {
                let file = std::fs::read_to_string(catalogue::expected_path(&case)).unwrap();
                if stdout != file {
                    failures.push(format!("{name}: the JSON report differs from the core's"));
                }
            }
        }
        if bytes.len() > 1 << 20 {
            continue;
        }
        for output in ["text", "markdown"] {
            let out = run(&bytes, output);
            let printed =
                String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
            for secret in catalogue::never(&case) {
                if printed.contains(&secret) {
                    failures.push(format!("{name}: --output {output} prints {secret:?}"));
                }
            }
            if let Some(c) = printed.chars().find(|&c| c.is_control() && c != '\n') {
                failures.push(format!(
                    "{name}: --output {output} prints U+{:04X}",
                    u32::from(c)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
