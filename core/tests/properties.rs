//! Properties over generated input (proptest): quantities read back what they print and
//! order like their values; any text gives a report or an error, never a panic, and the
//! same input always serialises to the same bytes. (That work grows linearly with the
//! input is checked in `bench/tests/linear_work.rs`, which may count allocations.)

#[path = "../../tests/hostile/paste.rs"]
mod paste;

use kdiag::quantity::{self, Quantity};
use paste::{diagnose_json, paste};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any input gives a report or an error, never a panic; twice the same bytes.
    #[test]
    fn any_input_is_read_deterministically(text in paste()) {
        prop_assert_eq!(diagnose_json(&text), diagnose_json(&text));
    }

    /// Millicores print and read back exactly.
    #[test]
    fn cpu_round_trip(m in any::<i64>()) {
        prop_assert_eq!(quantity::parse_cpu_millis(&quantity::format_cpu_millis(m)).ok(), Some(m));
    }

    /// Bytes print as a quantity that reads back to at least the value (safe as a limit),
    /// and at most one rounding step (1Ki below 1Mi, else 1Mi) above it.
    #[test]
    fn bytes_round_trip_upwards(b in 0i64..=i64::MAX) {
        let printed = quantity::format_bytes(b);
        let read = quantity::parse_bytes(&printed).unwrap();
        prop_assert!(read >= b, "{} → {} → {}", b, printed, read);
        let step = if b >= 1 << 20 { 1 << 20 } else { 1 << 10 };
        prop_assert!(read - b <= step, "{} → {} → {}", b, printed, read);
    }

    /// A quantity's canonical form reads back to the same quantity, whatever the suffix.
    #[test]
    fn canonical_form_round_trips(
        sign in prop_oneof![Just(""), Just("-"), Just("+")],
        whole in 0u64..1_000_000_000,
        frac in prop::option::of(0u32..1_000_000),
        suffix in prop_oneof![
            Just(""), Just("n"), Just("u"), Just("m"), Just("k"), Just("M"), Just("G"),
            Just("T"), Just("P"), Just("Ki"), Just("Mi"), Just("Gi"), Just("Ti"), Just("e3"),
            Just("e-2"), Just("E"),
        ],
    ) {
        let text = match frac {
            Some(f) => format!("{sign}{whole}.{f}{suffix}"),
            None => format!("{sign}{whole}{suffix}"),
        };
        if let Ok(q) = Quantity::parse(&text) {
            prop_assert_eq!(Quantity::parse(&q.to_string()).ok(), Some(q), "{}", text);
        }
    }

    /// Quantities order by value across suffixes: `a` millis against `b` whole units,
    /// and binary against decimal.
    #[test]
    fn order_follows_value(a in -1_000_000_000i64..1_000_000_000, b in -1_000_000i64..1_000_000) {
        let milli = Quantity::parse(&format!("{a}m")).unwrap();
        let units = Quantity::parse(&b.to_string()).unwrap();
        prop_assert_eq!(milli.cmp(&units), i128::from(a).cmp(&(i128::from(b) * 1000)));
        let kibi = Quantity::parse(&format!("{b}Ki")).unwrap();
        let kilo = Quantity::parse(&format!("{b}k")).unwrap();
        prop_assert_eq!(kibi.cmp(&kilo), b.cmp(&0));
    }
}
