//! Date patterns in the CLDR syntax Babel formats with (`dd-MM-yyyy`, `MMM d, y`,
//! `HH:mm:ss`), in English: what Frappe's `format_date`, `format_time`,
//! `format_datetime` and `global_date_format` produce for an `en` site.

use jiff::civil::DateTime;

/// English month names (`calendar.month_name` in the C locale), January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Monday first, as Python's `weekday()` counts.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Formats `dt` with a CLDR pattern. Letters are fields (`y` year, `M` month, `d` day,
/// `E` weekday, `H`/`h` hour, `m` minute, `s` second, `S` fraction, `a` AM/PM),
/// repeated for width; text in single quotes is literal (`''` is a quote); any other
/// letter is an error (Babel raises, and Frappe falls back to strftime).
pub fn format(pattern: &str, dt: DateTime) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        i += n;
        let pad = |v: i64, w: usize| format!("{v:0w$}");
        let month = dt.month() as usize;
        let weekday = dt.weekday().to_monday_zero_offset() as usize;
        let hour = dt.hour() as i64;
        match c {
            'y' | 'Y' | 'u' => {
                let y = dt.year() as i64;
                out.push_str(&if n == 2 { pad(y % 100, 2) } else { pad(y, n) })
            }
            'M' | 'L' => match n {
                1 | 2 => out.push_str(&pad(month as i64, n)),
                3 => out.push_str(&MONTHS[month - 1][..3]),
                4 => out.push_str(MONTHS[month - 1]),
                _ => out.push_str(&MONTHS[month - 1][..1]),
            },
            'd' => out.push_str(&pad(dt.day() as i64, n)),
            'D' => out.push_str(&pad(dt.day_of_year() as i64, n)),
            'E' | 'e' | 'c' => match n {
                1..=3 => out.push_str(&WEEKDAYS[weekday][..3]),
                4 => out.push_str(WEEKDAYS[weekday]),
                5 => out.push_str(&WEEKDAYS[weekday][..1]),
                _ => out.push_str(&WEEKDAYS[weekday][..2]),
            },
            'H' => out.push_str(&pad(hour, n)),
            'k' => out.push_str(&pad(if hour == 0 { 24 } else { hour }, n)),
            'h' => out.push_str(&pad(if hour % 12 == 0 { 12 } else { hour % 12 }, n)),
            'K' => out.push_str(&pad(hour % 12, n)),
            'm' => out.push_str(&pad(dt.minute() as i64, n)),
            's' => out.push_str(&pad(dt.second() as i64, n)),
            'S' => {
                let frac = format!("{:09}", dt.subsec_nanosecond());
                let mut f: String = frac.chars().take(n).collect();
                while f.len() < n {
                    f.push('0');
                }
                out.push_str(&f);
            }
            'a' => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            other => return Err(format!("Unknown pattern field: {other:?}")),
        }
    }
    Ok(out)
}

/// Babel's named formats for `en` (`global_date_format(date, "long")`).
pub fn named_date_pattern(name: &str) -> Option<&'static str> {
    Some(match name {
        "short" => "M/d/yy",
        "medium" => "MMM d, y",
        "long" => "MMMM d, y",
        "full" => "EEEE, MMMM d, y",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn babel_patterns_in_english() {
        let dt = date(2024, 1, 5).at(14, 7, 9, 250_000_000);
        assert_eq!(format("dd-MM-yyyy", dt).unwrap(), "05-01-2024");
        assert_eq!(format("MMMM d, y", dt).unwrap(), "January 5, 2024");
        assert_eq!(format("EEEE, MMM d, yy", dt).unwrap(), "Friday, Jan 5, 24");
        assert_eq!(format("HH:mm:ss", dt).unwrap(), "14:07:09");
        assert_eq!(format("h:mm a", dt).unwrap(), "2:07 PM");
        assert_eq!(format("HH:mm:ss.SSS", dt).unwrap(), "14:07:09.250");
        assert_eq!(format("d 'of' MMMM", dt).unwrap(), "5 of January");
        assert!(format("dd-qq", dt).is_err());
    }
}
