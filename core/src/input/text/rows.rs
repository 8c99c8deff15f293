//! One line at a time: event rows (describe's `Events:` table in its current and 1.x
//! layouts, `kubectl get events` tables, bare event lines), bare kubelet/scheduler
//! messages, `kubectl get pods` rows.

use super::age::{parse_age, parse_repeat, parse_time};
use crate::Timestamp;
use std::borrow::Cow;

/// An event as read from one line (plus its wrapped continuation lines), borrowing from
/// the paste where it can.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawEvent<'a> {
    pub type_: Option<&'a str>,
    pub reason: Cow<'a, str>,
    pub message: Cow<'a, str>,
    pub count: i32,
    pub last_age: Option<i64>,
    pub first_age: Option<i64>,
    pub last_abs: Option<Timestamp>,
    pub first_abs: Option<Timestamp>,
    pub source: Option<Cow<'a, str>>,
    pub host: Option<Cow<'a, str>>,
    pub field_path: Option<Cow<'a, str>>,
    /// Kind and name of the object, when the line says.
    pub object: Option<(String, String)>,
    pub namespace: Option<String>,
    /// 1-based line in the whole input.
    pub line: usize,
}

const TYPES: [&str; 2] = ["Normal", "Warning"];

/// Whitespace-separated tokens with their byte offsets.
pub(crate) fn tokens(line: &str) -> Vec<(usize, &str)> {
    // One allocation for most lines.
    let mut out = Vec::with_capacity(16);
    out.extend(words(line));
    out
}

/// The words of `line` as `str::split_whitespace` finds them, with their byte offsets.
pub(crate) fn words(line: &str) -> Words<'_> {
    Words { line, pos: 0 }
}

/// Iterator of [`words`]: ASCII bytes are tested as bytes, only other characters are
/// decoded (and tested with `char::is_whitespace`).
#[derive(Debug, Clone)]
pub(crate) struct Words<'a> {
    line: &'a str,
    /// Where the next search starts (always a character boundary).
    pos: usize,
}

impl Words<'_> {
    /// Whether the character at `i` (a boundary) is white space, and its length; `None`
    /// at the end.
    fn space_at(&self, i: usize) -> Option<(bool, usize)> {
        let b = *self.line.as_bytes().get(i)?;
        if b < 0x80 {
            return Some((super::ascii_space(b), 1));
        }
        let c = self.line.get(i..)?.chars().next()?;
        Some((c.is_whitespace(), c.len_utf8()))
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let mut start = self.pos;
        loop {
            let Some((space, len)) = self.space_at(start) else {
                self.pos = start;
                return None;
            };
            if !space {
                break;
            }
            start += len;
        }
        let mut end = start;
        while let Some((false, len)) = self.space_at(end) {
            end += len;
        }
        self.pos = end;
        Some((start, self.line.get(start..end)?))
    }
}

fn rest_from<'a>(line: &'a str, toks: &[(usize, &str)], i: usize) -> &'a str {
    toks.get(i)
        .and_then(|(off, _)| line.get(*off..))
        .map_or("", super::trim)
}

