"""Date, text and money helpers of `frappe.utils` for the differential prelude.

Written for serverscript's tests from the documented behaviour of Frappe's
`frappe/utils/data.py` (not Frappe's code): dates parse with dateutil and shift with
relativedelta exactly as Frappe's do, so the cases compare our parser and calendar
arithmetic with the real libraries. "Now" is not used by the cases.
"""

import calendar
import json as json_mod
import datetime
import decimal
import hashlib
import math
import re
from urllib.parse import parse_qsl, quote, urlencode, urlparse, urlunparse

from dateutil import parser
from dateutil.parser import ParserError
from dateutil.relativedelta import relativedelta

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M:%S.%f"
DATETIME_FORMAT = DATE_FORMAT + " " + TIME_FORMAT
SITE_URL = "http://localhost:8000"


def _invalid(s):
    return not isinstance(s, str) or not s or s.startswith(("0001-01-01", "0000-00-00"))


OPERATORS = {
    "^": lambda a, b: (a or "").startswith(b),
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "not None": lambda a, b: bool(a),
    "None": lambda a, b: not a,
}
VALID_OPERATORS = ("=", "!=", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is",
                   "between", "descendants of", "ancestors of", "not descendants of",
                   "not ancestors of", "timespan", "previous", "next")


# Frappe's URL patterns in HTML (frappe/utils/data.py): href/src values and CSS url()s
HTTP_TAG_URL = re.compile(r'''(href|src){1}([\s]*=[\s]*['"]?)((?:http)[^'">]+)(['"]?)''')
RELATIVE_TAG_URL = re.compile(r'''(href|src){1}([\s]*=[\s]*['"]?)((?!http)[^'" >]+)(['"]?)''')
CSS_URL = re.compile(r'''(:[\s]?url)(\(['"]?)((?!http)[^'" >]+)(['"]?\))''')


def _orjson_float(f):
    """orjson 3.11 (ryu): shortest digits; positional for 1e-5 <= |f| < 1e16."""
    if f != f or f in (float("inf"), float("-inf")):
        return "null"
    if f == 0:
        return "-0.0" if math.copysign(1, f) < 0 else "0.0"
    _, digits, exp = decimal.Decimal(repr(abs(f))).as_tuple()
    digits = "".join(map(str, digits))
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    digits = stripped
    n = len(digits)
    point = n + exp  # value = 0.digits * 10**point
    sign = "-" if f < 0 else ""
    if exp >= 0 and point <= 16:
        return sign + digits + "0" * exp + ".0"
    if 0 < point <= 16:
        return sign + digits[:point] + "." + digits[point:]
    if -5 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    return sign + digits[0] + ("." + digits[1:] if n > 1 else "") + "e%d" % (point - 1)


def _orjson(obj, default, opts, depth=0, calls=0):
    sort_keys, indent = opts & 32, opts & 1
    if obj is None:
        return "null"
    if obj is True or obj is False:
        return "true" if obj else "false"
    if isinstance(obj, int):
        if not -(2**63) <= obj < 2**64:
            raise TypeError("Integer exceeds 64-bit range")
        return str(obj)
    if isinstance(obj, float):
        return _orjson_float(obj)
    if isinstance(obj, str):
        return json_mod.dumps(obj, ensure_ascii=False)
    nl = ("\n" + "  " * (depth + 1)) if indent else ""
    end = ("\n" + "  " * depth) if indent else ""
    if isinstance(obj, (list, tuple)):
        if depth >= 255:
            raise TypeError("Recursion limit reached")
        if not obj:
            return "[]"
        return "[" + ",".join(nl + _orjson(x, default, opts, depth + 1) for x in obj) + end + "]"
    if isinstance(obj, dict):
        if depth >= 255:
            raise TypeError("Recursion limit reached")
        items = [(_orjson_key(k), v) for k, v in obj.items()]
        if not items:
            return "{}"
        if sort_keys:
            items.sort(key=lambda kv: kv[0])
        sep = ": " if indent else ":"
        return "{" + ",".join(nl + json_mod.dumps(k, ensure_ascii=False) + sep
                              + _orjson(v, default, opts, depth + 1) for k, v in items) + end + "}"
    name = type(obj).__name__
    if isinstance(obj, (datetime.date, datetime.time, datetime.timedelta)):
        name = "datetime." + name
    if default is None:
        raise TypeError("Type is not JSON serializable: " + name)
    if calls >= 255:
        raise TypeError("default serializer exceeds recursion limit")
    try:
        replaced = default(obj)
    except Exception:
        raise TypeError("Type is not JSON serializable: " + name)
    return _orjson(replaced, default, opts, depth, calls + 1)


