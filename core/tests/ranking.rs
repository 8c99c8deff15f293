//! Ranking across families: a root cause comes before the finding it explains, even when
//! on its own it would only be a warning.

use kdiag::{Options, Severity};

/// A Deployment whose rollout exceeded its deadline; the new pod's container runs right
/// now but has been OOM-killed four times (on its own: a warning).
const STUCK_ON_A_RECOVERING_POD: &str = r#"
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"api","namespace":"prod","uid":"d1","annotations":{"deployment.kubernetes.io/revision":"2"}},
  "spec":{"replicas":1,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"api:2"}]}}},
  "status":{"replicas":2,"updatedReplicas":1,"availableReplicas":1,"unavailableReplicas":1,
   "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"api-7f9c6b5d4\" has timed out progressing."}]}},
 {"apiVersion":"apps/v1","kind":"ReplicaSet",
  "metadata":{"name":"api-7f9c6b5d4","namespace":"prod","uid":"r2","annotations":{"deployment.kubernetes.io/revision":"2"},
   "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"api","uid":"d1","controller":true}]},
  "spec":{"selector":{"matchLabels":{"app":"api"}}},"status":{"replicas":1,"readyReplicas":0}},
 {"apiVersion":"apps/v1","kind":"ReplicaSet",
  "metadata":{"name":"api-5b8d7c6f9","namespace":"prod","uid":"r1","annotations":{"deployment.kubernetes.io/revision":"1"},
   "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"api","uid":"d1","controller":true}]},
  "spec":{"selector":{"matchLabels":{"app":"api"}}},"status":{"replicas":1,"readyReplicas":1}},
 {"apiVersion":"v1","kind":"Pod",
  "metadata":{"name":"api-7f9c6b5d4-x2x9z","namespace":"prod","uid":"p2","labels":{"app":"api","pod-template-hash":"7f9c6b5d4"},
   "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"api-7f9c6b5d4","uid":"r2","controller":true}]},
  "spec":{"nodeName":"n1","containers":[{"name":"api","image":"api:2","resources":{"limits":{"memory":"256Mi"}}}]},
  "status":{"phase":"Running","containerStatuses":[{"name":"api","image":"api:2","imageID":"x","ready":false,"restartCount":4,
   "state":{"running":{"startedAt":"2026-11-20T10:00:00Z"}},
   "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-11-20T09:59:50Z"}}}]}}
]}"#;

#[test]
fn a_warning_level_cause_of_a_stuck_rollout_ranks_first_as_an_error() {
    let report = kdiag::diagnose_str(STUCK_ON_A_RECOVERING_POD, &Options::default()).unwrap();
    let ids: Vec<_> = report.findings.iter().map(|f| (f.id, f.severity)).collect();
    assert_eq!(
        ids,
        [
            ("oom-killed", Severity::Error),
            ("rollout.stuck", Severity::Error)
        ],
        "{}",
        report.to_json_pretty()
    );
}
