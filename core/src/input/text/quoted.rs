//! What a paste wraps around kubectl's lines, and event lines written by something other
//! than kubectl: a k9s or table border (`│ … │`), Markdown bold (`**`) or a line quoted
//! whole in backticks; an event quoted inside a sentence (`the output is " Warning …"`,
//! a backtick span); the 1.x `kubectl get events` row without its header (`LASTSEEN
//! FIRSTSEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE`); the events the e2e
//! test framework dumps (`At … - event for web-1: {kubelet n1} Failed: …`); and the
//! event recorder's log line in a controller or kubelet log (`Event(v1.ObjectReference{
//! Kind:"Pod", …}): type: 'Warning' reason: 'FailedCreate' …`).

use super::age::parse_age;
use super::rows::{self, RawEvent, describe_row, message_line, object_kind, tokens};
use std::borrow::Cow;

/// Box-drawing borders that terminal UIs (k9s) print around a view.
const BORDERS: [char; 2] = ['│', '┃'];

/// A pasted line without the border, Markdown bold or whole-line backticks around what
/// kubectl printed. Column alignment is kept: a left border is one column on every line
/// of a bordered view, header included.
pub(crate) fn unwrap_line(raw: &str) -> Cow<'_, str> {
    let mut s = Cow::Borrowed(raw);
    if let Some(r) = raw.strip_prefix(BORDERS) {
        let r = r.trim_end();
        let r = r.strip_suffix(BORDERS).unwrap_or(r).trim_end();
        s = Cow::Owned(r.to_owned());
    }
    // A line in bold as a whole (`**Output:**`) is a heading of the prose around the
    // paste, not something to read; elsewhere bold marks go, glob patterns (`**/*.go`)
    // and powers (`2**10`) stay.
    if s.contains("**") && !is_bold_heading(s.trim()) {
        let unbold = strip_bold(&s);
        if unbold != s {
            s = Cow::Owned(unbold);
        }
    }
    let t = s.trim();
    if t.len() > 2 && t.starts_with('`') && t.ends_with('`') && !t.starts_with("``") {
        let inner = t.get(1..t.len() - 1).unwrap_or("");
        if !inner.contains('`') {
            s = Cow::Owned(inner.to_owned());
        }
    }
    s
}

/// The paste with [`unwrap_line`] applied to every line (line endings kept), or `None`
/// when no line changes. Only the lines holding a `*`, a backtick or the first byte of a
/// box-drawing character can change: the others are not looked at (one vectorised scan
/// finds those bytes).
pub(crate) fn unwrap_all(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    // `text` up to `done` is in `out` (when there is one); `pos` starts a line.
    let mut done = 0usize;
    let mut pos = 0usize;
    while let Some(hit) = b
        .get(pos..)
        .and_then(|r| memchr::memchr3(b'*', b'`', 0xE2, r))
    {
        let hit = pos + hit;
        let start = b
            .get(pos..hit)
            .and_then(|r| memchr::memrchr(b'\n', r))
            .map_or(pos, |n| pos + n + 1);
        let end = b
            .get(hit..)
            .and_then(|r| memchr::memchr(b'\n', r))
            .map_or(b.len(), |n| hit + n + 1);
        pos = end;
        let line = text.get(start..end).unwrap_or("");
        let body = super::trim_line_break(line);
        if let Cow::Owned(c) = unwrap_line(body) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(text.get(done..start).unwrap_or(""));
            o.push_str(&c);
            o.push_str(line.get(body.len()..).unwrap_or(""));
            done = end;
        }
    }
    if let Some(o) = out.as_mut() {
        o.push_str(text.get(done..).unwrap_or(""));
    }
    out
}

/// A line in bold as a whole with no kubectl columns in it (`**Output:**`).
pub(crate) fn is_bold_heading(t: &str) -> bool {
    t.len() > 4 && t.starts_with("**") && t.ends_with("**") && !t.contains("  ")
}

