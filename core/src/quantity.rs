//! Exact Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`), without floating point.
//!
//! Kubernetes writes CPU, memory, storage and extended resources as *quantities*
//! (apimachinery `resource.Quantity`). This module parses them exactly, compares them by
//! value, converts them to the integers kdiag reasons with (CPU millicores, bytes, counts)
//! and formats integers back into the short forms people write in manifests.
//!
//! ```
//! use kdiag::quantity::{self, Quantity};
//!
//! // CPU in millicores, memory in bytes.
//! assert_eq!(quantity::parse_cpu_millis("250m")?, 250);
//! assert_eq!(quantity::parse_cpu_millis("1.5")?, 1500);
//! assert_eq!(quantity::parse_bytes("1.5Gi")?, 1_610_612_736);
//! assert_eq!(quantity::parse_bytes("1e3")?, 1000);
//!
//! // Quantities compare by value, whatever the suffix.
//! let gibi: Quantity = "1Gi".parse()?;
//! assert!(gibi > Quantity::parse("1G")?);
//! assert_eq!(Quantity::parse("0.5")?, Quantity::parse("500m")?);
//!
//! // And back to what a person would write.
//! assert_eq!(quantity::format_cpu_millis(1500), "1500m");
//! assert_eq!(quantity::format_bytes(536_870_912), "512Mi");
//! assert_eq!(quantity::format_bytes_human(1_610_612_736), "1.5 GiB");
//!
//! // Mistakes are named precisely.
//! let err = Quantity::parse("1gi").unwrap_err();
//! assert!(err.to_string().starts_with(r#"invalid quantity "1gi": unknown suffix "gi""#));
//! # Ok::<(), kdiag::quantity::QuantityError>(())
//! ```
//!
//! # Grammar
//!
//! An optional sign (`+` or `-`), digits with an optional decimal point (`1.5`, `.5`, `5.`),
//! then an optional suffix:
//!
//! * decimal SI: `n` (10⁻⁹), `u` (10⁻⁶), `m` (10⁻³), none, `k` (10³), `M` (10⁶), `G` (10⁹),
//!   `T` (10¹²), `P` (10¹⁵), `E` (10¹⁸);
//! * binary SI: `Ki` (2¹⁰), `Mi` (2²⁰), `Gi` (2³⁰), `Ti` (2⁴⁰), `Pi` (2⁵⁰), `Ei` (2⁶⁰);
//! * a decimal exponent: `e` or `E` followed by a signed integer (`1e3`, `5E-2`). `E` alone
//!   is exa, so `1E` is 10¹⁸ while `1E3` is 1000.
//!
//! Suffixes are case-sensitive (`1gi` and `1Mb` are errors). Whitespace around the quantity
//! (as pasted from a terminal) is ignored; whitespace inside it (`1 Gi`) is an error, as it
//! is for the API server.
//!
//! # Precision and range
//!
//! Like the API server, a parsed quantity is kept at nano (10⁻⁹) precision: a value with
//! more digits than that is rounded away from zero to the next nano, so a request for a
//! tiny non-zero amount never becomes zero. Within that precision every value is exact
//! (integer arithmetic only, overflow checked). Quantities outside the `i64` range
//! (−2⁶³ to 2⁶³−1, so `8Ei` or `1e400`) are refused as too large, where the API server
//! would silently cap them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Nanos (10⁻⁹) per whole unit.
const NANOS_PER_UNIT: i128 = 1_000_000_000;
/// Nanos per milli-unit.
const NANOS_PER_MILLI: i128 = 1_000_000;
/// The largest quantity, in nanos: `i64::MAX` whole units.
const MAX_NANOS: i128 = i64::MAX as i128 * NANOS_PER_UNIT;
/// The magnitude of the most negative quantity, in nanos: 2⁶³ whole units.
const MAX_NEGATIVE_NANOS: i128 = MAX_NANOS + NANOS_PER_UNIT;

/// Binary suffixes with their multipliers, smallest first.
const BINARY_SUFFIXES: [(&str, i128); 6] = [
    ("Ki", 1 << 10),
    ("Mi", 1 << 20),
    ("Gi", 1 << 30),
    ("Ti", 1 << 40),
    ("Pi", 1 << 50),
    ("Ei", 1 << 60),
];

/// Decimal SI suffixes with their base-10 exponents.
const DECIMAL_SUFFIXES: [(&str, i64); 9] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// Longest input quoted verbatim in an error message (in characters).
const MAX_QUOTED_INPUT: usize = 64;

/// A Kubernetes resource quantity, held exactly at nano (10⁻⁹) precision.
///
/// Quantities are ordered and compared by numeric value: `1Gi > 1G`, `500m < 1`,
/// `0.5 == 500m`. The [`Display`](fmt::Display) form is a canonical decimal form
/// (`1500m`, `2`, `1073741824`) that parses back to the same value.
///
/// ```
/// use kdiag::quantity::Quantity;
/// let q = Quantity::parse("1.5Gi")?;
/// assert_eq!(q.to_units()?, 1_610_612_736);
/// assert_eq!(Quantity::parse("100m")?.to_millis()?, 100);
/// assert!(Quantity::parse("500m")? < Quantity::parse("1")?);
/// # Ok::<(), kdiag::quantity::QuantityError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity {
    /// The value in nanos, within `-MAX_NEGATIVE_NANOS..=MAX_NANOS`.
    nanos: i128,
}