def _orjson_key(k):
    if isinstance(k, str):
        return k
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, int):
        if not -(2**63) <= k < 2**64:
            raise TypeError("Dict integer key must be within 64-bit range")
        return str(k)
    if isinstance(k, float):
        return _orjson_float(k)
    if isinstance(k, (datetime.date, datetime.time)):
        return k.isoformat()
    raise TypeError("Dict key must a type serializable with OPT_NON_STR_KEYS")


def _title_from_path(path):
    return (path.split(".")[0].rstrip("/").rsplit("/", 1)[-1]
            .replace("_", " ").replace("-", " ").title())


def extract_title(source, path):
    m = re.search("<!-- title:([^>]*) -->", source)
    title = m.group(1).strip() if m else None
    if not title and "<h1>" in source:
        content = re.search("<h1>([^<]*)", source).group().strip()[:300]
        if "{{" not in content:
            title = content
    return title or _title_from_path(path)


def abs_url(path):
    if not path:
        return None
    if path.startswith(("http://", "https://", "tel:", "data:")):
        return path
    return path if path.startswith("/") else "/" + path


def get_hooks(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None):
    """A site without apps: no hook has a value."""
    if app_name:
        raise ModuleNotFoundError("No module named '%s'" % str(app_name).split(".")[0])
    if hook:
        return [] if default == "_KEEP_DEFAULT_LIST" else default
    return _attrdict()


class _attrdict(dict):
    pass