/// A reason as kubectl 1.x printed it (`killing`) in today's spelling (`Killing`).
fn reason_word(s: &str) -> Cow<'_, str> {
    if s.starts_with(|c: char| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_alphanumeric()) {
        Cow::Owned(crate::text::capitalise(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// Current describe layout: `Warning  Failed  21s (x2 over 36s)  kubelet, node1  message`.
pub(crate) fn describe_row(line: &str) -> Option<RawEvent<'_>> {
    // Cheap test first: the row starts with its type.
    let head = super::trim_start(line);
    if !TYPES.iter().any(|t| head.starts_with(t)) {
        return None;
    }
    // One pass over the words, no vector: `w` is always at the next word to read.
    let mut w = words(line);
    let (_, ty) = w.next()?;
    if !TYPES.contains(&ty) {
        return None;
    }
    let (_, reason) = w.next()?;
    let (_, age) = w.next()?;
    let last_age = parse_age(age);
    let age_known = last_age.is_some() || age.starts_with('<');
    if !age_known
        || !reason
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let mut ev = RawEvent {
        type_: Some(ty),
        reason: reason_word(reason),
        count: 1,
        last_age,
        ..RawEvent::default()
    };
    if let Some((_, t)) = w.clone().next()
        && t.starts_with("(x")
    {
        let joined = joined3(line, w.clone());
        let end = memchr::memchr(b')', joined.as_bytes()).map_or(joined.len(), |e| e + 1);
        if let Some((count, first)) = joined.get(..end).and_then(parse_repeat) {
            ev.count = count.max(1);
            ev.first_age = first;
        }
        // `(x2`, `over`, `36s)`: read on after the word that closes it (or after the
        // first, when none does).
        let mut look = w.clone();
        if look.any(|(_, t)| t.ends_with(')')) {
            w = look;
        } else {
            w.next();
        }
    }
    let Some((_, from)) = w.next() else {
        return Some(ev);
    };
    let mut source = from;
    if let Some(s) = source.strip_suffix(',')
        && let Some((_, host)) = w.clone().next()
    {
        source = s;
        ev.host = Some(Cow::Borrowed(host));
        w.next();
    }
    ev.source = Some(Cow::Borrowed(source));
    ev.message = Cow::Borrowed(
        w.next()
            .and_then(|(off, _)| line.get(off..))
            .map_or("", super::trim),
    );
    Some(ev)
}

/// The first (at most) three words of `w` joined by single spaces: borrowed from the
/// line when they are so spaced there (the common case).
fn joined3<'a>(line: &'a str, w: Words<'a>) -> Cow<'a, str> {
    let mut span: Option<(usize, usize)> = None;
    let mut single = true;
    for (off, t) in w.clone().take(3) {
        if let Some((_, end)) = span {
            single &= off == end + 1 && line.as_bytes().get(end) == Some(&b' ');
        }
        span = Some((span.map_or(off, |(s, _)| s), off + t.len()));
    }
    match span.and_then(|(s, e)| line.get(s..e)) {
        Some(j) if single => Cow::Borrowed(j),
        _ => Cow::Owned(w.take(3).map(|(_, t)| t).collect::<Vec<_>>().join(" ")),
    }
}

/// kubectl 1.x describe layout: `FirstSeen LastSeen Count From SubobjectPath [Type]
/// Reason Message`, where the times are ages (`16m`) or dates (`Tue, 07 Apr 2015 12:08:30
/// -0700`) and From is `{kubelet node}`.
pub(crate) fn old_row(line: &str) -> Option<RawEvent<'_>> {
    // Cheap test first: an age or a date starts with a digit, a sign or a weekday.
    let head = line.trim_start().as_bytes();
    let weekday = head.get(..3).is_some_and(|w| {
        matches!(
            w.to_ascii_lowercase().as_slice(),
            b"sun" | b"mon" | b"tue" | b"wed" | b"thu" | b"fri" | b"sat"
        )
    });
    if !(weekday
        || head
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'+' || *b == b'-'))
    {
        return None;
    }
    let toks = tokens(line);
    let mut i = 0usize;
    let time = |i: &mut usize| -> Option<(Option<i64>, Option<Timestamp>)> {
        let (_, t) = *toks.get(*i)?;
        if let Some(a) = parse_age(t) {
            *i += 1;
            return Some((Some(a), None));
        }
        // `Tue, 07 Apr 2015 12:08:30 -0700` is six tokens.
        let date: Vec<&str> = toks.iter().skip(*i).take(6).map(|(_, t)| *t).collect();
        let ts = parse_time(&date.join(" "))?;
        *i += 6;
        Some((None, Some(ts)))
    };
    let (first_age, first_abs) = time(&mut i)?;
    let (last_age, last_abs) = time(&mut i)?;
    let (_, count) = *toks.get(i)?;
    let count: i32 = count.parse().ok()?;
    i += 1;
    let (_, from) = *toks.get(i)?;
    if !from.starts_with('{') {
        return None;
    }
    let mut from_words = vec![from];
    while !from_words.last().is_some_and(|w| w.ends_with('}')) {
        i += 1;
        from_words.push(toks.get(i)?.1);
    }
    i += 1;
    let from = from_words.join(" ");
    let inner = from.trim_start_matches('{').trim_end_matches('}');
    let (source, host) = match inner.split_once(' ') {
        Some((s, h)) => (s.to_owned(), Some(Cow::Owned(h.to_owned()))),
        None => (inner.to_owned(), None),
    };
    let mut field_path = None;
    if let Some((_, t)) = toks.get(i) {
        if t.starts_with("spec.") || t.starts_with('{') {
            field_path = Some(Cow::Borrowed(*t));
            i += 1;
        } else if *t == "implicitly" {
            field_path = Some(Cow::Owned(
                toks.iter()
                    .skip(i)
                    .take(4)
                    .map(|(_, t)| *t)
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
            i += 4;
        }
    }
    let mut type_ = None;
    if let Some((_, t)) = toks.get(i)
        && TYPES.contains(t)
    {
        type_ = Some(*t);
        i += 1;
    }
    let (_, reason) = *toks.get(i)?;
    Some(RawEvent {
        type_,
        reason: reason_word(reason),
        message: Cow::Borrowed(rest_from(line, &toks, i + 1)),
        count: count.max(1),
        last_age,
        first_age,
        last_abs,
        first_abs,
        source: Some(Cow::Owned(source)),
        host,
        field_path,
        ..RawEvent::default()
    })
}

/// A `kubectl get events` row without its header: `39h  Warning  FailedScheduling
/// pod/web-1  message`, optionally after a namespace.
pub(crate) fn get_events_row(line: &str) -> Option<RawEvent<'_>> {
    let toks = tokens(line);
    let ty = toks.iter().position(|(_, t)| TYPES.contains(t))?;
    if !(1..=2).contains(&ty) {
        return None;
    }
    let (_, age) = *toks.get(ty - 1)?;
    let last_age = parse_age(age);
    if last_age.is_none() && !age.starts_with('<') {
        return None;
    }
    let (_, reason) = *toks.get(ty + 1)?;
    let (_, object) = *toks.get(ty + 2)?;
    let (kind, name) = object.split_once('/')?;
    Some(RawEvent {
        type_: Some(toks.get(ty)?.1),
        reason: reason_word(reason),
        message: Cow::Borrowed(rest_from(line, &toks, ty + 3)),
        count: 1,
        last_age,
        object: Some((object_kind(kind), name.to_owned())),
        namespace: (ty == 2)
            .then(|| toks.first().map(|(_, n)| (*n).to_owned()))
            .flatten(),
        ..RawEvent::default()
    })
}

/// Reasons a bare `Reason  message` or `Reason: message` line may start with.
const REASONS: &[&str] = &[
    "Failed",
    "FailedScheduling",
    "FailedMount",
    "FailedAttachVolume",
    "FailedSync",
    "FailedCreate",
    "FailedCreatePodSandBox",
    "FailedKillPod",
    "FailedPreStopHook",
    "FailedPostStartHook",
    "BackOff",
    "Unhealthy",
    "Killing",
    "Evicted",
    "Preempted",
    "OOMKilling",
    "NodeNotReady",
    "ProvisioningFailed",
    "InspectFailed",
    "ErrImageNeverPull",
    "NetworkNotReady",
    "Pulling",
    "Pulled",
    "Created",
    "Started",
    "Scheduled",
    "NotTriggerScaleUp",
    "ProgressDeadlineExceeded",
];

/// Message prefixes of the kubelet, scheduler and controllers, with the reason and the
/// reporting component the event would carry.
const MESSAGES: &[(&str, &str, &str)] = &[
    ("Failed to pull image", "Failed", "kubelet"),
    (
        "Failed to apply default image tag",
        "InspectFailed",
        "kubelet",
    ),
    ("Back-off pulling image", "BackOff", "kubelet"),
    ("Back-off restarting failed container", "BackOff", "kubelet"),
    ("Error: ", "Failed", "kubelet"),
    ("Liveness probe failed", "Unhealthy", "kubelet"),
    ("Readiness probe failed", "Unhealthy", "kubelet"),
    ("Startup probe failed", "Unhealthy", "kubelet"),
    ("MountVolume.", "FailedMount", "kubelet"),
    (
        "Unable to attach or mount volumes",
        "FailedMount",
        "kubelet",
    ),
    ("Unable to mount volumes", "FailedMount", "kubelet"),
    (
        "Multi-Attach error",
        "FailedAttachVolume",
        "attachdetach-controller",
    ),
    (
        "AttachVolume.Attach failed",
        "FailedAttachVolume",
        "attachdetach-controller",
    ),
    (
        "Failed create pod sandbox",
        "FailedCreatePodSandBox",
        "kubelet",
    ),
    (
        "Failed to create pod sandbox",
        "FailedCreatePodSandBox",
        "kubelet",
    ),
    ("The node was low on resource", "Evicted", "kubelet"),
    ("The node had condition", "Evicted", "kubelet"),
    ("Pod The node had condition", "Evicted", "kubelet"),
    ("Error creating: ", "FailedCreate", "replicaset-controller"),
    (
        "pod didn't trigger scale-up",
        "NotTriggerScaleUp",
        "cluster-autoscaler",
    ),
    ("Container image ", "Pulled", "kubelet"),
    ("Successfully assigned ", "Scheduled", "default-scheduler"),
    ("Created container", "Created", "kubelet"),
    ("Started container", "Started", "kubelet"),
    ("Pulling image", "Pulling", "kubelet"),
    ("Successfully pulled image", "Pulled", "kubelet"),
    ("Stopping container", "Killing", "kubelet"),
];

/// A message the scheduler writes (`0/3 nodes are available: …`, 1.x `pod (x) failed to
/// fit`, `no nodes available to schedule pods`).
fn scheduler_message(m: &str) -> bool {
    let digits = m.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0
        && m.get(digits..).is_some_and(|r| r.starts_with('/'))
        && m.contains(" nodes are available"))
        || m.starts_with("no nodes available to schedule pods")
        || m.starts_with("pod has unbound")
        || (m.starts_with("pod (") && m.contains("failed to fit in any node"))
}

