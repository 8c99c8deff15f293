//! Presenting a [`Report`] to people: findings grouped by workload, the summary wording and
//! a Markdown document for pasting into a ticket.
//!
//! Every front end (the `kdiag` command, the web page, the Python bindings) uses these
//! functions, so the wording is the same everywhere. They are pure: no I/O and no colour
//! (a terminal front end adds its own styling around the pieces).
//!
//! ```
//! use kdiag::{Report, SCHEMA, Summary};
//! let mut summary = Summary::default();
//! summary.objects.insert("Pod".to_string(), 3);
//! let report = Report { schema: SCHEMA, summary, findings: vec![], input_warnings: vec![] };
//! assert_eq!(kdiag::render::summary_line(&report), "No problems found in 3 pods");
//! assert!(kdiag::render::markdown(&report).contains("No problems found in 3 pods"));
//! assert!(kdiag::render::group_by_workload(&report).is_empty());
//! ```

use crate::{Finding, ObjectRef, Report, Severity, Summary, WorkloadRef};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Findings that concern one workload (or, when no workload is known, one object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    /// What the group is about, e.g. `Deployment default/web` or `Pod default/x`.
    pub title: String,
    /// The controlling workload, when the findings have one.
    pub workload: Option<&'a WorkloadRef>,
    /// The group's findings, in report order (most important first).
    pub findings: Vec<&'a Finding>,
}

/// Group the report's findings by their workload (kind, namespace, name).
///
/// Findings without a workload are grouped under their object (`Pod default/x`, without
/// the container). Groups come in the order of their first finding in
/// [`Report::findings`], which is already the order of importance; within a group the
/// findings keep report order.
pub fn group_by_workload(report: &Report) -> Vec<Group<'_>> {
    // (is_workload, kind, namespace, name) → index into `groups`.
    type Key<'k> = (bool, &'k str, Option<&'k str>, &'k str);
    let mut index: BTreeMap<Key<'_>, usize> = BTreeMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for finding in &report.findings {
        let key: Key<'_> = match &finding.workload {
            Some(w) => (true, &w.kind, w.namespace.as_deref(), &w.name),
            None => (
                false,
                &finding.object.kind,
                finding.object.namespace.as_deref(),
                &finding.object.name,
            ),
        };
        match index.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some(group) => group.findings.push(finding),
            None => {
                let title = match &finding.workload {
                    Some(w) => workload_label(w),
                    None => object_label(&finding.object),
                };
                index.insert(key, groups.len());
                groups.push(Group {
                    title,
                    workload: finding.workload.as_ref(),
                    findings: vec![finding],
                });
            }
        }
    }
    groups
}

/// `Kind namespace/name`, or `Kind name` for cluster-scoped workloads.
pub fn workload_label(workload: &WorkloadRef) -> String {
    label(
        &workload.kind,
        workload.namespace.as_deref(),
        &workload.name,
    )
}

/// `Kind namespace/name`, or `Kind name` for cluster-scoped objects (such as nodes). The
/// container, if any, is not part of the label.
pub fn object_label(object: &ObjectRef) -> String {
    label(&object.kind, object.namespace.as_deref(), &object.name)
}

fn label(kind: &str, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    }
}

/// Kinds in the order people look for them; anything else follows alphabetically.
const KIND_ORDER: &[&str] = &[
    "Pod",
    "Node",
    "Event",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "PersistentVolumeClaim",
    "ResourceQuota",
];

/// Whether the finding is about its workload itself (a Deployment's rollout, a Job's
/// failure) rather than one of its pods or containers: then the workload's heading already
/// names the object.
pub fn object_is_workload(finding: &Finding) -> bool {
    finding.object.container.is_none()
        && finding.workload.as_ref().is_some_and(|w| {
            w.kind == finding.object.kind
                && w.namespace == finding.object.namespace
                && w.name == finding.object.name
        })
}

