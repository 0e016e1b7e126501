//! String formatting: `format(value, spec)` (f-strings and `format()`), printf-style
//! `template % args`, and the safe `str.format` — whose fields may index and key data
//! (`{0[name]}`) and read data attributes (`{doc.status}`) but never private ones.

use std::fmt::Write;

use crate::ctx::{Ctx, PyResult};
use crate::object::{dict, doc, int, list, range, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::compare::{Num, as_num};
use crate::ops::{self, repr as pyrepr};
use crate::value::{Val, Value};

/// A parsed format spec: `[[fill]align][sign][#][0][width][grouping][.precision][type]`.
#[derive(Debug, Default, Clone)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub sign: Option<char>,
    pub alternate: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

pub fn parse_spec(ctx: &mut Ctx, spec: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut s = Spec::default();
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        s.width = Some(spec_number(ctx, &chars[start..i])?);
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(ctx.value_error("Format specifier missing precision"));
        }
        s.precision = Some(spec_number(ctx, &chars[start..i])?);
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err(ctx.value_error("Invalid format specifier"));
    }
    Ok(s)
}

/// A width or precision of a format spec: CPython refuses one past `sys.maxsize`.
fn spec_number(ctx: &mut Ctx, digits: &[char]) -> PyResult<usize> {
    match digits.iter().collect::<String>().parse::<i64>() {
        Ok(n) => Ok(n as usize),
        Err(_) => Err(ctx.value_error("Too many decimal digits in format string")),
    }
}

/// Digits of an int in base 10, refused past CPython's 4 300-digit limit (as `str()`).
pub fn int_decimal(ctx: &mut Ctx, n: &num_bigint::BigInt) -> PyResult<String> {
    // 2**14300 has 4 305 digits: beyond that the digits are not even computed
    if n.bits() > 14_300 {
        return Err(too_many_digits(ctx));
    }
    let s = n.to_string();
    if s.len() - usize::from(s.starts_with('-')) > 4300 {
        return Err(too_many_digits(ctx));
    }
    Ok(s)
}

#[cold]
fn too_many_digits(ctx: &mut Ctx) -> crate::ctx::Raised {
    ctx.value_error(
        "Exceeds the limit (4300 digits) for integer string conversion; \
         use sys.set_int_max_str_digits() to increase the limit",
    )
}

/// Digits of a double are exact up to 1 074 places after the point; past that they
/// are zeros (which Rust's formatter would refuse to print past 65 535 anyway).
const MAX_EXACT_PLACES: usize = 1100;

/// `a` (finite, ≥ 0) with `p` digits after the point.
fn fixed(a: f64, p: usize) -> String {
    if p <= MAX_EXACT_PLACES {
        return format!("{a:.p$}");
    }
    let mut s = format!("{a:.MAX_EXACT_PLACES$}");
    s.extend(std::iter::repeat_n('0', p - MAX_EXACT_PLACES));
    s
}

/// `a` (finite, ≥ 0) in Rust's `{:.pe}` form: mantissa with `p` places, `e`, exponent.
fn sci(a: f64, p: usize) -> String {
    if p <= MAX_EXACT_PLACES {
        return format!("{a:.p$e}");
    }
    let s = format!("{a:.MAX_EXACT_PLACES$e}");
    let (m, e) = s.split_once('e').expect("exponent");
    let mut out = String::with_capacity(p + 8);
    out.push_str(m);
    out.extend(std::iter::repeat_n('0', p - MAX_EXACT_PLACES));
    out.push('e');
    out.push_str(e);
    out
}

