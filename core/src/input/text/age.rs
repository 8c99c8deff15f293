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
    kubectl_time(s).or_else(|| {
        k8s_openapi::jiff::fmt::rfc2822::DateTimeParser::new()
            .parse_timestamp(s)
            .ok()
    })
}

/// `Thu, 27 Feb 2025 07:30:28 +0100`, exactly as kubectl describe prints it, read by hand:
/// several lines of every described pod have one, and the general RFC 2822 parser costs
/// ten times as much. `None` for anything else (a weekday that does not match the date
/// included), which the general parser then reads — or refuses — as before.
fn kubectl_time(s: &str) -> Option<Timestamp> {
    use k8s_openapi::jiff::civil::DateTime;
    use k8s_openapi::jiff::tz::Offset;
    let bytes: [u8; 31] = s.as_bytes().try_into().ok()?;
    let [
        w0,
        w1,
        w2,
        b',',
        b' ',
        d0,
        d1,
        b' ',
        m0,
        m1,
        m2,
        b' ',
        y0,
        y1,
        y2,
        y3,
        b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b' ',
        sign,
        oh0,
        oh1,
        om0,
        om1,
    ] = bytes
    else {
        return None;
    };
    let num = |digits: &[u8]| -> Option<i16> {
        digits.iter().try_fold(0i16, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i16::from(d - b'0'))
        })
    };
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    let month = MONTHS.iter().position(|m| **m == [m0, m1, m2])?;
    let weekday = DAYS.iter().position(|d| **d == [w0, w1, w2])?;
    let dt = DateTime::new(
        num(&[y0, y1, y2, y3])?,
        i8::try_from(month + 1).ok()?,
        i8::try_from(num(&[d0, d1])?).ok()?,
        i8::try_from(num(&[h0, h1])?).ok()?,
        i8::try_from(num(&[i0, i1])?).ok()?,
        i8::try_from(num(&[s0, s1])?).ok()?,
        0,
    )
    .ok()?;
    if usize::try_from(dt.weekday().to_monday_zero_offset()).ok()? != weekday {
        return None;
    }
    let zone_minutes = num(&[om0, om1]).filter(|m| *m < 60)?;
    let minutes = i32::from(num(&[oh0, oh1])?) * 60 + i32::from(zone_minutes);
    let seconds = match sign {
        b'+' => minutes * 60,
        b'-' => -minutes * 60,
        _ => return None,
    };
    Offset::from_seconds(seconds).ok()?.to_timestamp(dt).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_times_read_by_hand_agree_with_rfc_2822() {
        let general = |s: &str| {
            k8s_openapi::jiff::fmt::rfc2822::DateTimeParser::new()
                .parse_timestamp(s)
                .ok()
        };
        for s in [
            "Thu, 27 Feb 2025 07:30:28 +0100",
            "Mon, 02 Mar 2026 10:31:40 +0000",
            "Sun, 31 Dec 2023 23:59:59 -0930",
            "Sat, 29 Feb 2024 00:00:00 +1400",
            // A weekday that is not the date's, an impossible date, a bad zone: refused.
            "Fri, 27 Feb 2025 07:30:28 +0100",
            "Thu, 30 Feb 2025 07:30:28 +0100",
            "Thu, 27 Feb 2025 07:30:28 +0160",
            "Thu, 27 Feb 2025 07:30:28 +9900",
            "Thu, 27 Feb 2025 07:30:28 -2559",
            "Thu, 27 Feb 2025 25:30:28 +0100",
            "Thu, 27 Xyz 2025 07:30:28 +0100",
            "Thu, 27 Feb 2025 07:30:28 *0100",
        ] {
            assert_eq!(kubectl_time(s).or_else(|| general(s)), general(s), "{s}");
            assert_eq!(parse_time(s), general(s), "{s}");
        }
        assert!(kubectl_time("Thu, 27 Feb 2025 07:30:28 +0100").is_some());
        // Other spellings still go to the general parser.
        assert!(kubectl_time("Thu, 27 Feb 2025 07:30:28 GMT").is_none());
        assert!(parse_time("Thu, 27 Feb 2025 07:30:28 GMT").is_some());
    }

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
