//! Reading text into typed objects: JSON and YAML, as kubectl prints them.
//!
//! One blob may hold one object, a `List`/`PodList`/…, a JSON array, several JSON
//! documents one after another, or many `---` YAML documents. Each document is read in
//! one pass straight into `k8s-openapi` types (`seed`); a document that fails is read
//! again item by item (`value`) so that one bad item costs only itself, and a document
//! that is not even well-formed is skipped with its line and column while reading resumes
//! at the next object.

mod decode;
mod guard;
// On WebAssembly the one-pass reader is not used (see `DocOut`).
#[cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]
mod seed;
pub mod text;
mod value;

pub use decode::{Decoded, decode};
pub use guard::MAX_INPUT_BYTES;
pub(crate) use guard::too_large;

use crate::text::LineCursor;
use crate::{InputWarning, Object};
#[cfg(not(target_arch = "wasm32"))]
use seed::ObjSeed;
use seed::Sink;
#[cfg(not(target_arch = "wasm32"))]
use serde::de::DeserializeSeed;
use std::collections::BTreeMap;
use std::fmt;

/// Nothing at all could be read from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Where reading failed: `document 1, line 3, column 7` (as much as is known).
    pub location: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InputError {}

/// Where in pasted text an object was read: its block (a prompt or a new form starts the
/// next) and lines, counted from 1. Evidence cites it as `block 2, line 14` or
/// `block 1, lines 3-40`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLocation {
    /// The block, counted from 1.
    pub block: usize,
    /// The object's first line in the paste.
    pub first_line: usize,
    /// Its last line (the first, for a one-line event or row).
    pub last_line: usize,
}

impl fmt::Display for TextLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first_line == self.last_line {
            write!(f, "block {}, line {}", self.block, self.first_line)
        } else {
            write!(
                f,
                "block {}, lines {}-{}",
                self.block, self.first_line, self.last_line
            )
        }
    }
}

/// Everything read from one input.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Objects of the kinds kdiag understands.
    pub objects: Vec<Object>,
    /// Where each object read from pasted text was read, by its index in `objects`
    /// (`None`, or past the end of this list: not read from text). Kept beside the
    /// objects, not in them: the objects stay as the cluster would have them.
    pub locations: Vec<Option<TextLocation>>,
    /// Objects of other kinds, counted by kind.
    pub other_kinds: BTreeMap<String, usize>,
    /// Unreadable parts, with their location.
    pub warnings: Vec<InputWarning>,
    /// The forms recognised in pasted text (`describe-pod`, `events-table`, …); empty for
    /// pure JSON/YAML.
    pub formats: std::collections::BTreeSet<&'static str>,
    /// "Now" implied by pasted text whose times are ages (`21s`): the moment they are
    /// counted back from.
    pub now: Option<crate::Timestamp>,
}

impl Parsed {
    /// Wrap objects that were already typed.
    pub fn from_objects(objects: Vec<Object>) -> Self {
        Parsed {
            objects,
            ..Parsed::default()
        }
    }

    /// Append another input's objects, with where they were read (`locations` as in
    /// [`Parsed::locations`]).
    pub fn extend_objects(
        &mut self,
        objects: Vec<Object>,
        mut locations: Vec<Option<TextLocation>>,
    ) {
        if locations.iter().any(Option::is_some) {
            locations.truncate(objects.len());
            self.locations.resize(self.objects.len(), None);
            self.locations.extend(locations);
        }
        self.objects.extend(objects);
    }

    fn absorb(&mut self, sink: Sink, document: usize) {
        self.objects.extend(sink.objects);
        for (kind, n) in sink.other_kinds {
            let count = self.other_kinds.entry(kind).or_default();
            *count = count.saturating_add(n);
        }
        for (item, message) in sink.notes {
            let location = match item {
                Some(i) => format!("document {document}, item {}", i + 1),
                None => format!("document {document}"),
            };
            self.warnings.push(InputWarning { location, message });
        }
    }

    fn warn(&mut self, location: String, message: String) {
        self.warnings.push(InputWarning { location, message });
    }

    /// Keep at most [`MAX_WARNINGS`] warnings, and say how many more there were.
    fn cap_warnings(&mut self) {
        if self.warnings.len() > MAX_WARNINGS {
            let more = self.warnings.len() - MAX_WARNINGS;
            self.warnings.truncate(MAX_WARNINGS);
            self.warnings.push(InputWarning {
                location: "input".to_owned(),
                message: format!("{more} more problem(s) of the same kind not listed"),
            });
        }
    }
}

/// At most this many input warnings are listed (the rest are counted).
const MAX_WARNINGS: usize = 200;

