//! Reading what people paste: `kubectl describe` output, `kubectl get events` and
//! `kubectl get pods` tables, bare event lines and bare kubelet/scheduler messages —
//! several at once, with shell prompts, lost indentation, wrapped lines and CRLF — into
//! the same typed objects JSON gives, so every rule works on them unchanged.
//!
//! One pass over the lines (the sniffer, `read`) splits the paste into blocks and hands
//! each line to the reader of its block; JSON/YAML blocks inside a paste go to the JSON
//! and YAML readers. Where in the paste each object and event was read is kept beside it
//! ([`super::Parsed::locations`]: `block 2, line 14`), and evidence cites it.

mod age;
mod build;
mod describe;
mod quoted;
mod rows;

use super::TextLocation;
use crate::{InputWarning, Object};
use describe::{Described, Describer, is_event_header, is_key_line};
use rows::{
    Col, PodRow, RawEvent, event_header, event_table_row, message_line, pod_header, pod_row, tokens,
};
use std::rc::Rc;

/// Annotation on the synthetic pod that stands for a described node's "Allocated
/// resources" totals (see ARCHITECTURE.md, "Pasted text").
pub const SYNTHETIC_ANNOTATION: &str = "kdiag.io/synthetic";

/// Prefix of the annotation carrying a container's last output as pasted under a
/// `kubectl logs` prompt (`kdiag.io/logs.<container>`: its last lines).
pub const LOGS_ANNOTATION: &str = "kdiag.io/logs.";

/// Prefix of the annotation saying where those lines were read
/// (`kdiag.io/logs-source.<container>`: `block 4, lines 12-14`).
pub const LOGS_SOURCE_ANNOTATION: &str = "kdiag.io/logs-source.";

/// Annotation listing the fields of an object the text reader inferred rather than read
/// (`status.containerStatuses[app].restartCount, …`), so that evidence can say so.
pub const INFERRED_ANNOTATION: &str = "kdiag.io/inferred";

/// At most this many of the last lines of a pasted log are kept.
const LOG_LINES: usize = 20;

/// What the text reader gives: the same as the JSON and YAML readers.
pub(crate) type TextOut = super::Parsed;

impl TextOut {
    /// Add an object read at `at` (the locations stay aligned with the objects, which
    /// JSON/YAML blocks in the paste add without one).
    fn push_at(&mut self, object: Object, at: TextLocation) {
        self.locations.resize(self.objects.len(), None);
        self.locations.push(Some(at));
        self.objects.push(object);
    }
}

/// What a shell prompt line says: `$ kubectl describe pod web-1 -n prod`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hint {
    pub verb: String,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The container a command names (`-c app`, `--container=app`).
    pub container: Option<String>,
}

/// A shell prompt with a kubectl (or oc) command, read as a hint.
pub(crate) fn prompt(t: &str, bare_ok: bool) -> Option<Hint> {
    let prompt_char = t.bytes().any(|b| matches!(b, b'$' | b'#' | b'%' | b'>'));
    prompt_with(t, bare_ok, prompt_char)
}

/// Where the paste's next prompt characters (`$ # % >`) are, found with vectorised
/// searches that run on only past the lines asked about (few lines hold one).
struct PromptChars<'t> {
    text: &'t [u8],
    /// The first `$`, `#` or `%` at or after the last line asked about (or the end).
    next_dollar: usize,
    /// The first `>` at or after it (or the end).
    next_gt: usize,
}

impl<'t> PromptChars<'t> {
    fn new(text: &'t str) -> Self {
        let text = text.as_bytes();
        PromptChars {
            text,
            next_dollar: Self::find(text, 0, |r| memchr::memchr3(b'$', b'#', b'%', r)),
            next_gt: Self::find(text, 0, |r| memchr::memchr(b'>', r)),
        }
    }

    /// The first position at or after `from` that `search` finds (or the end).
    fn find(text: &[u8], from: usize, search: impl Fn(&[u8]) -> Option<usize>) -> usize {
        text.get(from..)
            .and_then(search)
            .map_or(text.len(), |i| from + i)
    }

    /// Whether `text[start..end]` holds a prompt character; `start` never goes back.
    fn within(&mut self, start: usize, end: usize) -> bool {
        if self.next_dollar < start {
            self.next_dollar =
                Self::find(self.text, start, |r| memchr::memchr3(b'$', b'#', b'%', r));
        }
        if self.next_gt < start {
            self.next_gt = Self::find(self.text, start, |r| memchr::memchr(b'>', r));
        }
        self.next_dollar < end || self.next_gt < end
    }
}

