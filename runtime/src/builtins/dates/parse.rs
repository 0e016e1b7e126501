//! Date and time strings the way `dateutil.parser.parse` reads them, which is what
//! Frappe's `getdate`, `get_datetime`, `add_to_date` and `get_time` call: ISO dates and
//! datetimes (`2024-01-15`, `2024-01-15 10:30:00.123456`, `2024-01-15T10:30`), numeric
//! dates with `-`, `/` or `.` (`15-01-2024`, `01/15/2024`, month first unless
//! `dayfirst` or the first number cannot be a month), compact `20240115`, month names
//! (`15 Jan 2024`, `January 15, 2024`), ordinals (`15th`), weekday names (ignored),
//! times alone (`10:30`, `2:05 pm`, today's date) and two-digit years (the century
//! within 50 years of today). A UTC offset or `Z` is accepted and dropped: values are
//! naive wall-clock times, as Frappe stores them.
//!
//! Errors carry dateutil's messages (`Unknown string format: …`, `month must be in
//! 1..12: …`, `day is out of range for month: …`), which Frappe's callers show.

use jiff::civil::{Date, DateTime, Time};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words dateutil skips between date parts.
const FILLER: [&str; 5] = ["of", "at", "on", "the", "and"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// A run of digits (with its text, to tell `2024` from `24` and `05` from `5`).
    Num(&'a str),
    Word(&'a str),
    /// `:`-separated time (`10:30`, `10:30:15.5`).
    Time(&'a str),
    Sign(char),
}

fn month_of(word: &str) -> Option<u8> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() == 3 && m.starts_with(&w)) || (w == "sept" && *m == "september")
        })
        .map(|i| i as u8 + 1)
}

fn is_weekday(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.len() >= 3
        && WEEKDAYS
            .iter()
            .any(|d| *d == w || d.starts_with(&w) && w.len() == 3)
}

