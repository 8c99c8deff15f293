//! `kdiag._kdiag`: the native half of the Python package `kdiag`.
//!
//! Everything a diagnosis knows comes from the Rust core (`kdiag`); this module only moves
//! data across the boundary:
//!
//! - text (`str`) and bytes go straight to [`kdiag::diagnose_str`] /
//!   [`kdiag::diagnose_bytes`], with the GIL released while the engine runs;
//! - Python objects (`dict`, `list`, official `kubernetes` client models, datetimes) are
//!   walked once and written as JSON text in their API (camelCase) form (module `json`), then
//!   read by the same engine, so a `dict` gives the report its JSON file would give;
//! - the report comes back as a [`NativeReport`]: its JSON is exactly what
//!   `kdiag --output json` prints, and the grouping and labels for display come from
//!   [`kdiag::render`], so no wording is re-implemented in Python.
//!
//! The pure-Python layer (`python/kdiag/`) turns that into `Report` / `Finding` objects.

mod json;

use kdiag::{InputError as CoreInputError, Options, Report, Timestamp};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple};
use std::time::Instant;

pyo3::create_exception!(
    kdiag,
    InputError,
    PyValueError,
    "The input could not be read at all (nothing in it was a Kubernetes object).\n\n\
     Attributes: `location` (where reading failed, e.g. `document 1, line 3, column 7`) \
     and `message` (what was wrong)."
);

/// The Python exception for a core [`kdiag::InputError`], with `.location` and `.message`.
fn input_error(py: Python<'_>, err: &CoreInputError) -> PyErr {
    let e = InputError::new_err(format!("{}: {}", err.location, err.message));
    let value = e.value(py);
    if let Err(set) = value
        .setattr("location", &err.location)
        .and_then(|()| value.setattr("message", &err.message))
    {
        return set;
    }
    e
}

/// Options from the `now` argument (an RFC 3339 string; the Python layer turns a
/// `datetime` into one).
fn options(now: Option<&str>) -> PyResult<Options> {
    match now {
        None => Ok(Options::default()),
        Some(s) => s.parse::<Timestamp>().map(Options::with_now).map_err(|e| {
            PyValueError::new_err(format!(
                "now: expected an RFC 3339 timestamp such as 2026-01-01T00:00:00Z ({e})"
            ))
        }),
    }
}

/// The UTF-8 text of a `str`, borrowed from its encoded form (the fallback where
/// [`utf8_view`] is not available: one copy).
#[cfg(windows)]
fn utf8_of<'a>(encoded: &'a Bound<'_, PyBytes>) -> PyResult<&'a str> {
    std::str::from_utf8(encoded.as_bytes())
        .map_err(|e| PyValueError::new_err(format!("the str is not valid UTF-8 ({e})")))
}

/// A `str`'s UTF-8 without copying it.
///
/// pyo3 lends a `str`'s UTF-8 (`PyUnicode_AsUTF8AndSize`) only when built for the stable
/// ABI of Python ≥ 3.10, because that function joined the *limited* API in 3.10; built
/// for 3.9 it encodes into a `bytes` object and copies that again into a `String` — two
/// copies of a 100 MB dump. The function itself exists with this signature in every
/// CPython since 3.3 and every version exports it from `libpython` (where a Linux or macOS
/// extension finds its symbols), so it is declared here and called directly. For the
/// usual ASCII text it returns the string's own buffer; otherwise CPython caches the
/// UTF-8 inside the `str`. Windows links against `python3.dll`, which exports only the
/// limited API of the oldest supported version, so there the text is encoded once.
#[cfg(not(windows))]
#[allow(unsafe_code)]
mod utf8_view {
    use pyo3::prelude::*;
    use pyo3::types::PyString;
    use pyo3::{PyErr, ffi};

    unsafe extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const std::os::raw::c_char;
    }

    /// Borrow the UTF-8 of `s` for as long as `s` is borrowed.
    pub fn borrow<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (the `Bound` holds a reference and the GIL is held
        // for this call). CPython returns either NULL with an exception set, or a pointer
        // to `size` bytes owned by the `str` object and kept until it is freed; `str` is
        // immutable, so the bytes stay valid and unchanged for the borrow `'a`.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &raw mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        let len = usize::try_from(size).map_err(|_| PyErr::fetch(s.py()))?;
        // SAFETY: as above, `data` points to `len` initialised bytes alive for `'a`.
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) };
        // Still checked (cheap next to a diagnosis), so no unchecked conversion is needed.
        std::str::from_utf8(bytes).map_err(|e| {
            pyo3::exceptions::PyValueError::new_err(format!("the str is not valid UTF-8 ({e})"))
        })
    }
}