/// `s` without Markdown bold marks: a `**` that opens (at the start or after white space,
/// before a non-space) or closes (after a non-space, before the end, white space or
/// punctuation). Marks in pairs only; others stay.
fn strip_bold(s: &str) -> String {
    let b = s.as_bytes();
    let marks: Vec<usize> = s.match_indices("**").map(|(i, _)| i).collect();
    let before = |i: usize| i.checked_sub(1).and_then(|j| b.get(j)).copied();
    let after = |i: usize| b.get(i + 2).copied();
    let space = |c: Option<u8>| c.is_none_or(|c| c.is_ascii_whitespace());
    let opens = |i: usize| space(before(i)) && !space(after(i)) && after(i) != Some(b'*');
    let closes = |i: usize| {
        !space(before(i))
            && before(i) != Some(b'*')
            && after(i).is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_punctuation())
    };
    let mut drop = Vec::new();
    let mut open: Option<usize> = None;
    for &i in &marks {
        match open {
            Some(o) if closes(i) => {
                drop.push(o);
                drop.push(i);
                open = None;
            }
            _ if opens(i) => open = Some(i),
            _ => {}
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for i in drop {
        out.push_str(s.get(from..i).unwrap_or(""));
        from = i + 2;
    }
    out.push_str(s.get(from..).unwrap_or(""));
    out
}

/// Words an event line or a kubelet/scheduler message quoted inside a sentence may start
/// with.
fn starts_event(c: &str) -> bool {
    const STARTS: [&str; 10] = [
        "Warning ",
        "Warning\t",
        "Normal ",
        "Normal\t",
        "Failed ",
        "Failed\t",
        "Error: ",
        "Back-off ",
        "MountVolume.",
        "Readiness probe",
    ];
    STARTS.iter().any(|s| c.starts_with(s))
        || c.starts_with("Liveness probe")
        || c.starts_with("Multi-Attach")
        || c.starts_with("The node was low")
        || c.starts_with("Error creating: ")
        || c.starts_with("pod has unbound")
        || (c.starts_with(|ch: char| ch.is_ascii_digit())
            && c.split_once(' ')
                .is_some_and(|(n, r)| n.contains('/') && r.starts_with("nodes are available")))
}

/// The event in a piece of text that starts with one.
fn event_at(c: &str) -> Option<RawEvent<'_>> {
    let c = c.trim().trim_end_matches(['"', '`', '\'', '。']).trim();
    describe_row(c).or_else(|| message_line(c))
}

/// An event quoted inside a line of prose: a backtick span, or the rest of the line from
/// a word that starts an event (after a space, a quote or a backtick). Only the first 4000
/// bytes are looked at.
pub(crate) fn embedded(t: &str) -> Option<RawEvent<'_>> {
    let mut end = t.len().min(4000);
    while !t.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let t = t.get(..end).unwrap_or("");
    let mut spans: Vec<&str> = t.split('`').skip(1).step_by(2).take(8).collect();
    spans.push(t);
    let mut tries = 0usize;
    for span in spans {
        let whole = span.len() == t.len();
        if !whole && let Some(e) = event_at(span) {
            return Some(e);
        }
        let mut prev = ' ';
        for (i, ch) in span.char_indices() {
            let boundary = prev.is_whitespace() || matches!(prev, '"' | '`' | '\'' | '(' | '：');
            prev = ch;
            if !boundary || i == 0 {
                continue;
            }
            let rest = span.get(i..).unwrap_or("");
            if starts_event(rest) {
                // Each try reads the rest of the line: a few tries keep a hostile line
                // linear.
                tries += 1;
                if tries > 8 {
                    return None;
                }
                if let Some(e) = event_at(rest) {
                    return Some(e);
                }
            }
        }
    }
    None
}

/// A line of a Kubernetes component's log (`I1120 09:58:12.118305 …`, klog's header), which
/// starts a record of its own and never continues a wrapped message.
pub(crate) fn is_log_line(t: &str) -> bool {
    let b = t.as_bytes();
    matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && b.len() > 6
        && b.get(1..5)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && b.get(5) == Some(&b' ')
}

/// A row of another printed form of events: 1.x `kubectl get events` without its header,
/// the e2e framework's event dump, or the event recorder's log line.
pub(crate) fn other_row(t: &str) -> Option<RawEvent<'_>> {
    old_get_events_row(t)
        .or_else(|| e2e_row(t))
        .or_else(|| recorder_row(t))
}

