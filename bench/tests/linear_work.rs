//! Work grows linearly with the input: eight copies of any generated paste allocate at
//! most about eight times the bytes of one. Allocated bytes stand in for time, because
//! they are exact on a shared machine where a timer is not; a reader that rescans the
//! input per line or per object (quadratic) would allocate about 64 times.

#[path = "../../tests/hostile/paste.rs"]
mod paste;

use kdiag_bench::alloc::{Counting, TOTAL};
use paste::{diagnose_json, paste};
use proptest::prelude::*;
use std::sync::atomic::Ordering::Relaxed;

#[global_allocator]
static ALLOC: Counting = Counting;

fn allocated(text: &str) -> usize {
    let before = TOTAL.load(Relaxed);
    let _ = diagnose_json(text);
    TOTAL.load(Relaxed) - before
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Eight copies of an input cost at most about eight times its work.
    #[test]
    fn work_grows_linearly(text in paste()) {
        let one = allocated(&text);
        let eight = allocated(&[text.as_str(); 8].join("\n"));
        // Linear: 8 times, plus slack for growth of vectors and maps (each doubles), plus
        // a constant; a quadratic reader would allocate 64 times.
        prop_assert!(eight <= 16 * one + (64 << 10), "{one} bytes for one copy, {eight} for eight");
    }
}