/// `bytes` that [`kdiag::input::decode`] would take as they are: valid UTF-8 with no BOM
/// and not UTF-16 (whose ASCII text has a NUL in its first two bytes).
fn plain_utf8(bytes: &[u8]) -> Option<&str> {
    let boms: [&[u8]; 3] = [&[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF]];
    if boms.iter().any(|bom| bytes.starts_with(bom)) || bytes.iter().take(2).any(|&b| b == 0) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// A finished diagnosis, as the core produced it.
#[pyclass(frozen, module = "kdiag._kdiag", name = "NativeReport")]
pub struct NativeReport {
    report: Report,
}

#[pymethods]
impl NativeReport {
    /// The report as pretty-printed JSON, byte for byte what `kdiag --output json` prints
    /// (without its final newline).
    fn json(&self) -> String {
        self.report.to_json_pretty()
    }

    /// One line for people, e.g. `2 errors in 3 pods`.
    fn summary_line(&self) -> String {
        kdiag::render::summary_line(&self.report)
    }

    /// The report as a Markdown document (for a ticket or chat).
    fn markdown(&self) -> String {
        kdiag::render::markdown(&self.report)
    }

    /// Findings grouped by workload: `[(title, [finding index, …]), …]`, most important
    /// group first.
    fn groups(&self) -> Vec<(String, Vec<usize>)> {
        let base = self.report.findings.as_ptr() as usize;
        let size = std::mem::size_of::<kdiag::Finding>().max(1);
        kdiag::render::group_by_workload(&self.report)
            .into_iter()
            .map(|g| {
                let indices = g
                    .findings
                    .iter()
                    .map(|f| (std::ptr::from_ref::<kdiag::Finding>(f) as usize - base) / size)
                    .collect();
                (g.title, indices)
            })
            .collect()
    }

    /// For each finding, in order: the label of its object (`Pod default/web-1`) and
    /// whether the finding is about its workload itself.
    fn object_labels(&self) -> Vec<(String, bool)> {
        self.report
            .findings
            .iter()
            .map(|f| {
                (
                    kdiag::render::object_label(&f.object),
                    kdiag::render::object_is_workload(f),
                )
            })
            .collect()
    }
}

/// Diagnose text (`str`, any form the core reads) or raw bytes (UTF-8, UTF-16, BOM).
///
/// The GIL is released while the engine runs.
#[pyfunction]
#[pyo3(signature = (data, now=None))]
fn diagnose_text(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    now: Option<&str>,
) -> PyResult<NativeReport> {
    let options = options(now)?;
    let result = if let Ok(s) = data.cast::<PyString>() {
        #[cfg(windows)]
        let utf8 = s.encode_utf8()?;
        #[cfg(windows)]
        let text = utf8_of(&utf8)?;
        #[cfg(not(windows))]
        let text = utf8_view::borrow(s)?;
        py.detach(|| kdiag::diagnose_str(text, &options))
    } else if let Ok(b) = data.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        match plain_utf8(bytes) {
            // Nothing for `input::decode` to do: read the bytes where they are.
            Some(text) => py.detach(|| kdiag::diagnose_str(text, &options)),
            None => {
                let bytes = bytes.to_vec();
                py.detach(|| kdiag::diagnose_bytes(bytes, &options))
            }
        }
    } else {
        return Err(PyTypeError::new_err(format!(
            "expected str or bytes, got {}",
            data.get_type().name()?
        )));
    };
    result
        .map(|report| NativeReport { report })
        .map_err(|e| input_error(py, &e))
}

/// Diagnose Python objects: a `dict`, a `list`, `kubernetes` client models, or a mixture
/// in a list (text items in a list are read on their own and merged; their input warnings
/// say which list item they came from).
#[pyfunction]
#[pyo3(signature = (data, now=None))]
fn diagnose_objects(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    now: Option<&str>,
) -> PyResult<NativeReport> {
    let options = options(now)?;
    let pieces = json::pieces(data)?;
    let result = py.detach(|| json::diagnose_pieces(pieces, &options));
    result
        .map(|report| NativeReport { report })
        .map_err(|e| input_error(py, &e))
}

/// The JSON text (API form, camelCase) that [`diagnose_objects`] reads for `data`
/// (without text items). For tests and the benchmark.
#[pyfunction]
fn to_json_text(data: &Bound<'_, PyAny>) -> PyResult<String> {
    json::to_json(data)
}

/// Time the core engine alone on `text` (no Python involved: the GIL is released and
/// the text already borrowed), in nanoseconds. For the benchmark only.
#[pyfunction]
fn _bench_engine_ns(py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<u64> {
    #[cfg(windows)]
    let utf8 = text.encode_utf8()?;
    #[cfg(windows)]
    let text = utf8_of(&utf8)?;
    #[cfg(not(windows))]
    let text = utf8_view::borrow(text)?;
    let elapsed = py.detach(|| {
        let start = Instant::now();
        let report = kdiag::diagnose_str(text, &Options::default());
        let elapsed = start.elapsed();
        drop(report);
        elapsed
    });
    Ok(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX))
}

/// The user documentation (Markdown) of a failure id, or `None` for an unknown id.
#[pyfunction]
fn explain(id: &str) -> Option<&'static str> {
    kdiag::rules::explain(id)
}

/// Every failure id kdiag knows, in taxonomy order.
#[pyfunction]
fn ids<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, kdiag::rules::ids().collect::<Vec<_>>())
}

/// Raise a Rust panic inside the extension (tests check it becomes a Python exception and
/// never kills the interpreter).
#[pyfunction]
fn _panic_for_tests() {
    std::panic::panic_any("kdiag: deliberate panic for the binding's tests");
}

/// The native module `kdiag._kdiag`.
#[pymodule]
fn _kdiag(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA", kdiag::SCHEMA)?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add_class::<NativeReport>()?;
    m.add_function(wrap_pyfunction!(diagnose_text, m)?)?;
    m.add_function(wrap_pyfunction!(diagnose_objects, m)?)?;
    m.add_function(wrap_pyfunction!(to_json_text, m)?)?;
    m.add_function(wrap_pyfunction!(_bench_engine_ns, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(ids, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
