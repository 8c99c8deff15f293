//! The index rules read (placeholder).
use crate::{Object, Timestamp};
use std::collections::BTreeMap;

/// All objects of one input, indexed for the rules.
#[derive(Debug, Default)]
pub struct Snapshot {
    objects: Vec<Object>,
    now: Option<Timestamp>,
}

impl Snapshot {
    /// Index the objects.
    pub fn new(objects: Vec<Object>, now: Option<Timestamp>) -> Self {
        Snapshot { objects, now }
    }
    /// Objects per kind.
    pub fn object_counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for o in &self.objects {
            *m.entry(o.kind().to_string()).or_default() += 1;
        }
        let _ = self.now;
        m
    }
}