fn group(digits: &str, sep: char, every: usize) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Pads `body` (sign already separated) to the spec's width; a width the memory limit
/// cannot hold is a MemoryError before anything is allocated.
fn align(ctx: &mut Ctx, spec: &Spec, sign: &str, body: &str, numeric: bool) -> PyResult<String> {
    let width = spec.width.unwrap_or(0);
    let len = sign.chars().count() + body.chars().count();
    if len >= width {
        return Ok(format!("{sign}{body}"));
    }
    let pad = width - len;
    let fill_len = spec.fill.map_or(1, char::len_utf8);
    ctx.check_str_len(
        pad.saturating_mul(fill_len)
            .saturating_add(sign.len() + body.len()),
    )?;
    let (fill, align) = if spec.zero && spec.align.is_none() && numeric {
        ('0', '=')
    } else {
        (
            spec.fill.unwrap_or(' '),
            spec.align.unwrap_or(if numeric { '>' } else { '<' }),
        )
    };
    let fills = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    Ok(match align {
        '<' => format!("{sign}{body}{}", fills(pad)),
        '^' => format!("{}{sign}{body}{}", fills(pad / 2), fills(pad - pad / 2)),
        '=' => format!("{sign}{}{body}", fills(pad)),
        _ => format!("{}{sign}{body}", fills(pad)),
    })
}

/// `%s`, `%r`, `%c` pad on the left unless the `-` flag asks otherwise (unlike
/// `format()`, where text aligns left by default).
fn percent_text(spec: &Spec) -> Spec {
    let mut s = spec.clone();
    s.align.get_or_insert('>');
    s
}

fn sign_of(spec: &Spec, negative: bool) -> &'static str {
    match (negative, spec.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn format_float(ctx: &mut Ctx, f: f64, spec: &Spec) -> PyResult<String> {
    let negative = f.is_sign_negative() && !f.is_nan();
    let a = f.abs();
    let ty = spec.ty;
    let body = if !a.is_finite() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        if matches!(ty, Some('E' | 'F' | 'G')) {
            t.to_uppercase()
        } else {
            t.to_string()
        }
    } else {
        if let Some(p) = spec.precision {
            // CPython takes the precision as a C int
            if p > i32::MAX as usize {
                return Err(ctx.value_error("precision too big"));
            }
            // the digits are written out (`g` without `#` trims them)
            if p > MAX_EXACT_PLACES && (spec.alternate || !matches!(ty, Some('g' | 'G') | None)) {
                ctx.check_str_len(p.saturating_add(400))?;
            }
        }
        match ty {
            // `#` keeps the decimal point even with no digits after it
            Some('f' | 'F') => point(fixed(a, spec.precision.unwrap_or(6)), spec),
            Some('%') => {
                let s = point(fixed(a * 100.0, spec.precision.unwrap_or(6)), spec);
                format!("{s}%")
            }
            Some('e' | 'E') => {
                let s = sci(a, spec.precision.unwrap_or(6));
                let (m, e) = s.split_once('e').expect("exponent");
                let m = point(m.to_string(), spec);
                let e: i32 = e.parse().unwrap_or(0);
                let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                if ty == Some('E') {
                    out.to_uppercase()
                } else {
                    out
                }
            }
            Some('g' | 'G') | None => {
                if ty.is_none() && spec.precision.is_none() {
                    pyrepr::float_repr(a)
                } else {
                    let mut p = spec.precision.unwrap_or(6).max(1);
                    if !spec.alternate {
                        // the digits past a double's exact expansion are zeros, trimmed
                        p = p.min(MAX_EXACT_PLACES);
                    }
                    let exp = if a == 0.0 {
                        0
                    } else {
                        sci(a, p.min(MAX_EXACT_PLACES) - 1)
                            .split_once('e')
                            .unwrap()
                            .1
                            .parse::<i64>()
                            .unwrap_or(0)
                    };
                    let mut out = if exp < -4 || exp >= p as i64 {
                        let s = sci(a, p - 1);
                        let (m, _) = s.split_once('e').unwrap();
                        let m = if spec.alternate {
                            point(m.to_string(), spec)
                        } else {
                            trim_zeros(m)
                        };
                        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
                    } else {
                        let s = fixed(a, (p as i64 - 1 - exp).max(0) as usize);
                        if spec.alternate {
                            point(s, spec)
                        } else {
                            trim_zeros(&s)
                        }
                    };
                    if ty.is_none() && !out.contains(['.', 'e', 'n', 'i']) {
                        out.push_str(".0");
                    }
                    if ty == Some('G') {
                        out.to_uppercase()
                    } else {
                        out
                    }
                }
            }
            Some(c) => {
                return Err(ctx.value_error(format!(
                    "Unknown format code '{c}' for object of type 'float'"
                )));
            }
        }
    };
    let body = match spec.grouping {
        Some(sep) if a.is_finite() => {
            let (int_part, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                Some(i) => (&body[..i], &body[i..]),
                None => (body.as_str(), ""),
            };
            format!("{}{rest}", group(int_part, sep, 3))
        }
        _ => body,
    };
    align(ctx, spec, sign_of(spec, negative), &body, true)
}