/// YAML documents nested deeper than this (in `[`/`{`) are refused before parsing: the
/// YAML parser's cost grows with the square of the depth.
const MAX_YAML_DEPTH: usize = 256;

/// Read every object in `text`, whatever its format (JSON, YAML, pasted kubectl text).
///
/// Control characters (a NUL, a terminal's colour codes) are read as spaces, with a
/// warning, so that they cost nothing else.
///
/// # Errors
///
/// When the input is empty, larger than [`MAX_INPUT_BYTES`], or not one object could be
/// read from it; the error carries the location of the first problem (or says what the
/// input is instead: a kubectl error message, an HTML page, binary data).
pub fn parse(text: &str) -> Result<Parsed, InputError> {
    guarded(text, read_detected)
}

/// Read with the reader the text's start implies.
fn read_detected(text: &str) -> Result<Parsed, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let Some(first) = trimmed.chars().next() else {
        return Err(empty_input());
    };
    let mut yaml_first: Option<Parsed> =
        (first != '{' && first != '"' && starts_as_yaml(trimmed)).then(|| fallback(text));
    let json_array = first == '['
        && trimmed.get(1..).is_some_and(|r| {
            r.trim_start().starts_with(['{', '"', ']']) || r.trim_start().is_empty()
        });
    let parsed = if first == '{' || json_array {
        parse_json(text)
    } else if first == '"' {
        // A piece cut out of a JSON object (`"containerStatuses": [ … ],`): read it as the
        // object it came from.
        let body = trimmed.trim_end().trim_end_matches(',');
        let wrapped = parse_json(&format!("{{{body}\n}}"));
        if wrapped.objects.is_empty() {
            parse_yaml(text)
        } else {
            wrapped
        }
    } else if yaml_first
        .as_ref()
        .is_some_and(|y| !y.objects.is_empty() && y.warnings.is_empty())
    {
        // Pure YAML: exactly today's reading.
        yaml_first.take().unwrap_or_default()
    } else if text::looks_like_text(text) {
        let out = text::read(text);
        if out.objects.is_empty() && out.other_kinds.is_empty() {
            yaml_first.take().unwrap_or_else(|| fallback(text))
        } else {
            out
        }
    } else {
        yaml_first.take().unwrap_or_else(|| fallback(text))
    };
    Ok(parsed)
}

/// A reader [`parse_as`] can be told to use, instead of the one [`parse`] would choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON: one object, a list, an array, or several documents one after another.
    Json,
    /// YAML: one document or many (`---`).
    Yaml,
    /// Pasted kubectl text: `describe` output, event and pod tables, prompts, logs.
    Text,
}

/// Read every object in `text` with one reader, skipping the detection [`parse`] does:
/// for a caller that knows what it holds (and for fuzzing one reader at a time).
///
/// # Errors
///
/// As [`parse`].
pub fn parse_as(text: &str, format: Format) -> Result<Parsed, InputError> {
    guarded(text, |text| {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().is_empty() {
            return Err(empty_input());
        }
        Ok(match format {
            Format::Json => parse_json(text),
            Format::Yaml => parse_yaml(text),
            Format::Text => text::read(text),
        })
    })
}

/// What every reader shares: the size limit, control characters blanked, warnings
/// capped, and an input that gave nothing at all turned into an error at its first
/// problem.
fn guarded(
    text: &str,
    read: impl FnOnce(&str) -> Result<Parsed, InputError>,
) -> Result<Parsed, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(guard::too_large());
    }
    let blanked = guard::blank_controls(text);
    let read = read(blanked.as_ref().map_or(text, |(clean, _)| clean.as_str()));
    let nothing = |err: InputError| guard::not_kubectl_output(text).unwrap_or(err);
    let mut parsed = read.map_err(nothing)?;
    if parsed.objects.is_empty()
        && parsed.other_kinds.is_empty()
        && let Some(w) = parsed.warnings.first()
    {
        return Err(nothing(InputError {
            location: w.location.clone(),
            message: w.message.clone(),
        }));
    }
    if let Some((_, warning)) = blanked {
        parsed.warnings.insert(0, warning);
    }
    parsed.cap_warnings();
    Ok(parsed)
}

fn empty_input() -> InputError {
    InputError {
        location: "line 1".into(),
        message: "the input is empty".into(),
    }
}

