//! The whole entry, as every front end calls it: bytes (any encoding) → report → the
//! JSON and Markdown a user sees.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = kdiag::diagnose_bytes(data.to_vec(), &kdiag::Options::default()) {
        let _ = report.to_json_pretty();
        let _ = kdiag::render::markdown(&report);
    }
});
