//! Python objects → the JSON text the core reads.
//!
//! One walk over the objects writes their Kubernetes API form: `dict`/`list`/`tuple` as
//! they are, official `kubernetes` client models through their `openapi_types` (which
//! attributes exist, in order) and `attribute_map` (each attribute's camelCase API key),
//! leaving out `None` attributes as the client itself does, and `datetime` as RFC 3339 in
//! UTC. Nothing is imported from `kubernetes`: a model is recognised by those two maps.

use kdiag::input::{self, Parsed};
use kdiag::{InputError, InputWarning, Options, Report};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use std::fmt::Write as _;

/// Deeper nesting than this is refused (a cycle, or nothing Kubernetes prints).
const MAX_DEPTH: usize = 200;

/// One piece of input handed to the core.
pub enum Piece {
    /// JSON text written by the walk.
    Json(String),
    /// A `str` item of a mixed list.
    Text(String),
    /// A `bytes` item of a mixed list.
    Bytes(Vec<u8>),
}

/// Split `data` into pieces: one JSON text, or — for a list or tuple holding `str`/`bytes`
/// items — one piece per item.
pub fn pieces(data: &Bound<'_, PyAny>) -> PyResult<Vec<Piece>> {
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(list) = data.cast::<PyList>() {
        Some(list.iter().collect())
    } else if let Ok(tuple) = data.cast::<PyTuple>() {
        Some(tuple.iter().collect())
    } else {
        None
    };
    let Some(items) = items.filter(|items| items.iter().any(is_text)) else {
        return Ok(vec![Piece::Json(to_json(data)?)]);
    };
    let mut walker = Walker::new(data.py())?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if let Ok(s) = item.cast::<PyString>() {
                Ok(Piece::Text(s.to_cow()?.into_owned()))
            } else if let Ok(b) = item.cast::<PyBytes>() {
                Ok(Piece::Bytes(b.as_bytes().to_vec()))
            } else {
                walker.out.clear();
                walker
                    .write(item, 0)
                    .map_err(|f| f.into_err(&format!("data[{i}]")))?;
                Ok(Piece::Json(std::mem::take(&mut walker.out)))
            }
        })
        .collect()
}

fn is_text(item: &Bound<'_, PyAny>) -> bool {
    item.is_instance_of::<PyString>() || item.is_instance_of::<PyBytes>()
}

/// Diagnose the pieces as one input. A single piece is read exactly as the same text
/// would be; several are read one by one and merged, each input warning prefixed with
/// the list item it came from.
pub fn diagnose_pieces(pieces: Vec<Piece>, options: &Options) -> Result<Report, InputError> {
    let mut pieces = pieces;
    if pieces.len() == 1
        && let Some(piece) = pieces.pop()
    {
        return match piece {
            Piece::Json(text) | Piece::Text(text) => kdiag::diagnose_str(&text, options),
            Piece::Bytes(bytes) => kdiag::diagnose_bytes(bytes, options),
        };
    }
    let mut merged = Parsed::default();
    for (i, piece) in pieces.into_iter().enumerate() {
        let prefix = format!("list item {i}");
        let (text, note) = match piece {
            Piece::Json(text) | Piece::Text(text) => (text, None),
            Piece::Bytes(bytes) => {
                let decoded = input::decode(bytes);
                (decoded.text, decoded.note)
            }
        };
        if let Some(note) = note {
            merged.warnings.push(InputWarning {
                location: prefix.clone(),
                message: note,
            });
        }
        match input::parse(&text) {
            Ok(parsed) => {
                merged.extend_objects(parsed.objects, parsed.locations);
                for (kind, n) in parsed.other_kinds {
                    let count = merged.other_kinds.entry(kind).or_default();
                    *count = count.saturating_add(n);
                }
                merged
                    .warnings
                    .extend(parsed.warnings.into_iter().map(|w| InputWarning {
                        location: format!("{prefix}, {}", w.location),
                        message: w.message,
                    }));
            }
            Err(e) => merged.warnings.push(InputWarning {
                location: format!("{prefix}, {}", e.location),
                message: e.message,
            }),
        }
    }
    if merged.objects.is_empty() && merged.other_kinds.is_empty() {
        let (location, message) = match merged.warnings.into_iter().next() {
            Some(w) => (w.location, w.message),
            None => ("data".to_owned(), "the list is empty".to_owned()),
        };
        return Err(InputError { location, message });
    }
    Ok(kdiag::diagnose_parsed(merged, options))
}

