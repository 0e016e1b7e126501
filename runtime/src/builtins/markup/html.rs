//! A lenient HTML tree, built the way BeautifulSoup's `html.parser` builder builds one
//! (what Frappe's HTML helpers and markdownify parse with): html5ever's tokenizer
//! reads the tags, character references and comments; a start tag opens an element
//! (void elements never do), an end tag closes the innermost open element of its name
//! and everything inside it, a stray end tag is ignored, and whatever is still open at
//! the end is closed there. No element is opened or closed implicitly (`<p>a<p>b`
//! nests), as with `html.parser`. `<script>` and `<style>` hold raw text.
//!
//! [`serialize`] writes nodes back as BeautifulSoup's `decode(formatter="minimal")`
//! does: `&`, `<`, `>` escaped, void elements as `<br/>`, whitespace in multi-valued
//! attributes (`class`…) collapsed, attribute quotes chosen around the value.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
    Comment(String),
    Doctype(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every element below this one named one of `names`, in document order.
    pub fn descendants_named<'a>(&'a self, names: &[&str], out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if let Node::Element(e) = c {
                if names.contains(&e.name.as_str()) {
                    out.push(e);
                }
                e.descendants_named(names, out);
            }
        }
    }
}

impl Node {
    pub fn element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&str> {
        self.element().map(|e| e.name.as_str())
    }
}

/// BeautifulSoup's empty-element tags for HTML.
pub const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr", "image",
    "img", "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid", "param", "source",
    "spacer", "track", "wbr",
];

/// Attributes BeautifulSoup treats as whitespace-separated lists.
const LIST_ATTRS: &[&str] = &[
    "class",
    "rel",
    "rev",
    "accept-charset",
    "headers",
    "accesskey",
    "dropzone",
];

/// How deep elements may nest. Deeper markup is refused (the converters recurse over
/// the tree; Frappe's, in Python, stop with a RecursionError somewhat later).
pub const MAX_DEPTH: usize = 256;

/// Markup nested deeper than [`MAX_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooDeep;

#[derive(Default)]
struct Builder {
    /// The open elements; `stack[0]` is the document.
    stack: Vec<Element>,
    too_deep: bool,
}

impl Builder {
    fn push_node(&mut self, node: Node) {
        let top = self.stack.last_mut().expect("the document stays open");
        if let (Node::Text(t), Some(Node::Text(prev))) = (&node, top.children.last_mut()) {
            prev.push_str(t);
            return;
        }
        top.children.push(node);
    }

    fn close_top(&mut self) {
        if self.stack.len() > 1 {
            let e = self.stack.pop().expect("checked");
            self.push_node(Node::Element(e));
        }
    }
}

struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut b = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                match tag.kind {
                    TagKind::StartTag => {
                        let attrs = tag
                            .attrs
                            .iter()
                            .map(|a| (a.name.local.to_string(), a.value.to_string()))
                            .collect();
                        let e = Element {
                            name: name.clone(),
                            attrs,
                            children: Vec::new(),
                        };
                        if VOID.contains(&name.as_str()) || tag.self_closing {
                            b.push_node(Node::Element(e));
                        } else if b.stack.len() > MAX_DEPTH {
                            b.too_deep = true;
                        } else {
                            b.stack.push(e);
                            match name.as_str() {
                                "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                                "style" => return TokenSinkResult::RawData(RawKind::Rawtext),
                                _ => {}
                            }
                        }
                    }
                    TagKind::EndTag => {
                        if let Some(pos) = b.stack.iter().skip(1).rposition(|e| e.name == name) {
                            while b.stack.len() > pos + 1 {
                                b.close_top();
                            }
                        }
                    }
                }
            }
            Token::CharacterTokens(t) => b.push_node(Node::Text(t.to_string())),
            Token::NullCharacterToken => b.push_node(Node::Text("\0".into())),
            Token::CommentToken(c) => b.push_node(Node::Comment(c.to_string())),
            Token::DoctypeToken(d) => {
                let name = d.name.map(|n| n.to_string()).unwrap_or_default();
                b.push_node(Node::Doctype(name));
            }
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// The top-level nodes of `html`.
pub fn parse(html: &str) -> Result<Vec<Node>, TooDeep> {
    let sink = Sink(RefCell::new(Builder {
        stack: vec![Element::default()],
        too_deep: false,
    }));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // the sink never asks to pause for a script, so one feed reads everything
    let _ = tok.feed(&input);
    tok.end();
    let mut b = tok.sink.0.borrow_mut();
    if b.too_deep {
        return Err(TooDeep);
    }
    while b.stack.len() > 1 {
        b.close_top();
    }
    Ok(std::mem::take(&mut b.stack[0].children))
}

