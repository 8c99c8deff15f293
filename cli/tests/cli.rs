//! End-to-end tests of the `kdiag` command: exit codes, input decoding, output formats,
//! colour, pipes and the `explain` subcommand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use predicates::prelude::*;
use std::io::Write as _;
use std::process::Stdio;

fn kdiag() -> Command {
    let mut cmd = cargo_bin_cmd!("kdiag");
    // Tests must not depend on the caller's terminal settings.
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("COLUMNS");
    cmd
}

/// A healthy, running pod: no findings.
const HEALTHY: &str = r#"{"apiVersion":"v1","kind":"Pod",
  "metadata":{"name":"ok-1","namespace":"default"},
  "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]},
  "status":{"phase":"Running","containerStatuses":[{"name":"app","image":"nginx:1.27",
    "imageID":"","ready":true,"restartCount":0,"started":true,
    "state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]}}"#;

/// A Deployment's pod that cannot pull `nginx:v0` (tag not found): an `error` finding
/// `image-pull.not-found` once the image-pull rule exists.
const IMAGE_NOT_FOUND: &str = r#"{"apiVersion":"v1","kind":"List","items":[
{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"d1"},
 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:v0"}]}}}},
{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-7d9c","namespace":"default","uid":"r1",
   "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"d1","controller":true}]},
 "spec":{"selector":{"matchLabels":{"app":"web"}}}},
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9c-x2x","namespace":"default","uid":"p1",
   "labels":{"app":"web"},
   "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d9c","uid":"r1","controller":true}]},
 "spec":{"containers":[{"name":"app","image":"nginx:v0"}]},
 "status":{"phase":"Pending","containerStatuses":[{"name":"app","image":"nginx:v0","imageID":"",
   "ready":false,"restartCount":0,
   "state":{"waiting":{"reason":"ErrImagePull","message":"rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:v0\": failed to resolve reference \"docker.io/library/nginx:v0\": docker.io/library/nginx:v0: not found"}}}]}},
{"apiVersion":"v1","kind":"Event","metadata":{"name":"web-7d9c-x2x.1","namespace":"default"},
 "involvedObject":{"kind":"Pod","name":"web-7d9c-x2x","namespace":"default","uid":"p1","fieldPath":"spec.containers{app}"},
 "reason":"Failed","type":"Warning","count":3,"lastTimestamp":"2026-01-01T00:05:00Z",
 "message":"Failed to pull image \"nginx:v0\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:v0\": failed to resolve reference \"docker.io/library/nginx:v0\": docker.io/library/nginx:v0: not found"}
]}"#;

/// The report the library gives for `input` (what the command must agree with).
fn library_report(input: &str) -> kdiag::Report {
    kdiag::diagnose_str(input, &kdiag::Options::default()).expect("test input is readable")
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("stdout is UTF-8")
}

// ---- exit codes -------------------------------------------------------------------

#[test]
fn healthy_input_exits_0_for_every_fail_on() {
    for fail_on in ["error", "warning", "never"] {
        kdiag()
            .args(["--fail-on", fail_on])
            .write_stdin(HEALTHY)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("No problems found in 1 pod"));
    }
}

#[test]
fn image_not_found_exits_1_unless_fail_on_never() {
    kdiag().write_stdin(IMAGE_NOT_FOUND).assert().code(1);
    for (fail_on, code) in [("error", 1), ("warning", 1), ("never", 0)] {
        kdiag()
            .args(["--fail-on", fail_on])
            .write_stdin(IMAGE_NOT_FOUND)
            .assert()
            .code(code);
    }
}

#[test]
fn exit_code_agrees_with_the_report_for_every_fail_on() {
    // Holds whatever the engine finds today: the status follows the report's worst finding.
    for input in [HEALTHY, IMAGE_NOT_FOUND] {
        let worst = library_report(input).max_severity();
        for (fail_on, threshold) in [
            ("error", Some(kdiag::Severity::Error)),
            ("warning", Some(kdiag::Severity::Warning)),
            ("never", None),
        ] {
            let expected = match (worst, threshold) {
                (Some(w), Some(t)) if w <= t => 1,
                _ => 0,
            };
            kdiag()
                .args(["--fail-on", fail_on])
                .write_stdin(input)
                .assert()
                .code(expected);
        }
    }
}

#[test]
fn empty_input_exits_2_with_a_location() {
    for input in ["", "   \n\n"] {
        kdiag()
            .write_stdin(input)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("kdiag: cannot read input: "))
            .stderr(predicate::str::is_match(r"cannot read input: [^:]+: .+").unwrap());
    }
}