/// A bare message (no table around it): a kubelet/scheduler message alone, or
/// `Reason: message` / `Reason   message`.
pub(crate) fn message_line(line: &str) -> Option<RawEvent<'_>> {
    let t = line.trim();
    let from_message = |m| -> Option<RawEvent<'_>> {
        let (reason, source) = if scheduler_message(m) {
            ("FailedScheduling", "default-scheduler")
        } else if let Some((_, r, s)) = MESSAGES.iter().find(|(p, _, _)| m.starts_with(p)) {
            (*r, *s)
        } else if m.contains("failed liveness probe, will be restarted") {
            ("Killing", "kubelet")
        } else if m.contains("nvalid reference format") || m.contains("InvalidImageName") {
            ("InspectFailed", "kubelet")
        } else {
            return None;
        };
        let normal = matches!(
            reason,
            "Pulled" | "Pulling" | "Scheduled" | "Created" | "Started" | "NotTriggerScaleUp"
        );
        Some(RawEvent {
            type_: Some(if normal { "Normal" } else { "Warning" }),
            reason: Cow::Borrowed(reason),
            message: Cow::Borrowed(m),
            count: 1,
            source: Some(Cow::Borrowed(source)),
            ..RawEvent::default()
        })
    };
    if let Some(ev) = from_message(t) {
        return Some(ev);
    }
    // `FailedScheduling: 0/8 nodes …`, `FailedMount     Unable to mount …`
    let word_end = t
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(t.len());
    let word = t.get(..word_end)?;
    if !REASONS.contains(&word) {
        return None;
    }
    let rest = t.get(word_end..)?;
    let message = if let Some(m) = rest.strip_prefix(':') {
        m.trim()
    } else if rest.starts_with("  ") || rest.starts_with('\t') {
        rest.trim()
    } else {
        return None;
    };
    let mut ev = from_message(message).unwrap_or(RawEvent {
        type_: Some("Warning"),
        message: Cow::Borrowed(message),
        count: 1,
        ..RawEvent::default()
    });
    ev.reason = Cow::Borrowed(word);
    if ev.source.is_none() && word == "FailedScheduling" {
        ev.source = Some(Cow::Borrowed("default-scheduler"));
    }
    Some(ev)
}

