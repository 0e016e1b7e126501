//! `frappe.utils.html_utils.sanitize_html`'s flow: documents, JSON and tag-less text
//! left alone, scripts and styles dropped, an allow-list of tags, attributes, URL schemes
//! and CSS properties applied (ammonia in bleach's place), then the tree re-serialised as
//! BeautifulSoup does.

use std::collections::{HashMap, HashSet};

use super::html::{self, Node};

/// html5lib's sanitizer elements Frappe allows (`acceptable_elements`, SVG, MathML).
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "event-source",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "font",
    "form",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "keygen",
    "kbd",
    "label",
    "legend",
    "li",
    "m",
    "map",
    "mark",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "ol",
    "output",
    "optgroup",
    "option",
    "p",
    "pre",
    "progress",
    "q",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "time",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "animate",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "clipPath",
    "circle",
    "defs",
    "desc",
    "ellipse",
    "font-face",
    "font-face-name",
    "font-face-src",
    "g",
    "glyph",
    "hkern",
    "linearGradient",
    "line",
    "marker",
    "metadata",
    "missing-glyph",
    "mpath",
    "path",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "set",
    "stop",
    "svg",
    "switch",
    "text",
    "title",
    "tspan",
    "use",
    "maction",
    "math",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "html",
    "head",
    "meta",
    "link",
    "body",
    "o:p",
];

/// Attributes allowed on every element (`acceptable_attributes`, plus `http-equiv` and
/// `emogrify`); `data-*` and `xmlns*` are allowed too, `on*` never.
const ATTRIBUTES: &[&str] = &[
    "abbr",
    "accept",
    "accept-charset",
    "accesskey",
    "action",
    "align",
    "alt",
    "autocomplete",
    "autofocus",
    "axis",
    "background",
    "balance",
    "bgcolor",
    "bgproperties",
    "border",
    "bordercolor",
    "bordercolordark",
    "bordercolorlight",
    "bottompadding",
    "cellpadding",
    "cellspacing",
    "ch",
    "challenge",
    "char",
    "charoff",
    "choff",
    "charset",
    "checked",
    "cite",
    "class",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "content",
    "contenteditable",
    "controls",
    "coords",
    "data",
    "datafld",
    "datapagesize",
    "datasrc",
    "datetime",
    "default",
    "delay",
    "dir",
    "disabled",
    "draggable",
    "dynsrc",
    "enctype",
    "end",
    "face",
    "for",
    "form",
    "frame",
    "galleryimg",
    "gutter",
    "headers",
    "height",
    "hidefocus",
    "hidden",
    "high",
    "href",
    "hreflang",
    "hspace",
    "icon",
    "id",
    "inputmode",
    "ismap",
    "keytype",
    "label",
    "leftspacing",
    "lang",
    "list",
    "longdesc",
    "loop",
    "loopcount",
    "loopend",
    "loopstart",
    "low",
    "lowsrc",
    "max",
    "maxlength",
    "media",
    "method",
    "min",
    "multiple",
    "name",
    "nohref",
    "noshade",
    "nowrap",
    "open",
    "optimum",
    "pattern",
    "ping",
    "point-size",
    "poster",
    "pqg",
    "preload",
    "prompt",
    "radiogroup",
    "readonly",
    "rel",
    "repeat-max",
    "repeat-min",
    "replace",
    "required",
    "rev",
    "rightspacing",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "selected",
    "shape",
    "size",
    "span",
    "src",
    "start",
    "step",
    "style",
    "summary",
    "suppress",
    "tabindex",
    "target",
    "template",
    "title",
    "toppadding",
    "type",
    "unselectable",
    "usemap",
    "urn",
    "valign",
    "value",
    "variable",
    "volume",
    "vspace",
    "vrml",
    "width",
    "wrap",
    "xml:lang",
    "role",
    "frameborder",
    "allowfullscreen",
    "spellcheck",
    "itemprop",
    "itemscope",
    "itemtype",
    "itemid",
    "itemref",
    "http-equiv",
    "emogrify",
];