impl Quantity {
    /// Parse a Kubernetes quantity such as `500m`, `1.5Gi`, `2`, `1e3` or `-1k`.
    ///
    /// Surrounding whitespace is ignored. Digits beyond nano precision are rounded away
    /// from zero to the next nano, as the API server does.
    ///
    /// ```
    /// use kdiag::quantity::Quantity;
    /// assert_eq!(Quantity::parse(" 2Ki\n")?, Quantity::parse("2048")?);
    /// assert!(Quantity::parse("1 Gi").is_err());
    /// # Ok::<(), kdiag::quantity::QuantityError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`QuantityError`] when the text is empty, has no number, has whitespace inside,
    /// has an unknown suffix (suffixes are case-sensitive), or is outside the `i64` range.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        parse_nanos(s)
            .map(|nanos| Quantity { nanos })
            .map_err(|kind| QuantityError::new(s, kind))
    }

    /// A quantity of `millis` thousandths (CPU millicores, for example).
    ///
    /// ```
    /// use kdiag::quantity::Quantity;
    /// assert_eq!(Quantity::from_millis(1500), Quantity::parse("1.5")?);
    /// # Ok::<(), kdiag::quantity::QuantityError>(())
    /// ```
    #[must_use]
    pub fn from_millis(millis: i64) -> Quantity {
        Quantity {
            nanos: i128::from(millis) * NANOS_PER_MILLI,
        }
    }

    /// A quantity of `units` whole units (bytes, cores, GPUs, pods…).
    ///
    /// ```
    /// use kdiag::quantity::Quantity;
    /// assert_eq!(Quantity::from_units(1024), Quantity::parse("1Ki")?);
    /// # Ok::<(), kdiag::quantity::QuantityError>(())
    /// ```
    #[must_use]
    pub fn from_units(units: i64) -> Quantity {
        Quantity {
            nanos: i128::from(units) * NANOS_PER_UNIT,
        }
    }

    /// The value in thousandths (CPU millicores), rounded up: any fraction of a milli
    /// counts as a whole one, as Kubernetes' `MilliValue()` does (`0.1m` → 1). Negative
    /// values round away from zero, as in Kubernetes.
    ///
    /// ```
    /// use kdiag::quantity::Quantity;
    /// assert_eq!(Quantity::parse("0.1m")?.to_millis()?, 1);
    /// assert_eq!(Quantity::parse("2")?.to_millis()?, 2000);
    /// # Ok::<(), kdiag::quantity::QuantityError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A "too large" [`QuantityError`] when the result does not fit an `i64` (more than
    /// about 9.2 × 10¹⁵ whole units).
    pub fn to_millis(&self) -> Result<i64, QuantityError> {
        i64::try_from(div_away_from_zero(self.nanos, NANOS_PER_MILLI))
            .map_err(|_| QuantityError::new(&self.to_string(), QuantityErrorKind::TooLarge))
    }

    /// The value in whole units (bytes for memory and storage, counts for GPUs or pods),
    /// rounded up: any fraction counts as a whole unit, as Kubernetes' `Value()` does
    /// (`1.5` → 2, `1m` → 1). Negative values round away from zero, as in Kubernetes.
    ///
    /// ```
    /// use kdiag::quantity::Quantity;
    /// assert_eq!(Quantity::parse("1Mi")?.to_units()?, 1_048_576);
    /// assert_eq!(Quantity::parse("100m")?.to_units()?, 1);
    /// # Ok::<(), kdiag::quantity::QuantityError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A "too large" [`QuantityError`] when the rounded value does not fit an `i64`.
    pub fn to_units(&self) -> Result<i64, QuantityError> {
        i64::try_from(div_away_from_zero(self.nanos, NANOS_PER_UNIT))
            .map_err(|_| QuantityError::new(&self.to_string(), QuantityErrorKind::TooLarge))
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    /// Same as [`Quantity::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    /// A canonical decimal form: whole units when exact (`2`, `1073741824`), otherwise
    /// the largest of `m`, `u`, `n` that is exact (`1500m`, `1n`). It parses back to the
    /// same quantity.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.nanos;
        if n % NANOS_PER_UNIT == 0 {
            write!(f, "{}", n / NANOS_PER_UNIT)
        } else if n % NANOS_PER_MILLI == 0 {
            write!(f, "{}m", n / NANOS_PER_MILLI)
        } else if n % 1000 == 0 {
            write!(f, "{}u", n / 1000)
        } else {
            write!(f, "{n}n")
        }
    }
}

/// Parse a CPU quantity (`250m`, `1.5`, `2`) into millicores, rounding any fraction of a
/// millicore up.
///
/// ```
/// assert_eq!(kdiag::quantity::parse_cpu_millis("250m")?, 250);
/// assert_eq!(kdiag::quantity::parse_cpu_millis("2")?, 2000);
/// # Ok::<(), kdiag::quantity::QuantityError>(())
/// ```
///
/// # Errors
///
/// A [`QuantityError`] naming `s` when it is not a quantity or the millicores do not fit
/// an `i64`.
pub fn parse_cpu_millis(s: &str) -> Result<i64, QuantityError> {
    Quantity::parse(s)?
        .to_millis()
        .map_err(|e| QuantityError::new(s, e.kind))
}

/// Parse a memory or storage quantity (`512Mi`, `1G`, `1.5Gi`) into bytes, rounding any
/// fraction of a byte up.
///
/// ```
/// assert_eq!(kdiag::quantity::parse_bytes("512Mi")?, 536_870_912);
/// assert_eq!(kdiag::quantity::parse_bytes("1G")?, 1_000_000_000);
/// # Ok::<(), kdiag::quantity::QuantityError>(())
/// ```
///
/// # Errors
///
/// A [`QuantityError`] naming `s` when it is not a quantity or the bytes do not fit an
/// `i64`.
pub fn parse_bytes(s: &str) -> Result<i64, QuantityError> {
    Quantity::parse(s)?
        .to_units()
        .map_err(|e| QuantityError::new(s, e.kind))
}

