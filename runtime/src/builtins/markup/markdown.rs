//! Markdown → HTML as Frappe's `md_to_html` gets it from markdown2 (with the extras
//! `header-ids`, `fenced-code-blocks`, `tables`, `highlightjs-lang`, `html-classes`):
//! pulldown-cmark parses (CommonMark + tables), and the events are written in
//! markdown2's layout.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html;

use html::escape_minimal as escape_text;

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// markdown2's `_slugify`: NFKD, ASCII only, no characters but word characters,
/// spaces and `-`, lower case, runs of spaces and `-` as one `-`.
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = text.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_ascii_whitespace())
        .collect();
    let lower = kept.trim().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_run = false;
    for c in lower.chars() {
        if c == '-' || c.is_ascii_whitespace() {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// Whether an event opens inline markup (emphasis, links, images, strikethrough) rather
/// than a block.
fn starts_inline(e: &Event<'_>) -> bool {
    matches!(
        e,
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Image { .. } | Tag::Strikethrough
        )
    )
}

struct Md<'a> {
    source: &'a str,
    /// Containers open around the current block.
    depth: usize,
    too_deep: bool,
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    pos: usize,
    ids: HashMap<String, usize>,
}

impl<'a> Md<'a> {
    fn next(&mut self) -> Option<Event<'a>> {
        let e = self.events.get(self.pos).map(|(e, _)| e.clone());
        self.pos += 1;
        e
    }

    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    /// Blocks until the end tag that closes the current container (consumed).
    fn blocks(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(e) = self.peek() {
            if matches!(e, Event::End(_)) {
                self.pos += 1;
                break;
            }
            if let Some(b) = self.block() {
                out.push(b);
            }
        }
        out
    }

    fn block(&mut self) -> Option<String> {
        if self.depth > html::MAX_DEPTH {
            self.too_deep = true;
            self.pos = self.events.len();
            return None;
        }
        self.depth += 1;
        let b = self.block_inner();
        self.depth -= 1;
        b
    }

    fn block_inner(&mut self) -> Option<String> {
        let e = self.next()?;
        Some(match e {
            Event::Start(Tag::Paragraph) => format!("<p>{}</p>", self.inlines()),
            Event::Start(Tag::Heading { level, .. }) => {
                let start = self.pos;
                let text = self.inlines();
                let raw_end = self.pos - 1;
                let raw = if raw_end > start {
                    let from = self.events[start].1.start;
                    let to = self.events[start..raw_end]
                        .iter()
                        .map(|(_, r)| r.end)
                        .max()
                        .unwrap_or(from);
                    self.source.get(from..to).unwrap_or("")
                } else {
                    ""
                };
                let mut id = slugify(raw);
                let seen = self.ids.entry(id.clone()).or_insert(0);
                *seen += 1;
                if *seen > 1 {
                    id = format!("{id}-{seen}");
                }
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                format!("<h{n} id=\"{id}\">{text}</h{n}>")
            }
            Event::Start(Tag::BlockQuote(_)) => {
                let inner = self.blocks().join("\n\n");
                let indented = inner
                    .split('\n')
                    .map(|l| format!("  {l}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                format!("<blockquote>\n{indented}\n</blockquote>")
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                while let Some(e) = self.next() {
                    match e {
                        Event::Text(t) => escape_text(&t, &mut code),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                if !code.is_empty() && !code.ends_with('\n') {
                    code.push('\n');
                }
                if lang.is_empty() {
                    format!("<pre><code>{code}</code></pre>")
                } else {
                    let lang = escape_attr(&lang);
                    format!("<pre><code class=\"{lang} language-{lang}\">{code}</code></pre>")
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut raw = String::new();
                while let Some(e) = self.next() {
                    match e {
                        Event::Html(t) | Event::Text(t) => raw.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                raw.trim_end_matches('\n').to_string()
            }
            Event::Start(Tag::List(start)) => {
                let mut items = Vec::new();
                while let Some(e) = self.next() {
                    match e {
                        Event::Start(Tag::Item) => items.push(self.item()),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                let tag = if start.is_some() { "ol" } else { "ul" };
                let open = match start {
                    Some(n) if n != 1 => format!("<ol start=\"{n}\">"),
                    _ => format!("<{tag}>"),
                };
                format!("{open}\n{}\n</{tag}>", items.join("\n"))
            }
            Event::Start(Tag::Table(align)) => self.table(&align),
            Event::Rule => "<hr />".into(),
            Event::Html(t) => t.trim_end_matches('\n').to_string(),
            Event::Start(_) => {
                // a container this layout does not know: its content as blocks
                self.blocks().join("\n\n")
            }
            Event::End(_) => return None,
            other => {
                // inline content outside a paragraph (tight list items)
                self.pos -= 1;
                let _ = other;
                self.inlines_until_block()
            }
        })
    }

    /// A list item: tight items hold inline content and then nested blocks
    /// (`<li>text\n<ul>…</ul></li>`); loose ones hold paragraphs (`\n\n` between).
    fn item(&mut self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut tight_text = false;
        while let Some(e) = self.peek() {
            if matches!(e, Event::End(TagEnd::Item)) {
                self.pos += 1;
                break;
            }
            let is_inline =
                !matches!(e, Event::Start(_) | Event::End(_) | Event::Rule) || starts_inline(e);
            if is_inline {
                parts.push(self.inlines_until_block());
                tight_text = true;
            } else if let Some(b) = self.block() {
                parts.push(b);
            }
        }
        let body = if tight_text {
            parts.join("\n")
        } else {
            parts.join("\n\n")
        };
        format!("<li>{body}</li>")
    }

    fn table(&mut self, align: &[Alignment]) -> String {
        let mut head: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut in_head = false;
        while let Some(e) = self.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines();
                    if in_head {
                        head.push(cell);
                    } else if let Some(r) = rows.last_mut() {
                        r.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        let style = |i: usize| match align.get(i) {
            Some(Alignment::Left) => " style=\"text-align:left;\"",
            Some(Alignment::Center) => " style=\"text-align:center;\"",
            Some(Alignment::Right) => " style=\"text-align:right;\"",
            _ => "",
        };
        let mut out = String::from("<table class=\"table table-bordered\">\n<thead>\n<tr>\n");
        for (i, h) in head.iter().enumerate() {
            out.push_str(&format!("  <th{}>{h}</th>\n", style(i)));
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for r in &rows {
            out.push_str("<tr>\n");
            for (i, c) in r.iter().enumerate() {
                out.push_str(&format!("  <td{}>{c}</td>\n", style(i)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>");
        out
    }

    /// Inline content up to the end tag of the current element (consumed).
    fn inlines(&mut self) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        while let Some(e) = self.next() {
            if let Event::End(_) = e {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            // an image's inline() reads through its own end
            if matches!(e, Event::Start(_)) && !matches!(e, Event::Start(Tag::Image { .. })) {
                depth += 1;
            }
            self.inline(e, &mut out);
        }
        out
    }

    /// Inline content of a tight list item, up to its first block or its end.
    fn inlines_until_block(&mut self) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        while let Some(e) = self.peek() {
            let block = matches!(e, Event::Start(_) | Event::Rule) && !starts_inline(e);
            if (block || matches!(e, Event::End(_))) && depth == 0 {
                break;
            }
            let e = self.next().expect("peeked");
            match e {
                Event::Start(Tag::Image { .. }) => {}
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.inline(e, &mut out);
        }
        out
    }

    fn inline(&mut self, e: Event<'a>, out: &mut String) {
        match e {
            Event::Text(t) => {
                // markdown2 leaves character references as written
                let range = self.events[self.pos - 1].1.clone();
                let raw = self.source.get(range).unwrap_or("");
                if raw.starts_with('&') && raw.ends_with(';') && raw.len() > 2 && *raw != *t {
                    out.push_str(raw);
                } else {
                    escape_text(&t, out);
                }
            }
            Event::Code(t) => {
                out.push_str("<code>");
                escape_text(&t, out);
                out.push_str("</code>");
            }
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br />\n"),
            Event::Start(Tag::Emphasis) => out.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => out.push_str("</em>"),
            Event::Start(Tag::Strong) => out.push_str("<strong>"),
            Event::End(TagEnd::Strong) => out.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => out.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => out.push_str("</del>"),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                out.push_str(&format!("<a href=\"{}\"", dest_url.replace('"', "&quot;")));
                if !title.is_empty() {
                    out.push_str(&format!(" title=\"{}\"", escape_attr(&title)));
                }
                out.push('>');
            }
            Event::End(TagEnd::Link) => out.push_str("</a>"),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                // the alt text is the image's inline content, as plain text
                let mut alt = String::new();
                let mut depth = 0usize;
                while let Some(e) = self.next() {
                    match e {
                        Event::End(_) if depth == 0 => break,
                        Event::End(_) => depth -= 1,
                        Event::Start(_) => depth += 1,
                        Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                        _ => {}
                    }
                }
                out.push_str(&format!(
                    "<img src=\"{}\" alt=\"{}\"",
                    dest_url.replace('"', "&quot;"),
                    escape_attr(&alt)
                ));
                if !title.is_empty() {
                    out.push_str(&format!(" title=\"{}\"", escape_attr(&title)));
                }
                out.push_str(" class=\"screenshot\" />");
            }
            _ => {}
        }
    }
}

/// `md_to_html(markdown_text)`: HTML in markdown2's layout (blocks separated by a blank
/// line, a final newline, `<br />`/`<hr />`, `id`s on headings from their text —
/// repeated ones numbered `-2`, `-3` —, `class="python language-python"` on fenced
/// code, tables with Bootstrap classes, images with `class="screenshot"`, block quotes
/// indented two spaces). Differences: the parsing is CommonMark's, so underscores
/// inside words stay literal (markdown2 makes `x_y_z` emphasis), `1)` starts a list,
/// trailing spaces at the end of a paragraph are dropped, e-mail autolinks are not
/// obfuscated, and HTML blocks follow CommonMark's rules for where they end.
pub fn md_to_html(text: &str) -> Result<String, html::TooDeep> {
    let opts = Options::ENABLE_TABLES;
    let events: Vec<_> = Parser::new_ext(text, opts).into_offset_iter().collect();
    let mut md = Md {
        source: text,
        depth: 0,
        too_deep: false,
        events,
        pos: 0,
        ids: HashMap::new(),
    };
    let mut blocks = Vec::new();
    while md.pos < md.events.len() {
        if let Some(b) = md.block() {
            blocks.push(b);
        }
    }
    if md.too_deep {
        return Err(html::TooDeep);
    }
    if blocks.is_empty() {
        return Ok("<p></p>\n".into());
    }
    Ok(format!("{}\n", blocks.join("\n\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_markdown2() {
        assert_eq!(slugify("Sub-head: x!"), "sub-head-x");
        assert_eq!(slugify("Título ñ"), "titulo-n");
        assert_eq!(slugify("*Em* `code` [l](u)"), "em-code-lu");
    }
}
