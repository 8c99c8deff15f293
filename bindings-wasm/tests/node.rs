//! wasm-bindgen tests, run under node by `wasm-bindgen-test-runner`
//! (`scripts/test-web.sh`): the door as JavaScript sees it.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array};
use kdiag_wasm::{JsInput, JsOptions, analyze, diagnose, explain, ids, markdown, version};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const OOM: &str = include_str!("../../tests/fixtures/oom-killed/oomkilled-container.json");
const ROLLOUT: &str =
    include_str!("../../tests/fixtures/rollout.stuck/deployment-progress-deadline.json");

fn input(value: impl Into<JsValue>) -> JsInput {
    value.into().unchecked_into()
}

fn options(value: Object) -> Option<JsOptions> {
    Some(JsValue::from(value).unchecked_into())
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn first_id(report: &JsValue) -> String {
    let findings: Array = get(report, "findings").dyn_into().unwrap();
    get(&findings.get(0), "id").as_string().unwrap()
}

#[wasm_bindgen_test]
fn diagnose_returns_a_plain_object_with_the_report() {
    let report = diagnose(&input(OOM), None).unwrap();
    assert!(report.is_object());
    assert_eq!(
        get(&report, "schema").as_string().unwrap(),
        "kdiag.report/v1"
    );
    assert_eq!(first_id(&report), "oom-killed");
    let expected = kdiag::diagnose_str(OOM, &kdiag::Options::default()).unwrap();
    let json = js_sys::JSON::stringify(&report)
        .unwrap()
        .as_string()
        .unwrap();
    let ours: serde_json::Value = serde_json::from_str(&json).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(&expected.to_json_pretty()).unwrap();
    assert_eq!(ours, theirs);
}

#[wasm_bindgen_test]
fn bytes_and_named_inputs_are_accepted() {
    let bytes = Uint8Array::from(ROLLOUT.as_bytes());
    let expected = kdiag::diagnose_str(ROLLOUT, &kdiag::Options::default()).unwrap();
    assert_eq!(
        first_id(&diagnose(&input(bytes), None).unwrap()),
        expected.findings[0].id
    );

    let a = Object::new();
    Reflect::set(&a, &"name".into(), &"oom.json".into()).unwrap();
    Reflect::set(&a, &"text".into(), &OOM.into()).unwrap();
    let b = Object::new();
    Reflect::set(&b, &"name".into(), &"bad.yaml".into()).unwrap();
    Reflect::set(
        &b,
        &"bytes".into(),
        &Uint8Array::from(&b"kind: [".to_vec()[..]).into(),
    )
    .unwrap();
    let list = Array::of2(&a, &b);
    let report = diagnose(&input(list), None).unwrap();
    assert_eq!(first_id(&report), "oom-killed");
    let warnings: Array = get(&report, "input_warnings").dyn_into().unwrap();
    let location = get(&warnings.get(0), "location").as_string().unwrap();
    assert!(location.starts_with("bad.yaml: "), "{location}");
}

#[wasm_bindgen_test]
fn unreadable_input_is_an_error_with_its_location() {
    let err = diagnose(&input("{\n  \"kind\": \"Pod\",\n  oops\n"), None).unwrap_err();
    let err: JsValue = err.into();
    let location = get(&err, "location").as_string().unwrap();
    assert!(location.contains("line 3"), "{location}");
    let message = get(&err, "message").as_string().unwrap();
    assert!(message.starts_with(&location), "{message}");
    assert!(err.is_instance_of::<js_sys::Error>());
}

#[wasm_bindgen_test]
fn options_now_is_validated() {
    let opts = Object::new();
    Reflect::set(&opts, &"now".into(), &"soon".into()).unwrap();
    let err: JsValue = diagnose(&input(OOM), options(opts)).unwrap_err().into();
    assert_eq!(get(&err, "name").as_string().unwrap(), "TypeError");
    let opts = Object::new();
    Reflect::set(&opts, &"now".into(), &"2026-11-20T10:00:00Z".into()).unwrap();
    assert!(diagnose(&input(OOM), options(opts)).is_ok());
}

#[wasm_bindgen_test]
fn analyze_and_markdown_come_from_core() {
    let view = analyze(&input(ROLLOUT), None).unwrap();
    let expected = kdiag::diagnose_str(ROLLOUT, &kdiag::Options::default()).unwrap();
    assert_eq!(
        get(&view, "markdown").as_string().unwrap(),
        kdiag::render::markdown(&expected)
    );
    assert_eq!(
        get(&view, "json").as_string().unwrap(),
        expected.to_json_pretty()
    );
    assert_eq!(
        markdown(&input(ROLLOUT), None).unwrap(),
        kdiag::render::markdown(&expected)
    );
    let groups: Array = get(&view, "groups").dyn_into().unwrap();
    assert!(groups.length() >= 1);
}

#[wasm_bindgen_test]
fn explain_ids_and_version() {
    let all = ids();
    assert!(all.iter().any(|id| id == "oom-killed"));
    for id in &all {
        assert!(explain(id).is_some_and(|doc| !doc.is_empty()), "{id}");
    }
    assert!(explain("nope").is_none());
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