/// Whether the tree holds an element (BeautifulSoup's `soup.find()`).
pub fn has_element(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| matches!(n, Node::Element(_)))
}

/// Removes the elements named in `names` (with their content) everywhere.
pub fn remove_elements(nodes: &mut Vec<Node>, names: &[&str]) {
    nodes.retain(|n| !n.name().is_some_and(|x| names.contains(&x)));
    for n in nodes {
        if let Node::Element(e) = n {
            remove_elements(&mut e.children, names);
        }
    }
}

/// Removes comments, and (when `blank_text`) whitespace-only text, everywhere.
pub fn remove_comments(nodes: &mut Vec<Node>, blank_text: bool) {
    nodes.retain(|n| match n {
        Node::Comment(_) => false,
        Node::Text(t) => !(blank_text && t.trim_matches(super::super::web::py_space).is_empty()),
        _ => true,
    });
    for n in nodes {
        if let Node::Element(e) = n {
            remove_comments(&mut e.children, blank_text);
        }
    }
}

/// `&`, `<` and `>` as entities (text content; BeautifulSoup's minimal formatter).
pub fn escape_minimal(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn write_attr(name: &str, value: &str, out: &mut String) {
    let collapsed;
    let value = if LIST_ATTRS.contains(&name) {
        collapsed = value
            .split(char::is_whitespace)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        collapsed.as_str()
    } else {
        value
    };
    let mut escaped = String::with_capacity(value.len());
    escape_minimal(value, &mut escaped);
    out.push(' ');
    out.push_str(name);
    out.push('=');
    if escaped.contains('"') {
        if escaped.contains('\'') {
            out.push('"');
            out.push_str(&escaped.replace('"', "&quot;"));
            out.push('"');
        } else {
            out.push('\'');
            out.push_str(&escaped);
            out.push('\'');
        }
    } else {
        out.push('"');
        out.push_str(&escaped);
        out.push('"');
    }
}

/// One node as BeautifulSoup's minimal formatter writes it.
pub fn serialize_node(node: &Node, out: &mut String, raw: bool) {
    match node {
        Node::Text(t) if raw => out.push_str(t),
        Node::Text(t) => escape_minimal(t, out),
        Node::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        Node::Doctype(d) => {
            out.push_str("<!DOCTYPE ");
            out.push_str(d);
            out.push('>');
        }
        Node::Element(e) => {
            out.push('<');
            out.push_str(&e.name);
            for (k, v) in &e.attrs {
                write_attr(k, v, out);
            }
            if VOID.contains(&e.name.as_str()) && e.children.is_empty() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            let raw = matches!(e.name.as_str(), "script" | "style");
            for c in &e.children {
                serialize_node(c, out, raw);
            }
            out.push_str("</");
            out.push_str(&e.name);
            out.push('>');
        }
    }
}

pub fn serialize(nodes: &[Node]) -> String {
    let mut out = String::new();
    for n in nodes {
        serialize_node(n, &mut out, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        serialize(&parse(s).unwrap())
    }

    #[test]
    fn trees_are_built_as_html_parser_builds_them() {
        assert_eq!(round("<p>a<p>b"), "<p>a<p>b</p></p>");
        assert_eq!(round("<b>x<i>y</b>z</i>"), "<b>x<i>y</i></b>z");
        assert_eq!(round("<div>a</span>b</div>"), "<div>ab</div>");
        assert_eq!(
            round("<br>x<br/>y<img src=x>"),
            "<br/>x<br/>y<img src=\"x\"/>"
        );
        assert_eq!(round("<script>a<b>c</script>d"), "<script>a<b>c</script>d");
        assert_eq!(round("<div/>x"), "<div></div>x");
        assert_eq!(
            round("a &amp; &lt;b&gt; &nbsp;"),
            "a &amp; &lt;b&gt; \u{a0}"
        );
        assert_eq!(
            round("<a title='say \"hi\"' class=' x   y '>t</a>"),
            "<a title='say \"hi\"' class=\"x y\">t</a>"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        assert!(parse(&"<div>".repeat(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&"<div>".repeat(MAX_DEPTH + 1)), Err(TooDeep));
        assert!(parse(&"<br>".repeat(100_000)).is_ok());
    }
}
