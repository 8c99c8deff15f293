//! The text reader from its first line: the sniffer that decides which lines start a
//! describe block, a table, a prompt, logs or embedded JSON/YAML, and every reader after.
#![no_main]

use kdiag::input::{Format, parse_as};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_as(&String::from_utf8_lossy(data), Format::Text);
});