/// `59m  6d  124  web-6597bc46dc.1576a87b365ab1e4  ReplicaSet  [spec.containers{app}]
/// Warning  FailedCreate  replicaset-controller  message` (kubectl 1.x `get events`, whose
/// NAME is the event's: the object's name and a hex suffix).
fn old_get_events_row(line: &str) -> Option<RawEvent<'_>> {
    let toks = tokens(line);
    let (_, last) = *toks.first()?;
    let (_, first) = *toks.get(1)?;
    let (_, count) = *toks.get(2)?;
    let (_, name) = *toks.get(3)?;
    let (_, kind) = *toks.get(4)?;
    let last_age = parse_age(last)?;
    let first_age = parse_age(first)?;
    let count: i32 = count.parse().ok()?;
    if !kind.starts_with(|c: char| c.is_ascii_uppercase())
        || !kind.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut i = 5;
    let mut field_path = None;
    if let Some((_, p)) = toks.get(i)
        && (p.starts_with("spec.") || p.starts_with('{'))
    {
        field_path = Some(Cow::Borrowed(*p));
        i += 1;
    }
    let (_, ty) = *toks.get(i)?;
    if ty != "Normal" && ty != "Warning" {
        return None;
    }
    let (_, reason) = *toks.get(i + 1)?;
    let (_, from) = *toks.get(i + 2)?;
    let mut next = i + 3;
    let mut host = None;
    let source = if let Some(s) = from.strip_suffix(',') {
        host = toks.get(next).map(|(_, h)| Cow::Borrowed(*h));
        next += 1;
        s
    } else {
        from
    };
    let object_name = match name.rsplit_once('.') {
        Some((n, hash)) if hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => n,
        _ => name,
    };
    Some(RawEvent {
        type_: Some(ty),
        reason: Cow::Borrowed(reason),
        message: Cow::Borrowed(
            toks.get(next)
                .and_then(|(off, _)| line.get(*off..))
                .unwrap_or("")
                .trim(),
        ),
        count: count.max(1),
        last_age: Some(last_age),
        first_age: Some(first_age),
        source: Some(Cow::Borrowed(source)),
        host,
        field_path,
        object: Some((object_kind(kind), object_name.to_owned())),
        ..RawEvent::default()
    })
}

/// `… - event for web-1: {kubelet node-1} Failed: Failed to pull image …` (the e2e test
/// framework's dump of a namespace's events).
fn e2e_row(line: &str) -> Option<RawEvent<'_>> {
    let i = line.find(" - event for ")?;
    let rest = line.get(i + " - event for ".len()..)?;
    let (name, rest) = rest.split_once(": ")?;
    let rest = rest.trim_start().strip_prefix('{')?;
    let (from, rest) = rest.split_once('}')?;
    let (reason, message) = rest.trim_start().split_once(": ")?;
    if name.contains(' ') || !reason.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (source, host) = match from.trim().split_once(' ') {
        Some((s, h)) => (s, Some(Cow::Borrowed(h))),
        None => (from.trim(), None),
    };
    let mut e = message_line(message).unwrap_or_default();
    e.reason = Cow::Borrowed(reason);
    e.message = Cow::Borrowed(message.trim());
    e.count = 1;
    e.source = Some(Cow::Borrowed(source));
    e.host = host;
    if e.type_.is_none() {
        e.type_ = Some("Warning");
    }
    e.object = Some(("Pod".to_owned(), name.to_owned()));
    Some(e)
}

