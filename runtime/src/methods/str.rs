//! String methods. Positions and lengths are in code points, as in Python.

use crate::builtins::args::{exactly, kwarg, no_kwargs, parse};
use crate::ctx::{Ctx, PyResult};
use crate::object::str::StrObj;
use crate::object::{int, list, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::{self, iter};
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "split",
    "rsplit",
    "splitlines",
    "strip",
    "lstrip",
    "rstrip",
    "join",
    "replace",
    "startswith",
    "endswith",
    "lower",
    "upper",
    "title",
    "capitalize",
    "swapcase",
    "casefold",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "format",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "isdigit",
    "isdecimal",
    "isnumeric",
    "isalpha",
    "isalnum",
    "isspace",
    "islower",
    "isupper",
    "istitle",
    "isidentifier",
    "isascii",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
    "expandtabs",
];

fn str_arg<'a>(ctx: &mut Ctx, fname: &str, v: Value) -> PyResult<&'a str> {
    match pystr::as_str(v) {
        Some(s) => Ok(s),
        None => Err(ctx.type_error(format!(
            "{fname}() argument must be str, not {}",
            ops::type_name(v)
        ))),
    }
}

fn opt_str<'a>(ctx: &mut Ctx, fname: &str, v: Option<Value>) -> PyResult<Option<&'a str>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => str_arg(ctx, fname, v).map(Some),
    }
}

/// Python's whitespace for `split()`/`strip()` (includes \x1c–\x1f).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn split_whitespace(s: &str, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 == maxsplit {
            out.push(rest.to_string());
            return out;
        }
        let end = rest.find(is_py_space).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = rest[end..].trim_start_matches(is_py_space);
    }
    out
}

fn rsplit_whitespace(s: &str, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_end_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 == maxsplit {
            out.push(rest.to_string());
            break;
        }
        let start = rest
            .rfind(is_py_space)
            .map(|i| i + rest[i..].chars().next().unwrap().len_utf8())
            .unwrap_or(0);
        out.push(rest[start..].to_string());
        rest = rest[..start].trim_end_matches(is_py_space);
    }
    out.reverse();
    out
}

/// Code-point bounds `[start:end]` of a `find`/`count`-style call, as byte offsets.
fn bounds(s: &pystr::StrObj, start: Option<Value>, end: Option<Value>) -> (usize, usize) {
    let n = s.nchars as i64;
    let clamp = |v: Option<Value>, default: i64| -> i64 {
        match v.and_then(int::to_i64) {
            Some(i) if i < 0 => (i + n).max(0),
            Some(i) => i.min(n),
            None => default,
        }
    };
    let (a, b) = (clamp(start, 0), clamp(end, n));
    if a > b {
        return (usize::MAX, usize::MAX);
    }
    (s.byte_offset(a as usize), s.byte_offset(b as usize))
}

fn char_index(s: &str, byte: usize) -> i64 {
    s[..byte].chars().count() as i64
}

fn list_of(parts: Vec<String>) -> Val {
    list::new(parts.into_iter().map(pystr::new).collect())
}

fn pad(
    ctx: &mut Ctx,
    s: &str,
    nchars: usize,
    width: Option<Value>,
    fill: Option<Value>,
    align: char,
) -> PyResult {
    let Some(w) = width.and_then(int::to_i64) else {
        return Err(ctx.type_error("an integer is required"));
    };
    let fill = match fill {
        Some(f) => match pystr::get(f) {
            Some(p) if p.nchars == 1 => p.as_str().chars().next().unwrap(),
            _ => {
                return Err(ctx.type_error("The fill character must be exactly one character long"));
            }
        },
        None => ' ',
    };
    let w = w.max(0) as usize;
    if w <= nchars {
        return Ok(pystr::new(s));
    }
    ctx.check_str_len(w.saturating_mul(fill.len_utf8()).saturating_add(s.len()))?;
    let total = w - nchars;
    let (left, right) = match align {
        '<' => (0, total),
        '>' => (total, 0),
        // CPython's str.center: the odd extra character goes left when the width is odd
        _ => {
            let left = total / 2 + (total & w & 1);
            (left, total - left)
        }
    };
    let mut out = String::with_capacity(s.len() + total);
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    Ok(pystr::new(out))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            super::titlecase::push_titlecase(&mut out, c);
        }
        // only cased letters continue a word ('中a'.title() == '中A')
        prev_cased = is_cased(c);
    }
    out
}

