//! HTML → Markdown as Frappe's `to_markdown` gets it from markdownify 1.2
//! (`markdownify(html, heading_style="ATX", wrap=True)`, wrapping paragraphs at 80
//! columns), re-implemented over the [`html`](super::html) tree from markdownify's
//! documented rules: whitespace runs collapse to one space; whitespace next to block
//! elements goes; `*` and `_` in text are escaped; inline markup (`**`, `*`, `` ` ``,
//! `~~`) moves surrounding spaces outside; blocks are separated by at most one blank
//! line; lists indent their items by the bullet's width (`*`, `+`, `-` by depth);
//! tables become pipe tables.

use super::html::{Element, Node};
use crate::builtins::web::py_space;

/// Ancestors of the node being converted, innermost last, and the pseudo-tags
/// markdownify adds (`_inline` in headings and cells, `_noformat` in code).
#[derive(Clone, Default)]
struct Ctx<'a> {
    ancestors: Vec<&'a Element>,
    tags: Vec<String>,
}

impl Ctx<'_> {
    fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

fn is_heading(name: &str) -> bool {
    // markdownify's `h(\d+)` matched at the start of the name
    let mut c = name.chars();
    c.next() == Some('h') && c.next().is_some_and(|d| d.is_ascii_digit())
}

fn heading_level(name: &str) -> usize {
    let digits: String = name[1..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().unwrap_or(1)
}

fn remove_inside(name: Option<&str>) -> bool {
    match name {
        Some(n) => {
            is_heading(n)
                || matches!(
                    n,
                    "p" | "blockquote"
                        | "article"
                        | "div"
                        | "section"
                        | "ol"
                        | "ul"
                        | "li"
                        | "dl"
                        | "dt"
                        | "dd"
                        | "table"
                        | "thead"
                        | "tbody"
                        | "tfoot"
                        | "tr"
                        | "td"
                        | "th"
                )
        }
        None => false,
    }
}

fn remove_outside(node: Option<&Node>) -> bool {
    let name = node.and_then(Node::name);
    remove_inside(name) || name == Some("pre")
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

fn is_blank_text(n: &Node) -> bool {
    matches!(n, Node::Text(t) if py_strip(t).is_empty())
}

fn is_block_content(n: &Node) -> bool {
    match n {
        Node::Element(_) => true,
        Node::Text(t) => !py_strip(t).is_empty(),
        _ => false,
    }
}

/// `[\t \r\n]+` → one space.
fn collapse_all_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_ws = false;
    for c in s.chars() {
        if matches!(c, '\t' | ' ' | '\r' | '\n') {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    out
}

/// `chomp`: the text stripped, with a space before/after kept as a prefix/suffix.
fn chomp(text: &str) -> (&'static str, &'static str, &str) {
    let prefix = if text.starts_with(' ') { " " } else { "" };
    let suffix = if text.ends_with(' ') { " " } else { "" };
    (prefix, suffix, py_strip(text))
}

fn inline(markup: &str, text: &str, ctx: &Ctx) -> String {
    if ctx.has("_noformat") {
        return text.to_string();
    }
    let (p, s, t) = chomp(text);
    if t.is_empty() {
        return String::new();
    }
    format!("{p}{markup}{t}{markup}{s}")
}

/// Each line with content passed through `f` (markdownify's `^(.*)` per line).
fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    text.split('\n').map(f).collect::<Vec<_>>().join("\n")
}

/// Python's `textwrap.fill(text, 80, break_long_words=False, break_on_hyphens=False)`.
fn fill(text: &str, width: usize) -> String {
    let is_ws = |c: char| matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ');
    let text: String = text
        .chars()
        .map(|c| if is_ws(c) { ' ' } else { c })
        .collect();
    // chunks: runs of whitespace and of everything else
    let mut chunks: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev_ws: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let ws = c == ' ';
        if prev_ws.is_some_and(|p| p != ws) {
            chunks.push(&text[start..i]);
            start = i;
        }
        prev_ws = Some(ws);
    }
    if start < text.len() {
        chunks.push(&text[start..]);
    }
    chunks.reverse();
    let blank = |s: &str| py_strip(s).is_empty();
    let mut lines: Vec<String> = Vec::new();
    while !chunks.is_empty() {
        let mut cur: Vec<&str> = Vec::new();
        let mut cur_len = 0;
        if chunks.last().is_some_and(|c| blank(c)) && !lines.is_empty() {
            chunks.pop();
        }
        while let Some(c) = chunks.last() {
            let l = c.chars().count();
            if cur_len + l <= width {
                cur_len += l;
                cur.push(chunks.pop().expect("last"));
            } else {
                break;
            }
        }
        if chunks.last().is_some_and(|c| c.chars().count() > width) && cur.is_empty() {
            cur.push(chunks.pop().expect("last"));
        }
        if cur.last().is_some_and(|c| blank(c)) {
            cur.pop();
        }
        if !cur.is_empty() {
            lines.push(cur.concat());
        }
    }
    lines.join("\n")
}

/// The newline collapsing at child boundaries: a child's leading newlines merge with
/// the previous child's trailing ones, at most two.
fn join_children(strings: Vec<String>) -> String {
    let mut parts: Vec<String> = vec![String::new()];
    for s in strings {
        let lead_n = s.len() - s.trim_start_matches('\n').len();
        let rest = &s[lead_n..];
        let trail_n = rest.len() - rest.trim_end_matches('\n').len();
        let content = &rest[..rest.len() - trail_n];
        let mut lead = "\n".repeat(lead_n);
        if parts.last().is_some_and(|p| !p.is_empty()) && lead_n > 0 {
            let prev = parts.pop().expect("checked");
            lead = "\n".repeat(2.min(prev.len().max(lead_n)));
        }
        parts.push(lead);
        parts.push(content.to_string());
        parts.push("\n".repeat(trail_n));
    }
    parts.concat()
}

fn process_text(
    text: &str,
    siblings: &[Node],
    i: usize,
    parent: Option<&Element>,
    ctx: &Ctx,
) -> String {
    let mut t = if ctx.has("pre") {
        text.to_string()
    } else {
        collapse_all_ws(text)
    };
    if !ctx.has("_noformat") {
        t = t.replace('*', "\\*").replace('_', "\\_");
    }
    let prev = i.checked_sub(1).and_then(|p| siblings.get(p));
    let next = siblings.get(i + 1);
    let parent_name = parent.map(|p| p.name.as_str());
    if remove_outside(prev) || (remove_inside(parent_name) && prev.is_none()) {
        t = t.trim_start_matches([' ', '\t', '\r', '\n']).to_string();
    }
    if remove_outside(next) || (remove_inside(parent_name) && next.is_none()) {
        t = t.trim_end_matches(py_space).to_string();
    }
    t
}

/// Converts the children of `node` (None: the document) and applies its rule.
fn process<'a>(node: Option<&'a Element>, children: &'a [Node], ctx: &Ctx<'a>) -> String {
    let name = node.map(|n| n.name.as_str());
    let inside = remove_inside(name);
    let keep = |i: usize, n: &Node| -> bool {
        match n {
            Node::Element(_) => true,
            Node::Comment(_) | Node::Doctype(_) => false,
            Node::Text(_) if !is_blank_text(n) => true,
            Node::Text(_) => {
                let prev = i.checked_sub(1).and_then(|p| children.get(p));
                let next = children.get(i + 1);
                if inside && (prev.is_none() || next.is_none()) {
                    false
                } else {
                    !(remove_outside(prev) || remove_outside(next))
                }
            }
        }
    };
    let mut child_ctx = ctx.clone();
    if let Some(n) = node {
        child_ctx.ancestors.push(n);
        child_ctx.tags.push(n.name.clone());
        if is_heading(&n.name) || matches!(n.name.as_str(), "td" | "th") {
            child_ctx.tags.push("_inline".into());
        }
        if matches!(n.name.as_str(), "pre" | "code" | "kbd" | "samp") {
            child_ctx.tags.push("_noformat".into());
        }
    } else {
        child_ctx.tags.push("[document]".into());
    }
    let mut strings = Vec::new();
    for (i, c) in children.iter().enumerate() {
        if !keep(i, c) {
            continue;
        }
        let s = match c {
            Node::Text(t) => process_text(t, children, i, node, &child_ctx),
            Node::Element(e) => {
                let inner = process(Some(e), &e.children, &child_ctx);
                convert(e, inner, children, i, &child_ctx)
            }
            _ => String::new(),
        };
        if !s.is_empty() {
            strings.push(s);
        }
    }
    let in_pre = name == Some("pre") || ctx.ancestors.iter().any(|a| a.name == "pre");
    if in_pre {
        strings.concat()
    } else {
        join_children(strings)
    }
}