/// Column names of an event table, in today's and older spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Namespace,
    LastSeen,
    FirstSeen,
    Count,
    Name,
    Kind,
    Object,
    Subobject,
    Type,
    Reason,
    Source,
    Message,
    Other,
}

/// The columns of a table header, with their byte offsets; `None` unless it is an event
/// table (has REASON and MESSAGE).
pub(crate) fn event_header(line: &str) -> Option<Vec<(usize, Col)>> {
    // Cheap tests first: this runs on every line.
    if !super::trim_start(line)
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_uppercase)
        || !contains_reason(line)
    {
        return None;
    }
    let toks = tokens(line);
    let mut cols = Vec::new();
    let mut i = 0;
    while let Some((off, t)) = toks.get(i).copied() {
        let next = toks.get(i + 1).map(|(_, t)| *t);
        let (col, used) = match (t, next) {
            ("LAST", Some("SEEN")) => (Col::LastSeen, 2),
            ("FIRST", Some("SEEN")) => (Col::FirstSeen, 2),
            ("LASTSEEN" | "TIME" | "LAST-SEEN", _) => (Col::LastSeen, 1),
            ("FIRSTSEEN" | "FIRST-SEEN", _) => (Col::FirstSeen, 1),
            ("NAMESPACE", _) => (Col::Namespace, 1),
            ("COUNT", _) => (Col::Count, 1),
            ("NAME", _) => (Col::Name, 1),
            ("KIND", _) => (Col::Kind, 1),
            ("OBJECT", _) => (Col::Object, 1),
            ("SUBOBJECT", _) => (Col::Subobject, 1),
            ("TYPE", _) => (Col::Type, 1),
            ("REASON", _) => (Col::Reason, 1),
            ("SOURCE" | "FROM", _) => (Col::Source, 1),
            ("MESSAGE" | "MSG", _) => (Col::Message, 1),
            _ => (Col::Other, 1),
        };
        cols.push((off, col));
        i += used;
    }
    (cols.iter().any(|c| c.1 == Col::Reason) && cols.iter().any(|c| c.1 == Col::Message))
        .then_some(cols)
}

