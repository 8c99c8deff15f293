//! Generated pastes for property tests (included with `#[path]` by `core/tests/properties.rs`
//! and `bench/tests/linear_work.rs`): pieces of kubectl's printed forms, JSON and YAML
//! fragments, and arbitrary text, joined by lines.

use proptest::prelude::*;

/// Pieces of what people paste: kubectl's printed forms, JSON and YAML fragments, and
/// the characters that break naive readers.
pub fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Name:         web-7d9c-x2x".to_owned()),
        Just("Namespace:    default".to_owned()),
        Just("Status:       Pending".to_owned()),
        Just("Containers:\n  app:\n    State:          Waiting\n      Reason:       CrashLoopBackOff".to_owned()),
        Just("    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137".to_owned()),
        Just("Events:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------".to_owned()),
        Just("  Warning  Failed   21s (x3 over 1m)  kubelet  Error: ImagePullBackOff".to_owned()),
        Just("  Warning  FailedScheduling  5s  default-scheduler  0/3 nodes are available: 3 Insufficient cpu.".to_owned()),
        Just("NAME        READY   STATUS             RESTARTS   AGE".to_owned()),
        Just("web-1       0/1     CrashLoopBackOff   7          10m".to_owned()),
        Just("LAST SEEN   TYPE      REASON    OBJECT        MESSAGE".to_owned()),
        Just("2m          Warning   BackOff   pod/web-1     Back-off restarting failed container".to_owned()),
        Just("$ kubectl describe pod web-1 -n default".to_owned()),
        Just("$ kubectl logs web-1 --previous".to_owned()),
        Just("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},".to_owned()),
        Just("\"status\":{\"phase\":\"Pending\"}}".to_owned()),
        Just("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p".to_owned()),
        Just("---".to_owned()),
        Just("  limits:\n    memory: 1e400".to_owned()),
        Just("[[[{".to_owned()),
        Just("a: &a [*a, *a]".to_owned()),
        "[ -~]{0,40}",
        any::<String>(),
    ]
}

pub fn paste() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..30).prop_map(|lines| lines.join("\n"))
}

pub fn diagnose_json(text: &str) -> String {
    match kdiag::diagnose_str(text, &kdiag::Options::default()) {
        Ok(report) => report.to_json_pretty() + &kdiag::render::markdown(&report),
        Err(e) => e.to_string(),
    }
}
