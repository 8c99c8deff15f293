//! The text reader on its own:          fuzz-0\nNamespace:    default\n:a `kubectl describe` block: the header opens it, the input is the rest.
#![no_main]

use kdiag::input::{Format, parse_as};
use libfuzzer_sys::fuzz_target;

/// Put in front of every input, so that the fuzzer explores this reader.
const PREFIX: &str = "Name";

fuzz_target!(|data: &[u8]| {
    let text = format!("{PREFIX}{}", String::from_utf8_lossy(data));
    let _ = parse_as(&text, Format::Text);
});
