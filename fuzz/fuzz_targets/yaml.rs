//! The YAML reader on its own (documents, flow nesting, anchors and aliases, typed objects).
#![no_main]

use kdiag::input::{Format, parse_as};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_as(&String::from_utf8_lossy(data), Format::Yaml);
});