/// Format millicores the way people write CPU quantities: whole cores without a suffix
/// (`2000` → `2`), anything else in millicores (`400` → `400m`, `1500` → `1500m`), and
/// `0` for zero.
///
/// ```
/// use kdiag::quantity::format_cpu_millis;
/// assert_eq!(format_cpu_millis(400), "400m");
/// assert_eq!(format_cpu_millis(2000), "2");
/// assert_eq!(format_cpu_millis(1500), "1500m");
/// assert_eq!(format_cpu_millis(0), "0");
/// ```
#[must_use]
pub fn format_cpu_millis(m: i64) -> String {
    if m % 1000 == 0 {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

/// Format bytes as a Kubernetes memory quantity, for a manifest or a suggested value.
///
/// Uses the largest binary suffix that divides the value exactly (`536870912` → `512Mi`,
/// `1073741824` → `1Gi`, `1610612736` → `1536Mi`); values below 1Ki that are not zero stay
/// plain bytes (`100`).
///
/// **Rounding:** when no suffix divides exactly, the value is rounded **up** (towards
/// positive infinity) to a whole `Mi` if its magnitude is at least 1Mi, otherwise to a whole
/// `Ki`, and the rounded value is formatted as above (`1073741823` → `1Gi`,
/// `1500000` → `2Mi`, `1500` → `2Ki`). So the result, read back, is never below the input:
/// safe to suggest as a limit. The only exception to rounding is a value within 1Mi of
/// `i64::MAX`, which is written as plain bytes because rounding it up would leave the
/// range Kubernetes accepts.
///
/// ```
/// use kdiag::quantity::format_bytes;
/// assert_eq!(format_bytes(536_870_912), "512Mi");
/// assert_eq!(format_bytes(1_610_612_736), "1536Mi");
/// assert_eq!(format_bytes(100), "100");
/// assert_eq!(format_bytes(1_500_000), "2Mi"); // rounded up from 1.43Mi
/// ```
#[must_use]
pub fn format_bytes(b: i64) -> String {
    let value = i128::from(b);
    if let Some(exact) = exact_binary(value) {
        return exact;
    }
    let step = match value.unsigned_abs() {
        m if m >= 1 << 20 => 1 << 20,
        m if m >= 1 << 10 => 1 << 10,
        _ => return b.to_string(),
    };
    let rem = value.rem_euclid(step);
    let rounded = value - rem + step;
    if rounded > i128::from(i64::MAX) {
        return b.to_string();
    }
    exact_binary(rounded).unwrap_or_else(|| rounded.to_string())
}

/// Format bytes for prose: the largest binary unit not above the value, with at most one
/// decimal, rounded to the nearest tenth (halves away from zero), and a trailing `.0`
/// dropped: `1.5 GiB`, `512 MiB`, `100 B`. Integer arithmetic only.
///
/// ```
/// use kdiag::quantity::format_bytes_human;
/// assert_eq!(format_bytes_human(1_610_612_736), "1.5 GiB");
/// assert_eq!(format_bytes_human(536_870_912), "512 MiB");
/// assert_eq!(format_bytes_human(100), "100 B");
/// ```
#[must_use]
pub fn format_bytes_human(b: i64) -> String {
    const UNITS: [(&str, u128); 7] = [
        ("B", 1),
        ("KiB", 1 << 10),
        ("MiB", 1 << 20),
        ("GiB", 1 << 30),
        ("TiB", 1 << 40),
        ("PiB", 1 << 50),
        ("EiB", 1 << 60),
    ];
    let sign = if b < 0 { "-" } else { "" };
    let magnitude = u128::from(b.unsigned_abs());
    let first = UNITS
        .iter()
        .rposition(|&(_, unit)| magnitude >= unit)
        .unwrap_or(0);
    let mut chosen = ("B", magnitude * 10);
    for &(name, unit) in UNITS.iter().skip(first) {
        // Tenths of `unit`, rounded half up.
        let tenths = (magnitude * 10 + unit / 2) / unit;
        chosen = (name, tenths);
        // Rounding may reach 1024 of this unit (1023.96 KiB): then use the next one.
        if tenths < 10_240 {
            break;
        }
    }
    let (name, tenths) = chosen;
    match tenths % 10 {
        0 => format!("{sign}{} {name}", tenths / 10),
        d => format!("{sign}{}.{d} {name}", tenths / 10),
    }
}

/// What is wrong with a quantity (see [`QuantityError::kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuantityErrorKind {
    /// The text is empty or only whitespace.
    Empty,
    /// There are no digits where the number should be (`Gi`, `m`, `--1`, `.`).
    MissingNumber,
    /// Whitespace inside the quantity (`1 Gi`).
    InnerWhitespace,
    /// What follows the number is not a known suffix (`x` in `12x`, `gi` in `1gi`).
    UnknownSuffix(String),
    /// The value, or its conversion to millis or units, does not fit an `i64`.
    TooLarge,
}

/// Why a text is not a usable Kubernetes quantity.
///
/// The message names the input and the problem, for example
/// `invalid quantity "12x": unknown suffix "x"` or `quantity "1e400" is too large`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    input: String,
    kind: QuantityErrorKind,
}

impl QuantityError {
    fn new(input: &str, kind: QuantityErrorKind) -> Self {
        let input = match input.char_indices().nth(MAX_QUOTED_INPUT) {
            Some((cut, _)) => format!("{}…", input.get(..cut).unwrap_or(input)),
            None => input.to_owned(),
        };
        QuantityError { input, kind }
    }

