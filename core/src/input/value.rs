//! The careful path: objects held as a `serde_json::Value`.
//!
//! Used for objects whose `kind` came late or is missing, and to re-read a document that
//! failed on the fast path one item at a time, so one bad item costs only itself. A field
//! of the wrong type costs that field (with a note), not the object.

use super::seed::{Kind, Sink, is_list_kind, list_item_kind};
use serde_json::{Map, Value};

/// How many bad fields one object may shed before it is given up.
const MAX_REPAIRS: usize = 16;

/// Read a whole document held as a value: an object, a List, or an array.
pub(crate) fn read_document(sink: &mut Sink, value: Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => read_item_values(sink, items, None, None),
        Value::Object(mut map) => {
            let kind = take_string(sink, &mut map, "kind");
            let api_version = take_string(sink, &mut map, "apiVersion");
            match map.remove("items") {
                Some(Value::Array(items)) => {
                    let default = kind.as_deref().and_then(list_item_kind);
                    let api = default.and(api_version.as_deref());
                    read_item_values(sink, items, default, api);
                }
                Some(Value::Null) if kind.as_deref().is_some_and(is_list_kind) => {}
                Some(other) if kind.as_deref().is_some_and(is_list_kind) => sink.notes.push((
                    sink.item,
                    format!(
                        "a {} whose \"items\" is {}, not a list; skipped",
                        kind.as_deref().unwrap_or_default(),
                        describe_value(&other)
                    ),
                )),
                Some(other) => {
                    map.insert("items".into(), other);
                    read_object(sink, kind.as_deref(), api_version.as_deref(), map);
                }
                None => read_object(sink, kind.as_deref(), api_version.as_deref(), map),
            }
        }
        other => sink.notes.push((sink.item, not_an_object(&other))),
    }
}

/// The note for a value where an object belongs: what it is, never the value itself.
pub(crate) fn not_an_object(v: &Value) -> String {
    format!(
        "expected a Kubernetes object, found {}; skipped",
        describe_value(v)
    )
}

fn read_item_values(
    sink: &mut Sink,
    items: Vec<Value>,
    default_kind: Option<&str>,
    default_api_version: Option<&str>,
) {
    let outer = sink.item;
    for (index, item) in items.into_iter().enumerate() {
        sink.item = Some(index);
        match item {
            Value::Object(mut map) => {
                let kind = take_string(sink, &mut map, "kind");
                let api = take_string(sink, &mut map, "apiVersion");
                if let Some(Value::Array(_)) = map.get("items") {
                    // A list inside a list (e.g. a JSON array of `kubectl get -o json` outputs).
                    let mut inner = map;
                    if let Some(k) = kind {
                        inner.insert("kind".into(), Value::String(k));
                    }
                    if let Some(a) = api {
                        inner.insert("apiVersion".into(), Value::String(a));
                    }
                    read_document(sink, Value::Object(inner));
                    continue;
                }
                let kind = kind.as_deref().or(default_kind);
                let api = api.as_deref().or(default_api_version);
                read_object(sink, kind, api, map);
            }
            Value::Null => {}
            other => sink.notes.push((Some(index), not_an_object(&other))),
        }
    }
    sink.item = outer;
}

/// Read one object (its `kind`/`apiVersion` already taken out of `map`).
pub(crate) fn read_object(
    sink: &mut Sink,
    kind: Option<&str>,
    api_version: Option<&str>,
    mut map: Map<String, Value>,
) {
    map.remove("kind");
    map.remove("apiVersion");
    let kind = match kind.filter(|k| !k.is_empty()) {
        Some(k) => k,
        None => match infer_kind(&map) {
            Some(k) => k,
            None => match wrap_fragment(map) {
                Ok(pod) => {
                    map = pod;
                    "Pod"
                }
                Err(_) => {
                    sink.notes.push((
                        sink.item,
                        "an object without \"kind\" whose fields match no kind kdiag reads; skipped"
                            .to_owned(),
                    ));
                    return;
                }
            },
        },
    };
    let Some(target) = Kind::from_kind(kind, api_version) else {
        sink.count_other(kind);
        return;
    };
    let mut value = Value::Object(map);
    // Fields already given another type, with the index of the note that says so: if one
    // fails again (`1700000000` read as a string is still no timestamp) it is removed
    // instead, and its note says that, so coercion never goes back and forth.
    let mut coerced: Vec<(String, Option<usize>)> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let mut track = serde_path_to_error::Track::new();
        let result = target.read(serde_path_to_error::Deserializer::new(&value, &mut track));
        match result {
            Ok(object) => {
                sink.keep(object);
                return;
            }
            Err(err) => {
                let path = track.path();
                let at = path.to_string();
                let name = object_label(kind, &value);
                let err = without_values(&err.to_string());
                let earlier = coerced.iter().position(|(p, _)| *p == at);
                let fixed = match (earlier, field_at(&mut value, &path)) {
                    (None, Some(field)) => coerce(field),
                    _ => None,
                };
                if let Some(read_as) = fixed {
                    // A YAML plain scalar read as a string is no mistake (see `Sink`).
                    let silent = sink.untyped_scalars && read_as == "a string";
                    let note = (!silent).then(|| {
                        sink.notes.push((
                            sink.item,
                            format!("{name}: field {path}: {err}; read as {read_as}"),
                        ));
                        sink.notes.len() - 1
                    });
                    coerced.push((at, note));
                    continue;
                }
                if !remove_path(&mut value, &path) {
                    sink.notes
                        .push((sink.item, format!("{name}: {err}; object skipped")));
                    return;
                }
                let note = format!("{name}: field {path}: {err}; field ignored");
                let said = earlier
                    .and_then(|i| coerced.get(i))
                    .and_then(|&(_, n)| n)
                    .and_then(|n| sink.notes.get_mut(n));
                match said {
                    Some(said) => said.1 = note,
                    None => sink.notes.push((sink.item, note)),
                }
            }
        }
    }
    let name = object_label(kind, &value);
    sink.notes.push((
        sink.item,
        format!("{name}: more than {MAX_REPAIRS} unreadable fields; object skipped"),
    ));
}