/// Whether `line` contains `REASON` (looked for at each `R`, which few lines have).
fn contains_reason(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'R', b).any(|i| b.get(i..).is_some_and(|r| r.starts_with(b"REASON")))
}

/// Cut a row at the header's column offsets, when it is aligned with them (every column
/// starts after a space, or at the end of the row).
fn aligned_cells<'a>(line: &'a str, offsets: &[usize]) -> Option<Vec<&'a str>> {
    let mut out = Vec::with_capacity(offsets.len());
    for (k, &off) in offsets.iter().enumerate() {
        if off > 0 && off < line.len() {
            let before = line.as_bytes().get(off - 1).copied()?;
            if before != b' ' && before != b'\t' {
                return None;
            }
        }
        let end = offsets
            .get(k + 1)
            .copied()
            .unwrap_or(line.len())
            .min(line.len());
        out.push(
            line.get(off.min(line.len())..end.max(off.min(line.len())))?
                .trim(),
        );
    }
    Some(out)
}

/// One row of an event table read with its header.
pub(crate) fn event_table_row<'a>(line: &'a str, cols: &[(usize, Col)]) -> Option<RawEvent<'a>> {
    let offsets: Vec<usize> = cols.iter().map(|c| c.0).collect();
    let msg_idx = cols.iter().position(|c| c.1 == Col::Message)?;
    let cells: Vec<Cow<'a, str>> = match aligned_cells(line, &offsets) {
        Some(c) if c.get(msg_idx).is_some_and(|m| !m.is_empty()) => {
            c.into_iter().map(Cow::Borrowed).collect()
        }
        _ => {
            // Not aligned (indentation or spacing lost): one token per column before the
            // message and after it, the message in between.
            let toks = tokens(line);
            let after = cols.len() - msg_idx - 1;
            let mut cells = Vec::with_capacity(cols.len());
            let mut i = 0;
            for (_, col) in cols.iter().take(msg_idx) {
                let (_, t) = *toks.get(i)?;
                i += 1;
                let mut cell = Cow::Borrowed(t);
                if *col == Col::Source && t.ends_with(',') {
                    if let Some((_, h)) = toks.get(i) {
                        cell = Cow::Owned(format!("{t} {h}"));
                        i += 1;
                    }
                }
                cells.push(cell);
            }
            let end = toks.len().checked_sub(after)?;
            let start_off = toks.get(i).map(|t| t.0)?;
            let end_off = toks.get(end).map_or(line.len(), |t| t.0);
            cells.push(Cow::Borrowed(
                line.get(start_off..end_off.max(start_off))?.trim(),
            ));
            for k in end..toks.len() {
                cells.push(Cow::Borrowed(toks.get(k)?.1));
            }
            cells
        }
    };
    let mut ev = RawEvent {
        count: 1,
        ..RawEvent::default()
    };
    let mut kind = None;
    let mut name = None;
    for ((_, col), cell) in cols.iter().zip(cells) {
        // Trimmed, still borrowing from the line when it did.
        let cell: Cow<'a, str> = match cell {
            Cow::Borrowed(c) => Cow::Borrowed(c.trim()),
            Cow::Owned(c) => Cow::Owned(c.trim().to_owned()),
        };
        let cell_ref: &str = &cell;
        match col {
            Col::Namespace => {
                ev.namespace = Some(cell_ref.to_owned()).filter(|s| !s.is_empty());
            }
            Col::LastSeen => {
                ev.last_age = parse_age(cell_ref);
                ev.last_abs = parse_time(cell_ref);
            }
            Col::FirstSeen => {
                ev.first_age = parse_age(cell_ref);
                ev.first_abs = parse_time(cell_ref);
            }
            Col::Count => ev.count = cell_ref.parse().unwrap_or(1),
            Col::Name => name = Some(cell_ref.to_owned()),
            Col::Kind => kind = Some(cell_ref.to_owned()),
            Col::Object => {
                if let Some((k, n)) = cell_ref.split_once('/') {
                    ev.object = Some((object_kind(k), n.to_owned()));
                }
            }
            Col::Subobject => {
                ev.field_path = Some(cell.clone()).filter(|s| !s.is_empty());
            }
            Col::Type => {
                ev.type_ = match &cell {
                    Cow::Borrowed(c) => Some(*c),
                    // Only the source column is ever rebuilt.
                    Cow::Owned(_) => None,
                }
                .filter(|s| !s.is_empty());
            }
            Col::Reason => ev.reason = Cow::Owned(reason_word(cell_ref).into_owned()),
            Col::Source => {
                let c = cell_ref.trim_start_matches('{').trim_end_matches('}');
                let (s, h) = match c.split_once([',', ' ']) {
                    Some((s, h)) => (s, Some(h.trim().to_owned())),
                    None => (c, None),
                };
                ev.source = Some(s)
                    .filter(|s| !s.is_empty())
                    .map(|s| Cow::Owned(s.to_owned()));
                ev.host = h.filter(|h| !h.is_empty()).map(Cow::Owned);
            }
            Col::Message => ev.message = cell.clone(),
            Col::Other => {}
        }
    }
    if ev.object.is_none()
        && let Some(n) = name
    {
        // Old tables: NAME is the object's name and KIND its kind.
        let k = kind.unwrap_or_else(|| "Pod".to_owned());
        // The wide layout's NAME is the event's own name `<object>.<hash>`.
        let n = match n.rsplit_once('.') {
            Some((obj, hash))
                if hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                obj.to_owned()
            }
            _ => n,
        };
        ev.object = Some((k, n));
    }
    (!ev.reason.is_empty()).then_some(ev)
}

