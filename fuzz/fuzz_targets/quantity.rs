//! Quantity parsing, with the properties the rules rely on checked on every input that
//! parses: the canonical form reads back to the same value, conversions agree with the
//! ordering, and formatting never panics.
#![no_main]

use kdiag::quantity::{self, Quantity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = Quantity::parse(text) else {
        return;
    };
    let canonical = q.to_string();
    assert_eq!(
        Quantity::parse(&canonical).ok(),
        Some(q),
        "{text:?} → {canonical:?}"
    );
    if let Ok(millis) = q.to_millis() {
        let back = Quantity::from_millis(millis);
        // Rounded away from zero to a whole milli: never closer to zero than the value.
        assert!(if millis >= 0 { back >= q } else { back <= q }, "{text:?}");
        assert_eq!(
            quantity::parse_cpu_millis(&quantity::format_cpu_millis(millis)).ok(),
            Some(millis)
        );
    }
    if let Ok(units) = q.to_units() {
        let back = Quantity::from_units(units);
        assert!(if units >= 0 { back >= q } else { back <= q }, "{text:?}");
        let formatted = quantity::format_bytes(units);
        let read = quantity::parse_bytes(&formatted).ok();
        // Rounded up (never below the value) so it is safe to suggest as a limit.
        assert!(
            read.is_some_and(|r| r >= units),
            "{units} → {formatted:?} → {read:?}"
        );
        let _ = quantity::format_bytes_human(units);
    }
});