/// The alternate form (`#`): a decimal point even when no digits follow it.
fn point(mut s: String, spec: &Spec) -> String {
    if spec.alternate && !s.contains('.') {
        s.push('.');
    }
    s
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn format_int(ctx: &mut Ctx, v: Value, spec: &Spec) -> PyResult<String> {
    let n = int::to_big(v).expect("int");
    // digits grow with the bits (hex, octal and binary have no digit limit)
    ctx.consume_bytes(n.bits() as usize)?;
    match spec.ty {
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
            let f = ops::compare::to_f64(ctx, v)?.unwrap_or(0.0);
            return format_float(ctx, f, spec);
        }
        Some('c') => {
            let c = num_traits::ToPrimitive::to_u32(&n).and_then(char::from_u32);
            return match c {
                Some(c) => align(ctx, spec, "", &c.to_string(), false),
                None => Err(ctx.overflow_error("%c arg not in range(0x110000)")),
            };
        }
        Some('s') => {
            return Err(ctx.value_error("Unknown format code 's' for object of type 'int'"));
        }
        _ => {}
    }
    if spec.precision.is_some() {
        return Err(ctx.value_error("Precision not allowed in integer format specifier"));
    }
    let negative = n.sign() == num_bigint::Sign::Minus;
    let mag = if negative { -n } else { n };
    let (digits, prefix, every) = match spec.ty {
        Some('x') => (mag.to_str_radix(16), "0x", 4),
        Some('X') => (mag.to_str_radix(16).to_uppercase(), "0X", 4),
        Some('o') => (mag.to_str_radix(8), "0o", 4),
        Some('b') => (mag.to_str_radix(2), "0b", 4),
        Some('d' | 'n') | None => (int_decimal(ctx, &mag)?, "", 3),
        Some(c) => {
            return Err(ctx.value_error(format!(
                "Unknown format code '{c}' for object of type 'int'"
            )));
        }
    };
    let digits = match spec.grouping {
        Some(sep) => group(&digits, sep, every),
        None => digits,
    };
    let sign = format!(
        "{}{}",
        sign_of(spec, negative),
        if spec.alternate { prefix } else { "" }
    );
    align(ctx, spec, &sign, &digits, true)
}

/// `format(v, spec)`.
pub fn format_value(ctx: &mut Ctx, v: Value, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return pyrepr::to_str(ctx, v);
    }
    if crate::object::date::get_date(v).is_some()
        || crate::object::date::get_datetime(v).is_some()
        || crate::object::date::get_time(v).is_some()
    {
        // date.__format__ is strftime (its spec is not a format mini-language spec)
        let r = crate::methods::call_method(ctx, v, "strftime", &[pystr::new(spec).v()], &[])?;
        return Ok(pystr::as_str(r.v()).unwrap_or("").to_string());
    }
    let s = parse_spec(ctx, spec)?;
    match as_num(v) {
        Some(Num::Float(f)) => format_float(ctx, f, &s),
        // bool has int's __format__: any non-empty spec formats 1 / 0
        Some(_) => format_int(ctx, v, &s),
        None => {
            if let Some(text) = pystr::as_str(v) {
                if s.ty.is_some_and(|t| t != 's') {
                    return Err(ctx.value_error(format!(
                        "Unknown format code '{}' for object of type 'str'",
                        s.ty.unwrap()
                    )));
                }
                if s.sign.is_some() {
                    return Err(ctx.value_error("Sign not allowed in string format specifier"));
                }
                let text = match s.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text.to_string(),
                };
                return align(ctx, &s, "", &text, false);
            }
            Err(ctx.type_error(format!(
                "unsupported format string passed to {}.__format__",
                ops::type_name(v)
            )))
        }
    }
}

// ---------------------------------------------------------------------- %-formatting