/// [`prompt`], told whether `t` holds a prompt character (`$ # % >`).
fn prompt_with(t: &str, bare_ok: bool, prompt_char: bool) -> Option<Hint> {
    const TOOLS: [&str; 7] = [
        "kubectl",
        "k",
        "oc",
        "kc",
        "kubecolor",
        "microk8s",
        "kubectl.exe",
    ];
    // Cheap tests first: this runs on every line. A command is either the line's first
    // word or follows a word ending in a prompt character.
    let head = trim_start(t);
    let tool_first = matches!(head.as_bytes().first(), Some(b'k' | b'o' | b'm'))
        && TOOLS.iter().any(|tool| {
            head.strip_prefix(tool)
                .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
        });
    if !tool_first && !prompt_char {
        return None;
    }
    // A prompt glued to the command (`$kubectl logs web-1`, `#kubectl get pods`).
    let spaced;
    let t = match head.strip_prefix(['$', '#', '%']) {
        Some(r)
            if TOOLS
                .iter()
                .any(|w| r.strip_prefix(w).is_some_and(|a| a.starts_with(' '))) =>
        {
            spaced = format!("$ {r}");
            spaced.as_str()
        }
        _ => t,
    };
    if !t.split_whitespace().take(8).any(|w| TOOLS.contains(&w)) {
        return None;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    // The command starts at the first kubectl-like word, after an optional prompt
    // (`$`, `#`, `%`, `>`, `user@host:~$`, `[root@master ~]#`).
    let start = words.iter().position(|w| TOOLS.contains(w))?;
    if start > 0 {
        let before = words.get(..start)?.join(" ");
        if !before.ends_with(['$', '#', '%', '>']) {
            return None;
        }
    } else if t.len() != t.trim_start().len() || !bare_ok {
        // `kubectl …` without a prompt only at the start of a line, outside describe
        // (where it may be a container's command).
        return None;
    }
    let mut hint = Hint::default();
    let mut positional = Vec::new();
    let mut i = start + 1;
    if words.get(start) == Some(&"microk8s") {
        i += 1;
    }
    while let Some(w) = words.get(i) {
        i += 1;
        // A pipe, a redirection (`> out.txt`, `2>&1`), the next command.
        if w.starts_with('|') || w.contains('>') || *w == ";" || *w == "&&" {
            break;
        }
        if let Some(ns) = w.strip_prefix("--namespace=") {
            hint.namespace = Some(ns.to_owned());
        } else if let Some(c) = w.strip_prefix("--container=") {
            hint.container = Some(c.to_owned());
        } else if *w == "-c" || *w == "--container" {
            hint.container = words.get(i).map(|s| (*s).to_owned());
            i += 1;
        } else if *w == "-n" || *w == "--namespace" {
            hint.namespace = words.get(i).map(|s| (*s).to_owned());
            i += 1;
        } else if let Some(ns) = w
            .strip_prefix("-n")
            .filter(|n| !n.is_empty() && !w.starts_with("--"))
        {
            hint.namespace = Some(ns.to_owned());
        } else if matches!(
            *w,
            "-o" | "-l"
                | "--context"
                | "--selector"
                | "--field-selector"
                | "--kubeconfig"
                | "--tail"
                | "--since"
                | "--since-time"
                | "--limit-bytes"
                | "--max-log-requests"
                | "--pod-running-timeout"
                | "--request-timeout"
        ) {
            i += 1;
        } else if w.starts_with('-') {
        } else {
            positional.push(*w);
        }
    }
    hint.verb = (*positional.first()?).to_owned();
    if let Some(res) = positional.get(1) {
        let (kind, name) = match res.split_once('/') {
            Some((k, n)) => (k, Some(n)),
            None => (*res, positional.get(2).copied()),
        };
        if hint.verb == "logs" {
            // `logs web-1 [app]`, `logs pod/web-1`, `logs deploy/web`.
            match name {
                Some(n) if res.contains('/') => {
                    hint.kind = Some(rows::object_kind(kind));
                    hint.name = Some(n.to_owned());
                }
                _ => {
                    hint.kind = Some("Pod".to_owned());
                    hint.name = Some(kind.to_owned());
                    if hint.container.is_none() {
                        hint.container = positional.get(2).map(|c| (*c).to_owned());
                    }
                }
            }
        } else {
            hint.kind = Some(rows::object_kind(kind.split(',').next().unwrap_or(kind)));
            hint.name = name.map(str::to_owned);
        }
    }
    Some(hint)
}

/// White space as `char::is_whitespace` sees it, for ASCII.
pub(crate) fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `s.trim_start()`, without decoding characters when the text starts with ASCII.
pub(crate) fn trim_start(s: &str) -> &str {
    let start = s
        .as_bytes()
        .iter()
        .position(|b| !ascii_space(*b))
        .unwrap_or(s.len());
    match s.get(start..) {
        // A non-ASCII character may be white space: the slow path decides.
        Some(r) if r.as_bytes().first().is_none_or(|b| *b < 0x80) => r,
        _ => s.trim_start(),
    }
}

/// `s.trim_end()`, without decoding characters when the text ends with ASCII.
pub(crate) fn trim_end(s: &str) -> &str {
    let b = s.as_bytes();
    let end = b
        .iter()
        .rposition(|c| !ascii_space(*c))
        .map_or(0, |e| e + 1);
    match s.get(..end) {
        // A non-ASCII character may be white space: the slow path decides.
        Some(r) if r.as_bytes().last().is_none_or(|b| *b < 0x80) => r,
        _ => s.trim_end(),
    }
}

/// `(s.trim(), s.len() - s.trim_start().len())`: a line and its indentation, without
/// decoding characters when both ends are ASCII.
pub(crate) fn trim_indent(s: &str) -> (&str, usize) {
    let rest = trim_start(s);
    (trim_end(rest), s.len() - rest.len())
}

/// The lines of `text` with their line breaks (`text.split_inclusive('\n')`), found with
/// `memchr`'s vectorised search.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at_checked(end)?;
        rest = tail;
        Some(line)
    })
}

