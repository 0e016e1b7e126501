//! The Markdown and HTML converters behind `md_to_html`, `to_markdown` and
//! `frappe.sanitize_html` (the builtins are in [`web`](super::web)):
//!
//! - [`md_to_html`]: Markdown parsed by pulldown-cmark (CommonMark + tables) and
//!   written in the layout of markdown2 with Frappe's extras (`header-ids`,
//!   `fenced-code-blocks`, `tables`, `highlightjs-lang`, `html-classes`).
//! - [`to_markdown`](to_markdown::to_markdown): markdownify's rules.
//! - [`sanitize_html`]: Frappe's flow (documents, JSON and tag-less text left alone,
//!   scripts and styles dropped, an allow-list of tags, attributes, URL schemes and CSS
//!   properties) with ammonia in bleach's place, then re-serialised as BeautifulSoup
//!   does.

pub mod html;
pub mod markdown;
pub mod sanitize;
pub mod to_markdown;

pub use markdown::md_to_html;
pub use sanitize::{sanitize_html, sanitize_style};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = ">".repeat(10_000) + " x";
        assert_eq!(md_to_html(&deep), Err(html::TooDeep));
        let nested: String = (0..300)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        assert!(md_to_html(&nested).is_err());
        assert!(sanitize_html(&"<b>".repeat(10_000), false).is_err());
        assert!(to_markdown::to_markdown(&"<div>".repeat(10_000)).is_err());
        assert!(md_to_html(&"*a ".repeat(10_000)).is_ok());
    }

    #[test]
    fn odd_input_does_not_panic() {
        let samples = [
            "<",
            "<a",
            "</",
            "<!--",
            "<![CDATA[x]]>",
            "&#xD800;",
            "<p style=\"\u{e9}:\u{e9};;'\">",
            "<p style=\"color: url( a b);\\\">",
            "| a |\n|-",
            "```",
            "[",
            "![",
            "<table><tr>",
            "<ol start=\"99999999999999999999\"><li>x",
            "<td colspan=\"99999999\">x",
            "\u{0}\u{1}",
            "<svg><foreignObject><p>x",
            "<h7>x</h7>",
            "<h99999999999999999999>x",
        ];
        for s in samples {
            let _ = md_to_html(s);
            let _ = sanitize_html(s, true);
            let _ = to_markdown::to_markdown(s);
            let _ = sanitize_style(s);
        }
    }
}