/// SVG attributes allowed on `<svg>`.
const SVG_ATTRIBUTES: &[&str] = &[
    "accent-height",
    "accumulate",
    "additive",
    "alphabetic",
    "arabic-form",
    "ascent",
    "attributeName",
    "attributeType",
    "baseProfile",
    "bbox",
    "begin",
    "by",
    "calcMode",
    "cap-height",
    "class",
    "clip-path",
    "color",
    "color-rendering",
    "content",
    "colwidth",
    "cx",
    "cy",
    "d",
    "dx",
    "dy",
    "descent",
    "display",
    "dur",
    "end",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "from",
    "fx",
    "fy",
    "g1",
    "g2",
    "glyph-name",
    "gradientUnits",
    "hanging",
    "height",
    "horiz-adv-x",
    "horiz-origin-x",
    "id",
    "ideographic",
    "k",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lang",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mathematical",
    "max",
    "min",
    "name",
    "offset",
    "opacity",
    "orient",
    "origin",
    "overline-position",
    "overline-thickness",
    "panose-1",
    "path",
    "pathLength",
    "points",
    "preserveAspectRatio",
    "r",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "requiredExtensions",
    "requiredFeatures",
    "restart",
    "rotate",
    "rx",
    "ry",
    "slope",
    "stemh",
    "stemv",
    "stop-color",
    "stop-opacity",
    "strikethrough-position",
    "strikethrough-thickness",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "systemLanguage",
    "target",
    "text-anchor",
    "to",
    "transform",
    "type",
    "u1",
    "u2",
    "underline-position",
    "underline-thickness",
    "unicode",
    "unicode-range",
    "units-per-em",
    "values",
    "version",
    "viewBox",
    "visibility",
    "width",
    "widths",
    "x",
    "x-height",
    "x1",
    "x2",
    "xlink:actuate",
    "xlink:arcrole",
    "xlink:href",
    "xlink:role",
    "xlink:show",
    "xlink:title",
    "xlink:type",
    "xml:base",
    "xml:lang",
    "xml:space",
    "xmlns",
    "xmlns:xlink",
    "y",
    "y1",
    "y2",
    "zoomAndPan",
];

/// The CSS properties `bleach_allowlist.all_styles` names.
const STYLES: &[&str] = include!("css_properties.in");

/// One piece of a declaration list, as tinycss2 reads one.
enum CssPiece<'a> {
    Space(&'a str),
    Comment(&'a str),
    Declaration(String),
    /// Text that is no declaration, or a declaration of a property not allowed.
    Dropped,
}

/// A declaration (`name: value`) as tinycss2 writes it back: the name as written, `:`,
/// the value as written (strings in double quotes, `!important` after one space), `;`.
/// `None` unless `text` is a declaration of an allowed property.
fn css_declaration(text: &str) -> Option<String> {
    let (name, value) = text.split_once(':')?;
    let name_trimmed = name.trim_end_matches(|c: char| c.is_ascii_whitespace());
    let valid = !name_trimmed.is_empty()
        && name_trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii())
        && !name_trimmed.starts_with(|c: char| c.is_ascii_digit());
    if !valid || !STYLES.contains(&name_trimmed.to_ascii_lowercase().as_str()) {
        return None;
    }
    // strings re-quoted with double quotes; an unquoted url() holding a bracket,
    // quote or inner space is a bad URL, written `url([bad url])`
    let mut v = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if (c == 'u' || c == 'U')
            && v.chars()
                .last()
                .is_none_or(|p| !p.is_ascii_alphanumeric() && p != '-')
        {
            let rest: String = chars.clone().take(3).collect();
            if rest.eq_ignore_ascii_case("rl(") {
                let body: String = chars.clone().skip(3).collect();
                let inner = body.trim_start_matches(|c: char| c.is_ascii_whitespace());
                if !inner.starts_with(['"', '\'']) {
                    let end = inner.find(')');
                    let url = &inner[..end.unwrap_or(inner.len())];
                    let trimmed = url.trim_end_matches(|c: char| c.is_ascii_whitespace());
                    let bad = trimmed.contains(['(', '"', '\''])
                        || trimmed.contains(|c: char| c.is_ascii_whitespace());
                    if bad {
                        let skip =
                            3 + (body.len() - inner.len()) + end.map_or(inner.len(), |e| e + 1);
                        let skip_chars = body[..skip - 3].chars().count() + 3;
                        for _ in 0..skip_chars {
                            chars.next();
                        }
                        v.push_str("url([bad url])");
                        continue;
                    }
                }
            }
        }
        if c == '\'' || c == '"' {
            let mut body = String::new();
            while let Some(d) = chars.next() {
                if d == '\\' {
                    if let Some(e) = chars.next() {
                        body.push('\\');
                        body.push(e);
                    }
                    continue;
                }
                if d == c {
                    break;
                }
                if d == '"' {
                    body.push_str("\\\"");
                } else {
                    body.push(d);
                }
            }
            v.push('"');
            v.push_str(&body);
            v.push('"');
        } else {
            v.push(c);
        }
    }
    let trimmed = v.trim_end();
    let lower = trimmed.to_ascii_lowercase();
    if let Some(before) = lower.strip_suffix("important") {
        let before = before.trim_end();
        if let Some(head) = before.strip_suffix('!') {
            let value = v[..head.len()].trim_end();
            return Some(format!("{name_trimmed}:{value} !important;"));
        }
    }
    Some(format!("{name_trimmed}:{v};"))
}

