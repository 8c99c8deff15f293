//! The `--output text` rendering: for a person at a terminal.
//!
//! The report is rendered into a string that carries ANSI styles; the caller writes it
//! through an [`anstream::AutoStream`], which strips the styles when stdout is not a
//! terminal, when `NO_COLOR` is set, or with `--color never`. Grouping and the summary
//! wording come from [`kdiag::render`], so the text says what every other front end says.

use anstyle::{AnsiColor, Effects, Style};
use kdiag::{Finding, Report, Severity, render};
use std::fmt::Write as _;

const GROUP: Style = Style::new().effects(Effects::BOLD.insert(Effects::UNDERLINE));
const TITLE: Style = Style::new().effects(Effects::BOLD);
const LABEL: Style = Style::new().effects(Effects::DIMMED);
const PATH: Style = AnsiColor::Cyan.on_default();
const PROMPT: Style = Style::new().effects(Effects::DIMMED);
const GOOD: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);

/// The style of a severity marker: error red bold, warning yellow bold, info blue.
fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => AnsiColor::Red.on_default().effects(Effects::BOLD),
        Severity::Warning => AnsiColor::Yellow.on_default().effects(Effects::BOLD),
        Severity::Info => AnsiColor::Blue.on_default(),
    }
}

/// How many affected pods are listed by name under a finding.
const MAX_PODS: usize = 10;

/// Render the report for a person, with lines wrapped at `width` columns (commands and
/// patches are never wrapped, so they stay copyable).
pub fn render(report: &Report, width: usize) -> String {
    let mut out = String::new();
    for group in render::group_by_workload(report) {
        let _ = writeln!(out, "{GROUP}{}{GROUP:#}", clean(&group.title));
        for finding in &group.findings {
            render_finding(&mut out, finding, width);
        }
    }
    if !report.input_warnings.is_empty() {
        let _ = writeln!(
            out,
            "{TITLE}input warnings{TITLE:#} (these parts could not be read):"
        );
        for w in &report.input_warnings {
            let line = format!("{}: {}", clean(&w.location), clean(&w.message));
            push_wrapped(&mut out, &line, "  ", "    ", width);
        }
        out.push('\n');
    }
    let summary_style = match report.max_severity() {
        Some(s) => severity_style(s),
        None => GOOD,
    };
    let _ = writeln!(
        out,
        "{summary_style}{}{summary_style:#}",
        clean(&render::summary_line(report))
    );
    out
}

fn render_finding(out: &mut String, f: &Finding, width: usize) {
    let sev = severity_style(f.severity);
    let marker = format!("{}[{}]", f.severity.as_str(), f.id);
    let first = format!("  {sev}{marker}{sev:#}: ");
    let rest = " ".repeat(4);
    // Wrap the title by its visible width, then style it.
    let title_lines = wrap(&clean(&f.title), 2 + marker.len() + 2, rest.len(), width);
    for (i, line) in title_lines.iter().enumerate() {
        let prefix = if i == 0 {
            first.as_str()
        } else {
            rest.as_str()
        };
        let _ = writeln!(out, "{prefix}{TITLE}{line}{TITLE:#}");
    }

    let mut about = String::new();
    if !render::object_is_workload(f) {
        about = render::object_label(&f.object);
        if let Some(c) = &f.object.container {
            let _ = write!(about, ", container {c}");
        }
    }
    let others: Vec<&str> = f
        .pods
        .iter()
        .map(String::as_str)
        .filter(|p| *p != f.object.name)
        .collect();
    if !others.is_empty() {
        let shown = others.iter().take(MAX_PODS).copied().collect::<Vec<_>>();
        let lead = if about.is_empty() { "" } else { "; also " };
        let _ = write!(
            about,
            "{lead}pod{} {}",
            plural_s(others.len()),
            shown.join(", ")
        );
        if others.len() > MAX_PODS {
            let _ = write!(about, " and {} more", others.len() - MAX_PODS);
        }
    }
    if !about.is_empty() {
        for (i, line) in wrap(&clean(&about), 4, 6, width).iter().enumerate() {
            let indent = if i == 0 { "    " } else { "      " };
            let _ = writeln!(out, "{indent}{LABEL}{line}{LABEL:#}");
        }
    }

    let explanation = f.explanation.trim();
    if !explanation.is_empty() {
        for paragraph in explanation.lines() {
            if paragraph.trim().is_empty() {
                out.push('\n');
            } else {
                push_wrapped(out, &clean(paragraph), "    ", "    ", width);
            }
        }
    }

    if !f.evidence.is_empty() {
        let _ = writeln!(out, "    {LABEL}evidence:{LABEL:#}");
        for e in &f.evidence {
            let path = clean(&e.path);
            // Evidence read from pasted text says where: `(block 2, line 14)`.
            let at = e
                .source
                .as_deref()
                .map(|s| format!(" ({})", clean(s)))
                .unwrap_or_default();
            let lines = wrap(&format!("{path} = {}{at}", clean(&e.value)), 6, 8, width);
            for (i, line) in lines.iter().enumerate() {
                match line.strip_prefix(path.as_str()) {
                    Some(value) if i == 0 => {
                        let _ = writeln!(out, "      {PATH}{path}{PATH:#}{value}");
                    }
                    _ if i == 0 => {
                        let _ = writeln!(out, "      {line}");
                    }
                    _ => {
                        let _ = writeln!(out, "        {line}");
                    }
                }
            }
        }
    }

    if !f.remediation.is_empty() {
        let _ = writeln!(out, "    {LABEL}what to do:{LABEL:#}");
        for (i, step) in f.remediation.iter().enumerate() {
            let number = format!("{}. ", i + 1);
            let hang = " ".repeat(6 + number.len());
            for (j, line) in step.text.trim().lines().enumerate() {
                let first = if j == 0 {
                    format!("      {number}")
                } else {
                    hang.clone()
                };
                push_wrapped(out, &clean(line), &first, &hang, width);
            }
            for command in &step.commands {
                for (k, line) in command.lines().enumerate() {
                    let prompt = if k == 0 { "$" } else { " " };
                    let _ = writeln!(out, "{hang}{PROMPT}{prompt}{PROMPT:#} {}", clean(line));
                }
            }
            if let Some(patch) = &step.patch {
                let _ = writeln!(out, "{hang}{LABEL}patch:{LABEL:#}");
                for line in patch.trim_end().lines() {
                    let _ = writeln!(out, "{hang}  {}", clean(line));
                }
            }
        }
    }
    out.push('\n');
}