/// `pod` / `po` / `replicaset` → `Pod` / `ReplicaSet` (as in `OBJECT` cells and prompts).
pub(crate) fn object_kind(k: &str) -> String {
    match k.to_ascii_lowercase().as_str() {
        "pod" | "pods" | "po" => "Pod",
        "node" | "nodes" | "no" => "Node",
        "replicaset" | "replicasets" | "rs" => "ReplicaSet",
        "deployment" | "deployments" | "deploy" => "Deployment",
        "statefulset" | "statefulsets" | "sts" => "StatefulSet",
        "daemonset" | "daemonsets" | "ds" => "DaemonSet",
        "job" | "jobs" => "Job",
        "cronjob" | "cronjobs" | "cj" => "CronJob",
        "replicationcontroller" | "replicationcontrollers" | "rc" => "ReplicationController",
        "persistentvolumeclaim" | "persistentvolumeclaims" | "pvc" => "PersistentVolumeClaim",
        "event" | "events" | "ev" => "Event",
        other => return crate::text::capitalise(other),
    }
    .to_owned()
}

/// One row of `kubectl get pods [-o wide]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PodRow<'a> {
    pub namespace: Option<&'a str>,
    pub name: &'a str,
    pub ready: Option<(i32, i32)>,
    pub status: &'a str,
    pub restarts: i32,
    pub last_restart_age: Option<i64>,
    pub age: Option<i64>,
    pub ip: Option<&'a str>,
    pub node: Option<&'a str>,
}