/// The rule of element `e` (the `i`-th of `siblings`) over its converted content;
/// `ctx` is the context of `e`'s parent's children (its ancestors end with the parent).
fn convert(e: &Element, text: String, siblings: &[Node], i: usize, ctx: &Ctx) -> String {
    let name = e.name.as_str();
    let parent = ctx.ancestors.last().copied();
    let inline_ctx = ctx.has("_inline");
    match name {
        "a" => {
            if ctx.has("_noformat") {
                return text;
            }
            let (p, s, t) = chomp(&text);
            if t.is_empty() {
                return String::new();
            }
            let href = e.attr("href");
            let title = e.attr("title").filter(|t| !t.is_empty());
            if href.is_some_and(|h| t.replace("\\_", "_") == h) && title.is_none() {
                return format!("<{}>", href.unwrap_or(""));
            }
            let title_part = title
                .map(|t| format!(" \"{}\"", t.replace('"', "\\\"")))
                .unwrap_or_default();
            match href.filter(|h| !h.is_empty()) {
                Some(h) => format!("{p}[{t}]({h}{title_part}){s}"),
                None => t.to_string(),
            }
        }
        "b" | "strong" => inline("**", &text, ctx),
        "em" | "i" => inline("*", &text, ctx),
        "del" | "s" => inline("~~", &text, ctx),
        "sub" | "sup" => inline("", &text, ctx),
        "blockquote" => {
            let t = text.trim_matches([' ', '\t', '\r', '\n']);
            if inline_ctx {
                return format!(" {t} ");
            }
            if t.is_empty() {
                return "\n".into();
            }
            let quoted = map_lines(t, |l| {
                if l.is_empty() {
                    ">".into()
                } else {
                    format!("> {l}")
                }
            });
            format!("\n{quoted}\n\n")
        }
        "br" => {
            if inline_ctx {
                if text.is_empty() {
                    " ".into()
                } else {
                    format!("{text} ")
                }
            } else {
                format!("  \n{text}")
            }
        }
        "code" | "kbd" | "samp" => {
            if ctx.has("_noformat") {
                return text;
            }
            let (p, s, t) = chomp(&text);
            if t.is_empty() {
                return String::new();
            }
            let mut longest = 0;
            let mut run = 0;
            for c in t.chars() {
                run = if c == '`' { run + 1 } else { 0 };
                longest = longest.max(run);
            }
            let delim = "`".repeat(longest + 1);
            if longest > 0 {
                format!("{p}{delim} {t} {delim}{s}")
            } else {
                format!("{p}{delim}{t}{delim}{s}")
            }
        }
        "div" | "article" | "section" | "dl" => {
            if inline_ctx {
                return format!(" {} ", py_strip(&text));
            }
            let t = py_strip(&text);
            if t.is_empty() {
                String::new()
            } else {
                format!("\n\n{t}\n\n")
            }
        }
        "dd" => {
            let t = py_strip(&text);
            if inline_ctx {
                return format!(" {t} ");
            }
            if t.is_empty() {
                return "\n".into();
            }
            let indented = map_lines(t, |l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                }
            });
            let rest: String = indented.chars().skip(1).collect();
            format!(":{rest}\n")
        }
        "dt" => {
            let t = collapse_all_ws(py_strip(&text));
            if inline_ctx {
                return format!(" {t} ");
            }
            if t.is_empty() {
                "\n".into()
            } else {
                format!("\n\n{t}\n")
            }
        }
        n if is_heading(n) => {
            if inline_ctx {
                return text;
            }
            let level = heading_level(n).clamp(1, 6);
            let t = collapse_all_ws(py_strip(&text));
            format!("\n\n{} {t}\n\n", "#".repeat(level))
        }
        "hr" => "\n\n---\n\n".into(),
        "img" => {
            let alt = e.attr("alt").unwrap_or("");
            let src = e.attr("src").unwrap_or("");
            let title = e.attr("title").unwrap_or("");
            if inline_ctx {
                return alt.to_string();
            }
            let title_part = if title.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", title.replace('"', "\\\""))
            };
            format!("![{alt}]({src}{title_part})")
        }
        "video" => {
            if inline_ctx {
                return text;
            }
            let mut src = e.attr("src").unwrap_or("").to_string();
            if src.is_empty() {
                let mut sources = Vec::new();
                e.descendants_named(&["source"], &mut sources);
                if let Some(s) = sources.iter().find(|s| s.attr("src").is_some()) {
                    src = s.attr("src").unwrap_or("").to_string();
                }
            }
            let poster = e.attr("poster").unwrap_or("");
            match (src.is_empty(), poster.is_empty()) {
                (false, false) => format!("[![{text}]({poster})]({src})"),
                (false, true) => format!("[{text}]({src})"),
                (true, false) => format!("![{text}]({poster})"),
                (true, true) => text,
            }
        }
        "ul" | "ol" => {
            let next = siblings[i + 1..].iter().find(|n| is_block_content(n));
            let before_paragraph = next.is_some_and(|n| !matches!(n.name(), Some("ul" | "ol")));
            if ctx.has("li") {
                return format!("\n{}", text.trim_end_matches(py_space));
            }
            format!("\n\n{text}{}", if before_paragraph { "\n" } else { "" })
        }
        "li" => {
            let t = py_strip(&text);
            if t.is_empty() {
                return "\n".into();
            }
            let bullet = match parent {
                Some(p) if p.name == "ol" => {
                    let start = p
                        .attr("start")
                        .filter(|s| !s.is_empty() && s.chars().all(char::is_numeric))
                        .and_then(|s| s.parse::<i64>().ok())
                        .unwrap_or(1);
                    let before = siblings[..i]
                        .iter()
                        .filter(|n| n.name() == Some("li"))
                        .count();
                    format!("{}.", start + before as i64)
                }
                _ => {
                    let depth = ctx.ancestors.iter().filter(|a| a.name == "ul").count() as i64 - 1;
                    let bullets = ['*', '+', '-'];
                    bullets[depth.rem_euclid(3) as usize].to_string()
                }
            };
            let bullet = format!("{bullet} ");
            let width = bullet.chars().count();
            let indent = " ".repeat(width);
            let indented = map_lines(t, |l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{indent}{l}")
                }
            });
            let rest: String = indented.chars().skip(width).collect();
            format!("{bullet}{rest}\n")
        }
        "p" => {
            if inline_ctx {
                return format!(" {} ", text.trim_matches([' ', '\t', '\r', '\n']));
            }
            let t = text.trim_matches([' ', '\t', '\r', '\n']);
            let wrapped = t
                .split('\n')
                .map(|line| {
                    let line = line.trim_start_matches([' ', '\t', '\r', '\n']);
                    let body = line.trim_end_matches(py_space);
                    let trailing = &line[body.len()..];
                    format!("{}{trailing}", fill(line, 80))
                })
                .collect::<Vec<_>>()
                .join("\n");
            if wrapped.is_empty() {
                String::new()
            } else {
                format!("\n\n{wrapped}\n\n")
            }
        }
        "pre" => {
            if text.is_empty() {
                return String::new();
            }
            // strip_pre: leading blank lines up to the last newline, trailing ' '/'\n'
            let mut t = text.as_str();
            if let Some(p) = t.find(|c| c != ' ' && c != '\n') {
                if let Some(nl) = t[..p].rfind('\n') {
                    t = &t[nl + 1..];
                }
            } else if t.contains('\n') {
                t = "";
            }
            let t = t.trim_end_matches([' ', '\n']);
            format!("\n\n```\n{t}\n```\n\n")
        }
        "q" => format!("\"{text}\""),
        "script" | "style" => String::new(),
        "table" => format!("\n\n{}\n\n", py_strip(&text)),
        "caption" => format!("{}\n\n", py_strip(&text)),
        "figcaption" => format!("\n\n{}\n\n", py_strip(&text)),
        "td" | "th" => format!(
            " {}{}",
            py_strip(&text).replace('\n', " "),
            " |".repeat(colspan(e))
        ),
        "tr" => table_row(e, text, siblings, i, ctx),
        _ => text,
    }
}