    /// The offending input, as given (very long inputs are cut, ending in `…`). For a
    /// conversion of an already parsed [`Quantity`], its canonical form.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong.
    #[must_use]
    pub fn kind(&self) -> &QuantityErrorKind {
        &self.kind
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            QuantityErrorKind::TooLarge => write!(f, "quantity {input:?} is too large"),
            QuantityErrorKind::Empty => write!(f, "invalid quantity {input:?}: it is empty"),
            QuantityErrorKind::MissingNumber => {
                write!(f, "invalid quantity {input:?}: expected a number")
            }
            QuantityErrorKind::InnerWhitespace => {
                write!(
                    f,
                    "invalid quantity {input:?}: whitespace inside the quantity"
                )
            }
            QuantityErrorKind::UnknownSuffix(suffix) => {
                write!(f, "invalid quantity {input:?}: unknown suffix {suffix:?}")?;
                match suffix_hint(suffix) {
                    Some(hint) => write!(f, " ({hint})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for QuantityError {}

/// A short hint for a common suffix mistake, if there is one.
fn suffix_hint(suffix: &str) -> Option<String> {
    if let Some((exact, _)) = BINARY_SUFFIXES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(suffix))
    {
        return Some(format!(
            "suffixes are case-sensitive: did you mean {exact:?}?"
        ));
    }
    if suffix == "K" {
        return Some(r#"suffixes are case-sensitive: did you mean "k" or "Ki"?"#.to_owned());
    }
    let mut chars = suffix.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if first == '.' {
        return Some("a number has at most one decimal point".to_owned());
    }
    if first == ',' {
        return Some(r#"use "." as the decimal point"#.to_owned());
    }
    if (first == 'e' || first == 'E') && rest.contains('.') {
        return Some("an exponent is a whole number, as in 1e3 or 5e-1".to_owned());
    }
    // `MB`, `Gb`, `GiB`, `kib`: byte units from prose.
    let letter = match first.to_ascii_uppercase() {
        'K' => 'K',
        c @ ('M' | 'G' | 'T' | 'P' | 'E') => c,
        _ => return None,
    };
    let decimal = if letter == 'K' { 'k' } else { letter };
    if rest.eq_ignore_ascii_case("b") {
        Some(format!(
            r#"no byte units: did you mean "{letter}i" (2^{}) or "{decimal}"?"#,
            binary_power(letter)
        ))
    } else if rest.eq_ignore_ascii_case("ib") {
        Some(format!(r#"no byte units: did you mean "{letter}i"?"#))
    } else {
        None
    }
}

/// The power of two of the binary suffix starting with `letter`.
fn binary_power(letter: char) -> u32 {
    match letter {
        'K' => 10,
        'M' => 20,
        'G' => 30,
        'T' => 40,
        'P' => 50,
        _ => 60,
    }
}

/// `n / d` rounded away from zero (`d > 0`).
fn div_away_from_zero(n: i128, d: i128) -> i128 {
    let q = n / d;
    match (n % d).cmp(&0) {
        Ordering::Greater => q + 1,
        Ordering::Less => q - 1,
        Ordering::Equal => q,
    }
}

/// `value` with the largest binary suffix dividing it exactly, or `None` if 1Ki does not
/// divide it (or it is zero, which is written `0`).
fn exact_binary(value: i128) -> Option<String> {
    if value == 0 {
        return Some("0".to_owned());
    }
    BINARY_SUFFIXES
        .iter()
        .rev()
        .find(|&&(_, unit)| value % unit == 0)
        .map(|&(suffix, unit)| format!("{}{suffix}", value / unit))
}

/// Split `s` after its leading ASCII digits.
fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at_checked(end).unwrap_or((s, ""))
}

/// The value of `s` in nanos, rounded away from zero.
fn parse_nanos(s: &str) -> Result<i128, QuantityErrorKind> {
    let t = s.trim();
    if t.is_empty() {
        return Err(QuantityErrorKind::Empty);
    }
    if t.contains(char::is_whitespace) {
        return Err(QuantityErrorKind::InnerWhitespace);
    }
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int_part, rest) = split_digits(unsigned);
    let (frac_part, suffix) = match rest.strip_prefix('.') {
        Some(after_point) => split_digits(after_point),
        None => ("", rest),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(QuantityErrorKind::MissingNumber);
    }
    let (exp10, binary_shift) =
        parse_suffix(suffix).ok_or_else(|| QuantityErrorKind::UnknownSuffix(suffix.to_owned()))?;

    // The digits as one integer, least significant first, without leading zeros:
    // value = digits × 10^exp10 × 2^binary_shift / 10^frac_len.
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b.wrapping_sub(b'0'))
        .skip_while(|&d| d == 0)
        .collect();
    digits.reverse();
    if digits.is_empty() {
        return Ok(0);
    }
    for _ in 0..binary_shift / 10 {
        multiply_digits(&mut digits, 1024);
    }
    let frac_len = i64::try_from(frac_part.len()).unwrap_or(i64::MAX);
    // Nanos = digits × 10^shift.
    let shift = exp10.saturating_sub(frac_len).saturating_add(9);
    let magnitude = if shift >= 0 {
        let mut acc = digits_value(digits.iter().rev())?;
        for _ in 0..shift {
            acc = acc
                .checked_mul(10)
                .filter(|&v| v <= MAX_NEGATIVE_NANOS)
                .ok_or(QuantityErrorKind::TooLarge)?;
        }
        acc
    } else {
        let dropped = usize::try_from(shift.unsigned_abs()).unwrap_or(usize::MAX);
        let kept = digits_value(digits.iter().skip(dropped).rev())?;
        let fraction = digits.iter().take(dropped).any(|&d| d != 0);
        kept + i128::from(fraction)
    };
    match negative {
        false if magnitude <= MAX_NANOS => Ok(magnitude),
        true if magnitude <= MAX_NEGATIVE_NANOS => Ok(-magnitude),
        _ => Err(QuantityErrorKind::TooLarge),
    }
}

/// The base-10 exponent and the power of two of a suffix, or `None` if it is not one.
fn parse_suffix(suffix: &str) -> Option<(i64, u32)> {
    if suffix.is_empty() {
        return Some((0, 0));
    }
    if let Some(&(_, exp)) = DECIMAL_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some((exp, 0));
    }
    if let Some(&(_, unit)) = BINARY_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some((0, unit.trailing_zeros()));
    }
    let exponent = suffix
        .strip_prefix('e')
        .or_else(|| suffix.strip_prefix('E'))?;
    let (negative, digits) = match exponent.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Saturating: any exponent beyond ±10^18 behaves like one of ±10^18.
    let value = digits.bytes().fold(0_i64, |acc, b| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(b.wrapping_sub(b'0')))
    });
    Some((if negative { -value } else { value }, 0))
}

/// Multiply a little-endian decimal digit vector by `factor` in place.
fn multiply_digits(digits: &mut Vec<u8>, factor: u32) {
    let mut carry = 0_u32;
    for d in digits.iter_mut() {
        let v = u32::from(*d) * factor + carry;
        *d = u8::try_from(v % 10).unwrap_or(0);
        carry = v / 10;
    }
    while carry > 0 {
        digits.push(u8::try_from(carry % 10).unwrap_or(0));
        carry /= 10;
    }
}

/// The integer whose decimal digits (most significant first) are `digits`.
fn digits_value<'a>(mut digits: impl Iterator<Item = &'a u8>) -> Result<i128, QuantityErrorKind> {
    digits.try_fold(0_i128, |acc, &d| {
        acc.checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(d)))
            .filter(|&v| v <= MAX_NEGATIVE_NANOS)
            .ok_or(QuantityErrorKind::TooLarge)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn bytes(s: &str) -> i64 {
        parse_bytes(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn millis(s: &str) -> i64 {
        parse_cpu_millis(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn err(s: &str) -> QuantityError {
        match Quantity::parse(s) {
            Ok(v) => panic!("{s:?} should be refused, got {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(bytes("0"), 0);
        assert_eq!(bytes("1"), 1);
        assert_eq!(bytes("100"), 100);
        assert_eq!(bytes("+7"), 7);
        assert_eq!(bytes("-7"), -7);
        assert_eq!(bytes("007"), 7);
        assert_eq!(bytes("9223372036854775807"), i64::MAX);
        assert_eq!(bytes("-9223372036854775807"), -i64::MAX);
        assert_eq!(millis("1"), 1000);
        assert_eq!(millis("0"), 0);
        assert_eq!(q("-0"), q("0"));
        assert_eq!(q("0.000"), Quantity::default());
    }

    #[test]
    fn decimal_suffixes() {
        assert_eq!(q("1n"), Quantity { nanos: 1 });
        assert_eq!(q("1u"), Quantity { nanos: 1_000 });
        assert_eq!(q("1m"), Quantity { nanos: 1_000_000 });
        assert_eq!(bytes("1k"), 1_000);
        assert_eq!(bytes("1M"), 1_000_000);
        assert_eq!(bytes("1G"), 1_000_000_000);
        assert_eq!(bytes("1T"), 1_000_000_000_000);
        assert_eq!(bytes("1P"), 1_000_000_000_000_000);
        assert_eq!(bytes("1E"), 1_000_000_000_000_000_000);
        assert_eq!(bytes("9E"), 9_000_000_000_000_000_000);
        assert_eq!(millis("250m"), 250);
        assert_eq!(millis("1500u"), 2);
        assert_eq!(millis("1000u"), 1);
        assert_eq!(millis("1000000n"), 1);
        assert_eq!(millis("2k"), 2_000_000);
    }

    #[test]
    fn binary_suffixes() {
        assert_eq!(bytes("1Ki"), 1 << 10);
        assert_eq!(bytes("1Mi"), 1 << 20);
        assert_eq!(bytes("1Gi"), 1 << 30);
        assert_eq!(bytes("1Ti"), 1 << 40);
        assert_eq!(bytes("1Pi"), 1 << 50);
        assert_eq!(bytes("1Ei"), 1 << 60);
        assert_eq!(bytes("2Ei"), 1 << 61);
        assert_eq!(bytes("7Ei"), 7 << 60);
        assert_eq!(bytes("512Mi"), 536_870_912);
        assert_eq!(bytes("1.5Gi"), 1_610_612_736);
        assert_eq!(bytes("0.5Ki"), 512);
        assert_eq!(bytes("-2Gi"), -(2 << 30));
    }

    #[test]
    fn decimals() {
        assert_eq!(millis("1.5"), 1500);
        assert_eq!(millis(".5"), 500);
        assert_eq!(millis("5."), 5000);
        assert_eq!(millis("+.5"), 500);
        assert_eq!(millis("-.5"), -500);
        assert_eq!(millis("0.25"), 250);
        assert_eq!(bytes("1.G"), 1_000_000_000);
        assert_eq!(bytes(".5k"), 500);
        assert_eq!(bytes("2.50Mi"), 2_621_440);
        assert_eq!(q("0.5"), q("500m"));
        assert_eq!(q("1.000000000"), q("1"));
        // Many digits are fine as long as the value is in range.
        assert_eq!(
            bytes("1.0000000000000000000000000000000000000000000000000"),
            1
        );
        assert_eq!(
            bytes("000000000000000000000000000000000000000000000000001k"),
            1000
        );
    }

    #[test]
    fn exponents() {
        assert_eq!(bytes("1e3"), 1000);
        assert_eq!(bytes("1E3"), 1000);
        assert_eq!(bytes("1e+3"), 1000);
        assert_eq!(bytes("1.5e3"), 1500);
        assert_eq!(bytes("12e0"), 12);
        assert_eq!(millis("1e-3"), 1);
        assert_eq!(millis("5E-1"), 500);
        assert_eq!(millis("25e-2"), 250);
        assert_eq!(bytes("1e18"), 1_000_000_000_000_000_000);
        assert_eq!(q("1E"), q("1e18"));
        assert_eq!(q("1e-9"), q("1n"));
        assert_eq!(q("0e400"), q("0"));
        assert_eq!(q("0.000e99999999999999999999999"), q("0"));
        // Tiny but non-zero: rounded up to one nano, like the API server.
        assert_eq!(q("1e-400"), q("1n"));
        assert_eq!(q("1e-99999999999999999999999"), q("1n"));
        assert_eq!(q("-1e-400"), q("-1n"));
    }

    #[test]
    fn whitespace_around_is_trimmed() {
        assert_eq!(bytes(" 1Gi"), 1 << 30);
        assert_eq!(bytes("1Gi\n"), 1 << 30);
        assert_eq!(bytes("\t 500Mi \r\n"), 500 << 20);
    }

    #[test]
    fn millis_round_up() {
        assert_eq!(millis("0.1m"), 1);
        assert_eq!(millis("1n"), 1);
        assert_eq!(millis("1.0001"), 1001);
        assert_eq!(millis("1.0000000001"), 1001);
        assert_eq!(millis("999.1m"), 1000);
        assert_eq!(millis("1.5m"), 2);
        // Away from zero for negatives, as in Kubernetes.
        assert_eq!(millis("-0.1m"), -1);
    }

    #[test]
    fn units_round_up() {
        assert_eq!(bytes("1m"), 1);
        assert_eq!(bytes("100m"), 1);
        assert_eq!(bytes("1.5"), 2);
        assert_eq!(bytes("1001m"), 2);
        assert_eq!(bytes("0.1Ki"), 103); // 102.4
        assert_eq!(bytes("1.1k"), 1100);
        assert_eq!(bytes("1n"), 1);
        assert_eq!(bytes("-1.5"), -2);
        assert_eq!(q("2").to_units(), Ok(2));
    }

    #[test]
    fn nano_precision_rounds_away_from_zero() {
        assert_eq!(q("1.0000000001"), q("1000000001n"));
        assert_eq!(q("0.1n"), q("1n"));
        assert_eq!(q("-0.1n"), q("-1n"));
        // The binary multiplier is applied before rounding.
        assert_eq!(q("0.000000000001Ei"), q("1152921504606847n")); // …846.976n
        assert_eq!(q("0.0000000000000000001Ei"), q("115292151n")); // …150.46n
        let tiny = format!("0.{}1Ei", "0".repeat(27)); // 1e-28 × 2^60 = 0.115n
        assert_eq!(q(&tiny), q("1n"));
    }

    #[test]
    fn range_limits() {
        // 2^63 − 1.15…: the units round up to i64::MAX.
        assert_eq!(bytes("7.999999999999999999Ei"), i64::MAX);
        assert_eq!(bytes("9223372036854775807"), i64::MAX);
        assert_eq!(q("9223372036854775806.5").to_units(), Ok(i64::MAX));
        assert_eq!(err("9223372036854775808").kind, QuantityErrorKind::TooLarge);
        assert_eq!(bytes("-9223372036854775808"), i64::MIN);
        assert_eq!(bytes("-8Ei"), i64::MIN);
        assert_eq!(
            err("-9223372036854775809").kind,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(
            err("-9223372036854775808.1").kind,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(err("8Ei").kind, QuantityErrorKind::TooLarge);
        assert_eq!(err("10E").kind, QuantityErrorKind::TooLarge);
        assert_eq!(err("1e19").kind, QuantityErrorKind::TooLarge);
        assert_eq!(err("1e400").kind, QuantityErrorKind::TooLarge);
        assert_eq!(
            err("1e99999999999999999999").kind,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(
            err("99999999999999999999999Ei").kind,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(
            err("999999999999999999999999999999999999999999999999999").kind,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(err("-1e400").kind, QuantityErrorKind::TooLarge);
        // Parsable, but the millis do not fit an i64.
        let two_ei = q("2Ei");
        assert_eq!(two_ei.to_units(), Ok(1 << 61));
        assert_eq!(
            two_ei.to_millis().map_err(|e| e.kind),
            Err(QuantityErrorKind::TooLarge)
        );
        assert_eq!(
            parse_cpu_millis("2Ei").map_err(|e| e.to_string()),
            Err(r#"quantity "2Ei" is too large"#.to_owned())
        );
        assert_eq!(millis("9223372036854775m"), 9_223_372_036_854_775);
        assert_eq!(millis("9223372036854775.807"), i64::MAX);
        assert!(parse_cpu_millis("9223372036854775.8071").is_err());
        assert!(parse_cpu_millis("1E").is_err());
    }

    #[test]
    fn junk_is_refused() {
        for (input, kind) in [
            ("", QuantityErrorKind::Empty),
            (" ", QuantityErrorKind::Empty),
            ("\n\t", QuantityErrorKind::Empty),
            ("m", QuantityErrorKind::MissingNumber),
            ("Gi", QuantityErrorKind::MissingNumber),
            ("-", QuantityErrorKind::MissingNumber),
            ("+", QuantityErrorKind::MissingNumber),
            (".", QuantityErrorKind::MissingNumber),
            ("-.Mi", QuantityErrorKind::MissingNumber),
            ("--1", QuantityErrorKind::MissingNumber),
            ("+-1", QuantityErrorKind::MissingNumber),
            ("e3", QuantityErrorKind::MissingNumber),
            ("∞", QuantityErrorKind::MissingNumber),
            ("1 Gi", QuantityErrorKind::InnerWhitespace),
            ("1\tGi", QuantityErrorKind::InnerWhitespace),
            ("1 000", QuantityErrorKind::InnerWhitespace),
        ] {
            assert_eq!(err(input).kind, kind, "{input:?}");
        }
        for (input, suffix) in [
            ("1.2.3", ".3"),
            ("12x", "x"),
            ("1gi", "gi"),
            ("1GI", "GI"),
            ("1Mb", "Mb"),
            ("1MB", "MB"),
            ("1GiB", "GiB"),
            ("1K", "K"),
            ("1Ki ", ""),
            ("1 ", ""),
            ("1e", "e"),
            ("1e+", "e+"),
            ("1e-", "e-"),
            ("1e3.5", "e3.5"),
            ("1e3m", "e3m"),
            ("1Ee3", "Ee3"),
            ("1Mi5", "Mi5"),
            ("1mm", "mm"),
            ("1i", "i"),
            ("1,5", ",5"),
            ("1-", "-"),
            ("0x10", "x10"),
            ("1µ", "µ"),
        ] {
            if suffix.is_empty() {
                assert!(Quantity::parse(input).is_ok(), "{input:?}");
                continue;
            }
            assert_eq!(
                err(input).kind,
                QuantityErrorKind::UnknownSuffix(suffix.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| err(s).to_string();
        assert_eq!(msg("12x"), r#"invalid quantity "12x": unknown suffix "x""#);
        assert_eq!(msg("1e400"), r#"quantity "1e400" is too large"#);
        assert_eq!(msg(""), r#"invalid quantity "": it is empty"#);
        assert_eq!(msg("Gi"), r#"invalid quantity "Gi": expected a number"#);
        assert_eq!(
            msg("1 Gi"),
            r#"invalid quantity "1 Gi": whitespace inside the quantity"#
        );
        assert_eq!(
            msg("1gi"),
            r#"invalid quantity "1gi": unknown suffix "gi" (suffixes are case-sensitive: did you mean "Gi"?)"#
        );
        assert_eq!(
            msg("1K"),
            r#"invalid quantity "1K": unknown suffix "K" (suffixes are case-sensitive: did you mean "k" or "Ki"?)"#
        );
        assert_eq!(
            msg("1Mb"),
            r#"invalid quantity "1Mb": unknown suffix "Mb" (no byte units: did you mean "Mi" (2^20) or "M"?)"#
        );
        assert_eq!(
            msg("1kB"),
            r#"invalid quantity "1kB": unknown suffix "kB" (no byte units: did you mean "Ki" (2^10) or "k"?)"#
        );
        assert_eq!(
            msg("2GiB"),
            r#"invalid quantity "2GiB": unknown suffix "GiB" (no byte units: did you mean "Gi"?)"#
        );
        assert!(msg("1.2.3").ends_with("(a number has at most one decimal point)"));
        assert!(msg("1,5").ends_with(r#"(use "." as the decimal point)"#));
        assert!(msg("1e3.5").contains("whole number"));
        // Control characters are escaped, the original (untrimmed) input is named.
        assert_eq!(
            msg("1x\n"),
            r#"invalid quantity "1x\n": unknown suffix "x""#
        );
        // Huge inputs are cut.
        let long = "1".repeat(10_000);
        let e = err(&long);
        assert_eq!(e.kind, QuantityErrorKind::TooLarge);
        assert_eq!(e.input().chars().count(), MAX_QUOTED_INPUT + 1);
        assert!(e.input().ends_with('…'));
        let e = err(&format!("1{}", "é".repeat(100)));
        assert!(e.input().ends_with("é…"));
        // It is a std error.
        let boxed: Box<dyn std::error::Error> = Box::new(err("x"));
        assert!(boxed.to_string().contains("\"x\""));
        // Conversions of parsed values name the canonical form; the helpers the input.
        assert_eq!(
            q("8E").to_millis().map_err(|e| e.to_string()),
            Err(r#"quantity "8000000000000000000" is too large"#.to_owned())
        );
        assert_eq!(
            parse_bytes("1x").map_err(|e| e.input().to_owned()),
            Err("1x".to_owned())
        );
    }

    #[test]
    fn ordering_by_value() {
        assert!(q("1Gi") > q("1G"));
        assert!(q("500m") < q("1"));
        assert!(q("1Mi") > q("1M"));
        assert!(q("1k") < q("1Ki"));
        assert!(q("-1") < q("0"));
        assert!(q("1n") > q("0"));
        assert!(q("1e-400") > q("0"));
        assert!(q("1E") > q("1P"));
        assert!(q("7Ei") > q("8E"));
        assert_eq!(q("1000m"), q("1"));
        assert_eq!(q("1024"), q("1Ki"));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("0.5Gi"), q("512Mi"));
        assert_eq!(q("1.5"), "1500m".parse::<Quantity>().unwrap_or_default());
        let mut sorted = vec![q("1Gi"), q("1"), q("500m"), q("1G"), q("-2"), q("1n")];
        sorted.sort();
        assert_eq!(
            sorted,
            vec![q("-2"), q("1n"), q("500m"), q("1"), q("1G"), q("1Gi")]
        );
        assert_eq!(q("2").cmp(&q("2000m")), Ordering::Equal);
    }

    #[test]
    fn constructors_and_display() {
        assert_eq!(Quantity::from_millis(250), q("250m"));
        assert_eq!(Quantity::from_units(1 << 20), q("1Mi"));
        assert_eq!(Quantity::from_units(i64::MIN).to_units(), Ok(i64::MIN));
        assert_eq!(Quantity::from_millis(i64::MIN).to_millis(), Ok(i64::MIN));
        for (input, shown) in [
            ("0", "0"),
            ("2", "2"),
            ("1.5", "1500m"),
            ("1Gi", "1073741824"),
            ("1u", "1u"),
            ("1.5u", "1500n"),
            ("0.1n", "1n"),
            ("-250m", "-250m"),
            ("1e-400", "1n"),
        ] {
            let value = q(input);
            assert_eq!(value.to_string(), shown, "{input:?}");
            assert_eq!(q(&value.to_string()), value, "{input:?}");
        }
    }

    #[test]
    fn cpu_formatting() {
        assert_eq!(format_cpu_millis(400), "400m");
        assert_eq!(format_cpu_millis(2000), "2");
        assert_eq!(format_cpu_millis(1500), "1500m");
        assert_eq!(format_cpu_millis(0), "0");
        assert_eq!(format_cpu_millis(1), "1m");
        assert_eq!(format_cpu_millis(-500), "-500m");
        assert_eq!(format_cpu_millis(-3000), "-3");
        assert_eq!(format_cpu_millis(i64::MAX), "9223372036854775807m");
        assert_eq!(format_cpu_millis(i64::MIN), "-9223372036854775808m");
        for m in [0, 1, 250, 999, 1000, 1500, 2000, 64_000, 123_456_789] {
            assert_eq!(millis(&format_cpu_millis(m)), m);
        }
    }

    #[test]
    fn byte_formatting_exact() {
        assert_eq!(format_bytes(0), "0");
        assert_eq!(format_bytes(100), "100");
        assert_eq!(format_bytes(1), "1");
        assert_eq!(format_bytes(1023), "1023");
        assert_eq!(format_bytes(1024), "1Ki");
        assert_eq!(format_bytes(3 << 10), "3Ki");
        assert_eq!(format_bytes(536_870_912), "512Mi");
        assert_eq!(format_bytes(1 << 30), "1Gi");
        assert_eq!(format_bytes(1_610_612_736), "1536Mi");
        assert_eq!(format_bytes(1 << 40), "1Ti");
        assert_eq!(format_bytes(1 << 50), "1Pi");
        assert_eq!(format_bytes(1 << 60), "1Ei");
        assert_eq!(format_bytes(7 << 60), "7Ei");
        assert_eq!(format_bytes(1025 << 10), "1025Ki");
        assert_eq!(format_bytes(-(1 << 30)), "-1Gi");
        assert_eq!(format_bytes(i64::MIN), "-8Ei");
    }

    #[test]
    fn byte_formatting_rounds_up() {
        assert_eq!(format_bytes(1025), "2Ki");
        assert_eq!(format_bytes(1500), "2Ki");
        assert_eq!(format_bytes(1536), "2Ki"); // rounded up from 1.5Ki
        assert_eq!(format_bytes((1 << 20) - 1), "1Mi");
        assert_eq!(format_bytes((1 << 20) + 1), "2Mi");
        assert_eq!(format_bytes(1_500_000), "2Mi");
        assert_eq!(format_bytes(1_000_000_000), "954Mi"); // 953.67Mi
        assert_eq!(format_bytes((1 << 30) - 1), "1Gi");
        assert_eq!(format_bytes((1 << 30) + 1), "1025Mi");
        // Never below the value, even when negative.
        assert_eq!(format_bytes(-1_500_000), "-1Mi");
        assert_eq!(format_bytes(-1500), "-1Ki");
        // Rounding up would leave the i64 range: exact bytes instead.
        assert_eq!(format_bytes(i64::MAX), "9223372036854775807");
        assert_eq!(format_bytes(i64::MAX - 1), "9223372036854775806");
        assert_eq!(format_bytes((7 << 60) + 1), "7696581394433Mi"); // 7Ei + 1Mi
    }

    #[test]
    fn byte_formatting_round_trips() {
        let mut values = vec![
            0,
            1,
            100,
            1023,
            1024,
            1025,
            1536,
            4095,
            1 << 20,
            (1 << 20) - 1,
            (1 << 20) + 1,
            1_000_000,
            1_000_000_000,
            1_610_612_736,
            123_456_789_012,
            (1 << 62) + 12_345,
            i64::MAX - (1 << 20),
            i64::MAX - (1 << 20) - 1,
            i64::MAX - (1 << 19),
            i64::MAX,
            -1,
            -1_500_000,
            i64::MIN + 1,
            i64::MIN,
        ];
        // A deterministic spread of awkward values.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(i64::from_ne_bytes(x.to_ne_bytes()) >> (x % 63));
        }
        for input in [
            "512Mi", "1.5Gi", "1G", "100", "1e3", "300M", "2.5Ki", "7Ei", "1E",
        ] {
            values.push(bytes(input));
        }
        for b in values {
            let text = format_bytes(b);
            let back = parse_bytes(&text)
                .unwrap_or_else(|e| panic!("format_bytes({b}) = {text:?} does not parse: {e}"));
            assert!(
                back >= b,
                "format_bytes({b}) = {text:?} reads back as {back}"
            );
            if b % 1024 == 0 || b.unsigned_abs() < 1024 {
                assert_eq!(back, b, "{text:?}");
            }
            let step = if b.unsigned_abs() >= 1 << 20 {
                1 << 20
            } else {
                1 << 10
            };
            assert!(
                i128::from(back) - i128::from(b) < step,
                "format_bytes({b}) = {text:?} rounds too far"
            );
        }
    }

    #[test]
    fn human_byte_formatting() {
        assert_eq!(format_bytes_human(0), "0 B");
        assert_eq!(format_bytes_human(100), "100 B");
        assert_eq!(format_bytes_human(1023), "1023 B");
        assert_eq!(format_bytes_human(1024), "1 KiB");
        assert_eq!(format_bytes_human(1536), "1.5 KiB");
        assert_eq!(format_bytes_human(536_870_912), "512 MiB");
        assert_eq!(format_bytes_human(1_610_612_736), "1.5 GiB");
        assert_eq!(format_bytes_human(1 << 30), "1 GiB");
        assert_eq!(format_bytes_human(1_000_000_000), "953.7 MiB");
        assert_eq!(format_bytes_human((1 << 20) + 52_428), "1 MiB"); // 1.04999
        assert_eq!(format_bytes_human((1 << 20) + 52_429), "1.1 MiB"); // 1.05
        assert_eq!(format_bytes_human((1 << 20) - 1), "1 MiB"); // 1023.999 KiB
        assert_eq!(format_bytes_human((1 << 30) - (1 << 20)), "1023 MiB");
        assert_eq!(format_bytes_human(1 << 40), "1 TiB");
        assert_eq!(format_bytes_human(3 << 50), "3 PiB");
        assert_eq!(format_bytes_human(1 << 60), "1 EiB");
        assert_eq!(format_bytes_human(i64::MAX), "8 EiB");
        assert_eq!(format_bytes_human(-1536), "-1.5 KiB");
        assert_eq!(format_bytes_human(-100), "-100 B");
        assert_eq!(format_bytes_human(i64::MIN), "-8 EiB");
    }

    #[test]
    fn from_str_matches_parse() {
        assert_eq!("1.5Gi".parse::<Quantity>(), Quantity::parse("1.5Gi"));
        assert_eq!("1x".parse::<Quantity>(), Quantity::parse("1x"));
        assert_eq!(
            "1x".parse::<Quantity>().map_err(|e| e.kind().clone()),
            Err(QuantityErrorKind::UnknownSuffix("x".to_owned()))
        );
    }
}