/// Whether the first line that is not a comment opens a YAML document (`---`, `- `, or a
/// lower-case key such as `apiVersion:`), as kubectl's YAML does.
fn starts_as_yaml(trimmed: &str) -> bool {
    let Some(line) = trimmed
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    line.starts_with("---")
        || line.starts_with("- ")
        || line.split_once(':').is_some_and(|(k, _)| {
            k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// YAML, or JSON after a preamble: what a text that is not kubectl's printed forms is.
fn fallback(text: &str) -> Parsed {
    {
        let yaml = parse_yaml(text);
        if yaml.objects.is_empty() && yaml.other_kinds.is_empty() {
            // A shell prompt or a note above JSON (`$ kubectl get pod x -o json`): read the
            // JSON from its first line, keeping line numbers true.
            match json_after_preamble(text) {
                Some(json) if !json.objects.is_empty() || !json.other_kinds.is_empty() => json,
                _ => yaml,
            }
        } else {
            yaml
        }
    }
}

/// JSON that starts on a later line, read with the lines before it blanked out.
fn json_after_preamble(text: &str) -> Option<Parsed> {
    let mut offset = 0usize;
    for (skipped, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with(['{', '[']) {
            let rest = text.get(offset..)?;
            return Some(parse_json(&format!("{}{rest}", "\n".repeat(skipped))));
        }
        offset += line.len();
    }
    None
}

/// One document read by the fast path.
struct DocOut(Sink);

impl<'de> serde::Deserialize<'de> for DocOut {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut sink = Sink::default();
        #[cfg(not(target_arch = "wasm32"))]
        ObjSeed {
            sink: &mut sink,
            default_kind: None,
            default_api_version: None,
        }
        .deserialize(d)?;
        // On WebAssembly (the web page) every document is read the careful way: one
        // instantiation of the typed deserializers instead of one per format, which halves
        // the module. The objects and warnings are the same (the page's conformance tests
        // compare every fixture with the CLI).
        #[cfg(target_arch = "wasm32")]
        value::read_document(
            &mut sink,
            <serde_json::Value as serde::Deserialize>::deserialize(d)?,
        );
        Ok(DocOut(sink))
    }
}

/// Concatenated JSON documents.
pub(crate) fn parse_json(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut document = 0usize;
    let mut offset = 0usize;
    // Bytes re-read by failed attempts; bounded so that recovery stays linear.
    let mut wasted = 0usize;
    let budget = text.len().saturating_mul(4).max(1 << 20);
    let mut damaged = false;
    let mut lines = LineCursor::new(text);
    while offset < text.len() {
        let Some(rest) = text.get(offset..) else {
            break;
        };
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<DocOut>();
        loop {
            let start = offset + stream.byte_offset();
            match stream.next() {
                None => {
                    offset = text.len();
                    break;
                }
                Some(Ok(DocOut(sink))) => {
                    document += 1;
                    damaged = false;
                    parsed.absorb(sink, document);
                }
                Some(Err(_)) => {
                    document += 1;
                    let doc_start = start + leading_ws(text.get(start..).unwrap_or(""));
                    let doc_text = text.get(doc_start..).unwrap_or("");
                    match careful_json(doc_text) {
                        Ok((sink, len)) => {
                            parsed.absorb(sink, document);
                            damaged = false;
                            offset = doc_start + len;
                        }
                        Err(err) => {
                            let err_offset =
                                doc_start + offset_of(doc_text, err.line(), err.column());
                            wasted = wasted.saturating_add(err_offset - doc_start);
                            if !damaged {
                                let (line, column) = lines.at(err_offset);
                                parsed.warn(
                                    format!("document {document}, line {line}, column {column}"),
                                    json_message(&err),
                                );
                            } else {
                                document -= 1; // the same damaged region, already reported
                            }
                            damaged = true;
                            let indent = resync_indent(text, doc_start);
                            offset = match next_object_line(text, doc_start, indent) {
                                Some(next) if wasted <= budget => next,
                                _ => text.len(),
                            };
                        }
                    }
                    break;
                }
            }
        }
    }
    parsed
}

/// Read one JSON document through a `Value`, item by item; returns its length in bytes.
fn careful_json(text: &str) -> Result<(Sink, usize), serde_json::Error> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(v)) => {
            let mut sink = Sink::default();
            value::read_document(&mut sink, v);
            Ok((sink, stream.byte_offset()))
        }
        Some(Err(e)) => Err(e),
        None => Ok((Sink::default(), text.len())),
    }
}

fn json_message(err: &serde_json::Error) -> String {
    let mut msg = err.to_string();
    // serde_json appends " at line L column C"; the location is reported separately.
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    if err.is_eof() {
        format!("the document is cut off ({msg}); objects before the cut were still read")
    } else {
        format!("not valid JSON: {msg}")
    }
}

fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Byte offset of a 1-based line/column (column in bytes, as serde_json counts).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (off + column.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

/// The start of the next line after `from` whose first non-blank character opens an
/// object indented at most `max_indent`: a sibling of the document or item that failed,
/// never an object nested inside it (an `ownerReferences` entry read as a ReplicaSet).
fn next_object_line(text: &str, from: usize, max_indent: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let first_nl = rest.find('\n')?;
    let mut off = from + first_nl + 1;
    for line in text.get(off..)?.split_inclusive('\n') {
        let indent = leading_ws(line);
        if indent <= max_indent && line.get(indent..).is_some_and(|l| l.starts_with('{')) {
            return Some(off + indent);
        }
        off += line.len();
    }
    None
}

/// How far a resynchronisation after a broken document at `doc_start` may be indented:
/// the document's own indentation, or, for a list (`[` or a `"items": [` among its first
/// keys), its items' indentation, so that the good items of a broken list are still read.
fn resync_indent(text: &str, doc_start: usize) -> usize {
    let line_start = text
        .get(..doc_start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let own = doc_start - line_start;
    let Some(doc) = text.get(doc_start..) else {
        return own;
    };
    let mut lines = doc.split_inclusive('\n');
    let opens_list = if doc.starts_with('[') {
        lines.next();
        true
    } else {
        lines
            .by_ref()
            .take(8)
            .any(|l| l.trim_start().starts_with("\"items\"") && l.trim_end().ends_with('['))
    };
    if !opens_list {
        return own;
    }
    // The first line that opens an object after the list's start is its first item.
    lines
        .find(|l| l.trim_start().starts_with('{'))
        .map_or(own, |l| leading_ws(l).max(own))
}

/// `---`-separated YAML documents.
pub(crate) fn parse_yaml(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (index, (first_line, chunk)) in yaml_documents(text).into_iter().enumerate() {
        let document = index + 1;
        if chunk.trim().is_empty() {
            continue;
        }
        if flow_depth(chunk) > MAX_YAML_DEPTH {
            parsed.warn(
                format!("document {document}, line {first_line}"),
                format!("nested more than {MAX_YAML_DEPTH} levels deep; skipped"),
            );
            continue;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut sink = Sink::default();
            let fast = ObjSeed {
                sink: &mut sink,
                default_kind: None,
                default_api_version: None,
            }
            .deserialize(serde_norway::Deserializer::from_str(chunk));
            if fast.is_ok() {
                parsed.absorb(sink, document);
                continue;
            }
        }
        match serde_norway::from_str::<serde_json::Value>(chunk) {
            Ok(v) => {
                let mut sink = Sink {
                    untyped_scalars: true,
                    ..Sink::default()
                };
                value::read_document(&mut sink, v);
                parsed.absorb(sink, document);
            }
            Err(err) => {
                let location = match err.location() {
                    Some(loc) => format!(
                        "document {document}, line {}, column {}",
                        first_line + loc.line() - 1,
                        loc.column()
                    ),
                    None => format!("document {document}, line {first_line}"),
                };
                let mut msg = err.to_string();
                if let Some(i) = msg.find(" at line ") {
                    msg.truncate(i);
                }
                parsed.warn(location, format!("not valid YAML: {msg}"));
            }
        }
    }
    parsed
}

/// The deepest nesting of `[` and `{` in a text (quotes ignored: an upper bound).
fn flow_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Split YAML text at `---` / `...` marker lines: (1-based first line, text) per document.
fn yaml_documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut off = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        let is_marker = bare == "---"
            || bare == "..."
            || bare
                .strip_prefix("---")
                .is_some_and(|r| r.starts_with([' ', '\t']));
        if is_marker {
            docs.push((start_line, text.get(start..off).unwrap_or("")));
            // Content after `--- ` on the marker line belongs to the next document.
            let after = if bare.starts_with("---") {
                off + 3
            } else {
                off + line.len()
            };
            start = after.min(off + line.len());
            start_line = i + 1;
            if start == off + line.len() {
                start_line = i + 2;
            }
        }
        off += line.len();
    }
    docs.push((start_line, text.get(start..).unwrap_or("")));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(p: &Parsed) -> Vec<&'static str> {
        p.objects.iter().map(Object::kind).collect()
    }

    #[test]
    fn kubectl_list_with_items_before_kind() {
        let p = parse(
            r#"{"apiVersion":"v1","items":[
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},
              {"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}},
              {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}
            ],"kind":"List","metadata":{"resourceVersion":""}}"#,
        )
        .unwrap();
        assert_eq!(kinds(&p), ["Pod", "Node"]);
        assert_eq!(p.other_kinds.get("Service"), Some(&1));
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn typed_list_items_without_kind() {
        let p = parse(r#"{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#).unwrap();
        assert_eq!(kinds(&p), ["Pod", "Pod"]);
    }

    #[test]
    fn kind_after_other_fields_and_old_api_version() {
        let p = parse(
            "metadata:\n  name: web\nspec:\n  replicas: 2\napiVersion: extensions/v1beta1\nkind: Deployment\n",
        )
        .unwrap();
        assert_eq!(kinds(&p), ["Deployment"]);
    }

    #[test]
    fn concatenated_json_and_array() {
        let p = parse(
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n[{\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}]\n",
        )
        .unwrap();
        assert_eq!(kinds(&p), ["Pod", "Node"]);
    }

    #[test]
    fn bad_item_costs_only_its_field() {
        let p = parse(
            r#"{"kind":"List","items":[
              {"kind":"Pod","metadata":{"name":"a"},"status":{"containerStatuses":[{"name":"c","image":"x","imageID":"","ready":false,"restartCount":"3"}]}},
              {"kind":"Pod","metadata":{"name":"b"}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(kinds(&p), ["Pod", "Pod"]);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(p.warnings[0].location.contains("item 1"));
        assert!(
            p.warnings[0].message.contains("restartCount"),
            "{}",
            p.warnings[0].message
        );
    }

    #[test]
    fn wrong_type_messages_do_not_echo_values() {
        let p = parse(r#"{"kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","env":[{"name":"DB_PASSWORD","value":{"x":"s3cr3t-v4lue"}}]}]}}"#).unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
        assert!(!p.warnings.is_empty());
        for w in &p.warnings {
            assert!(!w.message.contains("s3cr3t"), "{}", w.message);
        }
    }

    #[test]
    fn env_values_are_not_kept() {
        let p = parse(r#"{"kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","env":[{"name":"DB_PASSWORD","value":"hunter2"}]}]}}"#).unwrap();
        let Object::Pod(pod) = &p.objects[0] else {
            panic!()
        };
        let env = pod.spec.as_ref().unwrap().containers[0]
            .env
            .as_ref()
            .unwrap();
        assert_eq!(env[0].name, "DB_PASSWORD");
        assert_eq!(env[0].value, None);
    }

    #[test]
    fn list_with_kind_before_items() {
        let p = parse(r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[{"kind":"Pod","metadata":{"name":"a"}}]}"#).unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
        let p = parse("apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n- kind: Pod\n  metadata:\n    name: a\n").unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
    }

    #[test]
    fn truncated_list_keeps_complete_items() {
        let text = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"kind\": \"Pod\",\n            \"metadata\": {\"name\": \"a\"}\n        },\n        {\n            \"kind\": \"Pod\",\n            \"metadata\": {\"na";
        let p = parse(text).unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
        assert!(!p.warnings.is_empty());
        assert!(p.warnings[0].location.starts_with("document 1, line"));
    }

    #[test]
    fn multi_document_yaml_with_bad_document() {
        let p = parse("kind: Pod\nmetadata:\n  name: a\n---\nkind: Pod\nmetadata: [unclosed\n---\nkind: Node\nmetadata:\n  name: n\n").unwrap();
        assert_eq!(kinds(&p), ["Pod", "Node"]);
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].location.starts_with("document 2, line"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn events_v1_schema_is_told_apart() {
        let p = parse("apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: e\nreason: Failed\nnote: boom\n").unwrap();
        assert!(matches!(p.objects[0], Object::EventV1(_)));
    }

    #[test]
    fn nothing_readable_is_an_error_with_location() {
        assert_eq!(parse("  \n").unwrap_err().message, "the input is empty");
        let e = parse("{\"kind\": \"Pod\", ").unwrap_err();
        assert!(e.location.contains("line 1"), "{e}");
        assert!(parse("hello: world\n").is_err());
    }

    #[test]
    fn pasted_fragments_become_pods() {
        let p = parse("\"containerStatuses\": [{\"name\": \"c\", \"image\": \"x\", \"imageID\": \"\", \"ready\": false, \"restartCount\": 0, \"state\": {\"waiting\": {\"reason\": \"ImagePullBackOff\"}}}],\n").unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
        let p = parse("state:\n  waiting:\n    reason: CreateContainerConfigError\n").unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
    }

    #[test]
    fn shell_prompt_before_json() {
        let p = parse(
            "$ kubectl get pod a -o json\n{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n",
        )
        .unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
    }

    #[test]
    fn kindless_pod_is_inferred() {
        let p = parse("metadata:\n  name: x\nstatus:\n  phase: Pending\n").unwrap();
        assert_eq!(kinds(&p), ["Pod"]);
    }
}