/// Cased characters (Lu, Ll, Lt and the other upper/lowercase ones).
fn is_cased(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    c.is_lowercase() || c.is_uppercase() || get_general_category(c) == G::TitlecaseLetter
}

/// `lower()` (`upper` false) and `upper()`: the string itself when no letter changes
/// (the common case of `word.lower()` on lowercase text), an ASCII-only pass when the
/// text is ASCII.
#[inline]
pub(super) fn m_case(obj: Value, so: &StrObj, upper: bool) -> Val {
    let s: &str = so.as_str();
    if so.nchars != s.len() {
        let new = if upper {
            s.to_uppercase()
        } else {
            s.to_lowercase()
        };
        return same_or_new(obj, s, new);
    }
    let changes = |b: &u8| {
        if upper {
            b.is_ascii_lowercase()
        } else {
            b.is_ascii_uppercase()
        }
    };
    if !s.bytes().any(|b| changes(&b)) {
        return Val::new_ref(obj);
    }
    pystr::new_ascii_case(s, upper)
}

/// `obj` itself when `new` has the same text, else a new string.
fn same_or_new(obj: Value, s: &str, new: String) -> Val {
    if new == s {
        Val::new_ref(obj)
    } else {
        pystr::new(new)
    }
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let so = pystr::get(obj).unwrap();
    let s: &str = so.as_str();
    // every method but a few reads the whole text once or more: charged by its size
    // (the `m_*` functions, shared with the fast entries, charge their own work)
    ctx.consume_bytes(s.len())?;
    match name {
        "split" | "rsplit" => m_split(ctx, so, name, args, kwargs),
        "splitlines" => {
            let [keepends] = parse(ctx, name, ["keepends"], 0, args, kwargs)?;
            let keep = keepends.is_some_and(ops::truthy);
            let mut out = Vec::new();
            let mut start = 0;
            let mut chars = s.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let brk = matches!(
                    c,
                    '\n' | '\r'
                        | '\x0b'
                        | '\x0c'
                        | '\x1c'
                        | '\x1d'
                        | '\x1e'
                        | '\u{85}'
                        | '\u{2028}'
                        | '\u{2029}'
                );
                if brk {
                    let mut end = i + c.len_utf8();
                    if c == '\r' && chars.peek().map(|(_, n)| *n) == Some('\n') {
                        chars.next();
                        end += 1;
                    }
                    out.push(if keep {
                        s[start..end].to_string()
                    } else {
                        s[start..i].to_string()
                    });
                    start = end;
                }
            }
            if start < s.len() {
                out.push(s[start..].to_string());
            }
            Ok(list_of(out))
        }
        "strip" | "lstrip" | "rstrip" => m_strip(ctx, obj, so, name, args, kwargs),
        "join" => m_join(ctx, so, args, kwargs),
        "replace" => m_replace(ctx, so, name, args, kwargs),
        "startswith" | "endswith" => m_startswith(ctx, so, name, args, kwargs),
        // strings are immutable: one that the case change leaves as it is comes back
        // itself (no copy), the common case of `word.lower()` on lowercase text
        "lower" => Ok(m_case(obj, so, false)),
        "upper" => Ok(m_case(obj, so, true)),
        // full case folding differs from lowercase for ß and a final sigma (the rest of
        // CaseFolding.txt's differences — ligatures, some Greek and Armenian letters —
        // are not covered)
        "casefold" => Ok(same_or_new(
            obj,
            s,
            s.to_lowercase().replace('ß', "ss").replace('ς', "σ"),
        )),
        "swapcase" => Ok(pystr::new(
            s.chars()
                .flat_map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().collect::<Vec<_>>()
                    } else {
                        c.to_uppercase().collect()
                    }
                })
                .collect::<String>(),
        )),
        "title" => Ok(pystr::new(title(s))),
        "capitalize" => {
            let mut chars = s.chars();
            let mut out = String::with_capacity(s.len());
            if let Some(f) = chars.next() {
                super::titlecase::push_titlecase(&mut out, f);
                out.extend(chars.flat_map(char::to_lowercase));
            }
            Ok(pystr::new(out))
        }
        "find" | "rfind" | "index" | "rindex" | "count" => {
            let [sub, start, end] = parse(ctx, name, ["sub", "start", "end"], 1, args, kwargs)?;
            let sub = str_arg(ctx, name, sub.unwrap())?;
            let (a, b) = bounds(so, start, end);
            if name == "count" {
                if a == usize::MAX {
                    return Ok(Val::int(0));
                }
                let window = &s[a..b];
                let n = if sub.is_empty() {
                    window.chars().count() + 1
                } else {
                    window.matches(sub).count()
                };
                return Ok(Val::int(n as i64));
            }
            let found = if a == usize::MAX {
                None
            } else if name.starts_with('r') {
                s[a..b].rfind(sub).map(|i| i + a)
            } else {
                s[a..b].find(sub).map(|i| i + a)
            };
            match found {
                Some(byte) => Ok(Val::int(char_index(s, byte))),
                None if name.ends_with("find") => Ok(Val::int(-1)),
                None => Err(ctx.value_error("substring not found")),
            }
        }
        "format" => crate::format::str_format(ctx, s, args, kwargs).map(pystr::new),
        "zfill" => {
            let [w] = exactly(ctx, "zfill", 1, args, kwargs)? else {
                unreachable!()
            };
            let w = int::to_i64(*w).unwrap_or(0).max(0) as usize;
            if w <= so.nchars {
                return Ok(Val::new_ref(obj));
            }
            ctx.check_str_len(w)?;
            let zeros = "0".repeat(w - so.nchars);
            Ok(pystr::new(match s.chars().next() {
                Some(c @ ('+' | '-')) => format!("{c}{zeros}{}", &s[1..]),
                _ => format!("{zeros}{s}"),
            }))
        }
        "center" | "ljust" | "rjust" => {
            no_kwargs(ctx, name, kwargs)?;
            let align = match name {
                "ljust" => '<',
                "rjust" => '>',
                _ => '^',
            };
            pad(
                ctx,
                s,
                so.nchars,
                args.first().copied(),
                args.get(1).copied(),
                align,
            )
        }
        "isdecimal" => Ok(Val::bool(!s.is_empty() && s.chars().all(is_py_decimal))),
        "isdigit" => Ok(Val::bool(!s.is_empty() && s.chars().all(is_py_digit))),
        "isnumeric" => Ok(Val::bool(!s.is_empty() && s.chars().all(char::is_numeric))),
        "isalpha" => Ok(Val::bool(!s.is_empty() && s.chars().all(is_py_alpha))),
        "isalnum" => Ok(Val::bool(
            !s.is_empty() && s.chars().all(|c| is_py_alpha(c) || c.is_numeric()),
        )),
        "isspace" => Ok(Val::bool(!s.is_empty() && s.chars().all(is_py_space))),
        "islower" => Ok(Val::bool(
            s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase),
        )),
        "isupper" => Ok(Val::bool(
            s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase),
        )),
        "istitle" => Ok(Val::bool(
            s.chars().any(char::is_alphabetic) && title(s) == s,
        )),
        "isidentifier" => {
            let mut chars = s.chars();
            Ok(Val::bool(
                chars
                    .next()
                    .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
                    && chars.all(unicode_ident::is_xid_continue),
            ))
        }
        "isascii" => Ok(Val::bool(s.is_ascii())),
        "partition" | "rpartition" => {
            let [sep] = exactly(ctx, name, 1, args, kwargs)? else {
                unreachable!()
            };
            let sep = str_arg(ctx, name, *sep)?;
            if sep.is_empty() {
                return Err(ctx.value_error("empty separator"));
            }
            let found = if name == "partition" {
                s.find(sep)
            } else {
                s.rfind(sep)
            };
            let parts = match found {
                Some(i) => [&s[..i], sep, &s[i + sep.len()..]],
                None if name == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            Ok(tuple::new(parts.iter().map(|p| pystr::new(*p)).collect()))
        }
        "removeprefix" | "removesuffix" => {
            let [affix] = exactly(ctx, name, 1, args, kwargs)? else {
                unreachable!()
            };
            let affix = str_arg(ctx, name, *affix)?;
            let r = if name == "removeprefix" {
                s.strip_prefix(affix)
            } else {
                s.strip_suffix(affix)
            };
            Ok(pystr::new(r.unwrap_or(s)))
        }
        "expandtabs" => {
            let tabsize = kwarg(kwargs, "tabsize")
                .or(args.first().copied())
                .and_then(int::to_i64)
                .unwrap_or(8)
                .max(0) as usize;
            // the length first: a huge tab size is a MemoryError before any padding
            let mut len = 0usize;
            let mut col = 0usize;
            for c in s.chars() {
                match c {
                    '\t' if tabsize > 0 => {
                        let n = tabsize - col % tabsize;
                        len = len.saturating_add(n);
                        col = col.saturating_add(n);
                    }
                    '\t' => {}
                    '\n' | '\r' => {
                        len += 1;
                        col = 0;
                    }
                    _ => {
                        len += c.len_utf8();
                        col += 1;
                    }
                }
            }
            ctx.check_str_len(len)?;
            ctx.consume(len / 64)?;
            let mut out = String::with_capacity(len);
            let mut col = 0;
            for c in s.chars() {
                match c {
                    '\t' => {
                        if tabsize > 0 {
                            let n = tabsize - col % tabsize;
                            out.extend(std::iter::repeat_n(' ', n));
                            col += n;
                        }
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        col = 0;
                    }
                    _ => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            Ok(pystr::new(out))
        }
        _ => unreachable!("{name} is in NAMES"),
    }
}

/// `str.isalpha()` per character: Unicode letters (Lu, Ll, Lt, Lm, Lo) — not letter
/// numbers such as `Ⅻ` or combining marks, which Rust's `is_alphabetic` includes.
fn is_py_alpha(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// `str.isdecimal()`: decimal digits of any script (Nd).
fn is_py_decimal(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    get_general_category(c) == G::DecimalNumber
}

/// `str.isdigit()`: decimal digits plus the other characters whose Unicode numeric type
/// is Digit (superscripts, subscripts, circled and parenthesised digits…).
fn is_py_digit(c: char) -> bool {
    is_py_decimal(c)
        || matches!(
            c,
            '\u{00B2}' | '\u{00B3}' | '\u{00B9}'
                | '\u{1369}'..='\u{1371}'
                | '\u{19DA}'
                | '\u{2070}'
                | '\u{2074}'..='\u{2079}'
                | '\u{2080}'..='\u{2089}'
                | '\u{2460}'..='\u{2468}'
                | '\u{2474}'..='\u{247C}'
                | '\u{2488}'..='\u{2490}'
                | '\u{24EA}'
                | '\u{24F5}'..='\u{24FD}'
                | '\u{24FF}'
                | '\u{2776}'..='\u{277E}'
                | '\u{2780}'..='\u{2788}'
                | '\u{278A}'..='\u{2792}'
                | '\u{10A40}'..='\u{10A43}'
                | '\u{1F100}'..='\u{1F10A}'
        )
}

/// `split` / `rsplit` (`name` says which).
pub(super) fn m_split(
    ctx: &mut Ctx,
    so: &StrObj,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let s: &str = so.as_str();
    let [sep, maxsplit] = parse(ctx, name, ["sep", "maxsplit"], 0, args, kwargs)?;
    let max = maxsplit.and_then(int::to_i64).unwrap_or(-1);
    ctx.consume_bytes(s.len())?;
    match opt_str(ctx, name, sep)? {
        None => Ok(list_of(if name == "split" {
            split_whitespace(s, max)
        } else {
            rsplit_whitespace(s, max)
        })),
        Some("") => Err(ctx.value_error("empty separator")),
        Some(sep) if name == "split" && sep.len() == 1 && sep.as_bytes()[0].is_ascii() => {
            // `split(" ")`, `split(",")`: a byte loop (an ASCII byte never occurs inside
            // a multi-byte character), and pieces of an ASCII text are ASCII, so their
            // length in code points is known
            let sep = sep.as_bytes()[0];
            let ascii = so.is_ascii();
            let piece = |t: &str| {
                if ascii {
                    pystr::new_ascii(t)
                } else {
                    pystr::new(t)
                }
            };
            let limit = usize::try_from(max).unwrap_or(usize::MAX);
            let mut parts: Vec<Val> = Vec::new();
            let mut start = 0;
            for (i, &b) in s.as_bytes().iter().enumerate() {
                if b == sep {
                    if parts.len() == limit {
                        break;
                    }
                    parts.push(piece(&s[start..i]));
                    start = i + 1;
                }
            }
            parts.push(piece(&s[start..]));
            Ok(list::new(parts))
        }
        Some(sep) => {
            // a one-byte separator (`" "`, `","`) splits with a byte search
            // rather than the substring searcher
            let byte = match sep.as_bytes() {
                [b] if b.is_ascii() => Some(*b as char),
                _ => None,
            };
            macro_rules! split_by {
                ($pat:expr) => {{
                    let pat = $pat;
                    let mut parts: Vec<Val> = match (name == "split", max < 0) {
                        (true, true) => s.split(pat).map(pystr::new).collect(),
                        (true, false) => s.splitn(max as usize + 1, pat).map(pystr::new).collect(),
                        (false, true) => s.rsplit(pat).map(pystr::new).collect(),
                        (false, false) => {
                            s.rsplitn(max as usize + 1, pat).map(pystr::new).collect()
                        }
                    };
                    if name == "rsplit" {
                        parts.reverse();
                    }
                    parts
                }};
            }
            let parts = match byte {
                Some(c) => split_by!(c),
                None => split_by!(sep),
            };
            Ok(list::new(parts))
        }
    }
}

/// `strip` / `lstrip` / `rstrip` (`name` says which).
pub(super) fn m_strip(
    ctx: &mut Ctx,
    obj: Value,
    so: &StrObj,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let s: &str = so.as_str();
    ctx.consume_bytes(s.len())?;
    let [chars] = parse(ctx, name, ["chars"], 0, args, kwargs)?;
    let set = opt_str(ctx, name, chars)?;
    let pred = |c: char| match set {
        Some(set) => set.contains(c),
        None => is_py_space(c),
    };
    let r = match name {
        "strip" => s.trim_matches(pred),
        "lstrip" => s.trim_start_matches(pred),
        _ => s.trim_end_matches(pred),
    };
    Ok(if r.len() == s.len() {
        Val::new_ref(obj)
    } else {
        pystr::new(r)
    })
}

/// `join`.
pub(super) fn m_join(ctx: &mut Ctx, so: &StrObj, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let s: &str = so.as_str();
    let [items] = exactly(ctx, "join", 1, args, kwargs)? else {
        unreachable!()
    };
    let items = iter::collect(ctx, *items)?;
    ctx.consume(items.len())?;
    let mut total = s.len().saturating_mul(items.len().saturating_sub(1));
    for (i, x) in items.iter().enumerate() {
        match pystr::as_str(x.v()) {
            Some(t) => total += t.len(),
            None => {
                return Err(ctx.type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    ops::type_name(x.v())
                )));
            }
        }
    }
    ctx.check_str_len(total)?;
    ctx.consume_bytes(total)?;
    let mut out = String::with_capacity(total);
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(s);
        }
        out.push_str(pystr::as_str(x.v()).unwrap());
    }
    Ok(pystr::new(out))
}