/// `s.trim_end_matches(['\n', '\r'])`, on bytes.
pub(crate) fn trim_line_break(s: &str) -> &str {
    let end = s
        .as_bytes()
        .iter()
        .rposition(|b| !matches!(b, b'\n' | b'\r'))
        .map_or(0, |e| e + 1);
    s.get(..end).unwrap_or(s)
}

/// `s.trim()`, without decoding characters when both ends are ASCII (the common case).
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|c| !ascii_space(*c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !ascii_space(*c))
        .map_or(start, |e| e + 1);
    let first_ascii = b.get(start).is_none_or(|c| *c < 0x80);
    let last_ascii = end == start || b.get(end - 1).is_some_and(|c| *c < 0x80);
    match s.get(start..end.max(start)) {
        Some(r) if first_ascii && last_ascii => r,
        _ => s.trim(),
    }
}

/// Whether the text holds kubectl's human-readable forms at all (cheap: stops at the
/// first sign). Pure JSON/YAML never gets here.
pub(crate) fn looks_like_text(text: &str) -> bool {
    text.lines().take(400).any(|l| {
        let l = quoted::unwrap_line(l);
        let t = l.trim();
        let t = t.strip_prefix("> ").unwrap_or(t).trim();
        is_key_line(t)
            || is_event_header(t)
            || event_header(t).is_some()
            || pod_header(t).is_some()
            || rows::describe_row(t).is_some()
            || message_line(t).is_some()
            || rows::old_row(t).is_some()
            || rows::get_events_row(t).is_some()
            || quoted::other_row(t).is_some()
            || prompt(t, true).is_some()
            || quoted::embedded(t).is_some()
            || upper_header(t)
    })
}

/// A table header of some other `kubectl get` (services, PVCs, nodes, `top`…).
fn upper_header(t: &str) -> bool {
    if !t.starts_with("NAME") {
        return false;
    }
    let toks = tokens(t);
    toks.len() >= 2
        && toks
            .first()
            .is_some_and(|(_, w)| *w == "NAME" || *w == "NAMESPACE")
        && toks.iter().all(|(_, w)| {
            // `MEMORY(bytes)`: what is in parentheses may be lower case.
            let head = w.split('(').next().unwrap_or(w);
            head.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-_%/.".contains(c))
        })
}

