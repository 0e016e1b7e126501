//! Five-field cron expressions (`minute hour day-of-month month day-of-week`) as
//! Frappe's Scheduled Job Types use them: `*`, numbers, ranges `a-b`, lists `a,b`, steps
//! `*/n` and `a-b/n`, month and weekday names (`jan`, `mon`), weekday 7 = Sunday, and
//! the `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly` shorthands. As in cron, when
//! both day fields are restricted a day matches if either does.

use jiff::civil::DateTime;

#[derive(Debug, Clone, PartialEq)]
pub struct Cron {
    minute: Vec<bool>,
    hour: Vec<bool>,
    dom: Vec<bool>,
    month: Vec<bool>,
    dow: Vec<bool>,
    dom_any: bool,
    dow_any: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn value(text: &str, names: &[&str], offset: u32) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let t = text.to_ascii_lowercase();
    names
        .iter()
        .position(|n| *n == t)
        .map(|i| i as u32 + offset)
}

fn field(text: &str, lo: u32, hi: u32, names: &[&str], offset: u32) -> Option<Vec<bool>> {
    let mut set = vec![false; hi as usize + 1];
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, names, offset)?, value(b, names, offset)?)
        } else {
            let v = value(range, names, offset)?;
            // `5/15` means from 5 to the end, every 15
            (v, if part.contains('/') { hi } else { v })
        };
        if a < lo || b > hi || a > b {
            return None;
        }
        let mut v = a;
        while v <= b {
            set[v as usize] = true;
            v += step;
        }
    }
    Some(set)
}

impl Cron {
    pub fn parse(expr: &str) -> Option<Cron> {
        let expr = match expr.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let parts: Vec<&str> = expr.split_whitespace().collect();
        let [mi, h, dom, mon, dow] = parts.as_slice() else {
            return None;
        };
        let mut dow_set = field(dow, 0, 7, &DAYS, 0)?;
        if dow_set[7] {
            dow_set[0] = true;
        }
        Some(Cron {
            minute: field(mi, 0, 59, &[], 0)?,
            hour: field(h, 0, 23, &[], 0)?,
            dom: field(dom, 1, 31, &[], 0)?,
            month: field(mon, 1, 12, &MONTHS, 1)?,
            dow: dow_set,
            dom_any: *dom == "*",
            dow_any: *dow == "*",
        })
    }

    pub fn matches(&self, t: DateTime) -> bool {
        let dow = (t.weekday().to_monday_zero_offset() as usize + 1) % 7;
        let dom_ok = self.dom[t.day() as usize];
        let dow_ok = self.dow[dow];
        let day_ok = match (self.dom_any, self.dow_any) {
            (true, true) => true,
            (false, true) => dom_ok,
            (true, false) => dow_ok,
            (false, false) => dom_ok || dow_ok,
        };
        self.minute[t.minute() as usize]
            && self.hour[t.hour() as usize]
            && self.month[t.month() as usize]
            && day_ok
    }

    /// Whether a minute in `(after, until]` matches (looked at for at most a year).
    pub fn due_between(&self, after: DateTime, until: DateTime) -> bool {
        let start = after
            .with()
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .unwrap_or(after);
        let mut t = start;
        for _ in 0..(366 * 24 * 60) {
            t = match t.checked_add(jiff::Span::new().minutes(1)) {
                Ok(n) => n,
                Err(_) => return false,
            };
            if t > until {
                return false;
            }
            if self.matches(t) {
                return true;
            }
        }
        false
    }
}

/// A Server Script frequency as a cron expression (`All` runs every
/// `interval_minutes`).
pub fn for_frequency(frequency: &str, cron_format: &str, interval_minutes: u32) -> Option<Cron> {
    let expr = match frequency {
        "All" => format!("*/{} * * * *", interval_minutes.clamp(1, 59)),
        "Hourly" | "Hourly Long" => "0 * * * *".into(),
        "Daily" | "Daily Long" => "0 0 * * *".into(),
        "Weekly" | "Weekly Long" => "0 0 * * 0".into(),
        "Monthly" | "Monthly Long" => "0 0 1 * *".into(),
        "Yearly" | "Annual" => "0 0 1 1 *".into(),
        "Cron" => cron_format.to_string(),
        _ => return None,
    };
    Cron::parse(&expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn fields_steps_ranges_and_names() {
        let c = Cron::parse("*/15 9-17 * * mon-fri").unwrap();
        assert!(c.matches(date(2024, 11, 25).at(9, 30, 0, 0))); // a Monday
        assert!(!c.matches(date(2024, 11, 24).at(9, 30, 0, 0))); // a Sunday
        assert!(!c.matches(date(2024, 11, 25).at(9, 31, 0, 0)));
        assert!(!c.matches(date(2024, 11, 25).at(18, 0, 0, 0)));
        let c = Cron::parse("0 0 1,15 jan *").unwrap();
        assert!(c.matches(date(2025, 1, 15).at(0, 0, 0, 0)));
        assert!(!c.matches(date(2025, 2, 15).at(0, 0, 0, 0)));
        assert!(
            Cron::parse("0 0 * * 7")
                .unwrap()
                .matches(date(2024, 11, 24).at(0, 0, 0, 0))
        );
        for bad in [
            "",
            "* * * *",
            "61 * * * *",
            "* * 0 * *",
            "*/0 * * * *",
            "a b c d e",
        ] {
            assert!(Cron::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn due_means_a_match_after_the_last_run() {
        let hourly = for_frequency("Hourly", "", 4).unwrap();
        let t = |h, m| date(2024, 11, 25).at(h, m, 0, 0);
        assert!(hourly.due_between(t(9, 59), t(10, 0)));
        assert!(!hourly.due_between(t(10, 0), t(10, 59)));
        assert!(hourly.due_between(t(10, 0), t(11, 5)));
        let all = for_frequency("All", "", 4).unwrap();
        assert!(all.due_between(t(10, 1), t(10, 4)));
        assert!(!all.due_between(t(10, 4), t(10, 7)));
        assert!(for_frequency("Cron", "not cron", 4).is_none());
    }
}