fn colspan(e: &Element) -> usize {
    match e.attr("colspan") {
        Some(c) if !c.is_empty() && c.chars().all(|d| d.is_ascii_digit()) => {
            c.parse::<usize>().unwrap_or(1000).clamp(1, 1000)
        }
        _ => 1,
    }
}

fn table_row(e: &Element, text: String, siblings: &[Node], i: usize, ctx: &Ctx) -> String {
    let mut cells = Vec::new();
    e.descendants_named(&["td", "th"], &mut cells);
    let parent = ctx.ancestors.last().copied();
    let parent_name = parent.map(|p| p.name.as_str());
    let first = !siblings[..i].iter().any(|n| matches!(n, Node::Element(_)));
    let in_thead_alone = parent_name == Some("thead") && {
        let mut rows = Vec::new();
        parent.expect("named").descendants_named(&["tr"], &mut rows);
        rows.len() == 1
    };
    let is_headrow = cells.iter().all(|c| c.name == "th") || in_thead_alone;
    let grand = ctx.ancestors.len().checked_sub(2).map(|g| ctx.ancestors[g]);
    let head_missing = (first && parent_name != Some("tbody"))
        || (first
            && parent_name == Some("tbody")
            && grand.is_none_or(|g| {
                let mut heads = Vec::new();
                g.descendants_named(&["thead"], &mut heads);
                heads.is_empty()
            }));
    let full: usize = cells.iter().map(|c| colspan(c)).sum();
    let mut overline = String::new();
    let mut underline = String::new();
    let tbody_first = parent_name == Some("tbody") && {
        // the tbody has no element before it
        let siblings_of_parent = grand.map(|g| g.children.as_slice()).unwrap_or(&[]);
        let pos = siblings_of_parent.iter().position(|n| {
            n.element()
                .is_some_and(|x| std::ptr::eq(x, parent.expect("named")))
        });
        pos.is_none_or(|p| {
            !siblings_of_parent[..p]
                .iter()
                .any(|n| matches!(n, Node::Element(_)))
        })
    };
    if is_headrow && first {
        underline = format!("| {} |\n", vec!["---"; full].join(" | "));
    } else if head_missing || (first && (parent_name == Some("table") || tbody_first)) {
        overline = format!("| {} |\n", vec![""; full].join(" | "));
        overline.push_str(&format!("| {} |\n", vec!["---"; full].join(" | ")));
    }
    format!("{overline}|{text}\n{underline}")
}

/// `to_markdown(html)`.
pub fn to_markdown(html: &str) -> Result<String, super::html::TooDeep> {
    let nodes = super::html::parse(html)?;
    let text = process(None, &nodes, &Ctx::default());
    Ok(text.trim_matches('\n').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_as_textwrap_fills() {
        let words = "word ".repeat(30);
        let filled = fill(words.trim(), 80);
        assert!(filled.lines().all(|l| l.chars().count() <= 80));
        assert_eq!(filled.lines().next().unwrap().len(), 79);
        assert_eq!(fill(&"x".repeat(90), 80), "x".repeat(90));
    }
}
