//! "Now" comes from the input unless the caller gives it.

use kdiag::{Options, Timestamp};

const PENDING: &str = r#"{"apiVersion":"v1","kind":"Pod",
 "metadata":{"name":"big","namespace":"default","creationTimestamp":"2026-11-20T09:00:00Z"},
 "spec":{"containers":[{"name":"app","image":"app:1","resources":{"requests":{"cpu":"8"}}}]},
 "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
   "lastTransitionTime":"2026-11-20T09:30:00Z",
   "message":"0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}]}}"#;

fn explanation(options: &Options) -> String {
    let report = kdiag::diagnose_str(PENDING, options).unwrap();
    assert_eq!(report.findings[0].id, "sched.insufficient-cpu");
    report.findings[0].explanation.clone()
}

#[test]
fn ages_are_measured_from_the_newest_timestamp_in_the_input() {
    // The newest timestamp is the condition's, 30 minutes after creation.
    assert!(explanation(&Options::default()).starts_with("Pending for 30m."));
}

#[test]
fn the_caller_can_say_when_now_is() {
    let now: Timestamp = "2026-11-21T09:00:00Z".parse().unwrap();
    assert!(explanation(&Options::with_now(now)).starts_with("Pending for 1d."));
}
