//! Container-start family: inputs that are not whole kubectl objects.

use kdiag::{Options, Severity};

fn ids(input: &str) -> Vec<(&'static str, Severity, Option<String>)> {
    let report = kdiag::diagnose_str(input, &Options::default()).unwrap();
    report
        .findings
        .iter()
        .map(|f| (f.id, f.severity, f.object.container.clone()))
        .collect()
}

#[test]
fn an_event_without_its_pod_name_is_still_diagnosed() {
    let input = r#"{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod"},"reason":"Failed","type":"Warning","message":"Error: configmap \"amun\" not found","source":{"component":"kubelet"}}"#;
    let report = kdiag::diagnose_str(input, &Options::default()).unwrap();
    let f = report.findings.first().unwrap();
    assert_eq!(f.id, "config.missing-configmap");
    // No namespace is known: no command invents one, and no shell redirect of a placeholder.
    for r in &f.remediation {
        for c in &r.commands {
            assert!(!c.contains("-n default"), "{c}");
            assert!(!c.contains("> <"), "{c}");
        }
    }
    assert!(f.title.contains("the pod's namespace"), "{}", f.title);
}

#[test]
fn events_without_field_paths_name_their_container_by_message() {
    // `kubectl get events` tables have no field path: the kill message names the container.
    let input = r#"
{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"gadget-nzg7r","namespace":"kube-system"},"reason":"Unhealthy","type":"Warning","message":"Liveness probe failed: ","count":3}
{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"gadget-nzg7r","namespace":"kube-system"},"reason":"Killing","type":"Normal","message":"Container gadget failed liveness probe, will be restarted"}
"#;
    assert_eq!(
        ids(input),
        [(
            "probe.liveness-failing",
            Severity::Error,
            Some("gadget".to_owned())
        )]
    );
}

#[test]
fn repeated_liveness_kills_are_a_crash_loop() {
    let input = r#"
{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"api-0","namespace":"shop","fieldPath":"spec.containers{api}"},"reason":"Unhealthy","type":"Warning","message":"Liveness probe failed: HTTP probe failed with statuscode: 500","count":9}
{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"api-0","namespace":"shop","fieldPath":"spec.containers{api}"},"reason":"Killing","type":"Normal","message":"Container api failed liveness probe, will be restarted","count":3}
"#;
    assert_eq!(
        ids(input).first().map(|f| f.0),
        Some("crashloop.liveness-killed")
    );
}

#[test]
fn an_init_container_known_only_from_events_is_init_failing() {
    let input = r#"{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"web-0","namespace":"shop","fieldPath":"spec.initContainers{migrate}"},"reason":"BackOff","type":"Warning","message":"Back-off restarting failed container migrate in pod web-0_shop(1)","count":5}"#;
    assert_eq!(ids(input).first().map(|f| f.0), Some("init.failing"));
}
