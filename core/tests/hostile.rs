//! The catalogue of hostile and broken inputs (`tests/hostile/catalogue.json`) through the
//! core: each case's exit status, error, first finding, object counts and warnings as the
//! catalogue states them; no secret echoed in any output; the same bytes on a second run;
//! and the whole outcome equal to `tests/hostile/expected/<name>.json`, which the CLI, the
//! WebAssembly module and the Python binding are compared with too.
//!
//! `KDIAG_BLESS=1 cargo test -p kdiag --test hostile` writes the expected files anew (read
//! the diff before committing it).

#[path = "../../tests/hostile/catalogue.rs"]
mod catalogue;

use kdiag::{Options, Report, Severity};

/// What every front end must give for a case: the report's JSON, or the error.
fn outcome(result: &Result<Report, kdiag::InputError>) -> String {
    match result {
        Ok(report) => report.to_json_pretty() + "\n",
        Err(e) => {
            let error =
                serde_json::json!({"error": {"location": e.location, "message": e.message}});
            serde_json::to_string_pretty(&error).unwrap() + "\n"
        }
    }
}

#[test]
fn catalogue() {
    let bless = std::env::var_os("KDIAG_BLESS").is_some();
    let mut failures = Vec::new();
    let cases = catalogue::cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    for case in &cases {
        let name = catalogue::name(case);
        let bytes = catalogue::input_bytes(case);
        let result = kdiag::diagnose_bytes(bytes.clone(), &Options::default());
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));

        let exit = match &result {
            Err(_) => 2,
            Ok(r) if r.max_severity() == Some(Severity::Error) => 1,
            Ok(_) => 0,
        };
        if Some(exit) != case["exit"].as_u64() {
            fail(format!("exit {exit}, catalogue says {}", case["exit"]));
        }
        match &result {
            Err(e) => {
                let said = format!("{}: {}", e.location, e.message);
                if let Some(want) = case["error"].as_str()
                    && !said.contains(want)
                {
                    fail(format!("error {said:?} does not contain {want:?}"));
                }
            }
            Ok(report) => {
                if let Some(first) = case["first"].as_str() {
                    let got = report.findings.first().map(|f| f.id);
                    if got != Some(first) {
                        fail(format!("first finding {got:?}, want {first}"));
                    }
                }
                if let Some(objects) = case["objects"].as_object() {
                    for (kind, n) in objects {
                        let got = report.summary.objects.get(kind).copied().unwrap_or(0);
                        if Some(got as u64) != n.as_u64() {
                            fail(format!("{got} {kind} read, want {n}"));
                        }
                    }
                }
                let warnings: Vec<String> = report
                    .input_warnings
                    .iter()
                    .map(|w| format!("{}: {}", w.location, w.message))
                    .collect();
                for want in catalogue::strings(case, "warnings") {
                    if !warnings.iter().any(|w| w.contains(&want)) {
                        fail(format!("no warning contains {want:?} in {warnings:#?}"));
                    }
                }
            }
        }

        let json = outcome(&result);
        let markdown = result
            .as_ref()
            .map(kdiag::render::markdown)
            .unwrap_or_default();
        for secret in &catalogue::never(case) {
            if json.contains(secret.as_str()) || markdown.contains(secret.as_str()) {
                fail(format!("the output contains {secret:?}"));
            }
        }
        if bytes.len() < 1 << 20 {
            let again = outcome(&kdiag::diagnose_bytes(bytes, &Options::default()));
            if again != json {
                fail("a second run gave other bytes".to_owned());
            }
        }

        let expected_path = catalogue::expected_path(case);
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &json).unwrap();
        } else {
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected == json => {}
                Ok(_) => fail(format!(
                    "outcome differs from {} (KDIAG_BLESS=1 to rewrite, then read the diff)",
                    expected_path.display()
                )),
                Err(_) => fail(format!(
                    "{} is missing (KDIAG_BLESS=1)",
                    expected_path.display()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