/// Whether a header is `kubectl get pods`' (NAME READY STATUS …).
pub(crate) fn pod_header(line: &str) -> Option<Vec<&str>> {
    let t = super::trim_start(line);
    if !(t.starts_with("NAME") && line.contains("RESTARTS")) {
        return None;
    }
    let toks: Vec<&str> = tokens(line).into_iter().map(|(_, t)| t).collect();
    let has = |w: &str| toks.contains(&w);
    (has("NAME") && has("READY") && has("STATUS") && has("RESTARTS")).then_some(toks)
}

/// A `kubectl get pods` row read with its header's column names.
pub(crate) fn pod_row<'a>(line: &'a str, header: &[&str]) -> Option<PodRow<'a>> {
    let toks = tokens(line);
    let mut row = PodRow::default();
    let mut i = 0;
    for col in header {
        let Some((_, t)) = toks.get(i).copied() else {
            break;
        };
        i += 1;
        match *col {
            "NAMESPACE" => row.namespace = Some(t),
            "NAME" => row.name = t,
            "READY" => {
                let (a, b) = t.split_once('/')?;
                row.ready = Some((a.parse().ok()?, b.parse().ok()?));
            }
            "STATUS" => row.status = t,
            "RESTARTS" => {
                row.restarts = t.parse().ok()?;
                // `5 (3m ago)`
                if let Some((_, n)) = toks.get(i)
                    && n.starts_with('(')
                {
                    row.last_restart_age = parse_age(n.trim_start_matches('('));
                    i += 1;
                    if toks.get(i).is_some_and(|(_, a)| *a == "ago)") {
                        i += 1;
                    }
                }
            }
            "AGE" => row.age = parse_age(t),
            "IP" => row.ip = Some(t).filter(|s| *s != "<none>"),
            "NODE" => row.node = Some(t).filter(|s| *s != "<none>"),
            _ => {}
        }
    }
    let status_word = row.status.starts_with(|c: char| c.is_ascii_alphabetic());
    (!row.name.is_empty() && row.ready.is_some() && status_word).then_some(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_rows() {
        let e = describe_row("  Warning  Failed     4m11s (x6 over 4m53s)  kubelet, node-7  Error: secrets \"s\" not found").unwrap();
        assert_eq!(e.reason, "Failed");
        assert_eq!(e.count, 6);
        assert_eq!(e.last_age, Some(251));
        assert_eq!(e.first_age, Some(293));
        assert_eq!(e.source.as_deref(), Some("kubelet"));
        assert_eq!(e.host.as_deref(), Some("node-7"));
        assert_eq!(e.message, "Error: secrets \"s\" not found");
        let e =
            describe_row("Normal Pulling 18s (x2 over 37s) kubelet, kworker2 pulling image \"x\"")
                .unwrap();
        assert_eq!(e.message, "pulling image \"x\"");
        let e = describe_row(
            "Warning  FailedScheduling  <unknown>  default-scheduler  0/5 nodes are available",
        )
        .unwrap();
        assert_eq!(e.last_age, None);
        assert_eq!(e.source.as_deref(), Some("default-scheduler"));
        assert!(describe_row("Warning: this is prose").is_none());
    }

    #[test]
    fn old_rows() {
        let e = old_row("  16m   42s 11  {kubelet pool-ijcs}    spec.containers{db}  Warning Unhealthy   Liveness probe failed: x").unwrap();
        assert_eq!(
            (e.count, e.first_age, e.last_age),
            (11, Some(960), Some(42))
        );
        assert_eq!(e.field_path.as_deref(), Some("spec.containers{db}"));
        assert_eq!(e.reason, "Unhealthy");
        assert_eq!(e.host.as_deref(), Some("pool-ijcs"));
        let e = old_row("  Tue, 07 Apr 2015 12:08:30 -0700\tTue, 07 Apr 2015 12:08:31 -0700\t1\t{kubelet 127.0.0.1}\tspec.containers{nginx}\t\t\tkilling\t\tKilling 0b77").unwrap();
        assert_eq!(e.reason, "Killing");
        assert_eq!(e.message, "Killing 0b77");
        assert!(e.last_abs.is_some());
    }

    #[test]
    fn bare_messages() {
        let e =
            message_line("FailedScheduling: 0/8 nodes are available: 8 Insufficient cpu").unwrap();
        assert_eq!(e.reason, "FailedScheduling");
        assert_eq!(e.message, "0/8 nodes are available: 8 Insufficient cpu");
        let e = message_line("Error: configmap \"amun\" not found").unwrap();
        assert_eq!((&*e.reason, e.type_), ("Failed", Some("Warning")));
        let e = message_line("FailedMount     Unable to mount volumes for pod").unwrap();
        assert_eq!(e.reason, "FailedMount");
        assert!(message_line("hello world").is_none());
        assert!(message_line("Failed to think").is_none());
    }

    #[test]
    fn event_tables() {
        let h = "LAST SEEN   TYPE      REASON             OBJECT        MESSAGE";
        let cols = event_header(h).unwrap();
        let e = event_table_row("39h         Warning   FailedScheduling   pod/web-1     0/1 nodes are available: 1 Insufficient cpu.", &cols).unwrap();
        assert_eq!(e.object, Some(("Pod".into(), "web-1".into())));
        assert_eq!(e.last_age, Some(39 * 3600));
        // spacing lost
        let e = event_table_row(
            "2m Warning BackOff pod/web-1 Back-off restarting failed container",
            &cols,
        )
        .unwrap();
        assert_eq!(e.message, "Back-off restarting failed container");
        let old = "LASTSEEN   FIRSTSEEN   COUNT     NAME      KIND      SUBOBJECT                TYPE      REASON    SOURCE            MESSAGE";
        let cols = event_header(old).unwrap();
        let e = event_table_row("1m         5m          7         web-1     Pod       spec.containers{app}     Warning   BackOff   {kubelet n1}      Back-off restarting failed container", &cols).unwrap();
        assert_eq!(e.object, Some(("Pod".into(), "web-1".into())));
        assert_eq!(e.count, 7);
        assert_eq!(e.field_path.as_deref(), Some("spec.containers{app}"));
    }

    #[test]
    fn pod_rows() {
        let h = pod_header("NAME      READY   STATUS    RESTARTS        AGE   IP   NODE").unwrap();
        let r = pod_row(
            "web-1     0/2     CrashLoopBackOff   5 (3m ago)   1h   10.0.0.1   n1",
            &h,
        )
        .unwrap();
        assert_eq!(r.restarts, 5);
        assert_eq!(r.last_restart_age, Some(180));
        assert_eq!(r.node, Some("n1"));
        assert_eq!(r.ready, Some((0, 2)));
    }
}