/// Splits a `style` value into the pieces tinycss2's `parse_declaration_list` gives:
/// whitespace and comments between declarations, and declarations ending at a `;`
/// outside strings, comments and brackets.
fn css_pieces(style: &str) -> Vec<CssPiece<'_>> {
    let mut pieces = Vec::new();
    let b = style.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // whitespace and comments before a declaration
        if b[i].is_ascii_whitespace() {
            let start = i;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            pieces.push(CssPiece::Space(&style[start..i]));
            continue;
        }
        if style[i..].starts_with("/*") {
            let end = style[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            pieces.push(CssPiece::Comment(&style[i..end]));
            i = end;
            continue;
        }
        if b[i] == b';' {
            i += 1;
            continue;
        }
        let start = i;
        let mut depth = 0i32;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    b'\'' | b'"' => quote = Some(c),
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth -= 1,
                    b'/' if b.get(i + 1) == Some(&b'*') => {
                        i = style[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                        continue;
                    }
                    b';' if depth <= 0 => break,
                    _ => {}
                },
            }
            i += 1;
        }
        let text = &style[start..i.min(b.len())];
        pieces.push(match css_declaration(text) {
            Some(d) => CssPiece::Declaration(d),
            None => CssPiece::Dropped,
        });
        if i < b.len() {
            i += 1; // the ';'
        }
    }
    pieces
}

/// bleach's `CSSSanitizer.sanitize_css` with Frappe's allowed properties: allowed
/// declarations kept, one whitespace or comment run kept between them, stripped.
pub fn sanitize_style(style: &str) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Decl,
        Space,
        Comment,
    }
    let mut kept: Vec<(Kind, String)> = Vec::new();
    for piece in css_pieces(style) {
        let (kind, text) = match piece {
            CssPiece::Declaration(d) => (Kind::Decl, d),
            CssPiece::Space(s) => (Kind::Space, s.to_string()),
            CssPiece::Comment(c) => (Kind::Comment, c.to_string()),
            CssPiece::Dropped => continue,
        };
        if kind != Kind::Decl && !kept.last().is_some_and(|(k, _)| *k != kind) {
            continue;
        }
        kept.push((kind, text));
    }
    let joined: String = kept.into_iter().map(|(_, t)| t).collect();
    joined
        .trim_matches(crate::builtins::web::py_space)
        .to_string()
}

/// bleach's serializer writes attributes sorted by name; styles go through
/// [`sanitize_style`].
fn sanitize_styles(nodes: &mut [Node]) {
    for n in nodes {
        if let Node::Element(e) = n {
            e.attrs.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in e.attrs.iter_mut() {
                if k == "style" {
                    *v = sanitize_style(v);
                }
            }
            sanitize_styles(&mut e.children);
        }
    }
}