/// Whether a node table header (`kubectl get nodes`).
fn node_header(t: &str) -> bool {
    if !t.starts_with("NAME") {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    words.first() == Some(&"NAME")
        && words.get(1) == Some(&"STATUS")
        && (words.contains(&"VERSION") || words.contains(&"ROLES"))
}

/// Start of an embedded JSON or YAML document.
fn structured_start(t: &str, indent: usize) -> Option<bool> {
    // Cheap test first: this runs on every line.
    let first = *t.as_bytes().first()?;
    if matches!(first, b'{' | b'[') {
        if t == "{"
            || t == "["
            || t.starts_with("{\"")
            || t.starts_with("[{")
            || t.starts_with("[\"")
        {
            return Some(true);
        }
        return None;
    }
    if indent == 0 {
        let yaml_keys = [
            "apiVersion:",
            "kind:",
            "metadata:",
            "spec:",
            "status:",
            "items:",
            "- apiVersion:",
            "state:",
            "lastState:",
            "involvedObject:",
        ];
        if t.starts_with(|c: char| c.is_ascii_lowercase() || c == '-')
            && yaml_keys.iter().any(|k| {
                t.strip_prefix(k)
                    .is_some_and(|r| r.is_empty() || r.starts_with(' '))
            })
        {
            return Some(false);
        }
    }
    None
}

enum Mode<'a> {
    None,
    Describe(Describer<'a>),
    EventTable(Vec<(usize, Col)>),
    PodTable(Vec<&'a str>),
    NodeTable,
    OtherTable,
    /// (first line, byte offset, is JSON)
    Structured(usize, usize, bool),
    /// (first and last non-empty line, the non-empty lines)
    Logs(usize, usize, Vec<&'a str>),
    Loose,
}

/// Everything collected before objects are built, borrowing from the paste (hints are
/// shared: every event under a prompt points to the same one).
#[derive(Default)]
pub(crate) struct Collected<'a> {
    /// Builds each described block's object when the block ends.
    builder: build::Builder<'a>,
    /// (block, owner from hint, event)
    pub events: Vec<(usize, Option<Rc<Hint>>, RawEvent<'a>)>,
    /// (block, line, namespace from hint, row)
    pub pod_rows: Vec<(usize, usize, Option<Rc<Hint>>, PodRow<'a>)>,
    pub node_rows: Vec<(usize, usize, Vec<&'a str>)>,
    /// The last describe block, emptied: the next one reuses its buffers.
    spare_described: Option<Box<Described<'a>>>,
    /// Output pasted under `kubectl logs` prompts.
    pub logs: Vec<LogBlock<'a>>,
}

/// The lines pasted under a `kubectl logs` prompt.
pub(crate) struct LogBlock<'a> {
    pub block: usize,
    /// The prompt: pod, namespace, container.
    pub hint: Rc<Hint>,
    pub first: usize,
    pub last: usize,
    /// The last (at most [`LOG_LINES`]) non-empty lines.
    pub lines: Vec<&'a str>,
}

/// Read a paste. What a paste wraps around kubectl's lines (a k9s border, Markdown bold,
/// whole-line backticks) is dropped first, line for line, so line numbers stay the paste's.
pub(crate) fn read(text: &str) -> TextOut {
    match quoted::unwrap_all(text) {
        Some(clean) => read_lines(&clean),
        None => read_lines(text),
    }
}

fn read_lines(text: &str) -> TextOut {
    let mut out = TextOut::default();
    let mut col = Collected::default();
    let mut mode = Mode::None;
    let mut hint: Option<Rc<Hint>> = None;
    let mut block = 0usize;
    let mut offset = 0usize;
    let mut prompt_chars = PromptChars::new(text);
    for (idx, full) in split_lines(text).enumerate() {
        let line_no = idx + 1;
        let line_start = offset;
        offset += full.len();
        let body = trim_line_break(full);
        // A Markdown quote (`> `) is not part of what kubectl printed.
        let raw = match body.strip_prefix('>') {
            Some(r) if r.is_empty() || r.starts_with(' ') => r.strip_prefix(' ').unwrap_or(r),
            _ => body,
        };
        let (t, indent) = trim_indent(raw);

        let bare_ok = indent == 0 && !matches!(mode, Mode::Describe(_));
        let raw_start = line_start + (body.len() - raw.len());
        let prompt_char = prompt_chars.within(raw_start, raw_start + raw.len());
        // (`prompt_with`'s own first test, here: most lines fail it, and a call costs.)
        let may_prompt = prompt_char || matches!(t.as_bytes().first(), Some(b'k' | b'o' | b'm'));
        if may_prompt && let Some(h) = prompt_with(raw, bare_ok, prompt_char) {
            finish(
                &mut mode, text, line_start, block, &hint, &mut col, &mut out,
            );
            block += 1;
            if h.verb == "logs" {
                mode = Mode::Logs(0, 0, Vec::new());
            }
            hint = Some(Rc::new(h));
            continue;
        }
        // Continue the current block, or end it.
        let keep = match &mut mode {
            Mode::Structured(_, _, json) => {
                let json = *json;
                t.is_empty()
                    || indent > 0
                    || (json && t.starts_with(['{', '}', '[', ']', '"']))
                    || (!json
                        && (t.starts_with("- ") || t == "---" || t.starts_with('#') || yaml_key(t)))
            }
            Mode::Describe(d) => {
                if (t.starts_with("Name:") && indent == 0 && d.named())
                    || upper_header(t)
                    || event_header(t).is_some()
                    || pod_header(t).is_some()
                    || structured_start(t, indent).is_some_and(|j| j)
                {
                    false
                } else {
                    if !d.line_trimmed(line_no, t) && !t.is_empty() && t != "..." {
                        if let Some(mut e) = rows::describe_row(t).or_else(|| message_line(t)) {
                            e.line = line_no;
                            col.events.push((block, hint.clone(), e));
                        } else {
                            unplaced(&mut out, block, line_no);
                        }
                    }
                    true
                }
            }
            Mode::EventTable(cols) => {
                if t.is_empty() {
                    false
                } else if let Some(mut e) = event_table_row(raw, cols) {
                    e.line = line_no;
                    col.events.push((block, hint.clone(), e));
                    true
                } else if !upper_header(t) && !is_key_line(t) {
                    match col.events.last_mut() {
                        Some((b, _, e)) if *b == block => {
                            let m = e.message.to_mut();
                            m.push(' ');
                            m.push_str(t);
                        }
                        _ => unplaced(&mut out, block, line_no),
                    }
                    true
                } else {
                    false
                }
            }
            Mode::PodTable(h) => match pod_row(raw, h) {
                Some(r) => {
                    col.pod_rows.push((block, line_no, hint.clone(), r));
                    true
                }
                None => false,
            },
            Mode::NodeTable => {
                let toks: Vec<&str> = t.split_whitespace().collect();
                // STATUS is Ready, NotReady or Unknown (`Ready,SchedulingDisabled`): a
                // line of prose after the table is not a node.
                let status_word = toks.get(1).is_some_and(|s| {
                    ["Ready", "NotReady", "Unknown"].contains(&s.split(',').next().unwrap_or(""))
                });
                if toks.len() >= 2 && status_word && !upper_header(t) {
                    col.node_rows.push((block, line_no, toks));
                    true
                } else {
                    false
                }
            }
            Mode::OtherTable => !t.is_empty() && !upper_header(t) && !is_key_line(t),
            Mode::Logs(first, last, lines) => {
                // The logs end at a closing code fence, or where another of kubectl's forms
                // starts without a prompt of its own (a describe, a table).
                let fence = t.starts_with("```");
                let next_form = (indent == 0 && t.starts_with("Name:"))
                    || is_event_header(t)
                    || event_header(t).is_some()
                    || pod_header(t).is_some()
                    || upper_header(t);
                if (fence && !lines.is_empty()) || next_form {
                    false
                } else {
                    // Not the container's output: an opening fence, a heading in bold.
                    if !t.is_empty() && !fence && !quoted::is_bold_heading(t) {
                        if lines.is_empty() {
                            *first = line_no;
                        }
                        *last = line_no;
                        // Only the last lines are kept: drop the older half now and then.
                        if lines.len() >= 2 * LOG_LINES {
                            lines.drain(..LOG_LINES);
                        }
                        lines.push(t);
                    }
                    true
                }
            }
            Mode::Loose => {
                if t.is_empty() {
                    false
                } else if let Some(mut e) = rows::describe_row(t)
                    .or_else(|| rows::old_row(t))
                    .or_else(|| rows::get_events_row(t))
                    .or_else(|| quoted::other_row(t))
                {
                    // The next event line of the same paste.
                    e.line = line_no;
                    col.events.push((block, hint.clone(), e));
                    true
                } else if rows::describe_row(t).is_none()
                    && rows::old_row(t).is_none()
                    && rows::get_events_row(t).is_none()
                    && message_line(t).is_none()
                    && !is_key_line(t)
                    && !is_event_header(t)
                    && !upper_header(t)
                    && structured_start(t, indent).is_none()
                    && !quoted::is_log_line(t)
                    && let Some((b, _, e)) = col.events.last_mut()
                    && *b == block
                {
                    // A wrapped message.
                    let m = e.message.to_mut();
                    m.push(' ');
                    m.push_str(t);
                    true
                } else {
                    false
                }
            }
            Mode::None => false,
        };
        if keep {
            continue;
        }
        finish(
            &mut mode, text, line_start, block, &hint, &mut col, &mut out,
        );
        if t.is_empty() {
            continue;
        }
        // A new block.
        block += 1;
        if let Some(json) = structured_start(t, indent) {
            mode = Mode::Structured(line_no, line_start, json);
        } else if let Some(h) = pod_header(t) {
            out.formats.insert("pods-table");
            mode = Mode::PodTable(h);
        } else if let Some(cols) = event_header(t) {
            out.formats.insert("events-table");
            mode = Mode::EventTable(cols);
        } else if node_header(t) {
            out.formats.insert("nodes-table");
            mode = Mode::NodeTable;
        } else if upper_header(t) {
            mode = Mode::OtherTable;
        } else if is_key_line(t) || is_event_header(t) {
            let mut d = Describer::new(line_no, col.spare_described.take());
            if is_event_header(t) {
                d.start_events();
            }
            d.line(line_no, raw);
            mode = Mode::Describe(d);
        } else if let Some(r) = pod_row(raw, &default_pod_header()) {
            // `kubectl get pods` rows whose header was cut off.
            out.formats.insert("pods-table");
            col.pod_rows.push((block, line_no, hint.clone(), r));
            mode = Mode::PodTable(default_pod_header());
        } else if let Some(mut e) = rows::describe_row(t)
            .or_else(|| rows::old_row(t))
            .or_else(|| rows::get_events_row(t))
            .or_else(|| quoted::other_row(t))
        {
            out.formats.insert("event-lines");
            e.line = line_no;
            col.events.push((block, hint.clone(), e));
            mode = Mode::Loose;
        } else if let Some(mut e) = message_line(t) {
            out.formats.insert("messages");
            e.line = line_no;
            col.events.push((block, hint.clone(), e));
            mode = Mode::Loose;
        } else if let Some(mut e) = quoted::embedded(t) {
            // An event quoted in a sentence: what follows is prose, not its wrapped tail.
            out.formats.insert("messages");
            e.line = line_no;
            col.events.push((block, hint.clone(), e));
        } else if t != "..." && !t.starts_with("```") {
            unplaced(&mut out, block, line_no);
        }
    }
    finish(
        &mut mode,
        text,
        text.len(),
        block,
        &hint,
        &mut col,
        &mut out,
    );
    build::build(col, &mut out);
    out
}

/// The columns of `kubectl get pods -o wide`, for rows pasted without their header.
fn default_pod_header() -> Vec<&'static str> {
    ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"].to_vec()
}

fn yaml_key(t: &str) -> bool {
    let Some((k, _)) = t.split_once(':') else {
        return false;
    };
    !k.is_empty()
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars().all(|c| c.is_ascii_alphanumeric())
}

fn unplaced(out: &mut TextOut, block: usize, line: usize) {
    out.warnings.push(InputWarning {
        location: format!("block {block}, line {line}"),
        message:
            "not a form kdiag reads (kubectl describe, get events, get pods, JSON or YAML); ignored"
                .to_owned(),
    });
}

fn finish<'a>(
    mode: &mut Mode<'a>,
    text: &str,
    end: usize,
    block: usize,
    hint: &Option<Rc<Hint>>,
    col: &mut Collected<'a>,
    out: &mut TextOut,
) {
    match std::mem::replace(mode, Mode::None) {
        Mode::Describe(d) => {
            let mut d = d.out;
            let only_events = d.fields.iter().all(|(k, _)| *k == "Events");
            if only_events && d.containers.is_empty() && d.init_containers.is_empty() {
                // Only an events table (or nothing): its events belong to the hinted object.
                let owner = hint
                    .clone()
                    .filter(|h| h.verb == "describe" || h.verb == "get");
                if !d.events.is_empty() {
                    out.formats.insert("events-describe");
                }
                for e in d.events.drain(..) {
                    col.events.push((block, owner.clone(), e));
                }
            } else {
                let none = Hint::default();
                let h = hint.as_deref().unwrap_or(&none);
                col.builder.described(block, h, &mut d, out);
            }
            col.spare_described = Some(d);
        }
        Mode::Structured(first_line, start, json) => {
            let chunk = text.get(start..end).unwrap_or("");
            let parsed = if json {
                super::parse_json(chunk)
            } else {
                super::parse_yaml(chunk)
            };
            out.formats.insert(if json { "json" } else { "yaml" });
            out.objects.extend(parsed.objects);
            for (k, n) in parsed.other_kinds {
                *out.other_kinds.entry(k).or_default() += n;
            }
            for w in parsed.warnings {
                out.warnings.push(InputWarning {
                    location: format!("block {block} (from line {first_line}), {}", w.location),
                    message: w.message,
                });
            }
        }
        // Logs are not objects: their last lines go to the pod the prompt names.
        Mode::Logs(first, last, mut lines) if !lines.is_empty() => {
            out.formats.insert("logs");
            if let Some(h) = hint.as_ref().filter(|h| h.verb == "logs") {
                let keep = lines.len().saturating_sub(LOG_LINES);
                lines.drain(..keep);
                col.logs.push(LogBlock {
                    block,
                    hint: Rc::clone(h),
                    first,
                    last,
                    lines,
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Event, Node, Pod};

    fn pods(out: &TextOut) -> Vec<&Pod> {
        out.objects
            .iter()
            .filter_map(|o| match o {
                Object::Pod(p) => Some(&**p),
                _ => None,
            })
            .collect()
    }

    fn events(out: &TextOut) -> Vec<&Event> {
        out.objects
            .iter()
            .filter_map(|o| match o {
                Object::Event(e) => Some(&**e),
                _ => None,
            })
            .collect()
    }

    fn nodes(out: &TextOut) -> Vec<&Node> {
        out.objects
            .iter()
            .filter_map(|o| match o {
                Object::Node(n) => Some(&**n),
                _ => None,
            })
            .collect()
    }

    const DESCRIBE: &str = "Name:         web-1\nNamespace:    prod\nNode:         node-a/10.0.0.1\nStatus:       Running\nControlled By:  ReplicaSet/web-5d8f\nInit Containers:\n  setup:\n    Image:   busybox\n    State:   Terminated\n      Reason:   Completed\n      Exit Code: 0\n    Ready:   True\n    Restart Count: 0\nContainers:\n  app:\n    Image:          acme/web:1.2\n    Command:\n      /bin/server\n    Args:\n      --port=8080\n    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       Error\n      Message:      boom: the config\n                    is wrong\n      Exit Code:    2\n    Ready:          False\n    Restart Count:  5\n    Limits:\n      memory:  256Mi\n    Requests:\n      cpu:     100m\n    Liveness:   http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n    Environment:\n      TOKEN:  s3cr3t-value\n    Mounts:\n      /etc/cfg from cfg (ro)\nConditions:\n  Type     Status\n  Ready    False\nVolumes:\n  cfg:\n    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      web-config\n    Optional:  false\n  creds:\n    Type:        Secret (a volume populated by a Secret)\n    SecretName:  web-creds\n  data:\n    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  web-data\nQoS Class:       Burstable\nNode-Selectors:  disk=ssd\nTolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\nEvents:\n  Type     Reason   Age                From     Message\n  ----     ------   ----               ----     -------\n  Warning  BackOff  10s (x7 over 3m)   kubelet  Back-off restarting failed container\n";

    fn check_describe(out: &TextOut) {
        let p = pods(out);
        assert_eq!(p.len(), 1, "{:?}", out.warnings);
        let pod = p[0];
        assert_eq!(pod.metadata.name.as_deref(), Some("web-1"));
        assert_eq!(pod.metadata.namespace.as_deref(), Some("prod"));
        let owner = &pod.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str()),
            ("ReplicaSet", "web-5d8f")
        );
        let spec = pod.spec.as_ref().unwrap();
        assert_eq!(spec.node_name.as_deref(), Some("node-a"));
        let app = &spec.containers[0];
        assert_eq!(app.name, "app");
        assert_eq!(app.image.as_deref(), Some("acme/web:1.2"));
        assert_eq!(
            app.command.as_deref(),
            Some(&["/bin/server".to_owned()][..])
        );
        assert_eq!(app.args.as_deref(), Some(&["--port=8080".to_owned()][..]));
        let res = app.resources.as_ref().unwrap();
        assert_eq!(res.limits.as_ref().unwrap()["memory"].0, "256Mi");
        assert_eq!(res.requests.as_ref().unwrap()["cpu"].0, "100m");
        assert_eq!(spec.init_containers.as_ref().unwrap()[0].name, "setup");
        let vols = spec.volumes.as_ref().unwrap();
        assert_eq!(vols[0].config_map.as_ref().unwrap().name, "web-config");
        assert_eq!(
            vols[1].secret.as_ref().unwrap().secret_name.as_deref(),
            Some("web-creds")
        );
        assert_eq!(
            vols[2].persistent_volume_claim.as_ref().unwrap().claim_name,
            "web-data"
        );
        assert_eq!(spec.node_selector.as_ref().unwrap()["disk"], "ssd");
        assert_eq!(
            spec.tolerations.as_ref().unwrap()[0].toleration_seconds,
            Some(300)
        );
        let st = pod.status.as_ref().unwrap();
        assert_eq!(st.phase.as_deref(), Some("Running"));
        assert_eq!(st.qos_class.as_deref(), Some("Burstable"));
        let cs = &st.container_statuses.as_ref().unwrap()[0];
        assert_eq!(cs.restart_count, 5);
        assert!(!cs.ready);
        let w = cs.state.as_ref().unwrap().waiting.as_ref().unwrap();
        assert_eq!(w.reason.as_deref(), Some("CrashLoopBackOff"));
        let t = cs.last_state.as_ref().unwrap().terminated.as_ref().unwrap();
        assert_eq!(t.exit_code, 2);
        assert_eq!(t.message.as_deref(), Some("boom: the config is wrong"));
        let init = &st.init_container_statuses.as_ref().unwrap()[0];
        assert!(init.ready);
        assert_eq!(st.conditions.as_ref().unwrap()[0].type_, "Ready");
        let e = events(out);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].count, Some(7));
        assert_eq!(e[0].involved_object.name.as_deref(), Some("web-1"));
        assert_eq!(
            e[0].involved_object.field_path.as_deref(),
            Some("spec.containers{app}")
        );
        // Every object read has its place in the paste, the event its one line.
        assert_eq!(out.locations.len(), out.objects.len());
        assert!(out.locations.iter().all(Option::is_some));
        let event_at = out
            .objects
            .iter()
            .position(|o| matches!(o, Object::Event(_)))
            .and_then(|i| out.locations[i])
            .unwrap();
        assert_eq!(event_at.first_line, event_at.last_line);
        // Env values are never kept.
        assert!(!format!("{:?}", out.objects).contains("s3cr3t"));
    }

    #[test]
    fn describe_pod_clean() {
        let out = read(DESCRIBE);
        check_describe(&out);
        assert!(out.formats.contains("describe-pod"));
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn describe_pod_indentation_lost_crlf_tabs() {
        let flat: String = DESCRIBE
            .lines()
            .map(|l| format!("{}\r\n", l.trim_start().replacen(":  ", ":\t", 1)))
            .collect();
        check_describe(&read(&flat));
    }

    #[test]
    fn describe_node_reads_taints_conditions_and_allocated() {
        let text = "Name:               n1\nRoles:              control-plane\nLabels:             kubernetes.io/arch=amd64\n                    node-role.kubernetes.io/control-plane=\nTaints:             node-role.kubernetes.io/control-plane:NoSchedule\n                    dedicated=db:NoExecute\nUnschedulable:      true\nConditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n  ----             ------  -----------------                 ------------------                ------                       -------\n  DiskPressure     True    Wed, 05 Aug 2020 12:43:36 +0530   Tue, 04 Aug 2020 23:02:06 +0530   KubeletHasDiskPressure       kubelet has disk pressure\nCapacity:\n  cpu:  4\nAllocatable:\n  cpu:     3900m\n  memory:  7Gi\nAllocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n  Resource  Requests     Limits\n  --------  --------     ------\n  cpu       3 (76%)      4 (102%)\n  memory    1Gi (14%)    0 (0%)\n";
        let out = read(text);
        let n = nodes(&out);
        assert_eq!(n.len(), 1);
        let spec = n[0].spec.as_ref().unwrap();
        assert_eq!(spec.unschedulable, Some(true));
        let taints = spec.taints.as_ref().unwrap();
        assert_eq!(taints.len(), 2);
        assert_eq!(taints[1].value.as_deref(), Some("db"));
        assert_eq!(taints[1].effect, "NoExecute");
        let st = n[0].status.as_ref().unwrap();
        let c = &st.conditions.as_ref().unwrap()[0];
        assert_eq!(
            (c.type_.as_str(), c.status.as_str()),
            ("DiskPressure", "True")
        );
        assert_eq!(c.reason.as_deref(), Some("KubeletHasDiskPressure"));
        assert_eq!(c.message.as_deref(), Some("kubelet has disk pressure"));
        assert_eq!(st.allocatable.as_ref().unwrap()["cpu"].0, "3900m");
        assert_eq!(n[0].metadata.labels.as_ref().unwrap().len(), 2);
        // The requested totals ride on one synthetic pod bound to the node.
        let p = pods(&out);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].spec.as_ref().unwrap().node_name.as_deref(), Some("n1"));
        let req = p[0].spec.as_ref().unwrap().containers[0]
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap();
        assert_eq!(req["cpu"].0, "3");
        assert_eq!(req["memory"].0, "1Gi");
    }

    #[test]
    fn mixed_paste_with_prompts_tables_and_json() {
        let text = "$ kubectl get pods -n shop -o wide\nNAME    READY   STATUS                  RESTARTS      AGE   IP         NODE\ncart-1  0/1     Init:CrashLoopBackOff   4 (30s ago)   5m    10.0.0.9   n2\nold-1   0/1     Evicted                 0             1h    <none>     n1\n\n$ kubectl describe pod cart-1 -n shop | tail -3\n  Warning  BackOff  30s (x9 over 4m)  kubelet  Back-off restarting failed container\n\n$ kubectl get pod x -o json\n{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}\n";
        let out = read(text);
        let p = pods(&out);
        assert_eq!(p.len(), 3, "{:?}", out.warnings);
        let by_name = |n: &str| {
            *p.iter()
                .find(|p| p.metadata.name.as_deref() == Some(n))
                .unwrap()
        };
        let cart = by_name("cart-1");
        assert_eq!(cart.metadata.namespace.as_deref(), Some("shop"));
        let init = &cart
            .status
            .as_ref()
            .unwrap()
            .init_container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(init.restart_count, 4);
        assert_eq!(
            init.state
                .as_ref()
                .unwrap()
                .waiting
                .as_ref()
                .unwrap()
                .reason
                .as_deref(),
            Some("CrashLoopBackOff")
        );
        assert_eq!(cart.spec.as_ref().unwrap().node_name.as_deref(), Some("n2"));
        let old = by_name("old-1");
        assert_eq!(
            old.status.as_ref().unwrap().reason.as_deref(),
            Some("Evicted")
        );
        assert_eq!(
            old.status.as_ref().unwrap().phase.as_deref(),
            Some("Failed")
        );
        let e = events(&out);
        assert_eq!(e[0].involved_object.name.as_deref(), Some("cart-1"));
        assert_eq!(e[0].involved_object.namespace.as_deref(), Some("shop"));
        assert!(out.formats.contains("pods-table") && out.formats.contains("json"));
        assert!(out.now.is_some());
    }

    #[test]
    fn prompts_are_hints() {
        let h = prompt("user@host:~$ kubectl -n prod describe pod/web-1", true).unwrap();
        assert_eq!(h.verb, "describe");
        assert_eq!(h.kind.as_deref(), Some("Pod"));
        assert_eq!(h.name.as_deref(), Some("web-1"));
        assert_eq!(h.namespace.as_deref(), Some("prod"));
        assert!(prompt("      kubectl delete pods -l x", false).is_none());
        assert!(prompt("run kubectl to see", true).is_none());
    }

    #[test]
    fn fast_trims_agree_with_std() {
        for s in [
            "",
            " ",
            "  a b  ",
            "\tName:  x\r",
            "\u{a0}x\u{a0}",
            " \u{2003} y \u{85}",
            "é ",
            " ü",
            "\x0bv\x0c",
            "abc",
            "x \u{2003}",
            "\u{a0}",
            "a\r\n",
            "\r\r\n",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
            assert_eq!(
                trim_indent(s),
                (s.trim(), s.len() - s.trim_start().len()),
                "{s:?}"
            );
            assert_eq!(
                trim_line_break(s),
                s.trim_end_matches(['\n', '\r']),
                "{s:?}"
            );
            for text in [s.to_owned(), format!("{s}\n{s}\r\n\n"), format!("\n{s}")] {
                let fast: Vec<_> = split_lines(&text).collect();
                let slow: Vec<_> = text.split_inclusive('\n').collect();
                assert_eq!(fast, slow, "{text:?}");
            }
            let fast: Vec<_> = rows::tokens(s);
            let slow: Vec<_> = s
                .split_whitespace()
                .map(|w| w.as_ptr() as usize - s.as_ptr() as usize)
                .zip(s.split_whitespace())
                .collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn logs_prompts_name_pod_and_container() {
        let h = prompt("$ kubectl logs web-1 -c app --previous -n prod", true).unwrap();
        assert_eq!(
            (
                h.name.as_deref(),
                h.container.as_deref(),
                h.namespace.as_deref()
            ),
            (Some("web-1"), Some("app"), Some("prod"))
        );
        let h = prompt("$ kubectl logs pod/web-1 --container=app", true).unwrap();
        assert_eq!(
            (h.kind.as_deref(), h.name.as_deref(), h.container.as_deref()),
            (Some("Pod"), Some("web-1"), Some("app"))
        );
        let h = prompt("# oc logs web-1 sidecar", true).unwrap();
        assert_eq!(h.container.as_deref(), Some("sidecar"));
        let h = prompt("$ kubectl logs web-1 --since 1h 2>&1 | tail -50", true).unwrap();
        assert_eq!(h.name.as_deref(), Some("web-1"));
        assert_eq!(h.container, None);
        let h = prompt("$ kubectl logs deploy/web", true).unwrap();
        assert_eq!(h.kind.as_deref(), Some("Deployment"));
    }

    #[test]
    fn logs_become_the_last_output_of_the_named_container() {
        let text = "$ kubectl get pods\nNAME    READY   STATUS             RESTARTS   AGE\nweb-1   0/1     CrashLoopBackOff   3          2m\nweb-2   0/1     CrashLoopBackOff   3          2m\n$ kubectl logs web-1\nline one\n\nboom: bad config\n$ kubectl logs web-9\nnot shown\n";
        let out = read(text);
        let p = pods(&out);
        let ann = |n: &str| {
            p.iter()
                .find(|p| p.metadata.name.as_deref() == Some(n))
                .and_then(|p| p.metadata.annotations.clone())
                .unwrap_or_default()
        };
        let web1 = ann("web-1");
        assert_eq!(
            web1.get("kdiag.io/logs.<container>").map(String::as_str),
            Some("line one\nboom: bad config")
        );
        assert_eq!(
            web1.get("kdiag.io/logs-source.<container>")
                .map(String::as_str),
            Some("block 3, lines 6-8")
        );
        assert!(!ann("web-2").keys().any(|k| k.starts_with(LOGS_ANNOTATION)));
        // Logs of a pod the paste does not show make no pod.
        assert_eq!(p.len(), 2);
        assert!(out.formats.contains("logs"));
    }

    #[test]
    fn unknown_lines_are_warned_and_capped_by_the_caller() {
        let mut text = String::from("Warning  Failed  1s  kubelet  Error: ErrImagePull\n\n");
        for i in 0..500 {
            text.push_str(&format!("random words {i}\n\n"));
        }
        let out = read(&text);
        assert_eq!(events(&out).len(), 1);
        assert_eq!(out.warnings.len(), 500);
        let parsed = crate::input::parse(&text).unwrap();
        assert_eq!(parsed.warnings.len(), 201);
    }
}
