//! # kdiag — why won't my Kubernetes pod start?
//!
//! kdiag reads Pod, Node, Event and workload objects (JSON or YAML, as `kubectl get -o json`
//! prints them), names the root cause of each failure, shows the evidence and says exactly
//! what to change. It works offline: no cluster access, no network, no I/O at all in this
//! crate.
//!
//! ```
//! let text = r#"{"apiVersion":"v1","kind":"Pod",
//!   "metadata":{"name":"web-1","namespace":"default"},
//!   "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]},
//!   "status":{"phase":"Running","containerStatuses":[{"name":"app","image":"nginx:1.27",
//!     "imageID":"","ready":false,"restartCount":4,
//!     "state":{"waiting":{"reason":"CrashLoopBackOff"}},
//!     "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}}"#;
//! let report = kdiag::diagnose_str(text, &kdiag::Options::default()).unwrap();
//! assert_eq!(report.findings[0].id, "oom-killed");
//! ```
//!
//! Rust tools that already hold `k8s-openapi` objects skip the text step with
//! [`diagnose`]. The library enables no `k8s-openapi` version feature; the binary that
//! uses it picks one (as `k8s-openapi` prescribes for libraries).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod input;
mod object;
pub mod quantity;
pub mod render;
mod report;
pub mod rules;
mod snapshot;
mod text;

pub use input::InputError;
pub use object::Object;
pub use report::{
    Evidence, Finding, InputWarning, MAX_TEXT, ObjectRef, Remediation, Report, SCHEMA, Severity,
    Summary, WorkloadRef,
};
pub use snapshot::Snapshot;

/// The timestamp type used for "now" (re-exported from `k8s-openapi`).
pub use k8s_openapi::jiff::Timestamp;

/// Settings for one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The moment ages are measured against. When `None`, the newest timestamp seen in
    /// the input is used, so the same input always gives the same report.
    pub now: Option<Timestamp>,
}

impl Options {
    /// Options with "now" set explicitly.
    pub fn with_now(now: Timestamp) -> Self {
        Options { now: Some(now) }
    }
}

/// Diagnose one blob of text: JSON (objects, lists, arrays, concatenated documents) or
/// YAML (one or many `---` documents).
///
/// Unreadable documents or items become [`Report::input_warnings`]; everything else is
/// still diagnosed.
///
/// # Errors
///
/// Only when nothing at all could be read (empty input, or no document parsed), with the
/// location of the first problem, or when the input is larger than
/// [`input::MAX_INPUT_BYTES`].
pub fn diagnose_str(text: &str, options: &Options) -> Result<Report, InputError> {
    let parsed = input::parse(text)?;
    Ok(diagnose_parsed(parsed, options))
}

/// Diagnose raw bytes (a file, stdin, an upload): UTF-8 with or without a BOM, or UTF-16
/// as PowerShell writes it, are decoded first ([`input::decode`]); bytes that are not
/// valid text are replaced and noted in [`Report::input_warnings`].
///
/// # Errors
///
/// As [`diagnose_str`].
pub fn diagnose_bytes(bytes: Vec<u8>, options: &Options) -> Result<Report, InputError> {
    if bytes.len() > input::MAX_INPUT_BYTES {
        return Err(input::too_large());
    }
    let decoded = input::decode(bytes);
    let mut report = diagnose_str(&decoded.text, options)?;
    if let Some(note) = decoded.note {
        report.input_warnings.insert(
            0,
            InputWarning {
                location: "input".to_owned(),
                message: note,
            },
        );
    }
    Ok(report)
}

