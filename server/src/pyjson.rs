//! Python's `json.dumps` defaults (`", "` and `": "` separators, non-ASCII escaped) for
//! the parts of Frappe's bodies that are JSON inside JSON: `_server_messages` and `exc`.
//! Clients that decode them compare nothing byte-wise, but matching Frappe exactly costs
//! nothing and keeps diffs against a real Frappe clean.

use std::io;

use serde_json::Value;
use serde_json::ser::Formatter;

struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    /// `ensure_ascii=True`: everything above U+007F as `\uXXXX` (surrogate pairs above the BMP).
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{:04x}", u)?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// `json.dumps(value)` as Python writes it.
pub fn dumps(value: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    serde::Serialize::serialize(value, &mut ser).expect("JSON values serialise");
    String::from_utf8(out).expect("the formatter writes UTF-8")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn matches_python_json_dumps_defaults() {
        assert_eq!(
            super::dumps(&json!({"message": "Bonjour é 😀", "n": [1, 2.5, null]})),
            r#"{"message": "Bonjour \u00e9 \ud83d\ude00", "n": [1, 2.5, null]}"#
        );
        assert_eq!(super::dumps(&json!(["a", "b"])), r#"["a", "b"]"#);
    }
}
