//! The JSON reader on its own (concatenated documents, recovery after a syntax error, typed objects).
#![no_main]

use kdiag::input::{Format, parse_as};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_as(&String::from_utf8_lossy(data), Format::Json);
});