/// Diagnose several named inputs together, as one cluster snapshot: files dropped on the
/// web page at once, or a paste plus a file. Each input is decoded and read on its own
/// (so a YAML file and a JSON file may be mixed), then every object joins one snapshot, so
/// events in one file explain pods in another.
///
/// Input warnings are prefixed with the input's name (`pods.json: document 2, line 3`).
/// An input that cannot be read at all becomes a warning too, while another input could
/// be read.
///
/// ```
/// let pods = br#"{"kind":"Pod","metadata":{"name":"a","namespace":"x"}}"#.to_vec();
/// let report = kdiag::diagnose_inputs(
///     vec![("pods.json".to_string(), pods), ("notes.txt".to_string(), b"{oops".to_vec())],
///     &kdiag::Options::default(),
/// ).unwrap();
/// assert_eq!(report.summary.objects.get("Pod"), Some(&1));
/// assert!(report.input_warnings[0].location.starts_with("notes.txt: "));
/// ```
///
/// # Errors
///
/// When no input could be read at all (or none was given), with the first input's name
/// and the location of its problem, or when the inputs together are larger than
/// [`input::MAX_INPUT_BYTES`].
pub fn diagnose_inputs(
    inputs: Vec<(String, Vec<u8>)>,
    options: &Options,
) -> Result<Report, InputError> {
    let total = inputs
        .iter()
        .fold(0usize, |sum, (_, bytes)| sum.saturating_add(bytes.len()));
    if total > input::MAX_INPUT_BYTES {
        return Err(input::too_large());
    }
    let mut all = input::Parsed::default();
    let mut first_error: Option<InputError> = None;
    let mut any_read = false;
    for (name, bytes) in inputs {
        let decoded = input::decode(bytes);
        if let Some(note) = decoded.note {
            all.warnings.push(InputWarning {
                location: name.clone(),
                message: note,
            });
        }
        match input::parse(&decoded.text) {
            Ok(parsed) => {
                any_read = true;
                all.extend_objects(parsed.objects, parsed.locations);
                for (kind, n) in parsed.other_kinds {
                    let count = all.other_kinds.entry(kind).or_default();
                    *count = count.saturating_add(n);
                }
                all.warnings
                    .extend(parsed.warnings.into_iter().map(|w| InputWarning {
                        location: format!("{name}: {}", w.location),
                        message: w.message,
                    }));
            }
            Err(e) => {
                let located = InputError {
                    location: format!("{name}: {}", e.location),
                    message: e.message,
                };
                all.warnings.push(InputWarning {
                    location: located.location.clone(),
                    message: located.message.clone(),
                });
                first_error.get_or_insert(located);
            }
        }
    }
    if !any_read {
        return Err(first_error.unwrap_or_else(|| InputError {
            location: "input".to_owned(),
            message: "no input was given".to_owned(),
        }));
    }
    Ok(diagnose_parsed(all, options))
}

/// Diagnose typed objects a Rust tool already holds (for example from `kube`).
///
/// ```
/// use k8s_openapi::api::core::v1::Pod;
/// let pod: Pod = serde_json::from_str(r#"{"metadata":{"name":"done","namespace":"ci"},
///   "status":{"phase":"Succeeded"}}"#).unwrap();
/// let report = kdiag::diagnose(vec![pod.into()], &kdiag::Options::default());
/// assert!(report.findings.is_empty());
/// ```
pub fn diagnose(objects: Vec<Object>, options: &Options) -> Report {
    diagnose_parsed(input::Parsed::from_objects(objects), options)
}

/// Diagnose what [`input::parse`] read: for front ends that read several inputs on their
/// own (the Python bindings' mixed lists) and merge them into one [`input::Parsed`].
pub fn diagnose_parsed(parsed: input::Parsed, options: &Options) -> Report {
    let input::Parsed {
        objects,
        locations,
        other_kinds,
        warnings,
        formats,
        now,
    } = parsed;
    let snapshot = Snapshot::located(objects, &locations, options.now.or(now));
    let mut report = rules::run(&snapshot);
    if !formats.is_empty() {
        report.summary.formats = formats.iter().map(|f| (*f).to_owned()).collect();
        // Evidence read from pasted text says where: the object's block and lines.
        for f in &mut report.findings {
            let o = &f.object;
            // A value the reader inferred (a restart count from a lone `Last State`, an
            // exit code from a STATUS column) says so.
            let pod = if o.kind == "Pod" {
                Some(o.name.as_str())
            } else {
                f.pods.first().map(String::as_str)
            };
            let inferred = pod.map_or_else(Vec::new, |p| {
                snapshot.inferred_of(o.namespace.as_deref(), p)
            });
            for e in f
                .evidence
                .iter_mut()
                .filter(|e| inferred.contains(&e.path.as_str()))
            {
                e.value.push_str(" (inferred: not shown in the paste)");
            }
            let Some(origin) = snapshot.origin_of(&o.kind, o.namespace.as_deref(), &o.name) else {
                continue;
            };
            let origin = origin.to_string();
            for e in f.evidence.iter_mut().filter(|e| e.source.is_none()) {
                e.source = Some(origin.clone());
            }
        }
    }
    let mut counts = snapshot.object_counts();
    for (kind, n) in other_kinds {
        *counts.entry(kind).or_default() += n;
    }
    report.summary.objects = counts;
    report.input_warnings = warnings;
    report.clip_long_texts();
    report
}
