//! `frappe.utils.in_words` and `money_in_words`: numbers in English words as Frappe
//! writes them (through num2words' English rules: "and" before the last part under a
//! hundred, a comma between larger groups, hyphenated tens — which Frappe turns into
//! spaces — and lakh/crore for the Indian number format `#,##,###.##`).

use super::args::parse;
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::object::str as pystr;
use crate::ops::call::Kwargs;
use crate::ops::{self, truthy};
use crate::value::Value;

pub static TABLE: &[Builtin] = &[
    b("frappe.utils.in_words", in_words),
    b("frappe.utils.money_in_words", money_in_words),
];

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Groups above a thousand, largest first.
const MILLIONS: &[(u128, &str)] = &[
    (1_000_000_000_000_000_000, "quintillion"),
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];
const LAKHS: &[(u128, &str)] = &[
    (10_000_000, "crore"),
    (100_000, "lakh"),
    (1_000, "thousand"),
];

/// `n` in words: `one thousand, two hundred and thirty-four`.
pub fn words(n: u128, in_million: bool) -> String {
    if n < 20 {
        return ONES[n as usize].to_string();
    }
    if n < 100 {
        let (t, o) = (n / 10, n % 10);
        return if o == 0 {
            TENS[t as usize].to_string()
        } else {
            format!("{}-{}", TENS[t as usize], ONES[o as usize])
        };
    }
    let groups = if in_million { MILLIONS } else { LAKHS };
    let (size, name) = groups
        .iter()
        .copied()
        .find(|(size, _)| n >= *size)
        .unwrap_or((100, "hundred"));
    let (high, rest) = (n / size, n % size);
    let mut out = format!("{} {name}", words(high, in_million));
    if rest > 0 {
        out.push_str(if rest < 100 { " and " } else { ", " });
        out.push_str(&words(rest, in_million));
    }
    out
}

/// Python's `str.title()` for ASCII words: each letter after a non-letter is upper case.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        out.push(if prev_letter {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        });
        prev_letter = c.is_alphabetic();
    }
    out
}

/// Frappe's `in_words`: words with the hyphens turned into spaces.
fn frappe_words(digits: &str, in_million: bool) -> Option<String> {
    let n: u128 = digits.parse().ok()?;
    Some(words(n, in_million).replace('-', " "))
}

/// `in_words(integer, in_million=True)`.
pub fn in_words(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [n, in_million] = parse(ctx, "in_words", ["integer", "in_million"], 1, a, k)?;
    let i = crate::builtins::py::construct(ctx, "int", &[n.unwrap()], &[])?;
    let text = ops::repr::to_str(ctx, i.v())?;
    let negative = text.starts_with('-');
    let Some(w) = frappe_words(text.trim_start_matches('-'), in_million.is_none_or(truthy)) else {
        return Err(ctx.overflow_error("number too large to write in words"));
    };
    Ok(pystr::new(if negative { format!("minus {w}") } else { w }))
}

/// `money_in_words(number, main_currency=None, fraction_currency=None)`:
/// `USD One Thousand, Two Hundred And Thirty Four and Fifty Cent only.`; "" for a
/// negative number or one that does not parse.
pub fn money_in_words(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [number, main_currency, fraction_currency] = parse(
        ctx,
        "money_in_words",
        ["number", "main_currency", "fraction_currency"],
        1,
        a,
        k,
    )?;
    let f = match crate::ops::convert::to_float(ctx, number.unwrap()) {
        Ok(f) => crate::object::float::get(f.v()).unwrap_or(0.0),
        Err(_) => {
            ctx.take_exception();
            return Ok(pystr::new(""));
        }
    };
    if !f.is_finite() || f < 0.0 {
        return Ok(pystr::new(""));
    }
    let opt_text = |ctx: &mut Ctx, v: Option<Value>| -> PyResult<Option<String>> {
        match v {
            Some(v) if truthy(v) => ops::repr::to_str(ctx, v).map(Some),
            _ => Ok(None),
        }
    };
    let main = opt_text(ctx, main_currency)?
        .or_else(|| ctx.settings.currency.clone())
        .unwrap_or_else(|| "INR".into());
    let fraction_name = opt_text(ctx, fraction_currency)?.unwrap_or_else(|| "Cent".into());
    let number_format = ctx.settings.number_format.clone();
    let fraction_length = super::text::number_format_info(&number_format).2.max(0) as usize;
    let in_million = number_format != "#,##,###.##";
    let fixed = format!("{f:.fraction_length$}");
    let (whole, mut fraction) = match fixed.split_once('.') {
        Some((w, fr)) => (w.to_string(), fr.to_string()),
        None => (fixed.clone(), "00".to_string()),
    };
    while fraction.len() < fraction_length {
        fraction.push('0');
    }
    let w = |digits: &str| frappe_words(digits, in_million).map(|s| title(&s));
    let Some(main_words) = w(&whole) else {
        return Err(ctx.overflow_error("number too large to write in words"));
    };
    let fraction_value: u128 = fraction.parse().unwrap_or(0);
    let out = if whole == "0" && (fraction == "00" || fraction == "000") {
        format!("{main} Zero")
    } else if whole == "0" {
        format!("{} {fraction_name}", w(&fraction).unwrap_or_default())
    } else if fraction_value > 0 {
        format!(
            "{main} {main_words} and {} {fraction_name}",
            w(&fraction).unwrap_or_default()
        )
    } else {
        format!("{main} {main_words}")
    };
    Ok(pystr::new(format!("{out} only.")))
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn english_cardinals_as_num2words_writes_them() {
        for (n, w) in [
            (0, "zero"),
            (21, "twenty-one"),
            (100, "one hundred"),
            (101, "one hundred and one"),
            (234, "two hundred and thirty-four"),
            (1000, "one thousand"),
            (1001, "one thousand and one"),
            (1100, "one thousand, one hundred"),
            (1234, "one thousand, two hundred and thirty-four"),
            (100_000, "one hundred thousand"),
            (2_500_000, "two million, five hundred thousand"),
            (1_000_001, "one million and one"),
        ] {
            assert_eq!(words(n, true), w, "{n}");
        }
        assert_eq!(
            words(123_456, false),
            "one lakh, twenty-three thousand, four hundred and fifty-six"
        );
        assert_eq!(words(25_000_000, false), "two crore, fifty lakh");
    }
}