/// `replace` (`name` says which).
pub(super) fn m_replace(
    ctx: &mut Ctx,
    so: &StrObj,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let s: &str = so.as_str();
    let [old, new, count] = parse(ctx, name, ["old", "new", "count"], 2, args, kwargs)?;
    let old = str_arg(ctx, "replace", old.unwrap())?;
    let new = str_arg(ctx, "replace", new.unwrap())?;
    let count = count.and_then(int::to_i64).unwrap_or(-1);
    ctx.consume_bytes(s.len())?;
    let occurrences = if old.is_empty() {
        so.nchars + 1
    } else {
        s.matches(old).count()
    };
    let n = if count < 0 {
        occurrences
    } else {
        occurrences.min(count as usize)
    };
    let size = s.len().saturating_add(n.saturating_mul(new.len()));
    ctx.check_str_len(size)?;
    ctx.consume_bytes(size)?;
    if old.is_empty() {
        let mut out = String::new();
        let mut done = 0;
        for c in s.chars() {
            if done < n {
                out.push_str(new);
                done += 1;
            }
            out.push(c);
        }
        if done < n {
            out.push_str(new);
        }
        return Ok(pystr::new(out));
    }
    Ok(pystr::new(if count < 0 {
        s.replace(old, new)
    } else {
        s.replacen(old, new, n)
    }))
}

/// `startswith` / `endswith` (`name` says which).
pub(super) fn m_startswith(
    ctx: &mut Ctx,
    so: &StrObj,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let s: &str = so.as_str();
    let [prefix, start, end] = parse(ctx, name, ["prefix", "start", "end"], 1, args, kwargs)?;
    let (a, b) = bounds(so, start, end);
    if a == usize::MAX {
        return Ok(Val::FALSE);
    }
    let window = &s[a..b];
    let prefix = prefix.unwrap();
    let candidates: Vec<Val> = match tuple::get(prefix) {
        Some(t) => t.to_vec(),
        None => vec![Val::new_ref(prefix)],
    };
    for c in candidates {
        let Some(p) = pystr::as_str(c.v()) else {
            return Err(ctx.type_error(format!(
                "{name} first arg must be str or a tuple of str, not {}",
                ops::type_name(c.v())
            )));
        };
        ctx.consume_bytes(p.len())?;
        let hit = if name == "startswith" {
            window.starts_with(p)
        } else {
            window.ends_with(p)
        };
        if hit {
            return Ok(Val::TRUE);
        }
    }
    Ok(Val::FALSE)
}