/// `template % args`.
pub fn percent(ctx: &mut Ctx, template: Value, args: Value) -> PyResult {
    let t = pystr::as_str(template).expect("str");
    let items: Vec<Val> = match tuple::get(args) {
        Some(items) => items.to_vec(),
        None => vec![Val::new_ref(args)],
    };
    // CPython takes any non-tuple, non-str argument that supports `[]` as the mapping
    // (`'a' % [1, 2]` is 'a'; `'%(k)s' % [1]` fails on the lookup, not on the type)
    let subscriptable = dict::get(args).is_some()
        || list::get(args).is_some()
        || doc::get(args).is_some()
        || range::get(args).is_some();
    let mapping = subscriptable.then_some(args);
    let mut next = 0usize;
    let mut out = String::with_capacity(t.len());
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        let conv_start = i;
        i += 1;
        if i >= chars.len() {
            return Err(ctx.value_error("incomplete format"));
        }
        // %(key)
        let mut keyed: Option<Val> = None;
        if chars[i] == '(' {
            let end = chars[i..].iter().position(|&c| c == ')').map(|p| p + i);
            let Some(end) = end else {
                return Err(ctx.value_error("incomplete format key"));
            };
            let key: String = chars[i + 1..end].iter().collect();
            let Some(m) = mapping else {
                return Err(ctx.type_error("format requires a mapping"));
            };
            let k = pystr::new(key);
            keyed = Some(ops::subscript::getitem(ctx, m, k.v())?);
            i = end + 1;
        }
        let mut spec = Spec::default();
        while i < chars.len() && matches!(chars[i], '-' | '+' | ' ' | '#' | '0') {
            match chars[i] {
                '-' => spec.align = Some('<'),
                '+' => spec.sign = Some('+'),
                ' ' => {
                    if spec.sign.is_none() {
                        spec.sign = Some(' ')
                    }
                }
                '#' => spec.alternate = true,
                _ => spec.zero = true,
            }
            i += 1;
        }
        let take_star = |ctx: &mut Ctx, next: &mut usize| -> PyResult<i64> {
            let v = items.get(*next).cloned();
            *next += 1;
            match v {
                Some(v) if int::is_int(v.v()) => match int::to_i64(v.v()) {
                    Some(n) => Ok(n),
                    None => Err(ctx.overflow_error("Python int too large to convert to C ssize_t")),
                },
                _ => Err(ctx.type_error("* wants int")),
            }
        };
        // a width or precision written out: CPython refuses one past sys.maxsize
        let number = |ctx: &mut Ctx, digits: &[char], what: &str| -> PyResult<usize> {
            match digits.iter().collect::<String>().parse::<i64>() {
                Ok(n) => Ok(n as usize),
                Err(_) => Err(ctx.value_error(format!("{what} too big"))),
            }
        };
        if i < chars.len() && chars[i] == '*' {
            let w = take_star(ctx, &mut next)?;
            // a negative width from `*` aligns left
            if w < 0 {
                spec.align = Some('<');
            }
            spec.width = Some(w.unsigned_abs() as usize);
            i += 1;
        } else {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i > s {
                spec.width = Some(number(ctx, &chars[s..i], "width")?);
            }
        }
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            if i < chars.len() && chars[i] == '*' {
                spec.precision = Some(take_star(ctx, &mut next)?.max(0) as usize);
                i += 1;
            } else {
                let s = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                spec.precision = Some(if i > s {
                    number(ctx, &chars[s..i], "precision")?
                } else {
                    0
                });
            }
        }
        while i < chars.len() && matches!(chars[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        if i >= chars.len() {
            return Err(ctx.value_error("incomplete format"));
        }
        let conv = chars[i];
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let arg = match keyed {
            Some(v) => v,
            None => {
                if mapping.is_some() && tuple::get(args).is_none() {
                    Val::new_ref(args)
                } else {
                    match items.get(next) {
                        Some(v) => {
                            next += 1;
                            v.clone()
                        }
                        None => {
                            return Err(ctx.type_error("not enough arguments for format string"));
                        }
                    }
                }
            }
        };
        let v = arg.v();
        let piece = match conv {
            's' | 'r' | 'a' => {
                let text = if conv == 's' {
                    pyrepr::to_str(ctx, v)?
                } else {
                    pyrepr::repr(ctx, v)?
                };
                let text = match spec.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                };
                spec.zero = false;
                align(ctx, &percent_text(&spec), "", &text, false)?
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let n = match as_num(v) {
                    Some(Num::Float(f)) => crate::ops::convert::float_to_int(ctx, f)?,
                    Some(_) => Val::new_ref(v),
                    None => {
                        let what = if conv == 'x' || conv == 'X' || conv == 'o' {
                            "an integer"
                        } else {
                            "a real number"
                        };
                        return Err(ctx.type_error(format!(
                            "%{conv} format: {what} is required, not {}",
                            ops::type_name(v)
                        )));
                    }
                };
                spec.ty = Some(match conv {
                    'x' | 'X' | 'o' => conv,
                    _ => 'd',
                });
                let mut s = format_int(
                    ctx,
                    n.v(),
                    &Spec {
                        precision: None,
                        ..spec.clone()
                    },
                )?;
                if let Some(p) = spec.precision {
                    // %.3d pads the digits with zeros
                    let negative = s.starts_with('-');
                    let digits = s.trim_start_matches('-');
                    if digits.len() < p {
                        ctx.check_str_len(p.saturating_add(1))?;
                        s = format!(
                            "{}{}{digits}",
                            if negative { "-" } else { "" },
                            "0".repeat(p - digits.len())
                        );
                    }
                }
                s
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let Some(f) = ops::compare::to_f64(ctx, v)? else {
                    return Err(
                        ctx.type_error(format!("must be real number, not {}", ops::type_name(v)))
                    );
                };
                spec.ty = Some(conv);
                if spec.precision.is_none() {
                    spec.precision = Some(6);
                }
                format_float(ctx, f, &spec)?
            }
            'c' => match pystr::get(v) {
                Some(s) if s.nchars == 1 => {
                    align(ctx, &percent_text(&spec), "", s.as_str(), false)?
                }
                _ => match int::to_i64(v)
                    .and_then(|n| u32::try_from(n).ok())
                    .and_then(char::from_u32)
                {
                    Some(c) => align(ctx, &percent_text(&spec), "", &c.to_string(), false)?,
                    None => return Err(ctx.type_error("%c requires int or char")),
                },
            },
            other => {
                return Err(ctx.value_error(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {}",
                    other as u32,
                    conv_start + 1 + chars[conv_start + 1..i - 1].len()
                )));
            }
        };
        ctx.check_str_len(out.len().saturating_add(piece.len()))?;
        out.push_str(&piece);
    }
    ctx.consume_bytes(out.len())?;
    if mapping.is_none() && next < items.len() && tuple::get(args).is_some() {
        return Err(ctx.type_error("not all arguments converted during string formatting"));
    }
    if mapping.is_none() && tuple::get(args).is_none() && next == 0 && !items.is_empty() {
        return Err(ctx.type_error("not all arguments converted during string formatting"));
    }
    Ok(pystr::new(out))
}