/// `Event(v1.ObjectReference{Kind:"ReplicaSet", Namespace:"ns", Name:"web-5d8f", …}):
/// type: 'Warning' reason: 'FailedCreate' Error creating: …` (the event recorder's line in
/// a kube-controller-manager or kubelet log).
fn recorder_row(line: &str) -> Option<RawEvent<'_>> {
    let i = line.find("Event(v1.ObjectReference{")?;
    let rest = line.get(i..)?;
    let field = |key: &str| -> Option<String> {
        let j = rest.find(key)?;
        let v = rest.get(j + key.len()..)?;
        let (v, _) = v.split_once('"')?;
        Some(v.to_owned())
    };
    let kind = field("{Kind:\"")?;
    let name = field(" Name:\"")?;
    let namespace = field(" Namespace:\"").filter(|n| !n.is_empty());
    let (_, after) = rest.split_once("type: '")?;
    let (ty, after) = after.split_once('\'')?;
    let (_, after) = after.split_once("reason: '")?;
    let (reason, message) = after.split_once('\'')?;
    let mut e = message_line(message.trim()).unwrap_or_default();
    e.type_ = Some(ty);
    e.reason = Cow::Borrowed(reason);
    e.message = Cow::Borrowed(message.trim());
    e.count = 1;
    e.object = Some((rows::object_kind(&kind), name));
    e.namespace = namespace;
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borders_bold_and_backticks_are_dropped() {
        assert_eq!(
            unwrap_line("│   Warning  Failed  9s  kubelet  Error: ErrImagePull   │"),
            "   Warning  Failed  9s  kubelet  Error: ErrImagePull"
        );
        assert_eq!(
            unwrap_line(
                "  Warning  Unhealthy  **2m (x3 over 5m)  kubelet  Readiness probe failed**"
            ),
            "  Warning  Unhealthy  2m (x3 over 5m)  kubelet  Readiness probe failed"
        );
        assert_eq!(
            unwrap_line("`Started container wait`"),
            "Started container wait"
        );
        assert_eq!(unwrap_line("```yaml"), "```yaml");
        assert_eq!(unwrap_line("**Output:**"), "**Output:**");
        assert_eq!(
            unwrap_line("    Args:  --include=**/*.go --exclude=**/vendor"),
            "    Args:  --include=**/*.go --exclude=**/vendor"
        );
        assert_eq!(unwrap_line("x = 2**10 and 3**2"), "x = 2**10 and 3**2");
        assert_eq!(
            unwrap_line("the **Failed** event, then **BackOff**."),
            "the Failed event, then BackOff."
        );
    }

    #[test]
    fn unwrap_all_agrees_with_unwrapping_every_line() {
        let every_line = |text: &str| -> String {
            text.split_inclusive('\n')
                .map(|line| {
                    let body = line.trim_end_matches(['\n', '\r']);
                    format!("{}{}", unwrap_line(body), &line[body.len()..])
                })
                .collect()
        };
        for text in [
            "",
            "plain\nlines\r\n",
            "**Output:**\n  Warning **Failed** 1s kubelet x\r\n`Started container wait`\nend",
            "a – b\n│ NAME  READY │\r\n│ web-1 0/1   │\n",
            "x\n\n**bold** tail",
            "2**10 and **/*.go\n",
        ] {
            let want = every_line(text);
            let got = unwrap_all(text);
            assert_eq!(got.as_deref().unwrap_or(text), want, "{text:?}");
            assert_eq!(got.is_some(), want != text, "{text:?}");
        }
    }

    #[test]
    fn an_event_quoted_in_prose_is_found() {
        let e = embedded("the output is \" Warning  FailedScheduling  61s  default-scheduler  0/1 nodes are available: 1 node(s) had untolerated taint {a: }.\"").unwrap();
        assert_eq!(e.reason, "FailedScheduling");
        assert!(e.message.ends_with("{a: }."));
        let e = embedded(
            "it said `Warning\t\tFailed\t\tFailed to pull image \"r/x\": x509: bad` on the node",
        )
        .unwrap();
        assert_eq!(e.message, "Failed to pull image \"r/x\": x509: bad");
        let e = embedded("running it gives `Error: secrets \"db\" not found` every time").unwrap();
        assert_eq!(e.message, "Error: secrets \"db\" not found");
        assert!(embedded("Failed to do the thing I wanted").is_none());
        assert!(embedded("nothing to see here").is_none());
    }

    #[test]
    fn other_printed_forms_of_events() {
        let e = other_row("59m  6d  124  shop-6597bc46dc.1576a87b365ab1e4  ReplicaSet    Warning  FailedCreate  replicaset-controller  Error creating: pods \"shop-x\" is forbidden: exceeded quota: q, requested: cpu=1, used: cpu=2, limited: cpu=2").unwrap();
        assert_eq!(
            e.object,
            Some(("ReplicaSet".to_owned(), "shop-6597bc46dc".to_owned()))
        );
        assert_eq!(e.count, 124);
        assert!(e.message.starts_with("Error creating:"));
        let e = other_row("May 1 10:00:00.000: INFO: At 2024-05-01 10:00:00 +0000 UTC - event for web-1: {kubelet n1} Failed: Failed to pull image \"a\": toomanyrequests").unwrap();
        assert_eq!(e.object, Some(("Pod".to_owned(), "web-1".to_owned())));
        assert_eq!(e.host.as_deref(), Some("n1"));
        assert_eq!(e.reason, "Failed");
        let e = other_row("I0101 00:00:00.0  1 event.go:278] Event(v1.ObjectReference{Kind:\"ReplicaSet\", Namespace:\"ops\", Name:\"api-5f\", UID:\"u\"}): type: 'Warning' reason: 'FailedCreate' Error creating: pods \"api-5f-\" is forbidden: no providers available").unwrap();
        assert_eq!(
            e.object,
            Some(("ReplicaSet".to_owned(), "api-5f".to_owned()))
        );
        assert_eq!(e.namespace.as_deref(), Some("ops"));
        assert_eq!(e.reason, "FailedCreate");
        assert!(other_row("random words 1 2 3").is_none());
        assert!(is_log_line(
            "E1120 09:58:12.118402       1 replica_set.go:536] sync"
        ));
        assert!(!is_log_line("Error creating: pods"));
    }
}
