//! The parts of `frappe.utils` that depend on the site's settings — "now" in the site's
//! time zone, the user's date/time formats, the site URL — and Babel-style formatting,
//! which the differential suite cannot check (CPython there has no Babel and no site).
//! Each run uses a fixed clock.

use std::sync::Arc;

use serverscript_compiler::{RunInput, ScriptType, Tier, compile_with};
use serverscript_runtime::ctx::RequestInfo;
use serverscript_runtime::settings::SiteSettings;

/// 2024-01-15 23:30:00 UTC.
fn fixed_now() -> jiff::Timestamp {
    "2024-01-15T23:30:00Z".parse().unwrap()
}

fn settings(f: impl FnOnce(&mut SiteSettings)) -> Arc<SiteSettings> {
    let mut s = SiteSettings {
        fixed_now: Some(fixed_now()),
        ..SiteSettings::default()
    };
    f(&mut s);
    Arc::new(s)
}

/// Runs `src` as an API script in both tiers; returns the `print` lines.
fn run(src: &str, settings: Arc<SiteSettings>, request: Option<RequestInfo>) -> Vec<String> {
    let input = RunInput {
        settings: Some(settings),
        request: request.map(Arc::new),
        ..RunInput::default()
    };
    let [quick, optimized] = [Tier::Quick, Tier::Optimized].map(|tier| {
        let script = Arc::new(
            compile_with("t.py", src.as_bytes(), ScriptType::Api, tier)
                .unwrap_or_else(|e| panic!("{e:?}")),
        );
        let out = script.run(&input);
        assert!(out.error.is_none(), "{:?}\n{src}", out.error);
        out.debug_log
    });
    assert_eq!(quick, optimized, "tiers differ\n{src}");
    quick
}

#[test]
fn now_and_today_are_wall_clock_time_in_the_site_time_zone() {
    let src = "from frappe.utils import now, nowdate, today, nowtime, now_datetime, getdate\n\
               print(now())\nprint(nowdate(), today(), nowtime())\nprint(repr(now_datetime()))\n\
               print(getdate(), frappe.utils.get_system_timezone())";
    let utc = run(src, settings(|_| {}), None);
    assert_eq!(
        utc,
        [
            "2024-01-15 23:30:00.000000",
            "2024-01-15 2024-01-15 23:30:00.000000",
            "datetime.datetime(2024, 1, 15, 23, 30)",
            "2024-01-15 UTC",
        ]
    );
    let india = run(src, settings(|s| s.set_time_zone("Asia/Kolkata")), None);
    assert_eq!(
        india,
        [
            "2024-01-16 05:00:00.000000",
            "2024-01-16 2024-01-16 05:00:00.000000",
            "datetime.datetime(2024, 1, 16, 5, 0)",
            "2024-01-16 Asia/Kolkata",
        ]
    );
}

#[test]
fn an_unknown_time_zone_falls_back_to_utc() {
    let out = run(
        "print(frappe.utils.now(), frappe.utils.get_system_timezone())",
        settings(|s| s.set_time_zone("Mars/Olympus_Mons")),
        None,
    );
    assert_eq!(out, ["2024-01-15 23:30:00.000000 UTC"]);
}

#[test]
fn format_date_follows_the_user_date_format_with_mm_as_month() {
    let src = "from frappe.utils import formatdate, format_date, format_time, format_datetime\n\
               print(formatdate('2024-03-05'), format_date('2024-03-05', 'dd.mm.yyyy'))\n\
               print(formatdate('2024-03-05', 'MMM d, y'), formatdate('2024-03-05', 'EEEE d MMMM yyyy'))\n\
               print(repr(formatdate('')), repr(formatdate(None)), formatdate('01/02/2024', parse_day_first=True))\n\
               print(format_time('13:05:09'), format_time('13:05:09', 'HH:mm'), format_time('13:05', 'h:mm a'))\n\
               print(format_datetime('2024-03-05 13:05:09'), format_datetime('2024-03-05 13:05:09', 'd/M/yy HH:mm'))\n\
               print(repr(format_datetime('')))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "2024-03-05 05.03.2024",
            "Mar 5, 2024 Tuesday 5 March 2024",
            "'' '' 2024-02-01",
            "13:05:09 13:05 1:05 PM",
            "2024-03-05 13:05:09 5/3/24 13:05",
            "None",
        ]
    );
    let dmy = run(
        "from frappe.utils import formatdate, format_datetime\n\
         print(formatdate('2024-03-05'), format_datetime('2024-03-05 13:05:09'), frappe.utils.get_user_date_format())",
        settings(|s| {
            s.date_format = "dd-mm-yyyy".into();
            s.time_format = "HH:mm".into();
        }),
        None,
    );
    assert_eq!(dmy, ["05-03-2024 05-03-2024 13:05 dd-mm-yyyy"]);
}