/// What was read, for people: `3 pods, 1 node, 41 events` (kinds lower-cased and
/// pluralised as `kubectl` names resources; pods, nodes and events first). An empty string
/// when nothing was read.
pub fn objects_read(summary: &Summary) -> String {
    let known = KIND_ORDER
        .iter()
        .filter_map(|k| summary.objects.get_key_value(*k));
    let other = summary
        .objects
        .iter()
        .filter(|(k, _)| !KIND_ORDER.contains(&k.as_str()));
    known
        .chain(other)
        .filter(|(_, n)| **n > 0)
        .map(|(kind, &n)| count(n, &kind.to_lowercase(), &kind_plural(kind)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn kind_plural(kind: &str) -> String {
    let lower = kind.to_lowercase();
    if lower.ends_with("ss")
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{lower}es")
    } else if lower.ends_with('s') {
        lower
    } else if let Some(stem) = lower.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    }
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// Counts of the findings by severity, most severe first, leaving out zeros:
/// `2 errors, 1 warning`. An empty string when there are no findings.
pub fn severity_counts(report: &Report) -> String {
    let n = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    [
        (n(Severity::Error), "error", "errors"),
        (n(Severity::Warning), "warning", "warnings"),
        (n(Severity::Info), "info", "infos"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect::<Vec<_>>()
    .join(", ")
}

/// The closing line of a report: `2 errors, 1 warning in 3 pods, 1 node, 41 events`, or
/// `No problems found in 3 pods, 1 node` when there are no findings.
pub fn summary_line(report: &Report) -> String {
    let read = objects_read(&report.summary);
    match (report.findings.is_empty(), read.is_empty()) {
        (true, true) => "No problems found, but no Kubernetes objects were read".to_string(),
        (true, false) => format!("No problems found in {read}"),
        (false, true) => severity_counts(report),
        (false, false) => format!("{} in {read}", severity_counts(report)),
    }
}

/// The report as a Markdown document, for pasting into a ticket or chat.
///
/// A heading, the summary line, then per [group](group_by_workload) a `##` heading and per
/// finding its severity, id and title, the explanation, the evidence as a list, and the
/// remediation steps with commands in `sh` and patches in `yaml` code blocks; finally
/// the input warnings, if any. Text taken from the input (names, messages) is escaped or
/// put in code spans, so it can neither inject HTML nor change the formatting.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("# kdiag report\n\n");
    let _ = writeln!(out, "{}.\n", escape_inline(&summary_line(report)));
    for group in group_by_workload(report) {
        let _ = writeln!(out, "## {}\n", escape_line(&group.title));
        for finding in &group.findings {
            markdown_finding(&mut out, finding);
        }
    }
    if !report.input_warnings.is_empty() {
        out.push_str("## Input warnings\n\nThese parts of the input could not be read:\n\n");
        for w in &report.input_warnings {
            let _ = writeln!(
                out,
                "- {}: {}",
                escape_line(&w.location),
                escape_line(&w.message)
            );
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// How many affected pods a Markdown finding lists by name.
const MAX_PODS: usize = 20;

fn markdown_finding(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "### {} {}: {}\n",
        f.severity.as_str().to_uppercase(),
        code_span(f.id),
        escape_line(&f.title)
    );

    let mut about = Vec::new();
    if !object_is_workload(f) {
        let mut object = format!("Object: {}", code_span(&object_label(&f.object)));
        if let Some(c) = &f.object.container {
            let _ = write!(object, ", container {}", code_span(c));
        }
        about.push(object);
    }
    if f.pods.len() > 1 || f.pods.first().is_some_and(|p| *p != f.object.name) {
        let shown: Vec<String> = f.pods.iter().take(MAX_PODS).map(|p| code_span(p)).collect();
        let mut pods = format!("Pods ({}): {}", f.pods.len(), shown.join(", "));
        if f.pods.len() > MAX_PODS {
            let _ = write!(pods, " and {} more", f.pods.len() - MAX_PODS);
        }
        about.push(pods);
    }
    if !about.is_empty() {
        // Two trailing spaces: a Markdown line break.
        let _ = writeln!(out, "{}\n", about.join("  \n"));
    }

    if !f.explanation.trim().is_empty() {
        let _ = writeln!(out, "{}\n", escape_inline(f.explanation.trim()));
    }

    if !f.evidence.is_empty() {
        out.push_str("**Evidence**\n\n");
        for e in &f.evidence {
            let value = if e.value.is_empty() {
                "*(empty)*".to_string()
            } else {
                code_span(&e.value)
            };
            let at = e
                .source
                .as_deref()
                .map(|s| format!(" ({})", escape_inline(s)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}: {value}{at}", code_span(&e.path));
        }
        out.push('\n');
    }

    if !f.remediation.is_empty() {
        out.push_str("**What to do**\n\n");
        for (i, step) in f.remediation.iter().enumerate() {
            let marker = format!("{}. ", i + 1);
            let indent = " ".repeat(marker.len());
            let text = escape_inline(step.text.trim()).replace('\n', &format!("\n{indent}"));
            let _ = writeln!(out, "{marker}{text}\n");
            if !step.commands.is_empty() {
                out.push_str(&fenced("sh", &step.commands.join("\n"), &indent));
                out.push('\n');
            }
            if let Some(patch) = &step.patch {
                out.push_str(&fenced("yaml", patch, &indent));
                out.push('\n');
            }
        }
    }
}

/// Replace control characters (other than newline and tab) with a visible `\u{…}` form,
/// so input text cannot send terminal escape sequences or hide content. Every renderer
/// of untrusted text (Markdown here, the command line's text output) uses it.
pub fn visible_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Markdown for untrusted text that must stay on one line (headings, list items).
fn escape_line(s: &str) -> String {
    let one_line: String = s
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    escape_inline(&one_line)
}

/// Characters that start inline formatting, HTML, entities, links, tables or math.
const INLINE_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '!', '|', '~', '&', '$',
];

/// Markdown for untrusted text in a paragraph: formatting characters are backslash-escaped
/// (CommonMark allows escaping any ASCII punctuation), leading indentation is dropped (it
/// would make a code block), and a line that would start a list or a setext heading is
/// escaped at its start. Line breaks are kept.
fn escape_inline(s: &str) -> String {
    let s = visible_controls(&s.replace("\r\n", "\n").replace('\r', "\n"));
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start();
        // A digit run followed by `.` or `)` would start an ordered list.
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        for (j, c) in line.chars().enumerate() {
            let at_start = j == 0 && matches!(c, '-' | '+' | '=');
            let list_number = j == digits && digits > 0 && matches!(c, '.' | ')');
            if INLINE_SPECIAL.contains(&c) || at_start || list_number {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The longest run of consecutive backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// A code span holding `s` literally, on one line, with a fence longer than any backtick
/// run inside it.
fn code_span(s: &str) -> String {
    let content = visible_controls(&s.replace(['\r', '\n'], " "));
    if content.is_empty() {
        return "` `".to_string();
    }
    let fence = "`".repeat(longest_backtick_run(&content) + 1);
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && !content.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// A fenced code block with the given info string, every line prefixed with `indent`, and a
/// fence longer than any backtick run inside it.
fn fenced(lang: &str, content: &str, indent: &str) -> String {
    let content = visible_controls(&content.replace("\r\n", "\n").replace('\r', "\n"));
    let fence = "`".repeat(longest_backtick_run(&content).max(2) + 1);
    let mut out = format!("{indent}{fence}{lang}\n");
    for line in content.trim_end_matches('\n').split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    let _ = writeln!(out, "{indent}{fence}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Evidence, InputWarning, Remediation, SCHEMA};

    fn finding(id: &'static str, severity: Severity, pod: &str, workload: Option<&str>) -> Finding {
        Finding {
            id,
            severity,
            title: format!("Container app in pod {pod} has a problem"),
            object: ObjectRef {
                kind: "Pod".into(),
                namespace: Some("default".into()),
                name: pod.into(),
                container: Some("app".into()),
            },
            workload: workload.map(|w| WorkloadRef {
                kind: "Deployment".into(),
                namespace: Some("default".into()),
                name: w.into(),
            }),
            pods: vec![pod.into()],
            explanation: "The container keeps failing.".into(),
            evidence: vec![Evidence {
                path: "status.containerStatuses[app].state.waiting.reason".into(),
                value: "ErrImagePull".into(),
                source: None,
            }],
            remediation: vec![Remediation {
                text: "Fix the image tag.".into(),
                commands: vec!["kubectl -n default describe pod x".into()],
                patch: Some("spec:\n  template: {}\n".into()),
            }],
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        let mut summary = Summary::default();
        summary.objects.insert("Event".into(), 41);
        summary.objects.insert("Node".into(), 1);
        summary.objects.insert("Pod".into(), 3);
        Report {
            schema: SCHEMA,
            summary,
            findings,
            input_warnings: vec![],
        }
    }

    #[test]
    fn groups_by_workload_in_order_of_first_appearance() {
        let r = report(vec![
            finding("oom-killed", Severity::Error, "web-1", Some("web")),
            finding("image-pull.auth", Severity::Error, "lonely", None),
            finding(
                "probe.readiness-failing",
                Severity::Warning,
                "web-2",
                Some("web"),
            ),
            finding(
                "crashloop.app-error",
                Severity::Warning,
                "api-1",
                Some("api"),
            ),
            finding("other.unrecognized", Severity::Info, "lonely", None),
        ]);
        let groups = group_by_workload(&r);
        let titles: Vec<&str> = groups.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Deployment default/web",
                "Pod default/lonely",
                "Deployment default/api"
            ]
        );
        let ids: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.findings.iter().map(|f| f.id).collect())
            .collect();
        assert_eq!(
            ids,
            [
                vec!["oom-killed", "probe.readiness-failing"],
                vec!["image-pull.auth", "other.unrecognized"],
                vec!["crashloop.app-error"],
            ]
        );
        assert_eq!(groups[0].workload.map(|w| w.name.as_str()), Some("web"));
        assert!(groups[1].workload.is_none());
    }

    #[test]
    fn same_name_in_other_namespace_is_another_group() {
        let a = finding("oom-killed", Severity::Error, "web-1", Some("web"));
        let mut b = a.clone();
        if let Some(w) = b.workload.as_mut() {
            w.namespace = Some("prod".into());
        }
        let r = report(vec![a, b]);
        let groups = group_by_workload(&r);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].title, "Deployment prod/web");
    }

    #[test]
    fn cluster_scoped_labels_have_no_slash() {
        let node = ObjectRef {
            kind: "Node".into(),
            namespace: None,
            name: "n1".into(),
            container: None,
        };
        assert_eq!(object_label(&node), "Node n1");
    }

    #[test]
    fn summary_wording() {
        let r = report(vec![
            finding("a", Severity::Error, "p", None),
            finding("b", Severity::Error, "p", None),
            finding("c", Severity::Warning, "p", None),
        ]);
        assert_eq!(
            summary_line(&r),
            "2 errors, 1 warning in 3 pods, 1 node, 41 events"
        );
        assert_eq!(
            summary_line(&report(vec![])),
            "No problems found in 3 pods, 1 node, 41 events"
        );
        let mut empty = report(vec![]);
        empty.summary.objects.clear();
        assert!(summary_line(&empty).starts_with("No problems found, but no Kubernetes objects"));
    }

    #[test]
    fn kinds_are_ordered_and_pluralised() {
        let mut s = Summary::default();
        for (k, n) in [
            ("Ingress", 2),
            ("NetworkPolicy", 2),
            ("Endpoints", 3),
            ("Service", 1),
            ("Gateway", 2),
            ("Pod", 1),
            ("PersistentVolumeClaim", 2),
        ] {
            s.objects.insert(k.into(), n);
        }
        assert_eq!(
            objects_read(&s),
            "1 pod, 2 persistentvolumeclaims, 3 endpoints, 2 gateways, 2 ingresses, \
             2 networkpolicies, 1 service"
        );
    }

    #[test]
    fn markdown_has_all_parts() {
        let mut r = report(vec![
            finding(
                "image-pull.not-found",
                Severity::Error,
                "web-1",
                Some("web"),
            ),
            finding(
                "probe.readiness-failing",
                Severity::Warning,
                "web-2",
                Some("web"),
            ),
        ]);
        r.findings[0].pods = vec!["web-1".into(), "web-2".into()];
        r.input_warnings.push(InputWarning {
            location: "document 2, line 14, column 3".into(),
            message: "expected a mapping".into(),
        });
        let md = markdown(&r);
        assert!(
            md.starts_with("# kdiag report\n\n1 error, 1 warning in 3 pods, 1 node, 41 events.\n")
        );
        assert!(md.contains("\n## Deployment default/web\n"));
        assert!(md.contains(
            "\n### ERROR `image-pull.not-found`: Container app in pod web-1 has a problem\n"
        ));
        assert!(md.contains("\n### WARNING `probe.readiness-failing`: "));
        assert!(md.contains(
            "Object: `Pod default/web-1`, container `app`  \nPods (2): `web-1`, `web-2`\n"
        ));
        assert!(md.contains("\nThe container keeps failing.\n"));
        assert!(
            md.contains("- `status.containerStatuses[app].state.waiting.reason`: `ErrImagePull`\n")
        );
        assert!(md.contains(
            "1. Fix the image tag.\n\n   ```sh\n   kubectl -n default describe pod x\n   ```\n"
        ));
        assert!(md.contains("   ```yaml\n   spec:\n     template: {}\n   ```\n"));
        assert!(md.contains("## Input warnings\n"));
        assert!(md.contains("- document 2, line 14, column 3: expected a mapping"));
        assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
    }

    #[test]
    fn workload_findings_do_not_repeat_the_object() {
        let mut f = finding("rollout.stuck", Severity::Warning, "web-1", Some("web"));
        f.object = ObjectRef {
            kind: "Deployment".into(),
            namespace: Some("default".into()),
            name: "web".into(),
            container: None,
        };
        assert!(object_is_workload(&f));
        let md = markdown(&report(vec![f.clone()]));
        assert!(!md.contains("Object:"), "{md}");
        assert!(md.contains("\nPods (1): `web-1`\n"), "{md}");
        f.pods.clear();
        let md = markdown(&report(vec![f]));
        assert!(!md.contains("Object:") && !md.contains("Pods"), "{md}");
    }

    #[test]
    fn markdown_without_findings() {
        let md = markdown(&report(vec![]));
        assert_eq!(
            md,
            "# kdiag report\n\nNo problems found in 3 pods, 1 node, 41 events.\n"
        );
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut f = finding("x", Severity::Error, "p", Some("web"));
        f.title = "pod <img src=x onerror=alert(1)> is *bad* [link](http://e) `tick`".into();
        f.explanation =
            "# not a heading\n- not a list\n1. not a list\n    not code\n&amp; $x$".into();
        if let Some(w) = f.workload.as_mut() {
            w.name = "<script>alert(1)</script>".into();
        }
        f.evidence[0].value = "a ``b`` c".into();
        f.evidence[0].path = "`start".into();
        f.remediation[0].commands = vec!["echo '```'".into()];
        let md = markdown(&report(vec![f]));
        // Every `<` outside code is escaped, so no HTML tag can start.
        assert!(
            md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')),
            "{md}"
        );
        assert!(md.contains(
            r"pod \<img src=x onerror=alert(1)\> is \*bad\* \[link\](http://e) \`tick\`"
        ));
        assert!(md.contains(r"## Deployment default/\<script\>alert(1)\</script\>"));
        assert!(md.contains(
            "\\# not a heading\n\\- not a list\n1\\. not a list\nnot code\n\\&amp; \\$x\\$"
        ));
        assert!(md.contains("- `` `start ``: ```a ``b`` c```"), "{md}");
        assert!(md.contains("   ````sh\n   echo '```'\n   ````\n"), "{md}");
    }

    #[test]
    fn control_characters_are_made_visible() {
        // Renders as the literal text `a\u{1b}[31mb`.
        assert_eq!(escape_inline("a\u{1b}[31mb"), r"a\\u{1b}\[31mb");
        assert_eq!(code_span("a\u{7}"), "`a\\u{7}`");
    }

    #[test]
    fn code_spans() {
        assert_eq!(code_span("plain"), "`plain`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span(" x "), "`  x  `");
        assert_eq!(code_span("two\nlines"), "`two lines`");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn lines_are_joined_in_headings() {
        assert_eq!(escape_line("a\n\n  b\r\nc"), "a b c");
    }
}