fn tokenize(s: &str) -> Option<Vec<Tok<'_>>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i < b.len() && b[i] == b':' {
                // a time: digits, colons and one fractional part
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b':' || b[i] == b'.') {
                    i += 1;
                }
                out.push(Tok::Time(&s[start..i]));
            } else {
                out.push(Tok::Num(&s[start..i]));
            }
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Tok::Word(&s[start..i]));
        } else if c == b'+' {
            out.push(Tok::Sign('+'));
            i += 1;
        } else if matches!(c, b'-' | b'/' | b'.' | b',' | b' ' | b'\t') {
            if c == b'-' {
                out.push(Tok::Sign('-'));
            }
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// `10:30`, `10:30:15`, `10:30:15.123456` → (h, m, s, µs).
fn parse_clock(t: &str) -> Option<(i64, i64, i64, i64)> {
    let mut parts = t.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let (sec, micro) = match parts.next() {
        None => (0, 0),
        Some(sp) => {
            let (whole, frac) = sp.split_once('.').unwrap_or((sp, ""));
            let s: i64 = whole.parse().ok()?;
            let mut digits: String = frac.chars().take(6).collect();
            while digits.len() < 6 {
                digits.push('0');
            }
            (s, digits.parse().ok()?)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, sec, micro))
}

/// dateutil's two-digit year rule: the century that puts the year within 50 years of
/// `this_year`.
fn full_year(y: i64, digits: usize, this_year: i64) -> i64 {
    if digits > 2 || y >= 100 {
        return y;
    }
    let mut year = y + this_year / 100 * 100;
    if year >= this_year + 50 {
        year -= 100;
    } else if year < this_year - 50 {
        year += 100;
    }
    year
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError(pub String);

/// Parses `s`; `default` supplies the parts the string leaves out (dateutil uses today
/// at midnight).
pub fn parse(s: &str, dayfirst: bool, default: DateTime) -> Result<DateTime, ParseError> {
    let unknown = || ParseError(format!("Unknown string format: {s}"));
    let text = s.trim();
    if text.is_empty() {
        return Err(ParseError(format!("String does not contain a date: {s}")));
    }
    // `2024-01-15T10:30` — the T between digits separates date and time
    let normalised: String;
    let text = if let Some(p) = text.find('T').filter(|&p| {
        p > 0
            && text.as_bytes()[p - 1].is_ascii_digit()
            && text.as_bytes().get(p + 1).is_some_and(u8::is_ascii_digit)
    }) {
        normalised = format!("{} {}", &text[..p], &text[p + 1..]);
        normalised.as_str()
    } else {
        text
    };
    let toks = tokenize(text).ok_or_else(unknown)?;

    let mut nums: Vec<&str> = Vec::new();
    let mut month_word: Option<u8> = None;
    let mut clock: Option<(i64, i64, i64, i64)> = None;
    let mut ampm: Option<bool> = None;
    let mut i = 0;
    while i < toks.len() {
        match toks[i] {
            Tok::Num(n) => {
                // `15th`, `1st`
                if let Some(Tok::Word(w)) = toks.get(i + 1)
                    && matches!(w.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th")
                {
                    i += 1;
                }
                // `10 am`
                if let Some(Tok::Word(w)) = toks.get(i + 1)
                    && matches!(w.to_ascii_lowercase().as_str(), "am" | "pm" | "a" | "p")
                    && clock.is_none()
                {
                    let h = n.parse::<i64>().map_err(|_| unknown())?;
                    clock = Some((h, 0, 0, 0));
                    ampm = Some(w.to_ascii_lowercase().starts_with('p'));
                    i += 2;
                    continue;
                }
                nums.push(n);
            }
            Tok::Time(t) => {
                if clock.is_some() {
                    return Err(unknown());
                }
                clock = Some(parse_clock(t).ok_or_else(unknown)?);
            }
            Tok::Word(w) => {
                let lw = w.to_ascii_lowercase();
                if let Some(m) = month_of(w) {
                    if month_word.is_some() {
                        return Err(unknown());
                    }
                    month_word = Some(m);
                } else if is_weekday(w) || FILLER.contains(&lw.as_str()) {
                } else if matches!(lw.as_str(), "am" | "pm" | "a" | "p") && clock.is_some() {
                    ampm = Some(lw.starts_with('p'));
                } else if matches!(lw.as_str(), "z" | "utc" | "gmt") && clock.is_some() {
                } else {
                    return Err(unknown());
                }
            }
            Tok::Sign(c) => {
                // a UTC offset after the time (`+05:30`, `-0800`): dropped
                if clock.is_some() && matches!(toks.get(i + 1), Some(Tok::Num(_) | Tok::Time(_))) {
                    i += 2;
                    continue;
                }
                if c == '+' {
                    return Err(unknown());
                }
            }
        }
        i += 1;
    }

    let this_year = default.year() as i64;
    let (mut year, mut month, mut day) = (
        default.year() as i64,
        default.month() as i64,
        default.day() as i64,
    );
    let num = |t: &str| t.parse::<i64>().map_err(|_| unknown());
    match (month_word, nums.as_slice()) {
        (None, []) => {
            if clock.is_none() {
                return Err(ParseError(format!("String does not contain a date: {s}")));
            }
        }
        (None, [n]) if n.len() == 8 => {
            year = num(&n[..4])?;
            month = num(&n[4..6])?;
            day = num(&n[6..])?;
        }
        (None, [n]) if n.len() == 6 => {
            year = full_year(num(&n[..2])?, 2, this_year);
            month = num(&n[2..4])?;
            day = num(&n[4..])?;
        }
        (None, [n]) if n.len() == 4 => year = num(n)?,
        (None, [n]) if n.len() <= 2 => day = num(n)?,
        (None, [a, b]) => {
            // `2024-01` (year, month) or `01-15` (month, day)
            let (x, y) = (num(a)?, num(b)?);
            if a.len() == 4 {
                year = x;
                month = y;
            } else if b.len() == 4 {
                month = x;
                year = y;
            } else if dayfirst || x > 12 {
                day = x;
                month = y;
            } else {
                month = x;
                day = y;
            }
        }
        (None, [a, b, c]) => {
            let (x, y, z) = (num(a)?, num(b)?, num(c)?);
            if a.len() >= 3 || x > 31 {
                // year first: always Y-M-D (dateutil does not swap here)
                year = full_year(x, a.len(), this_year);
                month = y;
                day = z;
            } else {
                year = full_year(z, c.len(), this_year);
                if (dayfirst && y <= 12) || x > 12 {
                    day = x;
                    month = y;
                } else {
                    month = x;
                    day = y;
                }
            }
        }
        (Some(m), rest) => {
            month = m as i64;
            match rest {
                [] => {}
                [d] if d.len() <= 2 => day = num(d)?,
                [y] => year = full_year(num(y)?, y.len(), this_year),
                [a, b] => {
                    let (x, y) = (num(a)?, num(b)?);
                    if a.len() >= 3 || x > 31 {
                        year = full_year(x, a.len(), this_year);
                        day = y;
                    } else {
                        day = x;
                        year = full_year(y, b.len(), this_year);
                    }
                }
                _ => return Err(unknown()),
            }
        }
        _ => return Err(unknown()),
    }

    let (mut h, mi, sec, micro) = clock.unwrap_or((0, 0, 0, 0));
    if let Some(pm) = ampm {
        if h > 12 {
            return Err(unknown());
        }
        if pm && h < 12 {
            h += 12;
        } else if !pm && h == 12 {
            h = 0;
        }
    }
    if !(1..=12).contains(&month) {
        return Err(ParseError(format!("month must be in 1..12: {s}")));
    }
    if !(1..=9999).contains(&year) {
        return Err(ParseError(format!("year {year} is out of range: {s}")));
    }
    let date = Date::new(year as i16, month as i8, day.clamp(0, 99) as i8)
        .ok()
        .filter(|_| day >= 1)
        .ok_or_else(|| ParseError(format!("day is out of range for month: {s}")))?;
    if !(0..24).contains(&h) {
        return Err(ParseError(format!("hour must be in 0..23: {s}")));
    }
    if !(0..60).contains(&mi) {
        return Err(ParseError(format!("minute must be in 0..59: {s}")));
    }
    if !(0..60).contains(&sec) {
        return Err(ParseError(format!("second must be in 0..59: {s}")));
    }
    let time =
        Time::new(h as i8, mi as i8, sec as i8, (micro * 1000) as i32).map_err(|_| unknown())?;
    Ok(date.to_datetime(time))
}

/// Frappe's `get_datetime` first tries `strptime(s, "%Y-%m-%d %H:%M:%S.%f")`; this is
/// that exact shape (the fast path; anything else goes through [`parse`]).
pub fn strict_datetime(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() < 21 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' {
        return None;
    }
    let (date, time) = s.split_at(10);
    let mut dp = date.split('-');
    let y: i16 = dp.next()?.parse().ok()?;
    let m: i8 = dp.next()?.parse().ok()?;
    let d: i8 = dp.next()?.parse().ok()?;
    let (h, mi, sec, micro) = parse_clock(&time[1..])?;
    if !time.contains('.') {
        return None;
    }
    let t = Time::new(h as i8, mi as i8, sec as i8, (micro * 1000) as i32).ok()?;
    Some(Date::new(y, m, d).ok()?.to_datetime(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn p(s: &str) -> Result<DateTime, ParseError> {
        parse(s, false, date(2026, 11, 25).at(0, 0, 0, 0))
    }

    fn ok(s: &str) -> String {
        p(s).unwrap().to_string()
    }

    #[test]
    fn iso_dates_and_datetimes() {
        assert_eq!(ok("2024-01-15"), "2024-01-15T00:00:00");
        assert_eq!(ok("2024-01-15 10:30:05"), "2024-01-15T10:30:05");
        assert_eq!(ok("2024-01-15T10:30"), "2024-01-15T10:30:00");
        assert_eq!(ok("2024-01-15 10:30:05.25"), "2024-01-15T10:30:05.25");
        assert_eq!(ok("2024-1-5"), "2024-01-05T00:00:00");
        assert_eq!(ok("20240115"), "2024-01-15T00:00:00");
        assert_eq!(ok("2024-01-15 10:30:00+05:30"), "2024-01-15T10:30:00");
    }

    #[test]
    fn numeric_dates_are_month_first_unless_dayfirst_or_impossible() {
        assert_eq!(ok("01/02/2024"), "2024-01-02T00:00:00");
        assert_eq!(ok("15-01-2024"), "2024-01-15T00:00:00");
        assert_eq!(
            parse("01/02/2024", true, date(2026, 1, 1).at(0, 0, 0, 0))
                .unwrap()
                .to_string(),
            "2024-02-01T00:00:00"
        );
        assert_eq!(ok("15.01.24"), "2024-01-15T00:00:00");
        assert_eq!(ok("1/2/80"), "1980-01-02T00:00:00");
    }

    #[test]
    fn month_names_ordinals_and_weekdays() {
        assert_eq!(ok("15 Jan 2024"), "2024-01-15T00:00:00");
        assert_eq!(ok("January 15, 2024"), "2024-01-15T00:00:00");
        assert_eq!(ok("Monday, 15th January 2024"), "2024-01-15T00:00:00");
        assert_eq!(ok("Sept 3 2024 2:05 pm"), "2024-09-03T14:05:00");
    }

    #[test]
    fn times_alone_take_the_default_date() {
        assert_eq!(ok("10:30"), "2026-11-25T10:30:00");
        assert_eq!(ok("12:15 am"), "2026-11-25T00:15:00");
    }

    #[test]
    fn errors_use_dateutils_messages() {
        assert_eq!(p("hello").unwrap_err().0, "Unknown string format: hello");
        assert_eq!(
            p("2024-02-30").unwrap_err().0,
            "day is out of range for month: 2024-02-30"
        );
        assert_eq!(
            p("2024-13-01").unwrap_err().0,
            "month must be in 1..12: 2024-13-01"
        );
        assert_eq!(p("  ").unwrap_err().0, "String does not contain a date:   ");
    }

    #[test]
    fn strict_shape_needs_microseconds() {
        assert!(strict_datetime("2024-01-15 10:30:00.000000").is_some());
        assert!(strict_datetime("2024-01-15 10:30:00").is_none());
    }
}