#[test]
fn global_date_format_uses_babels_named_english_formats() {
    let src = "from frappe.utils import global_date_format\n\
               print(global_date_format('2019-09-01'))\n\
               print(frappe.format_date('2019-09-01'))\n\
               print(global_date_format('2019-09-01', 'medium'), '|', global_date_format('2019-09-01', 'full'))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "September 1, 2019",
            "September 1, 2019",
            "Sep 1, 2019 | Sunday, September 1, 2019",
        ]
    );
}

#[test]
fn pretty_date_counts_back_from_now() {
    let src = "from frappe.utils import pretty_date\n\
               for s in ['2024-01-15 23:29:30.000000', '2024-01-15 23:20:00.000000', '2024-01-15 20:00:00.000000',\n\
                         '2024-01-14 20:00:00.000000', '2024-01-10 23:30:00.000000', '2024-01-02 00:00:00.000000',\n\
                         '2023-12-01 00:00:00.000000', '2023-06-01 00:00:00.000000', '2021-01-01 00:00:00.000000']:\n\
               \x20   print(pretty_date(s))\n\
               print(repr(pretty_date('')))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "just now",
            "10 minutes ago",
            "3 hours ago",
            "Yesterday",
            "5 days ago",
            "1 week ago",
            "1 month ago",
            "7 months ago",
            "3 years ago",
            "''",
        ]
    );
}

#[test]
fn week_boundaries_follow_the_first_day_of_the_week() {
    let src = "from frappe.utils import get_first_day_of_week, get_last_day_of_week\n\
               print(get_first_day_of_week('2024-11-27'), get_last_day_of_week('2024-11-27'))";
    assert_eq!(run(src, settings(|_| {}), None), ["2024-11-24 2024-11-30"]);
    assert_eq!(
        run(
            src,
            settings(|s| s.first_day_of_the_week = "Monday".into()),
            None
        ),
        ["2024-11-25 2024-12-01"]
    );
}

#[test]
fn urls_use_the_site_address() {
    let src = "from frappe.utils import get_url, get_url_to_form, get_link_to_form, get_host_name\n\
               print(get_url(), get_url('files/a.pdf'), get_host_name())\n\
               print(get_url_to_form('Sales Order', 'SO-0001'))\n\
               print(frappe.get_url('/app'))";
    assert_eq!(
        run(
            src,
            settings(|s| {
                s.url = "https://erp.example.com".into();
                s.url_configured = true;
            }),
            None
        ),
        [
            "https://erp.example.com https://erp.example.com/files/a.pdf erp.example.com",
            "https://erp.example.com/app/sales-order/SO-0001",
            "https://erp.example.com/app",
        ]
    );
}

#[test]
fn frappe_request_shows_the_request_read_only() {
    let req = RequestInfo {
        method: "POST".into(),
        path: "/api/method/hook".into(),
        url: "http://localhost:8000/api/method/hook?a=1".into(),
        host: "localhost:8000".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-api-key".into(), "k1".into()),
        ],
        args: vec![("a".into(), "1".into())],
        body: "{\"x\": 1}".into(),
        remote_addr: "127.0.0.1".into(),
    };
    let src = "r = frappe.request\n\
               print(r.method, r.path, r.host, r.args.get('a'), r.remote_addr)\n\
               print(r.headers.get('X-Api-Key'), r.headers.get('Content-Type'))\n\
               print(r.get_data(), r.data, json.loads(r.get_data(as_text=True))['x'])";
    assert_eq!(
        run(src, settings(|_| {}), Some(req)),
        [
            "POST /api/method/hook localhost:8000 1 127.0.0.1",
            "k1 application/json",
            "{\"x\": 1} {\"x\": 1} 1",
        ]
    );
    assert_eq!(
        run(
            "print(repr(frappe.request), frappe.request.method)",
            settings(|_| {}),
            None
        ),
        ["{} None"]
    );
}

