//! The date ranges Frappe's `get_timespan_date_range` defines (`last week`, `this
//! quarter`, `next 6 months`…), counted from a given today: used by the `timespan`,
//! `previous` and `next` filter operators of the site's queries and by
//! `frappe.utils.get_timespan_date_range` in scripts.

use jiff::Span;
use jiff::civil::Date;

fn add(d: Date, span: Span) -> Date {
    d.checked_add(span).unwrap_or(d)
}

fn first_of_month(d: Date) -> Date {
    d.first_of_month()
}

fn last_of_month(d: Date) -> Date {
    d.last_of_month()
}

fn quarter_start(d: Date) -> Date {
    Date::new(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
}

fn quarter_end(d: Date) -> Date {
    let end_month = Date::new(d.year(), (d.month() - 1) / 3 * 3 + 3, 1).unwrap_or(d);
    end_month.last_of_month()
}

fn year_start(d: Date) -> Date {
    Date::new(d.year(), 1, 1).unwrap_or(d)
}

fn year_end(d: Date) -> Date {
    Date::new(d.year(), 12, 31).unwrap_or(d)
}

/// `week_start`: 0 = Sunday … 6 = Saturday.
fn week_start_of(d: Date, week_start: i64) -> Date {
    let current = (d.weekday().to_monday_zero_offset() as i64 + 1) % 7;
    add(d, Span::new().days(-(current - week_start).rem_euclid(7)))
}

/// The inclusive range a timespan names (`last week`, `this quarter`, `next 6 months`…).
pub fn range(timespan: &str, today: Date, week_start: i64) -> Option<(Date, Date)> {
    let week = |d: Date| {
        let s = week_start_of(d, week_start);
        (s, add(s, Span::new().days(6)))
    };
    let months = |n: i64| add(today, Span::new().months(n));
    Some(match timespan.trim().to_ascii_lowercase().as_str() {
        "last week" => week(add(today, Span::new().days(-7))),
        "last month" => (first_of_month(months(-1)), last_of_month(months(-1))),
        "last quarter" => (quarter_start(months(-3)), quarter_end(months(-3))),
        "last 6 months" => (quarter_start(months(-6)), quarter_end(months(-3))),
        "last year" => (year_start(months(-12)), year_end(months(-12))),
        "yesterday" => {
            let d = add(today, Span::new().days(-1));
            (d, d)
        }
        "today" => (today, today),
        "tomorrow" => {
            let d = add(today, Span::new().days(1));
            (d, d)
        }
        "this week" => week(today),
        "this month" => (first_of_month(today), last_of_month(today)),
        "this quarter" => (quarter_start(today), quarter_end(today)),
        "this year" => (year_start(today), year_end(today)),
        "next week" => week(add(today, Span::new().days(7))),
        "next month" => (first_of_month(months(1)), last_of_month(months(1))),
        "next quarter" => (quarter_start(months(3)), quarter_end(months(3))),
        "next 6 months" => (quarter_start(months(3)), quarter_end(months(6))),
        "next year" => (year_start(months(12)), year_end(months(12))),
        _ => return None,
    })
}

/// The timespan a `previous`/`next` operand means (`1 week` → `last week`).
pub fn relative(operator: &str, value: &str) -> Option<String> {
    let period = match value.trim().to_ascii_lowercase().as_str() {
        "1 week" => "week",
        "1 month" => "month",
        "3 months" => "quarter",
        "6 months" => "6 months",
        "1 year" => "year",
        _ => return None,
    };
    let when = if operator == "previous" {
        "last"
    } else {
        "next"
    };
    Some(format!("{when} {period}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ranges_from_a_wednesday() {
        let today = date(2024, 11, 27); // a Wednesday
        let r = |s: &str| {
            let (a, b) = range(s, today, 0).unwrap();
            format!("{a} {b}")
        };
        assert_eq!(r("this week"), "2024-11-24 2024-11-30");
        assert_eq!(r("last week"), "2024-11-17 2024-11-23");
        assert_eq!(r("this month"), "2024-11-01 2024-11-30");
        assert_eq!(r("last month"), "2024-10-01 2024-10-31");
        assert_eq!(r("this quarter"), "2024-10-01 2024-12-31");
        assert_eq!(r("last quarter"), "2024-07-01 2024-09-30");
        assert_eq!(r("last 6 months"), "2024-04-01 2024-09-30");
        assert_eq!(r("next 6 months"), "2025-01-01 2025-06-30");
        assert_eq!(r("next year"), "2025-01-01 2025-12-31");
        assert_eq!(r("yesterday"), "2024-11-26 2024-11-26");
        assert!(range("fortnight", today, 0).is_none());
        assert_eq!(
            relative("previous", "3 months").as_deref(),
            Some("last quarter")
        );
    }
}
