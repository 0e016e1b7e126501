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

#[test]
fn timestamps_months_and_etas_read_the_site_clock_and_zone() {
    // get_timestamp is midnight of the date in the site's zone (Frappe: time.mktime in
    // the server's zone); the numbers are CPython's mktime under TZ=<zone>
    let src = "from frappe.utils import get_timestamp, get_month, get_eta\n\
               print(get_timestamp('2024-01-15'), get_timestamp(), get_timestamp('2024-07-01'))\n\
               print(get_month(), get_month(None), get_month(''))\n\
               print(get_eta('2024-01-15 23:00:00', 25), get_eta('2024-01-15 23:00:00', 33.3))\n\
               print(get_eta('2024-01-16 00:00:00', 50), get_eta('2024-01-14', 1))\n\
               print(get_eta('2024-01-15 23:29:59.5', 99.9))\n\
               try:\n    get_eta('2024-01-15', 0)\nexcept ZeroDivisionError as e:\n    print('ZeroDivisionError', e)";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "1705276800.0 1705276800.0 1719792000.0",
            "January January January",
            "1:30:00 1:00:05.405405",
            "-1 day, 23:30:00 195 days, 22:30:00",
            "0:00:00.000501",
            "ZeroDivisionError division by zero",
        ]
    );
    let zoned = "from frappe.utils import get_timestamp, get_month\n\
                 print(get_timestamp('2024-01-15'), get_timestamp(), get_month())";
    assert_eq!(
        run(zoned, settings(|s| s.set_time_zone("Asia/Kolkata")), None),
        ["1705257000.0 1705343400.0 January"]
    );
    let ny = "from frappe.utils import get_timestamp\n\
              print(get_timestamp('2024-03-10'), get_timestamp('2024-07-01'))";
    assert_eq!(
        run(ny, settings(|s| s.set_time_zone("America/New_York")), None),
        ["1710046800.0 1719806400.0"]
    );
    // midnight did not exist there that day (DST began at 00:00): mktime moves forward
    let gap = "print(frappe.utils.get_timestamp('2018-11-04'))";
    assert_eq!(
        run(
            gap,
            settings(|s| s.set_time_zone("America/Sao_Paulo")),
            None
        ),
        ["1541300400.0"]
    );
}

#[test]
fn sanitize_column_refuses_what_frappe_refuses() {
    // expected values: Frappe's _sanitize_column over sqlparse 0.5
    let src = "from frappe.utils import sanitize_column as s\n\
               for c in ['name', 'tabToDo.name', 'ifnull(status, \"\")', 'ifnull(order_no, 0)',\n\
               \x20         'name -- ; drop', 'name desc', 'creation /* c */ desc', '`tabToDo`.`name`', ' name ']:\n\
               \x20   print(repr(s(c)))\n\
               for c in ['count(name)', 'name, owner', 'ifnull(a, 1) or 1=1', 'IFNULL(a, 0)', 'name\\nx',\n\
               \x20         'name;', \"na'me\", 'ifnull(a, (select 1))', 'ifnull(x,0) AND y']:\n\
               \x20   try:\n\
               \x20       s(c)\n\
               \x20       print('accepted', repr(c))\n\
               \x20   except frappe.DataError as e:\n\
               \x20       print('DataError', e)";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "'name'",
            "'tabToDo.name'",
            "'ifnull(status, \"\")'",
            "'ifnull(order_no, 0)'",
            "'name'",
            "'name desc'",
            "'creation   desc'",
            "'`tabToDo`.`name`'",
            "' name'",
            "DataError Invalid field name count(name)",
            "DataError Invalid field name name, owner",
            "DataError Invalid field name ifnull(a, 1) or 1=1",
            "DataError Invalid field name IFNULL(a, 0)",
            "DataError Invalid field name name\nx",
            "DataError Invalid field name name;",
            "DataError Invalid field name na'me",
            "DataError Invalid field name ifnull(a, (select 1))",
            "DataError Invalid field name ifnull(x,0) AND y",
        ]
    );
}

#[test]
fn relative_urls_expand_with_the_configured_host() {
    let src = "from frappe.utils import expand_relative_urls, scrub_urls\n\
               print(expand_relative_urls('<img src=\"/files/a.png\"><a href=\"x/y\">y</a>'))\n\
               print(scrub_urls('<div style=\"background: url(/b.png)\">'))";
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
            "<img src=\"https://erp.example.com/files/a.png\"><a href=\"https://erp.example.com/x/y\">y</a>",
            "<div style=\"background: url(https://erp.example.com/b.png) !important\">",
        ]
    );
}

/// Every case of `fixtures/markup_cases.json` (inputs with the output Frappe's own
/// libraries give: markdown2, markdownify, bleach + BeautifulSoup) through the script
/// functions, in both tiers.
#[test]
fn markdown_and_html_helpers_give_frappes_outputs() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/markup_cases.json");
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let src = "fns = {'md_to_html': frappe.utils.md_to_html, 'to_markdown': frappe.utils.to_markdown,\n\
               \x20      'sanitize_html': frappe.sanitize_html}\n\
               out = {}\n\
               for name in fns:\n\
               \x20   out[name] = [fns[name](case[0]) for case in frappe.form_dict[name]]\n\
               frappe.response['message'] = out";
    let mut form = serde_json::Map::new();
    for name in ["md_to_html", "to_markdown", "sanitize_html"] {
        form.insert(name.into(), fixture[name].clone());
    }
    let input = RunInput {
        form_dict: form,
        settings: Some(settings(|_| {})),
        ..RunInput::default()
    };
    for tier in [Tier::Quick, Tier::Optimized] {
        let script = Arc::new(compile_with("t.py", src.as_bytes(), ScriptType::Api, tier).unwrap());
        let out = script.run(&input);
        assert!(out.error.is_none(), "{:?}", out.error);
        let got = &out.response["message"];
        let mut failures = Vec::new();
        for name in ["md_to_html", "to_markdown", "sanitize_html"] {
            let cases = fixture[name].as_array().unwrap();
            assert!(cases.len() > 10, "{name}: too few cases");
            for (i, case) in cases.iter().enumerate() {
                if got[name][i] != case[1] {
                    failures.push(format!(
                        "{name}({:?})\n  got  {:?}\n  want {:?}",
                        case[0], got[name][i], case[1]
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[test]
fn markup_helpers_take_none_and_leave_non_strings() {
    let src = "from frappe.utils import md_to_html, markdown, to_markdown\n\
               print(repr(md_to_html(None)), repr(markdown('')), repr(to_markdown(None)))\n\
               print(frappe.sanitize_html(None), frappe.sanitize_html(5), frappe.sanitize_html('a < b'))\n\
               print(repr(frappe.sanitize_html('<p>x</p>\\n<script>1</script>', always_sanitize=True)))\n\
               print(repr(frappe.sanitize_html('{\"a\": \"<b>\"}')), repr(frappe.sanitize_html('{\"a\": \"<b>\"}', always_sanitize=True)))";
    assert_eq!(
        run(src, settings(|_| {}), None),
        [
            "'<p></p>\\n' '<p></p>\\n' ''",
            "None 5 a < b",
            "'<p>x</p>'",
            // Frappe's answer too: the `<b>` opens an element that is closed at the end
            "'{\"a\": \"<b>\"}' '{\"a\": \"<b>\"}</b>'",
        ]
    );
}