/// Write `data` as JSON text in the Kubernetes API form.
pub fn to_json(data: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut walker = Walker::new(data.py())?;
    walker.write(data, 0).map_err(|f| f.into_err("data"))?;
    Ok(walker.out)
}

/// A failed conversion: the error, and the path to the value (innermost first).
struct Fail {
    kind: FailKind,
    path: Vec<String>,
}

enum FailKind {
    /// A Python exception raised while reading a value (e.g. by a property).
    Py(PyErr),
    /// A value of a type that has no JSON form.
    Type(String),
    /// Nested too deeply.
    Depth,
}

impl Fail {
    fn at(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }

    fn into_err(self, root: &str) -> PyErr {
        let mut path = root.to_owned();
        for segment in self.path.iter().rev() {
            path.push_str(segment);
        }
        match self.kind {
            FailKind::Py(err) => err,
            FailKind::Type(type_name) => PyTypeError::new_err(format!(
                "cannot read {path}: a {type_name} is not JSON-like (expected dict, list, \
                 tuple, str, int, float, bool, None, datetime, date or a kubernetes client \
                 model)"
            )),
            FailKind::Depth => PyValueError::new_err(format!(
                "cannot read {path}: nested deeper than {MAX_DEPTH} levels (a cycle?)"
            )),
        }
    }
}

impl From<PyErr> for Fail {
    fn from(err: PyErr) -> Self {
        Fail {
            kind: FailKind::Py(err),
            path: Vec::new(),
        }
    }
}

struct Walker<'py> {
    out: String,
    datetime: Bound<'py, PyType>,
    date: Bound<'py, PyType>,
    utc: Bound<'py, PyAny>,
}

