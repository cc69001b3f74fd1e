//! A small, flat document tree built straight from html5ever's tokenizer.
//!
//! Why not html5ever's tree builder with `markup5ever_rcdom`: extraction only
//! needs "which text sits in which element", not the full HTML5 tree
//! construction algorithm, and the rcdom tree is a web of `Rc<RefCell<…>>`
//! nodes whose drop recurses (100,000 nested `<div>`s overflow the stack).
//! Here every node lives in one `Vec` in document order, so
//!
//! * a parent always has a smaller index than its children, and bottom-up
//!   passes are a reverse loop, top-down passes a forward loop — no recursion
//!   anywhere, whatever the nesting;
//! * dropping the tree is dropping a `Vec`;
//! * nesting deeper than [`MAX_DEPTH`] is flattened (further elements become
//!   siblings), which bounds every ancestor walk.
//!
//! The builder implements the handful of implied-end-tag rules real news
//! pages rely on (`<p>` closed by the next block, `<li>`, `<td>`, `<tr>`,
//! `<option>`, `<dt>`/`<dd>`), void elements, and raw-text elements
//! (`<script>`, `<style>`, `<textarea>`, `<title>`), whose content the
//! tokenizer must not read as markup.

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, LocalName};
use std::cell::RefCell;

/// Deeper elements are attached as siblings instead of children.
pub const MAX_DEPTH: usize = 256;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

#[derive(Debug)]
pub enum NodeData {
    Document,
    Element {
        name: LocalName,
        attrs: Vec<(LocalName, String)>,
    },
    Text(String),
}

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub data: NodeData,
    pub children: Vec<NodeId>,
    pub depth: u32,
}

impl Node {
    pub fn name(&self) -> Option<&LocalName> {
        match &self.data {
            NodeData::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn is(&self, tag: &LocalName) -> bool {
        self.name() == Some(tag)
    }

    pub fn attr(&self, attr: &str) -> Option<&str> {
        match &self.data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| &**n == attr)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match &self.data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// The parsed page.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Descendants of `id` (itself included) in document order. Because nodes
    /// are stored in preorder, the subtree of `id` is the contiguous index
    /// range up to the next node that is not a descendant.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let depth = self.nodes[id].depth;
        let mut end = id + 1;
        while end < self.nodes.len() && self.nodes[end].depth > depth {
            end += 1;
        }
        end
    }

    pub fn is_ancestor(&self, ancestor: NodeId, mut node: NodeId) -> bool {
        while node != 0 {
            if node == ancestor {
                return true;
            }
            node = self.nodes[node].parent;
        }
        ancestor == 0
    }

    /// All visible-ish text under `id`, whitespace collapsed, scripts skipped.
    pub fn text_of(&self, id: NodeId) -> String {
        let end = self.subtree_end(id);
        let mut out = String::new();
        let mut skip_until = 0;
        for i in id..end {
            if i < skip_until {
                continue;
            }
            let node = &self.nodes[i];
            match &node.data {
                NodeData::Element { name, .. } if is_raw_text(name) && i != id => {
                    skip_until = self.subtree_end(i);
                }
                NodeData::Element { name, .. }
                    if (is_block(name) || *name == local_name!("br"))
                        && !out.ends_with(' ')
                        && !out.is_empty() =>
                {
                    out.push(' ');
                }
                NodeData::Text(t) => out.push_str(t),
                _ => {}
            }
        }
        collapse(&out)
    }

    /// Elements with this tag name, in document order.
    pub fn elements<'a>(&'a self, tag: &'a LocalName) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len()).filter(move |&i| self.nodes[i].is(tag))
    }
}

/// Collapses whitespace runs (ideographic space included) to one space.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

pub fn is_void(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "basefont"
            | "isindex"
    )
}

/// Elements whose content is not markup and (except `title`) not text.
pub fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        &**name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "textarea"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "title"
            | "svg"
            | "math"
            | "select"
            | "object"
    )
}