fn plural_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Input text made safe for a terminal: control characters (escape sequences included)
/// are shown as `\u{…}` instead of being sent to the terminal; tabs become spaces.
pub fn clean(s: &str) -> String {
    kdiag::render::visible_controls(s).replace('\t', " ")
}

/// Append `text` wrapped at `width`, the first line after `first`, the others after `rest`.
fn push_wrapped(out: &mut String, text: &str, first: &str, rest: &str, width: usize) {
    for (i, line) in wrap(text, first.chars().count(), rest.chars().count(), width)
        .iter()
        .enumerate()
    {
        let prefix = if i == 0 { first } else { rest };
        let _ = writeln!(out, "{prefix}{line}");
    }
}

/// Greedy word wrap: lines of at most `width` columns, the first indented by `first`
/// columns (already printed by the caller), the rest by `rest` columns (not included in
/// the returned lines). A word longer than a line stays whole.
fn wrap(text: &str, first: usize, rest: usize, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = first;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !line.is_empty() && used + 1 + len > width {
            lines.push(std::mem::take(&mut line));
            used = rest;
        }
        if !line.is_empty() {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += len;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdiag::{Evidence, ObjectRef, Remediation, SCHEMA, Summary, WorkloadRef};

    fn strip(s: &str) -> String {
        let mut out = Vec::new();
        let mut stream = anstream::StripStream::new(&mut out);
        let _ = std::io::Write::write_all(&mut stream, s.as_bytes());
        String::from_utf8(out).unwrap_or_default()
    }

    fn report() -> Report {
        let mut summary = Summary::default();
        summary.objects.insert("Pod".into(), 2);
        summary.objects.insert("Event".into(), 3);
        Report {
            schema: SCHEMA,
            summary,
            findings: vec![Finding {
                id: "image-pull.not-found",
                severity: Severity::Error,
                title: "Image nginx:v0 of container app in pod web-1 does not exist".into(),
                object: ObjectRef {
                    kind: "Pod".into(),
                    namespace: Some("default".into()),
                    name: "web-1".into(),
                    container: Some("app".into()),
                },
                workload: Some(WorkloadRef {
                    kind: "Deployment".into(),
                    namespace: Some("default".into()),
                    name: "web".into(),
                }),
                pods: vec!["web-1".into(), "web-2".into()],
                explanation: "The registry answered that the tag does not exist. \
                              Every new pod of the deployment will fail the same way."
                    .into(),
                evidence: vec![Evidence {
                    path: "status.containerStatuses[app].state.waiting.reason".into(),
                    value: "ErrImagePull".into(),
                    source: None,
                }],
                remediation: vec![Remediation {
                    text: "Set an image tag that exists.".into(),
                    commands: vec![
                        "kubectl set image deployment/web app=nginx:1.27 -n default".into(),
                    ],
                    patch: Some("spec:\n  template:\n    spec: {}\n".into()),
                }],
            }],
            input_warnings: vec![kdiag::InputWarning {
                location: "document 2".into(),
                message: "not a mapping".into(),
            }],
        }
    }

    #[test]
    fn layout() {
        let text = strip(&render(&report(), 60));
        let expected = "\
Deployment default/web
  error[image-pull.not-found]: Image nginx:v0 of container
    app in pod web-1 does not exist
    Pod default/web-1, container app; also pod web-2
    The registry answered that the tag does not exist. Every
    new pod of the deployment will fail the same way.
    evidence:
      status.containerStatuses[app].state.waiting.reason =
        ErrImagePull
    what to do:
      1. Set an image tag that exists.
         $ kubectl set image deployment/web app=nginx:1.27 -n default
         patch:
           spec:
             template:
               spec: {}

input warnings (these parts could not be read):
  document 2: not a mapping

1 error in 2 pods, 3 events
";
        assert_eq!(text, expected);
    }

    #[test]
    fn styled_when_asked() {
        let text = render(&report(), 80);
        let sev = severity_style(Severity::Error);
        assert!(text.contains(&format!("{sev}error[image-pull.not-found]{sev:#}")));
        assert!(text.contains(&format!("{PATH}status.containerStatuses[app]")));
    }

    #[test]
    fn no_findings() {
        let mut r = report();
        r.findings.clear();
        r.input_warnings.clear();
        assert_eq!(
            strip(&render(&r, 80)),
            "No problems found in 2 pods, 3 events\n"
        );
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let mut r = report();
        r.findings[0].title = "evil \u{1b}]0;owned\u{7} title".into();
        let text = render(&r, 200);
        assert!(text.contains("evil \\u{1b}]0;owned\\u{7} title"));
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a b c", 0, 0, 3), ["a b", "c"]);
        assert_eq!(
            wrap("averyveryverylongword x", 2, 4, 10),
            ["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("", 0, 0, 10), [""]);
    }
}
