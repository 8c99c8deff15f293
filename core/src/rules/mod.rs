//! The rules (placeholder).
use crate::{Report, SCHEMA, Snapshot, Summary};

/// Run every rule.
pub fn run(snapshot: &Snapshot) -> Report {
    let _ = snapshot;
    Report { schema: SCHEMA, summary: Summary::default(), findings: vec![], input_warnings: vec![] }
}

/// Every failure id kdiag knows, in taxonomy order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    [].into_iter()
}

/// The user documentation (Markdown) of a failure id.
pub fn explain(id: &str) -> Option<&'static str> {
    let _ = id;
    None
}
