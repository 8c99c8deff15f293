//! kdiag in WebAssembly: a thin door into the `kdiag` engine for the browser page (and
//! node). No Kubernetes logic lives here: every function hands the input to `kdiag` and
//! hands back what it returns, as plain JavaScript values.
//!
//! ```js
//! import init, { diagnose, explain, ids, version } from "./pkg/kdiag_wasm.js";
//! await init();
//! const report = diagnose(text);            // same object as `kdiag --output json`
//! console.log(report.findings[0]?.id, explain("oom-killed"));
//! ```
//!
//! The report is serialised by `kdiag` itself (`serde_json`) and parsed with the
//! browser's `JSON.parse`, so it is the CLI's JSON exactly. Errors are JavaScript `Error`
//! objects whose message starts with the location (`document 1, line 3, column 7: …`);
//! the location and the bare message are also on the error as `location` and `detail`.

use js_sys::{Array, Error, JSON, Reflect, Uint8Array};
use kdiag::{InputError, Options, Report, Timestamp};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A failure's severity, most severe first. */
export type Severity = "error" | "warning" | "info";

/** The object a finding concerns. */
export interface ObjectRef { kind: string; namespace?: string; name: string; container?: string; }

/** The workload that controls a pod. */
export interface WorkloadRef { kind: string; namespace?: string; name: string; }

/** One thing read from the input that supports a finding. */
export interface Evidence { path: string; value: string; }

/** One step a person can take now. */
export interface Remediation { text: string; commands?: string[]; patch?: string; }

/** One diagnosed cause. */
export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  object: ObjectRef;
  workload?: WorkloadRef;
  pods?: string[];
  explanation: string;
  evidence: Evidence[];
  remediation: Remediation[];
}

/** A part of the input that could not be read. */
export interface InputWarning { location: string; message: string; }

/** The report of schema kdiag.report/v1 — identical to `kdiag --output json`. */
export interface Report {
  schema: "kdiag.report/v1";
  summary: { objects: Record<string, number>; errors: number; warnings: number; infos: number };
  findings: Finding[];
  input_warnings: InputWarning[];
}

/** One named input (a dropped file, or the pasted text). */
export interface NamedInput { name: string; text?: string; bytes?: Uint8Array; }

/** What to diagnose: text, raw bytes (UTF-8/UTF-16 are decoded), or several named inputs read as one snapshot. */
export type Input = string | Uint8Array | NamedInput[];

/** Settings of one diagnosis. */
export interface DiagnoseOptions {
  /** RFC 3339 moment ages are measured against (default: the newest timestamp in the input). */
  now?: string;
}

/** Findings of one workload (or object), in report order. */
export interface Group { title: string; findings: number[]; }

/** Everything the page shows, from one diagnosis. */
export interface Analysis {
  report: Report;
  /** The report as `kdiag --output json` prints it. */
  json: string;
  /** The report as `kdiag --output markdown` prints it. */
  markdown: string;
  /** One line: what was read and found. */
  summary: string;
  /** Findings grouped by workload (indices into report.findings). */
  groups: Group[];
}

/** The error thrown for unreadable input: the message starts with the location. */
export interface KdiagError extends Error { location: string; detail: string; }
"#;

#[wasm_bindgen]
extern "C" {
    /// What to diagnose (TypeScript `Input`).
    #[wasm_bindgen(typescript_type = "Input")]
    pub type JsInput;
    /// Settings of one diagnosis (TypeScript `DiagnoseOptions`).
    #[wasm_bindgen(typescript_type = "DiagnoseOptions")]
    pub type JsOptions;
}

/// Diagnose the input; returns the report, the same object as `kdiag --output json`.
///
/// # Errors
///
/// A JavaScript `Error` (with `location` and `detail`) when nothing at all could be read
/// from the input, or when the input or options are of the wrong type.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn diagnose(input: &JsInput, options: Option<JsOptions>) -> Result<JsValue, Error> {
    let report = run(input, options.as_ref())?;
    parse_json(&report.to_json_pretty())
}

/// Diagnose the input and render the report as Markdown (for a ticket), exactly as
/// `kdiag --output markdown` prints it.
///
/// # Errors
///
/// As [`diagnose`].
#[wasm_bindgen]
pub fn markdown(input: &JsInput, options: Option<JsOptions>) -> Result<String, Error> {
    let report = run(input, options.as_ref())?;
    Ok(kdiag::render::markdown(&report))
}

/// Diagnose once and return everything the page shows: the report, its JSON and
/// Markdown renderings, the summary line and the findings grouped by workload (all
/// rendered by `kdiag`).
///
/// # Errors
///
/// As [`diagnose`].
#[wasm_bindgen(unchecked_return_type = "Analysis")]
pub fn analyze(input: &JsInput, options: Option<JsOptions>) -> Result<JsValue, Error> {
    let report = run(input, options.as_ref())?;
    parse_json(&analysis_json(&report))
}