/// Python's `str.splitlines()` boundaries.
fn py_lines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let boundary = matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if boundary {
            out.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' && it.peek().is_some_and(|(_, n)| *n == '\n') {
                it.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn is_document(html: &str) -> bool {
    let stripped = html
        .trim_start_matches(crate::builtins::web::py_space)
        .to_lowercase();
    if stripped.starts_with("<!doctype") || stripped.starts_with("<html") {
        return true;
    }
    let lines = py_lines(html);
    lines.len() > 1
        && lines[1]
            .trim_matches(crate::builtins::web::py_space)
            .to_lowercase()
            .starts_with("<!doctype")
}

/// Frappe's `sanitize_html(html, linkify=False, always_sanitize=False)` for a str:
///
/// 1. a full document (`<!DOCTYPE`/`<html` first, or `<!DOCTYPE` on the second line):
///    scripts, comments and whitespace-only text removed, the rest kept;
/// 2. unless `always_sanitize`, JSON text and text without any tag come back as they are;
/// 3. otherwise scripts and styles go with their content; tags outside Frappe's allow
///    list go but keep their content; attributes outside its list, `on*` handlers and
///    URLs whose scheme is not cid/http/https/mailto/data go; `style` keeps only the
///    allowed CSS properties (as bleach's CSS sanitizer writes them: `color: red;`);
///    comments go. The result is written as BeautifulSoup writes it (`<br/>`,
///    `&nbsp;` as the character), top-level text stripped and — as in Frappe —
///    unescaped (`a &lt; b` at the top level comes back as `a < b`).
///
/// Differences: the tag and attribute sanitizing is ammonia's (html5ever) rather than
/// bleach's (html5lib), so malformed markup may be repaired differently; documents
/// are not completed with `<head>`/`<body>` as html5lib does, and are written with the
/// minimal entity escaping rather than BeautifulSoup's html5 formatter. `linkify=True`
/// (bleach.linkify) is not applied.
pub fn sanitize_html(html: &str, always: bool) -> Result<String, html::TooDeep> {
    if is_document(html) {
        let mut nodes = html::parse(html)?;
        html::remove_elements(&mut nodes, &["script"]);
        html::remove_comments(&mut nodes, true);
        return Ok(html::serialize(&nodes));
    }
    let mut nodes = html::parse(html)?;
    if !always {
        if serde_json::from_str::<serde_json::Value>(html).is_ok() {
            return Ok(html.to_string());
        }
        if !html::has_element(&nodes) {
            return Ok(html.to_string());
        }
    }
    html::remove_elements(&mut nodes, &["script", "style"]);
    let fragment = html::serialize(&nodes);
    let tags: HashSet<&str> = TAGS.iter().copied().collect();
    let attrs: HashSet<&str> = ATTRIBUTES.iter().copied().collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .generic_attributes(attrs)
        .generic_attribute_prefixes(["data-", "xmlns"].into_iter().collect())
        .tag_attributes(HashMap::from([(
            "svg",
            SVG_ATTRIBUTES.iter().copied().collect(),
        )]))
        .url_schemes(
            ["cid", "http", "https", "mailto", "data"]
                .into_iter()
                .collect(),
        )
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(["script", "style"].into_iter().collect());
    let cleaned = builder.clean(&fragment).to_string();
    let mut nodes = html::parse(&cleaned)?;
    sanitize_styles(&mut nodes);
    let mut out = String::new();
    for node in nodes {
        match &node {
            Node::Text(t) => {
                let t = t.trim_matches(crate::builtins::web::py_space);
                // BeautifulSoup's `str()` of a text node: unescaped, as Frappe joins it
                out.push_str(t);
            }
            _ => html::serialize_node(&node, &mut out, false),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_boundaries() {
        assert_eq!(py_lines("a\r\nb\rc\u{2028}d"), ["a", "b", "c", "d"]);
    }
}