impl<'py> Walker<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let module = py.import("datetime")?;
        Ok(Walker {
            out: String::new(),
            datetime: module.getattr("datetime")?.cast_into::<PyType>()?,
            date: module.getattr("date")?.cast_into::<PyType>()?,
            utc: module.getattr("timezone")?.getattr("utc")?,
        })
    }

    fn write(&mut self, obj: &Bound<'py, PyAny>, depth: usize) -> Result<(), Fail> {
        if depth > MAX_DEPTH {
            return Err(Fail {
                kind: FailKind::Depth,
                path: Vec::new(),
            });
        }
        if obj.is_none() {
            self.out.push_str("null");
        } else if let Ok(s) = obj.cast::<PyString>() {
            let utf8 = s.encode_utf8()?;
            write_str(&mut self.out, utf8_of(&utf8)?);
        } else if let Ok(b) = obj.cast::<PyBool>() {
            self.out
                .push_str(if b.is_true() { "true" } else { "false" });
        } else if let Ok(i) = obj.cast::<PyInt>() {
            match i.extract::<i64>() {
                Ok(v) => {
                    let _ = write!(self.out, "{v}");
                }
                // Beyond 64 bits: Python's own decimal form (what `json.dumps` writes).
                Err(_) => self.out.push_str(&i.str()?.to_cow()?),
            }
        } else if let Ok(f) = obj.cast::<PyFloat>() {
            match serde_json::Number::from_f64(f.value()) {
                Some(n) => {
                    let _ = write!(self.out, "{n}");
                }
                // NaN and infinities have no JSON form.
                None => self.out.push_str("null"),
            }
        } else if let Ok(d) = obj.cast::<PyDict>() {
            self.out.push('{');
            for (n, (key, value)) in d.iter().enumerate() {
                if n > 0 {
                    self.out.push(',');
                }
                write_key(&mut self.out, &key)?;
                self.out.push(':');
                self.write(&value, depth + 1)
                    .map_err(|f| f.at(key_segment(&key)))?;
            }
            self.out.push('}');
        } else if let Ok(l) = obj.cast::<PyList>() {
            self.write_seq(l.iter(), depth)?;
        } else if let Ok(t) = obj.cast::<PyTuple>() {
            self.write_seq(t.iter(), depth)?;
        } else if obj.is_instance(&self.datetime)? {
            let dt = if obj.getattr("tzinfo")?.is_none() {
                obj.clone() // naive: taken as UTC
            } else {
                obj.call_method1("astimezone", (&self.utc,))?
            };
            let mut text: String = dt
                .call_method1("strftime", ("%Y-%m-%dT%H:%M:%S",))?
                .extract()?;
            let micros: u32 = dt.getattr("microsecond")?.extract()?;
            if micros != 0 {
                let _ = write!(text, ".{micros:06}");
            }
            text.push('Z');
            write_str(&mut self.out, &text);
        } else if obj.is_instance(&self.date)? {
            let text: String = obj.call_method0("isoformat")?.extract()?;
            write_str(&mut self.out, &text);
        } else if let Some((types, names)) = model_maps(obj)? {
            self.write_model(obj, &types, &names, depth)?;
        } else {
            let type_name = obj.get_type().name()?.to_cow()?.into_owned();
            return Err(Fail {
                kind: FailKind::Type(type_name),
                path: Vec::new(),
            });
        }
        Ok(())
    }

    fn write_seq(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        depth: usize,
    ) -> Result<(), Fail> {
        self.out.push('[');
        for (n, item) in items.enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            self.write(&item, depth + 1)
                .map_err(|f| f.at(format!("[{n}]")))?;
        }
        self.out.push(']');
        Ok(())
    }

    /// A `kubernetes` client model: its non-`None` attributes under their API names. A
    /// top-level object built by hand often has no `kind` (the API server fills it in);
    /// it is then taken from the class name (`V1Pod` → `Pod`, `V1PodList` → `PodList`,
    /// `EventsV1Event` → `Event` of `events.k8s.io/v1`).
    fn write_model(
        &mut self,
        obj: &Bound<'py, PyAny>,
        types: &Bound<'py, PyDict>,
        names: &Bound<'py, PyDict>,
        depth: usize,
    ) -> Result<(), Fail> {
        let is_resource = names.contains("kind")? && names.contains("metadata")?;
        let implied = if is_resource {
            let class = obj.get_type().name()?.to_cow()?.into_owned();
            implied_kind(&class)
        } else {
            None
        };
        self.out.push('{');
        let mut first = true;
        let mut sep = |out: &mut String| {
            if !std::mem::take(&mut first) {
                out.push(',');
            }
        };
        for attr in types.keys() {
            let attr_name = attr
                .cast::<PyString>()
                .map_err(PyErr::from)?
                .to_cow()?
                .into_owned();
            let value = obj.getattr(attr_name.as_str())?;
            let key: String = match names.get_item(&attr)? {
                Some(k) => k.extract()?,
                None => attr_name.clone(),
            };
            if value.is_none() {
                let fill = match (key.as_str(), &implied) {
                    ("kind", Some((kind, _))) => Some(kind.clone()),
                    ("apiVersion", Some((_, Some(version)))) => Some((*version).to_owned()),
                    _ => None,
                };
                if let Some(fill) = fill {
                    sep(&mut self.out);
                    write_str(&mut self.out, &key);
                    self.out.push(':');
                    write_str(&mut self.out, &fill);
                }
                continue;
            }
            sep(&mut self.out);
            write_str(&mut self.out, &key);
            self.out.push(':');
            self.write(&value, depth + 1)
                .map_err(|f| f.at(format!(".{key}")))?;
        }
        self.out.push('}');
        Ok(())
    }
}