/// The user documentation of a failure id (Markdown), as `kdiag explain ID` prints it;
/// `undefined` for an unknown id.
#[wasm_bindgen]
pub fn explain(id: &str) -> Option<String> {
    kdiag::rules::explain(id).map(str::to_owned)
}

/// Every failure id, in taxonomy order.
#[wasm_bindgen]
pub fn ids() -> Vec<String> {
    kdiag::rules::ids().map(str::to_owned).collect()
}

/// The version of kdiag in this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The page's view of a report, as JSON text (kept separate from the JavaScript glue so it
/// is testable on any target).
pub fn analysis_json(report: &Report) -> String {
    let groups: Vec<serde_json::Value> = kdiag::render::group_by_workload(report)
        .iter()
        .map(|g| {
            let indices: Vec<usize> = g
                .findings
                .iter()
                .filter_map(|f| report.findings.iter().position(|r| std::ptr::eq(r, *f)))
                .collect();
            serde_json::json!({ "title": g.title, "findings": indices })
        })
        .collect();
    let json = report.to_json_pretty();
    let view = serde_json::json!({
        "json": json,
        "markdown": kdiag::render::markdown(report),
        "summary": kdiag::render::summary_line(report),
        "groups": groups,
    });
    // `report` is spliced in as already-serialised text rather than converted to a value
    // and back, which keeps its field order and costs nothing.
    let view = view.to_string();
    let rest = view.strip_prefix('{').unwrap_or(&view);
    format!("{{\"report\":{json},{rest}")
}

fn run(input: &JsInput, options: Option<&JsOptions>) -> Result<Report, Error> {
    let input: &JsValue = input.as_ref();
    let options = read_options(options.map(AsRef::as_ref))?;
    let result = if let Some(text) = input.as_string() {
        kdiag::diagnose_str(&text, &options)
    } else if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        kdiag::diagnose_bytes(bytes.to_vec(), &options)
    } else if let Some(list) = input.dyn_ref::<Array>() {
        kdiag::diagnose_inputs(named_inputs(list)?, &options)
    } else {
        return Err(type_error(
            "input must be a string, a Uint8Array or an array of {name, text | bytes}",
        ));
    };
    result.map_err(|e| input_error(&e))
}

fn named_inputs(list: &Array) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut inputs = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let name = get(&item, "name")
            .as_string()
            .unwrap_or_else(|| format!("input {}", i + 1));
        let text = get(&item, "text");
        let bytes = get(&item, "bytes");
        let data = if let Some(text) = text.as_string() {
            text.into_bytes()
        } else if let Some(bytes) = bytes.dyn_ref::<Uint8Array>() {
            bytes.to_vec()
        } else {
            return Err(type_error(&format!(
                "input {} ({name}) needs a string `text` or a Uint8Array `bytes`",
                i + 1
            )));
        };
        inputs.push((name, data));
    }
    Ok(inputs)
}

fn read_options(options: Option<&JsValue>) -> Result<Options, Error> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(Options::default());
    };
    if !options.is_object() {
        return Err(type_error(
            "options must be an object such as { now: \"…\" }",
        ));
    }
    let now = get(options, "now");
    if now.is_undefined() || now.is_null() {
        return Ok(Options::default());
    }
    let Some(text) = now.as_string() else {
        return Err(type_error("options.now must be an RFC 3339 string"));
    };
    text.parse::<Timestamp>()
        .map(Options::with_now)
        .map_err(|e| {
            type_error(&format!(
                "options.now: expected an RFC 3339 timestamp such as 2026-01-01T00:00:00Z ({e})"
            ))
        })
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn parse_json(json: &str) -> Result<JsValue, Error> {
    JSON::parse(json).map_err(|e| Error::new(&format!("internal: report is not JSON: {e:?}")))
}

fn input_error(e: &InputError) -> Error {
    let error = Error::new(&e.to_string());
    let _ = Reflect::set(&error, &"location".into(), &e.location.as_str().into());
    let _ = Reflect::set(&error, &"detail".into(), &e.message.as_str().into());
    error
}

fn type_error(message: &str) -> Error {
    let error = Error::new(message);
    error.set_name("TypeError");
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_puts_the_report_first_and_groups_by_index() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/rollout.stuck/deployment-progress-deadline.json"
        ))
        .unwrap();
        let report = kdiag::diagnose_str(&text, &Options::default()).unwrap();
        let view: serde_json::Value = serde_json::from_str(&analysis_json(&report)).unwrap();
        let expected: serde_json::Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
        assert_eq!(view["report"], expected);
        assert_eq!(view["json"], report.to_json_pretty());
        assert_eq!(view["markdown"], kdiag::render::markdown(&report));
        let groups = view["groups"].as_array().unwrap();
        assert_eq!(groups[0]["title"], "Deployment prod/web");
        let indexed: usize = groups
            .iter()
            .map(|g| g["findings"].as_array().unwrap().len())
            .sum();
        assert_eq!(indexed, report.findings.len());
    }
}
