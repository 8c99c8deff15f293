//! The text reader on its own: a `kubectl get pods` table: the header fixes the columns, the input is the rows.
#![no_main]

use kdiag::input::{Format, parse_as};
use libfuzzer_sys::fuzz_target;

/// Put in front of every input, so that the fuzzer explores this reader.
const PREFIX: &str = "NAME        READY   STATUS    RESTARTS   AGE\n";

fuzz_target!(|data: &[u8]| {
    let text = format!("{PREFIX}{}", String::from_utf8_lossy(data));
    let _ = parse_as(&text, Format::Text);
});