/// `openapi_types` and `attribute_map` of a `kubernetes` client model, if `obj` is one.
fn model_maps<'py>(
    obj: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyDict>, Bound<'py, PyDict>)>> {
    let get = |name: &str| -> PyResult<Option<Bound<'py, PyDict>>> {
        match obj.getattr_opt(name)? {
            Some(v) => Ok(v.cast_into::<PyDict>().ok()),
            None => Ok(None),
        }
    };
    Ok(match (get("openapi_types")?, get("attribute_map")?) {
        (Some(t), Some(n)) => Some((t, n)),
        _ => None,
    })
}

/// The kind (and, where the class name says it, the apiVersion) of a client model class:
/// `V1Pod` → `Pod`; `V1beta1CronJob` → `CronJob`; `CoreV1Event` → `Event` (`v1`);
/// `EventsV1Event` → `Event` (`events.k8s.io/v1`).
fn implied_kind(class: &str) -> Option<(String, Option<&'static str>)> {
    let bytes = class.as_bytes();
    let v = (0..bytes.len()).find(|&i| {
        bytes.get(i) == Some(&b'V') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
    })?;
    let prefix = class.get(..v)?;
    let rest = class.get(v + 1..)?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = ["alpha", "beta"]
        .iter()
        .find_map(|stage| rest.strip_prefix(stage))
        .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let version = match (prefix, class.get(v..v + 2)) {
        ("Core", Some("V1")) => Some("v1"),
        ("Events", Some("V1")) => Some("events.k8s.io/v1"),
        _ => None,
    };
    Some((rest.to_owned(), version))
}

/// The UTF-8 of an encoded `str` (see `lib.rs`: one copy, no second one into a `String`).
fn utf8_of<'a>(encoded: &'a Bound<'_, PyBytes>) -> PyResult<&'a str> {
    std::str::from_utf8(encoded.as_bytes())
        .map_err(|e| PyValueError::new_err(format!("a str is not valid UTF-8 ({e})")))
}

/// The path segment of a dict key in error messages: `["name"]`.
fn key_segment(key: &Bound<'_, PyAny>) -> String {
    match key.str() {
        Ok(s) => format!("[{:?}]", s.to_string_lossy()),
        Err(_) => "[?]".to_owned(),
    }
}

/// Write a dict key as `json.dumps` does: strings as they are, numbers, booleans and
/// `None` in their JSON spelling.
fn write_key(out: &mut String, key: &Bound<'_, PyAny>) -> Result<(), Fail> {
    if let Ok(s) = key.cast::<PyString>() {
        let utf8 = s.encode_utf8()?;
        write_str(out, utf8_of(&utf8)?);
        return Ok(());
    }
    let spelled = if key.is_none() {
        "null".to_owned()
    } else if let Ok(b) = key.cast::<PyBool>() {
        if b.is_true() { "true" } else { "false" }.to_owned()
    } else if key.is_instance_of::<PyInt>() || key.is_instance_of::<PyFloat>() {
        key.str()?.to_cow()?.into_owned()
    } else {
        let type_name = key.get_type().name()?.to_cow()?.into_owned();
        return Err(Fail {
            kind: FailKind::Type(format!("{type_name} (as a dict key)")),
            path: Vec::new(),
        });
    };
    write_str(out, &spelled);
    Ok(())
}

/// Append `s` as a JSON string literal.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or(""));
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_class_names() {
        assert_eq!(implied_kind("V1Pod"), Some(("Pod".into(), None)));
        assert_eq!(implied_kind("V1PodList"), Some(("PodList".into(), None)));
        assert_eq!(
            implied_kind("V1beta1CronJob"),
            Some(("CronJob".into(), None))
        );
        assert_eq!(
            implied_kind("CoreV1Event"),
            Some(("Event".into(), Some("v1")))
        );
        assert_eq!(
            implied_kind("EventsV1Event"),
            Some(("Event".into(), Some("events.k8s.io/v1")))
        );
        assert_eq!(implied_kind("Pod"), None);
        assert_eq!(implied_kind("V1"), None);
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        write_str(&mut out, "a\"b\\c\nd\u{1}é<");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é<""#);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\nd\u{1}é<");
    }
}