#[test]
fn missing_file_exits_2() {
    kdiag()
        .arg("/definitely/not/here.json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/definitely/not/here.json"));
}

#[test]
fn directory_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    kdiag()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["--output", "xml"][..],
        &["--fail-on", "sometimes"],
        &["--now", "yesterday"],
        &["--color", "rainbow"],
        &["--no-such-flag"],
        &["a.json", "b.json"],
        &["explain"],
        &["explain", "oom-killed", "--list"],
    ] {
        kdiag()
            .args(args)
            .write_stdin(HEALTHY)
            .assert()
            .code(2)
            .stderr(predicate::str::is_empty().not());
    }
}

#[test]
fn help_and_version_exit_0() {
    kdiag()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Usage: kdiag"));
    kdiag()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("kdiag "));
    kdiag().args(["explain", "--help"]).assert().code(0);
}

// ---- reading ------------------------------------------------------------------------

#[test]
fn reads_a_file_stdin_and_dash_alike() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pods.json");
    std::fs::write(&file, HEALTHY).unwrap();
    let from_file = stdout_of(kdiag().arg(&file).args(["-o", "json"]));
    let from_stdin = stdout_of(kdiag().args(["-o", "json"]).write_stdin(HEALTHY));
    let from_dash = stdout_of(kdiag().args(["-", "-o", "json"]).write_stdin(HEALTHY));
    assert_eq!(from_file, from_stdin);
    assert_eq!(from_dash, from_stdin);
}

#[test]
fn a_file_named_explain_is_read_as_dot_slash_explain() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("explain"), HEALTHY).unwrap();
    kdiag()
        .current_dir(dir.path())
        .arg("./explain")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found in 1 pod"));
}

#[test]
fn utf16le_with_bom_reads_like_utf8() {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(IMAGE_NOT_FOUND.encode_utf16().flat_map(u16::to_le_bytes));
    let expected = stdout_of(kdiag().args(["-o", "json"]).write_stdin(IMAGE_NOT_FOUND));
    kdiag()
        .args(["-o", "json"])
        .write_stdin(utf16)
        .assert()
        .stdout(expected)
        .stderr("");
}

#[test]
fn utf8_bom_is_ignored() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(HEALTHY.as_bytes());
    let expected = stdout_of(kdiag().args(["-o", "json"]).write_stdin(HEALTHY));
    kdiag()
        .args(["-o", "json"])
        .write_stdin(bytes)
        .assert()
        .code(0)
        .stdout(expected)
        .stderr("");
}

#[test]
fn invalid_utf8_is_read_with_a_note() {
    let input = HEALTHY.replace(
        "nginx:1.27\"}]",
        "nginx:1.27\",\"workingDir\":\"/caf\u{1}\"}]",
    );
    let bytes = input.replace('\u{1}', "").into_bytes();
    let mut bad = bytes.clone();
    // Put a Latin-1 é (0xE9, not UTF-8) inside a string value.
    let at = bad.windows(5).position(|w| w == b"/caf\"").unwrap() + 4;
    bad.insert(at, 0xE9);
    // The note is part of the report (an input warning), so every front end shows it.
    kdiag()
        .write_stdin(bad.clone())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("not valid UTF-8"));
    let json = stdout_of(kdiag().args(["--output", "json"]).write_stdin(bad));
    assert!(json.contains("\"location\": \"input\""), "{json}");
}

#[test]
fn now_is_accepted() {
    kdiag()
        .args(["--now", "2026-01-01T00:00:00Z"])
        .write_stdin(HEALTHY)
        .assert()
        .code(0);
}

// ---- output formats -------------------------------------------------------------------

#[test]
fn json_output_is_exactly_the_report() {
    for input in [HEALTHY, IMAGE_NOT_FOUND] {
        let out = stdout_of(kdiag().args(["--output", "json"]).write_stdin(input));
        let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(value["schema"], "kdiag.report/v1");
        assert_eq!(out, format!("{}\n", library_report(input).to_json_pretty()));
    }
}

#[test]
fn markdown_output_is_the_shared_rendering() {
    for input in [HEALTHY, IMAGE_NOT_FOUND] {
        let out = stdout_of(kdiag().args(["--output", "markdown"]).write_stdin(input));
        assert!(out.starts_with("# kdiag report\n"));
        assert_eq!(out, kdiag::render::markdown(&library_report(input)));
    }
}

#[test]
fn text_output_is_grouped_by_workload() {
    kdiag()
        .write_stdin(IMAGE_NOT_FOUND)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("Deployment default/web\n"))
        .stdout(predicate::str::contains("  error[image-pull.not-found]: "))
        .stdout(predicate::str::contains("evidence:"))
        .stdout(predicate::str::contains("what to do:"))
        .stdout(predicate::str::contains("$ kubectl"))
        // The summary counts one error (other findings, such as the stuck rollout, may join it).
        .stdout(
            predicate::str::is_match(r"\n1 error(, \d+ warnings?)?(, \d+ infos?)? in 1 pod, ")
                .unwrap(),
        );
}

