//! `datetime.date`, `datetime.datetime`, `datetime.time` and `datetime.timedelta`
//! values, which `frappe.utils` returns and scripts compare and add.

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct DateObj(pub jiff::civil::Date);
pub struct DateTimeObj(pub jiff::civil::DateTime);
pub struct TimeObj(pub jiff::civil::Time);

/// Normalised like Python's: `0 <= seconds < 86400`, `0 <= micros < 1_000_000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeDeltaObj {
    pub days: i64,
    pub seconds: i64,
    pub micros: i64,
}

impl Payload for DateObj {
    const KIND: Kind = Kind::Date;
}
impl Payload for DateTimeObj {
    const KIND: Kind = Kind::DateTime;
}
impl Payload for TimeObj {
    const KIND: Kind = Kind::Time;
}
impl Payload for TimeDeltaObj {
    const KIND: Kind = Kind::TimeDelta;
}

impl TimeDeltaObj {
    /// From a total number of microseconds.
    pub fn from_micros(total: i128) -> TimeDeltaObj {
        let day = 86_400_000_000i128;
        let days = total.div_euclid(day);
        let rest = total.rem_euclid(day);
        TimeDeltaObj {
            days: days as i64,
            seconds: (rest / 1_000_000) as i64,
            micros: (rest % 1_000_000) as i64,
        }
    }

    pub fn total_micros(&self) -> i128 {
        (self.days as i128 * 86_400 + self.seconds as i128) * 1_000_000 + self.micros as i128
    }
}

pub fn new_date(d: jiff::civil::Date) -> Val {
    heap::alloc(DateObj(d))
}

pub fn new_datetime(d: jiff::civil::DateTime) -> Val {
    heap::alloc(DateTimeObj(d))
}

pub fn new_time(t: jiff::civil::Time) -> Val {
    heap::alloc(TimeObj(t))
}

pub fn new_timedelta(t: TimeDeltaObj) -> Val {
    heap::alloc(t)
}

pub fn get_date(v: Value) -> Option<jiff::civil::Date> {
    heap::get::<DateObj>(v).map(|d| d.0)
}

pub fn get_datetime(v: Value) -> Option<jiff::civil::DateTime> {
    heap::get::<DateTimeObj>(v).map(|d| d.0)
}

pub fn get_time(v: Value) -> Option<jiff::civil::Time> {
    heap::get::<TimeObj>(v).map(|d| d.0)
}

pub fn get_timedelta(v: Value) -> Option<TimeDeltaObj> {
    heap::get::<TimeDeltaObj>(v).copied()
}

/// A string identifying the value (for hashing and equality of date-like values).
pub fn debug_key(v: Value) -> String {
    if let Some(d) = get_date(v) {
        format!("d{d}")
    } else if let Some(d) = get_datetime(v) {
        format!("dt{d}")
    } else if let Some(t) = get_time(v) {
        format!("t{t}")
    } else if let Some(t) = get_timedelta(v) {
        format!("td{}", t.total_micros())
    } else {
        String::new()
    }
}
