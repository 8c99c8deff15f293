//! Ages and times as kubectl prints them.

use crate::Timestamp;

/// Seconds in a kubectl age: `21s`, `3m10s`, `2d4h`, `1y`, `5m ago`. `None` for
/// `<unknown>`, `<invalid>`, `<nil>` and anything else.
pub(crate) fn parse_age(s: &str) -> Option<i64> {
    let mut s = super::trim(s);
    while let Some(r) = s.strip_suffix(" ago") {
        s = r;
    }
    let s = super::trim(s);
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut total: i64 = 0;
    let mut num: Option<i64> = None;
    // Every character an age may hold is ASCII: any other byte ends the search below.
    for &c in s.as_bytes() {
        if c.is_ascii_digit() {
            num = Some(
                num.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(i64::from(c - b'0')),
            );
            continue;
        }
        let unit = match c {
            b's' => 1,
            b'm' => 60,
            b'h' => 3600,
            b'd' => 86_400,
            b'y' => 31_536_000,
            _ => return None,
        };
        total = total.saturating_add(num.take()?.saturating_mul(unit));
    }
    if num.is_some() {
        return None; // a trailing number without a unit
    }
    Some(total)
}

/// `(x6 over 4m53s)`: the count and the age of the first occurrence.
pub(crate) fn parse_repeat(s: &str) -> Option<(i32, Option<i64>)> {
    let inner = s.trim().strip_prefix("(x")?.strip_suffix(')')?;
    let (count, rest) = inner.split_once(' ').unwrap_or((inner, ""));
    let count: i32 = count.parse().ok()?;
    let first = rest.trim().strip_prefix("over ").and_then(parse_age);
    Some((count, first))
}

/// An absolute time: RFC 3339 (`2021-07-01T13:53:17Z`) or kubectl describe's RFC 1123
/// with a numeric zone (`Thu, 27 Feb 2025 07:30:28 +0100`).
pub(crate) fn parse_time(s: &str) -> Option<Timestamp> {
    let s = super::trim(s);
    let first = *s.as_bytes().first()?;
    // RFC 3339 starts with its year (or a sign); trying it on `Thu, 27 Feb …` only makes
    // (and frees) an error.
    if (first.is_ascii_digit() || first == b'+' || first == b'-')
        && let Ok(t) = s.parse::<Timestamp>()
    {
        return Some(t);
    }
    k8s_openapi::jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(s)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("21s"), Some(21));
        assert_eq!(parse_age("3m10s"), Some(190));
        assert_eq!(parse_age("2d4h"), Some(2 * 86_400 + 4 * 3600));
        assert_eq!(parse_age("7h40m ago"), Some(7 * 3600 + 40 * 60));
        assert_eq!(parse_age("<unknown>"), None);
        assert_eq!(parse_age("12"), None);
        assert_eq!(parse_age(" 5m ago ago "), Some(300));
        assert_eq!(parse_age("5m\u{a0}ago"), None);
        assert_eq!(parse_age("\u{2003}5m ago\u{a0}"), Some(300));
        assert_eq!(parse_age("5é"), None);
        assert_eq!(parse_repeat("(x6 over 4m53s)"), Some((6, Some(293))));
    }

    #[test]
    fn times() {
        let t = parse_time("Thu, 27 Feb 2025 07:30:28 +0100").unwrap();
        assert_eq!(t.to_string(), "2025-02-27T06:30:28Z");
        assert!(parse_time("2021-07-01T13:53:17Z").is_some());
        assert!(parse_time("<nil>").is_none());
    }
}