/// A serde message without the literal values it quotes (`invalid type: string "3",
/// expected i32` → `invalid type: string, expected i32`): the value may be a secret.
fn without_values(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut quote: Option<char> = None;
    for c in msg.chars() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (None, _) => out.push(c),
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

/// The value a deserialisation error points at.
fn field_at<'v>(value: &'v mut Value, path: &serde_path_to_error::Path) -> Option<&'v mut Value> {
    use serde_path_to_error::Segment;
    let mut cur = value;
    for seg in path.iter() {
        cur = match (seg, cur) {
            (Segment::Map { key }, Value::Object(m)) => m.get_mut(key.as_str())?,
            (Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Turn a scalar of the wrong type into the type the schema most likely wants: a number
/// written as a string (`"3"`), a boolean as a string, or a number where a string belongs.
/// Returns what it became, or `None` when there is nothing sensible to do.
fn coerce(field: &mut Value) -> Option<&'static str> {
    let new = match field {
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Value::from(i)
            } else if t == "true" || t == "false" {
                Value::Bool(t == "true")
            } else {
                return None;
            }
        }
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        _ => return None,
    };
    let what = match &new {
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "a string",
    };
    *field = new;
    Some(what)
}

/// Guess the kind of an object pasted without one, from fields only that kind has.
fn infer_kind(map: &Map<String, Value>) -> Option<&'static str> {
    let spec = map.get("spec").and_then(Value::as_object);
    let status = map.get("status").and_then(Value::as_object);
    let has = |m: Option<&Map<String, Value>>, key: &str| m.is_some_and(|m| m.contains_key(key));
    if map.contains_key("involvedObject") {
        return Some("Event");
    }
    if has(spec, "containers")
        || has(status, "containerStatuses")
        || has(status, "initContainerStatuses")
        || status
            .and_then(|s| s.get("phase"))
            .and_then(Value::as_str)
            .is_some_and(|p| {
                matches!(
                    p,
                    "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown"
                )
            })
    {
        return Some("Pod");
    }
    if has(status, "nodeInfo") || has(spec, "podCIDR") || has(spec, "providerID") {
        return Some("Node");
    }
    None
}

/// A pasted piece of a pod (its `status`, its `containerStatuses`, one container's
/// `state`, its `spec`) wrapped into a Pod, so the rules can read it. Given back unchanged
/// when it is none of these.
fn wrap_fragment(map: Map<String, Value>) -> Result<Map<String, Value>, Map<String, Value>> {
    let has = |k: &str| map.contains_key(k);
    let pod = |key: &str, inner: Map<String, Value>| {
        let mut pod = Map::new();
        pod.insert(key.to_owned(), Value::Object(inner));
        pod
    };
    if has("containerStatuses")
        || has("initContainerStatuses")
        || (has("phase") && has("conditions"))
    {
        return Ok(pod("status", map));
    }
    if has("state") || has("lastState") {
        // One container's status: fill the fields the schema requires.
        let mut cs = map;
        for (key, default) in [
            ("name", Value::String("unknown".to_owned())),
            ("image", Value::String(String::new())),
            ("imageID", Value::String(String::new())),
            ("ready", Value::Bool(false)),
            ("restartCount", Value::from(0)),
        ] {
            cs.entry(key).or_insert(default);
        }
        let mut status = Map::new();
        status.insert(
            "containerStatuses".to_owned(),
            Value::Array(vec![Value::Object(cs)]),
        );
        return Ok(pod("status", status));
    }
    if has("containers")
        && (has("restartPolicy") || has("nodeName") || has("volumes") || map.len() <= 3)
    {
        return Ok(pod("spec", map));
    }
    Err(map)
}

/// `Pod default/web-1` for messages, from whatever metadata the value has.
fn object_label(kind: &str, value: &Value) -> String {
    let meta = value.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str);
    let ns = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str);
    match (ns, name) {
        (Some(ns), Some(name)) => format!("{kind} {ns}/{name}"),
        (None, Some(name)) => format!("{kind} {name}"),
        _ => kind.to_owned(),
    }
}

/// Remove the field a deserialisation error points at. False when there is nothing to
/// remove (the error is about the object as a whole).
fn remove_path(value: &mut Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = value;
    for seg in parents {
        let next = match (seg, cur) {
            (Segment::Map { key }, Value::Object(m)) => m.get_mut(key.as_str()),
            (Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return false,
        }
    }
    match (last, cur) {
        (Segment::Map { key }, Value::Object(m)) => m.remove(key.as_str()).is_some(),
        (Segment::Seq { index }, Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// A `kind`/`apiVersion` taken out of an object: a scalar is read as text (`kind: 7` is
/// a kind "7", as the fast path reads it); an array or object is no name at all, and
/// noted.
fn take_string(sink: &mut Sink, map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key)? {
        Value::String(s) => Some(s),
        Value::Null => None,
        v @ (Value::Array(_) | Value::Object(_)) => {
            sink.notes.push((
                sink.item,
                format!("\"{key}\" is {}, not a string; ignored", describe_value(&v)),
            ));
            None
        }
        other => Some(other.to_string()),
    }
}

fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the value {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("a string of {} characters", s.chars().count()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}