#[test]
fn text_output_ends_with_the_summary_line() {
    for input in [HEALTHY, IMAGE_NOT_FOUND] {
        let out = stdout_of(kdiag().write_stdin(input));
        let summary = kdiag::render::summary_line(&library_report(input));
        assert!(out.ends_with(&format!("{summary}\n")), "{out}");
    }
}

#[test]
fn text_output_lists_input_warnings() {
    // One good document and one broken one: the good one is still diagnosed.
    let input = format!("{HEALTHY}\n{{\"kind\": \"Pod\", \"metadata\": ");
    let report = library_report(&input);
    assert!(
        !report.input_warnings.is_empty(),
        "the broken document is reported"
    );
    let out = stdout_of(kdiag().write_stdin(input));
    assert!(out.contains("input warnings"), "{out}");
    assert!(out.contains(&report.input_warnings[0].location), "{out}");
}

// ---- colour ---------------------------------------------------------------------------

#[test]
fn piped_output_has_no_escape_codes() {
    for input in [HEALTHY, IMAGE_NOT_FOUND] {
        kdiag()
            .write_stdin(input)
            .assert()
            .stdout(predicate::str::contains("\u{1b}").not());
    }
}

#[test]
fn no_color_wins_over_auto_and_always_forces() {
    kdiag()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .write_stdin(HEALTHY)
        .assert()
        .stdout(predicate::str::contains("\u{1b}").not());
    kdiag()
        .args(["--color", "always"])
        .write_stdin(HEALTHY)
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
    kdiag()
        .args(["--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .write_stdin(HEALTHY)
        .assert()
        .stdout(predicate::str::contains("\u{1b}").not());
}

#[test]
fn json_and_markdown_are_never_coloured() {
    for output in ["json", "markdown"] {
        kdiag()
            .args(["--output", output, "--color", "always"])
            .write_stdin(IMAGE_NOT_FOUND)
            .assert()
            .stdout(predicate::str::contains("\u{1b}").not());
    }
}

// ---- pipes ----------------------------------------------------------------------------

/// Run kdiag with its stdout already closed by the reader (as `kdiag | head -0` would).
fn run_with_closed_stdout(args: &[&str], input: &str) -> std::process::Output {
    let mut child = std::process::Command::new(cargo_bin!("kdiag"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // close the read end before kdiag writes anything
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn closed_stdout_pipe_does_not_panic() {
    // Big enough that the output never fits in one write, whatever the engine finds.
    let many: Vec<String> = (0..300)
        .map(|i| IMAGE_NOT_FOUND.replace("web", &format!("web{i}")))
        .collect();
    let input = many.join("\n");
    for args in [
        &[][..],
        &["-o", "json"],
        &["-o", "markdown"],
        &["--color", "always"],
    ] {
        let out = run_with_closed_stdout(args, &input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
    let out = run_with_closed_stdout(&["explain", "--list"], "");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(out.status.code(), Some(0));
}

// ---- explain --------------------------------------------------------------------------

#[test]
fn explain_list_prints_every_id() {
    let expected: String = kdiag::rules::ids().map(|id| format!("{id}\n")).collect();
    kdiag()
        .args(["explain", "--list"])
        .assert()
        .code(0)
        .stdout(expected);
}

#[test]
fn explain_every_listed_id_works() {
    for id in kdiag::rules::ids() {
        kdiag()
            .args(["explain", id])
            .assert()
            .code(0)
            .stdout(predicate::str::is_empty().not());
    }
}

#[test]
fn explain_unknown_id_exits_2_and_points_at_the_list() {
    kdiag()
        .args(["explain", "bogus"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown failure id `bogus`"))
        .stderr(predicate::str::contains("kdiag explain --list"));
}

#[test]
fn explain_suggests_close_ids() {
    kdiag()
        .args(["explain", "oom-kiled"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean oom-killed"));
}

// ---- kubectl plugin ---------------------------------------------------------------------

#[test]
fn works_under_the_kubectl_plugin_name() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("kubectl-kdiag{}", std::env::consts::EXE_SUFFIX);
    let plugin = dir.path().join(name);
    std::fs::copy(cargo_bin!("kdiag"), &plugin).unwrap();
    Command::new(&plugin)
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("kdiag "));
    Command::new(&plugin)
        .arg("--bogus")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage: kdiag"));
}