#[test]
fn render_template_renders_jinja_over_plain_data_within_bounds() {
    let src = "print(frappe.render_template('Dear {{ doc.name }}, {% for i in doc.rows %}{{ i.qty * 2 }};{% endfor %} {{ nothing }}|{{ doc | json }}',\n\
               \x20   {'doc': {'name': '<Ann>', 'rows': [{'qty': 1}, {'qty': 2}]}}))\n\
               for t in ['{{ x.__class__.__mro__ }}', '{% for %}', '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}',\n\
               \x20         \"{{ 'x' * 100000000000 }}\"]:\n\
               \x20   try:\n\
               \x20       frappe.render_template(t, {})\n\
               \x20   except frappe.ValidationError as e:\n\
               \x20       print(str(e).split(' (in')[0][:40])\n\
               print(frappe.render_template('{{ when }}', {'when': frappe.utils.getdate('2024-01-05')}))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "Dear <Ann>, 2;4; |{\"name\":\"<Ann>\",\"rows\":[{\"qty\":1},{\"qty\":2}]}",
            "Illegal template",
            "syntax error: unexpected end of block, e",
            "engine ran out of fuel",
            "engine ran out of fuel",
            "2024-01-05",
        ]
    );
}

#[test]
fn format_shows_values_as_their_field_type_does() {
    let src = "from frappe.utils import getdate\n\
               print(frappe.format(1234.5, {'fieldtype': 'Currency'}), '|', frappe.format(1234.5, 'Currency', currency='USD'))\n\
               print(frappe.format(2.0, 'Float'), frappe.format(2.25, {'fieldtype': 'Float', 'precision': 1}))\n\
               print(frappe.format(50, 'Percent'), frappe.format('a\\nb', 'Small Text'), frappe.format(getdate('2024-01-05')))\n\
               print(repr(frappe.format(None)), repr(frappe.format(5)), frappe.format(3725, 'Duration'))";
    assert_eq!(
        run(src, settings(|s| s.date_format = "dd-mm-yyyy".into()), None),
        [
            "1,234.50 | USD 1,234.50",
            "2 2.2",
            "50.0% a<br>b 05-01-2024",
            "'' 5 1h 2m 5s",
        ]
    );
}

#[test]
fn money_in_words_writes_amounts_as_frappe_does() {
    let src = "from frappe.utils import money_in_words, in_words\n\
               print(money_in_words(1234.5, 'USD'))\n\
               print(money_in_words(0.25, 'USD'), '|', money_in_words(0), '|', repr(money_in_words(-5)), '|', repr(money_in_words('x')))\n\
               print(money_in_words(1000000), '|', in_words(21), '|', in_words(123456, False))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "USD One Thousand, Two Hundred And Thirty Four and Fifty Cent only.",
            "Twenty Five Cent only. | INR Zero only. | '' | ''",
            "INR One Million only. | twenty one | one lakh, twenty three thousand, four hundred and fifty six",
        ]
    );
    let india = run(
        "print(frappe.utils.money_in_words(2500000.75))",
        settings(|s| {
            s.number_format = "#,##,###.##".into();
            s.currency = Some("INR".into());
        }),
        None,
    );
    assert_eq!(india, ["INR Twenty Five Lakh and Seventy Five Cent only."]);
}

#[test]
fn timespan_date_ranges_mix_dates_and_strings_as_frappe_builds_them() {
    // the fixed clock's today is Monday 2024-01-15
    let src = "from frappe.utils import get_timespan_date_range as r\n\
               for s in ['today', 'yesterday', 'this week', 'last month', 'this year', 'next quarter', 'last 6 months', 'fortnight']:\n\
               \x20   print(s, repr(r(s)))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "today ('2024-01-15', '2024-01-15')",
            "yesterday ('2024-01-14', '2024-01-14')",
            "this week (datetime.date(2024, 1, 14), datetime.date(2024, 1, 20))",
            "last month (datetime.date(2023, 12, 1), datetime.date(2023, 12, 31))",
            "this year (datetime.date(2024, 1, 1), '2024-12-31')",
            "next quarter (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))",
            "last 6 months (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31))",
            "fortnight None",
        ]
    );
}
