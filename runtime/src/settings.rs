//! The site's system settings as a script sees them: time zone (what `now()` means),
//! date/time/number formats, the site URL, the first day of the week. Frappe reads these
//! from System Settings; the server fills them from the site config, and a run without a
//! site uses [`SiteSettings::default`].

use std::sync::{Arc, LazyLock};

use jiff::tz::TimeZone;

#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// IANA name (`Asia/Kolkata`); `now()` and `today()` are wall-clock time there.
    pub time_zone_name: String,
    pub time_zone: TimeZone,
    /// Frappe's spelling: `dd-mm-yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`…
    pub date_format: String,
    /// `HH:mm:ss` or `HH:mm`.
    pub time_format: String,
    /// `#,###.##`, `#.###,##`, `#,##,###.##` (Indian grouping)…
    pub number_format: String,
    /// Default currency for `fmt_money` when none is given (`INR`); none by default.
    pub currency: Option<String>,
    /// Decimal places of currency amounts (`fmt_money`); `None` = from the number format.
    pub currency_precision: Option<u32>,
    /// `Sunday` … `Saturday`.
    pub first_day_of_the_week: String,
    /// Scheme, host and port, no trailing slash (`https://erp.example.com`).
    pub url: String,
    /// Whether `url` was configured (`host_name`); if not, scripts serving a request
    /// use the request's host, as Frappe's `get_url` does.
    pub url_configured: bool,
    /// A fixed clock (tests and benchmarks): `now()` returns this instant.
    pub fixed_now: Option<jiff::Timestamp>,
}

impl Default for SiteSettings {
    fn default() -> SiteSettings {
        SiteSettings {
            time_zone_name: "UTC".into(),
            time_zone: TimeZone::UTC,
            date_format: "yyyy-mm-dd".into(),
            time_format: "HH:mm:ss".into(),
            number_format: "#,###.##".into(),
            currency: None,
            currency_precision: None,
            first_day_of_the_week: "Sunday".into(),
            url: "http://localhost:8000".into(),
            url_configured: false,
            fixed_now: None,
        }
    }
}

impl SiteSettings {
    /// Sets the time zone by IANA name; an unknown name keeps UTC, as Frappe falls back
    /// to UTC when pytz does not know the zone.
    pub fn set_time_zone(&mut self, name: &str) {
        match TimeZone::get(name) {
            Ok(tz) => {
                self.time_zone = tz;
                self.time_zone_name = name.to_string();
            }
            Err(_) => {
                self.time_zone = TimeZone::UTC;
                self.time_zone_name = "UTC".into();
            }
        }
    }

    /// The wall-clock time in the site's time zone (Frappe's `now_datetime()`).
    pub fn now(&self) -> jiff::civil::DateTime {
        let ts = self.fixed_now.unwrap_or_else(jiff::Timestamp::now);
        ts.to_zoned(self.time_zone.clone()).datetime()
    }

    /// 0 = Sunday … 6 = Saturday (Frappe's `get_start_of_week_index`).
    pub fn week_start_index(&self) -> i64 {
        // Monday-first index + 1, modulo 7: Sunday is 0
        crate::builtins::dates::cldr::WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(&self.first_day_of_the_week))
            .map_or(0, |i| (i as i64 + 1) % 7)
    }
}

/// The settings of runs without a site.
pub static DEFAULT: LazyLock<Arc<SiteSettings>> =
    LazyLock::new(|| Arc::new(SiteSettings::default()));