// ---------------------------------------------------------------------- str.format

/// `template.format(*args, **kwargs)`.
pub fn str_format(
    ctx: &mut Ctx,
    template: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult<String> {
    let mut out = String::new();
    let mut auto = 0usize;
    let mut numbering: Option<bool> = None; // Some(true) = automatic
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(ctx.value_error("Single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            out.push('{');
            i += 2;
            continue;
        }
        // find the matching '}' (one level of nesting inside the spec)
        let mut depth = 1;
        let mut j = i + 1;
        while j < chars.len() && depth > 0 {
            match chars[j] {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        if depth > 0 {
            return Err(ctx.value_error("expected '}' before end of string"));
        }
        let field: String = chars[i + 1..j - 1].iter().collect();
        i = j;
        let (name_part, rest) = match field.find([':', '!']) {
            Some(p) => (&field[..p], &field[p..]),
            None => (field.as_str(), ""),
        };
        let (conversion, spec) = match rest.strip_prefix('!') {
            Some(r) => {
                let conv = r.chars().next();
                let after = &r[conv.map(char::len_utf8).unwrap_or(0)..];
                match after.strip_prefix(':') {
                    Some(s) => (conv, s.to_string()),
                    None if after.is_empty() => (conv, String::new()),
                    None => return Err(ctx.value_error("expected ':' after conversion specifier")),
                }
            }
            None => (None, rest.strip_prefix(':').unwrap_or("").to_string()),
        };
        // the first name component, then `.attr` / `[key]` accessors
        let first_end = name_part.find(['.', '[']).unwrap_or(name_part.len());
        let first = &name_part[..first_end];
        let mut value = if first.is_empty() {
            if numbering == Some(false) {
                return Err(ctx.value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            numbering = Some(true);
            let v = args.get(auto).copied();
            auto += 1;
            match v {
                Some(v) => Val::new_ref(v),
                None => {
                    return Err(ctx.index_error(format!(
                        "Replacement index {} out of range for positional args tuple",
                        auto - 1
                    )));
                }
            }
        } else if let Ok(n) = first.parse::<usize>() {
            if numbering == Some(true) {
                return Err(ctx.value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            numbering = Some(false);
            match args.get(n) {
                Some(v) => Val::new_ref(*v),
                None => {
                    return Err(ctx.index_error(format!(
                        "Replacement index {n} out of range for positional args tuple"
                    )));
                }
            }
        } else {
            match kwargs.iter().find(|(k, _)| *k == first) {
                Some((_, v)) => Val::new_ref(*v),
                None => return Err(ctx.key_error(pystr::new(first))),
            }
        };
        let mut rest = &name_part[first_end..];
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                let attr = &r[..end];
                if attr.starts_with('_') {
                    return Err(ctx.attribute_error(format!(
                        "\"{attr}\" is an invalid attribute name because it starts with \"_\""
                    )));
                }
                value = ops::attr::getattr(ctx, value.v(), attr)?;
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else {
                    return Err(ctx.value_error("Missing ']' in format string"));
                };
                let key = &r[..end];
                let k = match key.parse::<i64>() {
                    Ok(n) => Val::int(n),
                    Err(_) => pystr::new(key),
                };
                value = ops::subscript::getitem(ctx, value.v(), k.v())?;
                rest = &r[end + 1..];
            } else {
                return Err(
                    ctx.value_error("Only '.' or '[' may follow ']' in format field specifier")
                );
            }
        }
        let value = match conversion {
            Some('r') => pystr::new(pyrepr::repr(ctx, value.v())?),
            Some('s') => pystr::new(pyrepr::to_str(ctx, value.v())?),
            Some('a') => crate::builtins::py::ascii(ctx, &[value.v()], &[])?,
            Some(c) => return Err(ctx.value_error(format!("Unknown conversion specifier {c}"))),
            None => value,
        };
        // nested fields in the spec (`{x:{width}}`)
        let spec = if spec.contains('{') {
            str_format_nested(ctx, &spec, args, kwargs, &mut auto)?
        } else {
            spec
        };
        let text = format_value(ctx, value.v(), &spec)?;
        let _ = write!(out, "{text}");
        ctx.check_str_len(out.len())?;
    }
    ctx.consume_bytes(out.len())?;
    Ok(out)
}

fn str_format_nested(
    ctx: &mut Ctx,
    spec: &str,
    args: &[Value],
    kwargs: &Kwargs,
    auto: &mut usize,
) -> PyResult<String> {
    let mut out = String::new();
    let mut rest = spec;
    while let Some(p) = rest.find('{') {
        out.push_str(&rest[..p]);
        let Some(q) = rest[p..].find('}') else {
            return Err(ctx.value_error("expected '}' before end of string"));
        };
        let name = &rest[p + 1..p + q];
        let v = if name.is_empty() {
            let v = args.get(*auto).copied();
            *auto += 1;
            v
        } else if let Ok(n) = name.parse::<usize>() {
            args.get(n).copied()
        } else {
            kwargs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        };
        match v {
            Some(v) => out.push_str(&pyrepr::to_str(ctx, v)?),
            None => return Err(ctx.key_error(pystr::new(name))),
        }
        rest = &rest[p + q + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_inserts_separators_from_the_right() {
        assert_eq!(group("1234567", ',', 3), "1,234,567");
        assert_eq!(group("123", ',', 3), "123");
        assert_eq!(group("ffff1", '_', 4), "f_fff1");
    }
}