def make_utils(ValidationError):
    def getdate(string_date=None, parse_day_first=False):
        if not string_date:
            return datetime.date.today()
        if isinstance(string_date, datetime.datetime):
            return string_date.date()
        if isinstance(string_date, datetime.date):
            return string_date
        if _invalid(string_date):
            return None
        try:
            return parser.parse(string_date, dayfirst=parse_day_first).date()
        except ParserError:
            raise ValidationError("<strong>%s</strong> is not a valid date string." % string_date)

    def get_datetime(v=None):
        if isinstance(v, (datetime.datetime, datetime.timedelta)):
            return v
        if isinstance(v, datetime.date):
            return datetime.datetime.combine(v, datetime.time())
        if _invalid(v):
            return None
        try:
            return datetime.datetime.strptime(v, DATETIME_FORMAT)
        except ValueError:
            try:
                return parser.parse(v)
            except ParserError as e:
                raise ValueError(str(e))

    def add_to_date(date, years=0, months=0, weeks=0, days=0, hours=0, minutes=0,
                    seconds=0, as_string=False, as_datetime=False):
        if hours:
            as_datetime = True
        if isinstance(date, str):
            as_string = True
            if " " in date:
                as_datetime = True
            try:
                date = parser.parse(date)
            except ParserError:
                raise ValidationError("Please select a valid date filter")
        date = date + relativedelta(years=years, months=months, weeks=weeks, days=days,
                                    hours=hours, minutes=minutes, seconds=seconds)
        if as_string:
            return date.strftime(DATETIME_FORMAT if as_datetime else DATE_FORMAT)
        return date

    def time_diff(a, b):
        return get_datetime(a) - get_datetime(b)

    def get_first_day(dt, d_years=0, d_months=0, as_str=False):
        dt = getdate(dt)
        overflow_years, month = divmod(dt.month + d_months - 1, 12)
        d = datetime.date(dt.year + d_years + overflow_years, month + 1, 1)
        return d.strftime(DATE_FORMAT) if as_str else d

    def get_last_day(dt):
        return get_first_day(dt, 0, 1) + datetime.timedelta(-1)

    def get_quarter_start(dt, as_str=False):
        d = getdate(dt)
        q = datetime.date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
        return q.strftime(DATE_FORMAT) if as_str else q

    def get_quarter_ending(date):
        date = getdate(date)
        for month in (3, 6, 9, 12):
            end = get_last_day(datetime.date(date.year, month, 1))
            if date <= end:
                return end
        return date

    def get_year_start(dt, as_str=False):
        d = datetime.date(getdate(dt).year, 1, 1)
        return d.strftime(DATE_FORMAT) if as_str else d

    def get_year_ending(date):
        date = getdate(date)
        end = add_to_date("%d-01-01" % date.year, months=12)
        return add_to_date(end, days=-1)

    def get_first_day_of_week(dt, as_str=False):
        dt = getdate(dt)
        offset = (dt.weekday() + 1) % 7  # weeks start on Sunday
        d = dt - datetime.timedelta(days=offset)
        return d.strftime(DATE_FORMAT) if as_str else d

    def get_last_day_of_week(dt):
        return get_first_day_of_week(dt) + datetime.timedelta(days=6)

    def get_time(v):
        if isinstance(v, datetime.datetime):
            return v.time()
        if isinstance(v, datetime.time):
            return v
        if isinstance(v, datetime.timedelta):
            return (datetime.datetime.min + v).time()
        return parser.parse(v).time()

    def to_timedelta(v):
        if isinstance(v, datetime.time):
            v = str(v)
        if isinstance(v, str):
            t = parser.parse(v)
            return datetime.timedelta(hours=t.hour, minutes=t.minute, seconds=t.second,
                                      microseconds=t.microsecond)
        return v

    def get_time_str(td):
        if isinstance(td, str):
            td = to_timedelta(td)
        h, rest = divmod(td.seconds, 3600)
        m, s = divmod(rest, 60)
        return "%d:%d:%d" % (h, m, s)

    def get_datetime_str(v):
        if isinstance(v, str):
            v = get_datetime(v)
        return v.strftime(DATETIME_FORMAT)

    def get_date_str(v):
        if isinstance(v, str):
            v = get_datetime(v)
        return v.strftime(DATE_FORMAT)

    def format_duration(seconds, hide_days=False):
        seconds = int(seconds)
        days, hours = math.floor(seconds / 86400), math.floor(seconds % 86400 / 3600)
        if hide_days:
            hours, days = math.floor(seconds / 3600), 0
        parts = [(days, "d"), (hours, "h"), (math.floor(seconds % 3600 / 60), "m"),
                 (math.floor(seconds % 60), "s")]
        return " ".join("%d%s" % (n, u) for n, u in parts if n)

    def comma_sep(some_list, pattern, add_quotes=True):
        if not isinstance(some_list, (list, tuple)):
            return some_list
        items = [str(s) for s in some_list]
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        items = ["'%s'" % s for s in items] if add_quotes else items
        return pattern.format(", ".join(items[:-1]), items[-1])

    def quoted(url):
        return quote(str(url), safe="~@#$&()*!+=:;,.?/'")

    def url(uri):
        return SITE_URL + uri

    def form_url(doctype, name):
        return url("/app/%s/%s" % (quoted(doctype.lower().replace(" ", "-")), quoted(name)))

    def fmt_money(amount, precision=None, currency=None, format=None):
        info = {"#,###.##": (".", ",", 2), "#.###,##": (",", ".", 2),
                "#,##,###.##": (".", ",", 2), "#,###.###": (".", ",", 3),
                "#,###": ("", ",", 0)}
        number_format = format or "#,###.##"
        dec, comma, nfp = info.get(number_format, (".", ",", 2))
        if precision is None:
            precision = nfp
        if isinstance(amount, str):
            amount = round(float(amount.replace(",", "")), precision)
        if amount is None:
            amount = 0
        if dec and precision > 2:
            parts = str(round(amount % 1, precision)).split(".")
            decimals = parts[1] if len(parts) > 1 else parts[0]
            if len(decimals) < 3:
                precision = 2 if currency else nfp
            elif len(decimals) < precision:
                precision = len(decimals)
        amount = "%.*f" % (precision, round(float(amount), precision))
        decimals = amount.split(".")[1] if "." in amount else ""
        minus = "-" if float(amount) < 0 else ""
        amount = str(abs(float(amount))).split(".", 1)[0]
        parts = []
        if len(amount) > 3:
            parts.append(amount[-3:])
            amount = amount[:-3]
            n = 2 if number_format == "#,##,###.##" else 3
            while len(amount) > n:
                parts.append(amount[-n:])
                amount = amount[:-n]
        parts.append(amount)
        parts.reverse()
        amount = comma.join(parts) + ((precision and dec) and (dec + decimals) or "")
        if amount != "0":
            amount = minus + amount
        if currency:
            amount = "%s %s" % (currency, amount)
        return amount

    def get_abbr(string, max_len=2):
        abbr = ""
        for part in string.split(" "):
            if len(abbr) < max_len and part:
                abbr += part[0]
        return abbr or "?"

    def cast(fieldtype, value):
        if fieldtype in ("Currency", "Float", "Percent"):
            try:
                return float(str(value).replace(",", "")) if not isinstance(value, (int, float)) else float(value)
            except Exception:
                return 0.0
        if fieldtype in ("Int", "Check"):
            if isinstance(value, str) and value.lower() in ("true", "1"):
                value = True
            elif isinstance(value, str) and value.lower() in ("false", "0"):
                value = False
            try:
                return int(value)
            except Exception:
                try:
                    return int(float(value))
                except Exception:
                    return 0
        if fieldtype in ("Data", "Text", "Small Text", "Long Text", "Text Editor", "Select", "Link", "Dynamic Link"):
            return "" if value is None else str(value)
        if fieldtype == "Date":
            return getdate(value) if value else datetime.date(1, 1, 1)
        if fieldtype == "Datetime":
            return get_datetime(value) if value else datetime.datetime(1, 1, 1)
        return value

    def compare(val1, condition, val2, fieldtype=None):
        if fieldtype:
            val1, val2 = cast(fieldtype, val1), cast(fieldtype, val2)
        return OPERATORS[condition](val1, val2) if condition in OPERATORS else False

    class _d(dict):
        def __getattr__(self, k):
            return self.get(k)

    def get_filter(doctype, f):
        if isinstance(f, dict):
            key, value = next(iter(f.items()))
            f = [doctype, key, value[0], value[1]] if isinstance(value, (list, tuple)) else [doctype, key, "=", value]
        if not isinstance(f, (list, tuple)):
            raise ValidationError("Filter must be a tuple or list (in a list)")
        if len(f) == 3:
            f = (doctype, f[0], f[1], f[2])
        elif len(f) > 4:
            f = f[0:4]
        elif len(f) != 4:
            raise ValidationError("Filter must have 4 values (doctype, fieldname, operator, value): %s" % str(f))
        out = _d(doctype=f[0], fieldname=f[1], operator=f[2] or "=", value=f[3], fieldtype=None)
        if out.operator.lower() not in VALID_OPERATORS:
            raise ValidationError("Operator must be one of " + ", ".join(VALID_OPERATORS))
        return out

    def evaluate_filters(doc, filters):
        items = [{k: v} for k, v in filters.items()] if isinstance(filters, dict) else filters
        for d in items:
            f = get_filter(None, d)
            if not compare(doc.get(f.fieldname), f.operator, f.value, f.fieldtype):
                return False
        return True

    def get_month(dt=None):
        if not dt:
            dt = datetime.datetime.now()
        if isinstance(dt, str):
            dt = get_datetime(dt)
        return calendar.month_name[dt.month]

    def get_timestamp(date=None):
        # the run's site time zone is UTC (Frappe's time.mktime reads the process zone)
        return float(calendar.timegm(getdate(date).timetuple()))

    def orjson_dumps(obj, default=None, option=None, decode=True):
        opts = (option or 0) | 512 | 4
        out = _orjson(obj, default, opts)
        return out + "\n" if opts & 1024 else out

    def expand_relative_urls(html):
        site = SITE_URL[:-1] if SITE_URL.endswith("/") else SITE_URL

        def expand(m):
            g = list(m.groups())
            if not g[2].startswith(("mailto", "data:", "tel:")):
                if not g[2].startswith("/"):
                    g[2] = "/" + g[2]
                g.insert(2, site)
            if "url" in g[0] and g[1].startswith("(") and g[-1].endswith(")"):
                g.append(" !important")
            return "".join(g)

        return CSS_URL.sub(expand, RELATIVE_TAG_URL.sub(expand, html))

    def quote_urls(html):
        def q(m):
            g = list(m.groups())
            g[2] = quoted(g[2])
            return "".join(g)

        return HTTP_TAG_URL.sub(q, html)

    def add_trackers_to_url(url, source, campaign=None, medium=None, content=None):
        # no UTM records here: every slug lookup falls back to the value given
        parts = list(urlparse(url))
        if parts[0] == "mailto":
            return url
        trackers = {"utm_source": source}
        if medium:
            trackers["utm_medium"] = medium
        if campaign:
            trackers["utm_campaign"] = campaign
        if content:
            trackers["utm_content"] = content
        parts[4] = urlencode(dict(parse_qsl(parts[4])) | trackers)
        return urlunparse(parts)

    def map_trackers(url_trackers, create=False):
        out = {}
        for key, alt in (("utm_source", "source"), ("utm_medium", "medium"),
                         ("utm_campaign", "campaign")):
            v = url_trackers.get(key, url_trackers.get(alt))
            if v:
                v.lower()  # Frappe slugs the value to look its record up
                out[key] = v
        content = url_trackers.get("utm_content", url_trackers.get("content"))
        if content:
            out["utm_content"] = content
        return out

    return dict(
        get_month=get_month, get_timestamp=get_timestamp, orjson_dumps=orjson_dumps,
        expand_relative_urls=expand_relative_urls, scrub_urls=expand_relative_urls,
        quote_urls=quote_urls, add_trackers_to_url=add_trackers_to_url,
        map_trackers=map_trackers,
        parse_and_map_trackers_from_url=lambda url, create=False: map_trackers(
            dict(parse_qsl(urlparse(url).query)), create),
        compare=compare, get_filter=get_filter, evaluate_filters=evaluate_filters,
        DATE_FORMAT=DATE_FORMAT, TIME_FORMAT=TIME_FORMAT, DATETIME_FORMAT=DATETIME_FORMAT,
        getdate=getdate, get_datetime=get_datetime, add_to_date=add_to_date,
        add_days=lambda d, n: add_to_date(d, days=n),
        add_months=lambda d, n: add_to_date(d, months=n),
        add_years=lambda d, n: add_to_date(d, years=n),
        date_diff=lambda a, b: (getdate(a) - getdate(b)).days,
        month_diff=lambda a, b: (getdate(a).year - getdate(b).year) * 12
        + getdate(a).month - getdate(b).month + 1,
        time_diff=time_diff,
        time_diff_in_seconds=lambda a, b: time_diff(a, b).total_seconds(),
        time_diff_in_hours=lambda a, b: round(float(time_diff(a, b).total_seconds()) / 3600, 6),
        get_first_day=get_first_day, get_last_day=get_last_day,
        get_quarter_start=get_quarter_start, get_quarter_ending=get_quarter_ending,
        get_year_start=get_year_start, get_year_ending=get_year_ending,
        get_first_day_of_week=get_first_day_of_week, get_last_day_of_week=get_last_day_of_week,
        get_time=get_time, to_timedelta=to_timedelta, get_time_str=get_time_str,
        get_datetime_str=get_datetime_str, get_date_str=get_date_str,
        format_duration=format_duration,
        comma_and=lambda l, add_quotes=True: comma_sep(l, "{0} and {1}", add_quotes),
        comma_or=lambda l, add_quotes=True: comma_sep(l, "{0} or {1}", add_quotes),
        comma_sep=comma_sep,
        strip_html=lambda t: re.sub(r"(<!--.*?-->|<[^>]*>)", "", t),
        escape_html=lambda t: "".join({"&": "&amp;", '"': "&quot;", "'": "&apos;", ">": "&gt;",
                                        "<": "&lt;"}.get(c, c) for c in t) if isinstance(t, str) else t,
        quoted=quoted,
        get_url=lambda uri=None: SITE_URL if not uri else uri if uri.startswith(("http://", "https://")) else url(uri if uri.startswith("/") else "/" + uri),
        get_url_to_form=form_url,
        get_url_to_list=lambda dt: url("/app/%s" % quoted(dt.lower().replace(" ", "-"))),
        get_link_to_form=lambda dt, name, label=None: '<a href="%s">%s</a>' % (form_url(dt, name), label or name),
        fmt_money=fmt_money, get_abbr=get_abbr,
        unique=lambda seq: [x for i, x in enumerate(seq) if x not in seq[:i]],
        has_common=lambda a, b: set(a) & set(b),
        remainder=lambda n, d, precision=2: round(((n * 10**precision) % (d * 10**precision)) / 10**precision, precision) if precision else n % d,
        safe_div=lambda n, d, precision=2: 0.0 if d == 0 else round(float(n) / d, precision),
        make_filter_tuple=lambda dt, key, value: [dt, key, value[0], value[1]]
        if isinstance(value, (list, tuple)) else [dt, key, "=", value],
        make_filter_dict=lambda filters: {f[1]: (f[2], f[3]) for f in filters},
        is_subset=lambda a, b: len(list(set(a) & set(b))) == len(a),
        sha256_hash=lambda t: hashlib.sha256(str(t).encode()).hexdigest(),
        url_contains_port=lambda u: len(u.split(":")) > 2,
    )
