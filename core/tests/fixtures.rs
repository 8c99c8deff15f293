//! Every fixture in `tests/fixtures/<id>/` must report `<id>` first, with evidence and
//! remediation; every fixture in `tests/fixtures/healthy/` must report no error or warning.
//! The whole report of each fixture is snapshotted, so any change of wording or order
//! shows in review (`cargo insta review`).

use kdiag::{Options, Report, Severity};
use std::path::Path;

fn diagnose(path: &Path) -> Report {
    let text = std::fs::read_to_string(path).unwrap();
    kdiag::diagnose_str(&text, &Options::default())
        .unwrap_or_else(|e| panic!("{}: unreadable: {e}", path.display()))
}

/// The ids a fixture must report, in order: its `<name>.expect` file (one id per line)
/// when there is one, else just its directory's id first.
fn expected_ids(path: &Path) -> (Vec<String>, bool) {
    match std::fs::read_to_string(path.with_extension("expect")) {
        Ok(list) => (
            list.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            true,
        ),
        Err(_) => (vec![expected_id(path)], false),
    }
}

fn expected_id(path: &Path) -> String {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap()
        .to_owned()
}

/// Values of env vars whose names look secret, as written in the fixture.
fn secret_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let l = line.to_ascii_lowercase();
        if l.contains("name")
            && ["password", "secret", "token"]
                .iter()
                .any(|w| l.contains(w))
        {
            for next in lines.iter().skip(i + 1).take(2) {
                let t = next.trim().trim_start_matches('-').trim();
                if let Some(v) = t
                    .strip_prefix("value:")
                    .or_else(|| t.strip_prefix("\"value\":"))
                {
                    let v = v
                        .trim()
                        .trim_end_matches(',')
                        .trim_matches('"')
                        .trim_matches('\'');
                    if v.len() >= 6 {
                        out.push(v.to_owned());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_fixture_reports_its_cause_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut checked = 0;
    let mut failures = Vec::new();
    insta::glob!("../../tests/fixtures", "**/*.{json,yaml,txt}", |path| {
        let report = diagnose(path);
        let json = report.to_json_pretty();
        let id = expected_id(path);
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let got: Vec<&str> = report.findings.iter().map(|f| f.id).collect();
        if id == "healthy" {
            let bad: Vec<_> = report.at_least(Severity::Warning).map(|f| f.id).collect();
            if !bad.is_empty() {
                failures.push(format!("{rel}: healthy input gave {bad:?}"));
            }
        } else {
            let (want, exact) = expected_ids(path);
            let ok = if exact {
                got == want
            } else {
                got.first().copied() == want.first().map(String::as_str)
            };
            if !ok {
                failures.push(format!(
                    "{rel}: want {want:?}{}, got {got:?}",
                    if exact { "" } else { " first" }
                ));
            }
            if !got.contains(&id.as_str()) {
                failures.push(format!("{rel}: {id} not reported"));
            }
        }
        for f in report.at_least(Severity::Warning) {
            assert!(!f.evidence.is_empty(), "{rel}: {} without evidence", f.id);
            assert!(
                !f.remediation.is_empty(),
                "{rel}: {} without remediation",
                f.id
            );
            assert!(
                !f.explanation.is_empty(),
                "{rel}: {} without explanation",
                f.id
            );
        }
        for secret in secret_values(&std::fs::read_to_string(path).unwrap()) {
            assert!(
                !json.contains(&secret),
                "{rel}: report echoes secret {secret:?}"
            );
        }
        let again = diagnose(path).to_json_pretty();
        assert_eq!(json, again, "{rel}: report is not deterministic");
        insta::assert_snapshot!(json);
        checked += 1;
    });
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 20, "only {checked} fixtures found");
}