pub fn is_block(name: &LocalName) -> bool {
    matches!(
        &**name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "tbody"
            | "thead"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
            | "center"
            | "details"
            | "summary"
            | "form"
            | "address"
            | "caption"
            | "body"
            | "html"
    )
}

/// Start tags that close an open `<p>` (HTML's "close a p element").
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "table"
            | "blockquote"
            | "pre"
            | "figure"
            | "hr"
            | "dl"
            | "center"
            | "form"
            | "address"
            | "details"
            | "fieldset"
            | "figcaption"
            | "menu"
    )
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
    /// Set while inside a raw-text element whose text we keep as one child.
    raw: bool,
    /// `html`, `body`, `head` already opened.
    seen: [bool; 3],
}

impl Builder {
    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(0)
    }

    fn push_node(&mut self, data: NodeData) -> NodeId {
        let parent = self.current();
        let id = self.nodes.len();
        let depth = self.nodes[parent].depth + 1;
        self.nodes.push(Node {
            parent,
            data,
            children: Vec::new(),
            depth,
        });
        self.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, t: &str) {
        let parent = self.current();
        if let Some(&last) = self.nodes[parent].children.last() {
            if let NodeData::Text(s) = &mut self.nodes[last].data {
                s.push_str(t);
                return;
            }
        }
        self.push_node(NodeData::Text(t.to_string()));
    }

    /// Pops up to and including the innermost open `tag`, unless one of
    /// `boundary` is met first (then nothing is popped).
    fn close(&mut self, tag: &str, boundary: &[&str]) -> bool {
        for pos in (0..self.stack.len()).rev() {
            let name = match self.nodes[self.stack[pos]].name() {
                Some(n) => n,
                None => continue,
            };
            if &**name == tag {
                self.stack.truncate(pos);
                return true;
            }
            if boundary.contains(&&**name) {
                return false;
            }
        }
        false
    }

    fn start(&mut self, name: LocalName, attrs: Vec<(LocalName, String)>, self_closing: bool) {
        let n: &str = &name;
        if closes_p(n) {
            self.close(
                "p",
                &["td", "th", "table", "button", "html", "body", "object"],
            );
        }
        match n {
            "li" => {
                self.close("li", &["ul", "ol", "td", "table", "div"]);
            }
            "dt" | "dd" if !self.close("dd", &["dl", "div", "td"]) => {
                self.close("dt", &["dl", "div", "td"]);
            }
            "tr" => {
                self.close("tr", &["table", "tbody", "thead", "tfoot"]);
            }
            "td" | "th" if !self.close("td", &["tr", "table"]) => {
                self.close("th", &["tr", "table"]);
            }
            "tbody" | "thead" | "tfoot" => {
                for t in ["tbody", "thead", "tfoot"] {
                    self.close(t, &["table"]);
                }
            }
            "option" => {
                self.close("option", &["select"]);
            }
            "a" => {
                // Nested links are not allowed; the open one ends here.
                self.close("a", &["div", "p", "li", "td", "table"]);
            }
            "html" | "body" | "head" => {
                // Repeated document-level tags are dropped (HTML merges their
                // attributes into the first one; we need none of them).
                let slot = match n {
                    "html" => 0,
                    "body" => 1,
                    _ => 2,
                };
                if self.seen[slot] {
                    return;
                }
                self.seen[slot] = true;
            }
            _ => {}
        }
        let void = is_void(&name);
        let id = self.push_node(NodeData::Element { name, attrs });
        if !void && !self_closing && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        } else if !void && self_closing {
            // `<div/>` is an open div in HTML, but pages that write it mean
            // an empty element; keeping it empty is the kinder reading.
        }
    }

    fn end(&mut self, name: &LocalName) {
        let n: &str = name;
        match n {
            "br" => {
                self.push_node(NodeData::Element {
                    name: local_name!("br"),
                    attrs: Vec::new(),
                });
            }
            "p" => {
                if !self.close("p", &["td", "th", "table", "button", "html", "body"]) {
                    // `</p>` without an open p is an empty paragraph in HTML.
                }
            }
            "html" | "body" => {}
            _ => {
                // Only close what is open; stray end tags are ignored.
                let found = self
                    .stack
                    .iter()
                    .rev()
                    .take(64)
                    .any(|&id| self.nodes[id].is(name));
                if found {
                    self.close(n, &[]);
                }
            }
        }
    }
}

struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut b = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    if b.raw {
                        // A tag inside raw text cannot happen (the tokenizer
                        // is in a raw state); be safe anyway.
                        return TokenSinkResult::Continue;
                    }
                    let raw_kind = match &*tag.name {
                        "script" => Some(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            Some(RawKind::Rawtext)
                        }
                        "textarea" | "title" => Some(RawKind::Rcdata),
                        "plaintext" => None,
                        _ => None,
                    };
                    let attrs = tag
                        .attrs
                        .into_iter()
                        .map(|a| (a.name.local, a.value.to_string()))
                        .collect();
                    let self_closing = tag.self_closing;
                    b.start(tag.name, attrs, self_closing);
                    if let (Some(kind), false) = (raw_kind, self_closing) {
                        b.raw = true;
                        return TokenSinkResult::RawData(kind);
                    }
                }
                TagKind::EndTag => {
                    if b.raw {
                        b.raw = false;
                    }
                    b.end(&tag.name);
                }
            },
            Token::CharacterTokens(t) => b.text(&t),
            Token::EOFToken => b.stack.clear(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Parses a page. Never fails: any input gives some tree.
pub fn parse(html: &str) -> Dom {
    let mut nodes = Vec::with_capacity(html.len() / 40 + 16);
    nodes.push(Node {
        parent: 0,
        data: NodeData::Document,
        children: Vec::new(),
        depth: 0,
    });
    let sink = Sink(RefCell::new(Builder {
        nodes,
        stack: Vec::new(),
        raw: false,
        seen: [false; 3],
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let builder = tokenizer.sink.0.into_inner();
    Dom {
        nodes: builder.nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.nodes[id]
            .children
            .iter()
            .map(|&c| match &dom.nodes[c].data {
                NodeData::Element { name, .. } => name.to_string(),
                NodeData::Text(t) => format!("#{t}"),
                NodeData::Document => "doc".into(),
            })
            .collect()
    }

    #[test]
    fn implied_end_tags_make_siblings() {
        let dom = parse("<div><p>一<p>二<ul><li>a<li>b</ul></div>");
        let div = dom.elements(&local_name!("div")).next().expect("div");
        assert_eq!(names(&dom, div), ["p", "p", "ul"]);
        let ul = dom.elements(&local_name!("ul")).next().expect("ul");
        assert_eq!(names(&dom, ul), ["li", "li"]);
    }

    #[test]
    fn scripts_are_raw_text() {
        let dom = parse("<div><script>if (a<b) { x = '<p>'; }</script><p>正文</p></div>");
        let div = dom.elements(&local_name!("div")).next().expect("div");
        assert_eq!(names(&dom, div), ["script", "p"]);
        assert_eq!(dom.text_of(div), "正文");
    }

    #[test]
    fn stray_end_tags_are_ignored_and_subtrees_are_contiguous() {
        let dom = parse("<div><span>a</b></span></div></div><p>b");
        let div = dom.elements(&local_name!("div")).next().expect("div");
        assert_eq!(dom.subtree_end(div), div + 3);
        assert_eq!(dom.text_of(0), "a b");
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(100_000) + "深" + &"</div>".repeat(100_000);
        let dom = parse(&html);
        assert!(dom.nodes.iter().all(|n| n.depth as usize <= MAX_DEPTH + 1));
        assert_eq!(dom.text_of(0), "深");
    }
}
