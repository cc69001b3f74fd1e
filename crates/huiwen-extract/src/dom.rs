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
//!
//! Speed: the text of scripts and RAWTEXT elements (`<style>`,
//! `<noscript>`, `<iframe>` …), about a third of a typical page's bytes,
//! is cut out by [`parse`] itself (`raw_text_end` follows the tokenizer's
//! raw states; a test holds it to them), which is much faster than the
//! tokenizer's character-wise raw states. Subtree ends and children lists
//! are computed once after parsing, so [`Dom::subtree_end`] and
//! [`Dom::children`] cost nothing.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, Attribute, LocalName, TokenizerResult};
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
        /// As the tokenizer made them: converting (or copying the values
        /// into `String`s) would cost more than anything read from them.
        attrs: Vec<Attribute>,
    },
    /// As the tokenizer made it, like attribute values: most text is a
    /// slice of the page it shares, and short text needs no allocation.
    Text(StrTendril),
}

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub data: NodeData,
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
                .find(|a| &*a.name.local == attr)
                .map(|a| &*a.value),
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
    /// [`Dom::subtree_end`] of every node, computed once after parsing:
    /// the passes ask for it for nearly every element.
    ends: Vec<NodeId>,
    /// Every node's children, in document order, as one list: those of
    /// node `i` are `children[child_start[i]..child_start[i + 1]]` (one
    /// allocation instead of a list per element).
    children: Vec<NodeId>,
    child_start: Vec<usize>,
}

impl Dom {
    fn new(nodes: Vec<Node>) -> Dom {
        let n = nodes.len();
        // Children follow their parent in preorder, so a reverse loop sees
        // every subtree complete before its parent.
        let mut ends: Vec<NodeId> = (1..=n).collect();
        for i in (1..n).rev() {
            let p = nodes[i].parent;
            ends[p] = ends[p].max(ends[i]);
        }
        // Counting sort of the nodes by parent; a forward loop keeps each
        // node's children in document order.
        let mut child_start = vec![0; n + 1];
        for node in &nodes[1..] {
            child_start[node.parent + 1] += 1;
        }
        for i in 0..n {
            child_start[i + 1] += child_start[i];
        }
        let mut next = child_start.clone();
        let mut children = vec![0; n.saturating_sub(1)];
        for (i, node) in nodes.iter().enumerate().skip(1) {
            children[next[node.parent]] = i;
            next[node.parent] += 1;
        }
        Dom {
            nodes,
            ends,
            children,
            child_start,
        }
    }

    /// The children of `id`, in document order.
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.children[self.child_start[id]..self.child_start[id + 1]]
    }

    /// Descendants of `id` (itself included) in document order. Because nodes
    /// are stored in preorder, the subtree of `id` is the contiguous index
    /// range up to the next node that is not a descendant.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        self.ends[id]
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
    /// Blocks and `<br>` separate words, on both sides of a block
    /// (`<p>Luke Kim</p><small>December 17</small>` is two words apart).
    /// Collapsed while it is collected (one string, no second pass): passes
    /// call this for most elements.
    pub fn text_of(&self, id: NodeId) -> String {
        let end = self.subtree_end(id);
        let mut out = Collapsed::default();
        // Where the blocks open around `i` end.
        let mut block_ends: Vec<NodeId> = Vec::new();
        let mut i = id;
        while i < end {
            while block_ends.last().is_some_and(|&e| e <= i) {
                block_ends.pop();
                out.space();
            }
            match &self.nodes[i].data {
                NodeData::Element { name, .. } if is_raw_text(name) && i != id => {
                    i = self.subtree_end(i);
                    continue;
                }
                NodeData::Element { name, .. } if is_block(name) || *name == local_name!("br") => {
                    out.space();
                    if i != id && *name != local_name!("br") {
                        block_ends.push(self.subtree_end(i));
                    }
                }
                NodeData::Text(t) => out.push_str(t),
                _ => {}
            }
            i += 1;
        }
        out.text
    }

    /// Characters other than whitespace in [`Dom::text_of`]`(id)`, counted
    /// only up to `max + 1`: a cheap test before building a text that must
    /// be short (a paragraph has few nodes but can be long).
    pub fn text_chars_up_to(&self, id: NodeId, max: usize) -> usize {
        let end = self.subtree_end(id);
        let mut count = 0;
        let mut i = id;
        while i < end && count <= max {
            match &self.nodes[i].data {
                NodeData::Element { name, .. } if is_raw_text(name) && i != id => {
                    i = self.subtree_end(i);
                    continue;
                }
                NodeData::Text(t) => {
                    count += t
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(max + 1 - count)
                        .count();
                }
                _ => {}
            }
            i += 1;
        }
        count
    }

    /// Elements with this tag name, in document order.
    pub fn elements<'a>(&'a self, tag: &'a LocalName) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len()).filter(move |&i| self.nodes[i].is(tag))
    }
}

/// Collapses whitespace runs (ideographic space included) to one space.
pub fn collapse(s: &str) -> String {
    let mut out = Collapsed {
        text: String::with_capacity(s.len()),
        space: false,
    };
    out.push_str(s);
    out.text
}

/// Text being collapsed as it is appended: whitespace runs become one
/// space between words, none at either end.
#[derive(Default)]
struct Collapsed {
    text: String,
    /// Whitespace was met since the last word.
    space: bool,
}

impl Collapsed {
    fn space(&mut self) {
        self.space = true;
    }

    fn push_str(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let space = space_len(s, i);
            if space > 0 {
                self.space = true;
                i += space;
                continue;
            }
            // A word runs to the next whitespace. Byte by byte: bytes
            // inside a character (0x80–0xbf) start no whitespace.
            let start = i;
            i += 1;
            while i < b.len() && (!may_start_space(b[i]) || space_len(s, i) == 0) {
                i += 1;
            }
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(&s[start..i]);
            self.space = false;
        }
    }
}

/// Whether a whitespace character can start with byte `b` (one test for
/// most bytes of a word).
#[inline]
fn may_start_space(b: u8) -> bool {
    b <= b' ' || matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3)
}

/// Bytes of the whitespace character (`char::is_whitespace`) starting at
/// byte `i` of `s`, 0 when it is not whitespace (or `i` is inside a
/// character). Only characters whose first byte is one that non-ASCII
/// whitespace starts with are decoded.
#[inline]
fn space_len(s: &str, i: usize) -> usize {
    match s.as_bytes()[i] {
        b' ' | b'\t'..=b'\r' => 1,
        0xc2 | 0xe1 | 0xe2 | 0xe3 => s
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
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

/// `[local_name!("td"), local_name!("th")]` as `atoms!["td", "th"]`.
macro_rules! atoms {
    ($($name:tt),*) => {
        [$(local_name!($name)),*]
    };
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
    /// Set while inside a raw-text element whose text we keep as one child.
    raw: bool,
    /// A `<script>` or RAWTEXT element (`<style>` …) just opened, whose text
    /// `parse` reads itself (see [`raw_text_end`]).
    pending_raw: Option<LocalName>,
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
            depth,
        });
        id
    }

    fn text(&mut self, t: StrTendril) {
        let parent = self.current();
        // The current element's last child is the last node made, if any:
        // anything made after it would be a later child of the current
        // element (which is still open) or inside one.
        if let Some(last) = self.nodes.last_mut().filter(|n| n.parent == parent) {
            if let NodeData::Text(s) = &mut last.data {
                s.push_tendril(&t);
                return;
            }
        }
        self.push_node(NodeData::Text(t));
    }

    /// Pops up to and including the innermost open `tag`, unless one of
    /// `boundary` is met first (then nothing is popped). Names are compared
    /// as atoms: this runs for most start tags, over the whole stack.
    fn close(&mut self, tag: &LocalName, boundary: &[LocalName]) -> bool {
        for pos in (0..self.stack.len()).rev() {
            let name = match self.nodes[self.stack[pos]].name() {
                Some(n) => n,
                None => continue,
            };
            if name == tag {
                self.stack.truncate(pos);
                return true;
            }
            if boundary.contains(name) {
                return false;
            }
        }
        false
    }

    fn start(&mut self, name: LocalName, attrs: Vec<Attribute>, self_closing: bool) {
        let n: &str = &name;
        if closes_p(n) {
            self.close(
                &local_name!("p"),
                &atoms!["td", "th", "table", "button", "html", "body", "object"],
            );
        }
        match n {
            "li" => {
                self.close(
                    &local_name!("li"),
                    &atoms!["ul", "ol", "td", "table", "div"],
                );
            }
            "dt" | "dd" if !self.close(&local_name!("dd"), &atoms!["dl", "div", "td"]) => {
                self.close(&local_name!("dt"), &atoms!["dl", "div", "td"]);
            }
            "tr" => {
                self.close(
                    &local_name!("tr"),
                    &atoms!["table", "tbody", "thead", "tfoot"],
                );
            }
            "td" | "th" if !self.close(&local_name!("td"), &atoms!["tr", "table"]) => {
                self.close(&local_name!("th"), &atoms!["tr", "table"]);
            }
            "tbody" | "thead" | "tfoot" => {
                for t in atoms!["tbody", "thead", "tfoot"] {
                    self.close(&t, &atoms!["table"]);
                }
            }
            "option" => {
                self.close(&local_name!("option"), &atoms!["select"]);
            }
            "a" => {
                // Nested links are not allowed; the open one ends here.
                self.close(&local_name!("a"), &atoms!["div", "p", "li", "td", "table"]);
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
                if !self.close(
                    &local_name!("p"),
                    &atoms!["td", "th", "table", "button", "html", "body"],
                ) {
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
                    self.close(name, &[]);
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
                    // Script and RAWTEXT content (a third of a typical
                    // page's bytes) is read by `parse` itself, which is much
                    // faster than the tokenizer's character-wise raw states;
                    // RCDATA has character references, so the tokenizer
                    // reads it.
                    let raw_kind = match &*tag.name {
                        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes"
                        | "noscript" => Some(None),
                        // Inline SVG is markup, but none of it is ever read
                        // (icons, charts' path data: 4–7 % of a page's
                        // bytes); it is skipped to `</svg>` like raw text
                        // (1.4 % fewer instructions over the dev pages).
                        "svg" => Some(None),
                        "textarea" | "title" => Some(Some(RawKind::Rcdata)),
                        _ => None,
                    };
                    let self_closing = tag.self_closing;
                    let name = tag.name.clone();
                    b.start(tag.name, tag.attrs, self_closing);
                    match (raw_kind, self_closing) {
                        (Some(Some(kind)), false) => {
                            b.raw = true;
                            return TokenSinkResult::RawData(kind);
                        }
                        (Some(None), false) => {
                            b.raw = true;
                            b.pending_raw = Some(name);
                            // Pauses the tokenizer right after this tag.
                            return TokenSinkResult::Script(());
                        }
                        _ => {}
                    }
                }
                TagKind::EndTag => {
                    if b.raw {
                        b.raw = false;
                    }
                    b.end(&tag.name);
                }
            },
            Token::CharacterTokens(t) => b.text(t),
            Token::EOFToken => b.stack.clear(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Takes the text of the raw-text element `name` just opened off the front
/// of `input`, up to its end tag, which is left for the tokenizer (in its
/// data state it reads the end tag as it would have in the raw state). The
/// text is what the tokenizer would have emitted: line breaks normalised to
/// `\n` and NUL replaced by U+FFFD.
fn read_raw_text(input: &BufferQueue, name: &LocalName, b: &mut Builder) {
    // One buffer unless a character reference pushed some back.
    let Some(mut rest) = input.pop_front() else {
        return;
    };
    while let Some(more) = input.pop_front() {
        rest.push_tendril(&more);
    }
    let end = raw_text_end(&rest, name);
    // `end` is in bounds and at a `<`: neither step can fail, but if one
    // did, the text would be left to the tokenizer rather than lost.
    let raw = u32::try_from(end).map(|n| (n, rest.try_subtendril(0, n)));
    if let Ok((n, Ok(raw))) = raw {
        if rest.try_pop_front(n).is_ok() && !raw.is_empty() {
            b.push_node(NodeData::Text(normalise_raw_text(raw)));
        }
    }
    input.push_front(rest);
}

/// `\r\n` and `\r` as `\n`, NUL as U+FFFD: the tokenizer's input stream
/// preprocessing and its raw-text states' handling of NUL. Text without
/// them (nearly all) stays a slice of the page.
fn normalise_raw_text(raw: StrTendril) -> StrTendril {
    if !raw.contains('\r') && !raw.contains('\0') {
        return raw;
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = &*raw;
    while let Some(at) = rest.bytes().position(|b| matches!(b, b'\r' | b'\0')) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'\0' {
            out.push('\u{fffd}');
            rest = &rest[at + 1..];
        } else {
            out.push('\n');
            rest = rest[at + 1..].strip_prefix('\n').unwrap_or(&rest[at + 1..]);
        }
    }
    out.push_str(rest);
    StrTendril::from(out)
}

/// Where the text of a raw-text element named `name` ends in `s`: at the
/// `<` of its end tag, or at the end of `s` when it has none. Follows the
/// tokenizer's raw states (HTML's RAWTEXT and script data states): the end
/// tag is `</name` in any ASCII case followed by whitespace, `/` or `>`;
/// in a script, `<!--` starts an escaped section in which `<script …>`
/// starts a double-escaped one where `</script>` ends only that.
fn raw_text_end(text: &str, name: &LocalName) -> usize {
    #[derive(Clone, Copy)]
    enum State {
        Data,
        LessThan,
        EscapeStart,
        EscapeStartDash,
        Escaped,
        EscapedDash,
        EscapedDashDash,
        EscapedLessThan,
        DoubleEscapeStart,
        DoubleEscaped,
        DoubleEscapedDash,
        DoubleEscapedDashDash,
        DoubleEscapedLessThan,
        DoubleEscapeEnd,
    }
    use State::*;
    let s = text.as_bytes();
    let script = *name == local_name!("script");
    let name = name.as_bytes();
    let ends_tag = |at: usize| {
        s.get(at..at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && s.get(at + name.len()).is_some_and(|&c| is_tag_end(c))
    };
    let mut word = ScriptWord::default();
    let mut state = Data;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        // Whether `c` is taken by this state (else it is read again in the
        // state switched to).
        let mut consumed = true;
        state = match state {
            // The data state is only entered at a character boundary, so
            // `find` (a fast byte search) applies.
            Data => match text.get(i..).map_or_else(
                || s[i..].iter().position(|&c| c == b'<'),
                |rest| rest.find('<'),
            ) {
                Some(lt) => {
                    i += lt;
                    LessThan
                }
                None => return s.len(),
            },
            LessThan => match c {
                b'/' if ends_tag(i + 1) => return i - 1,
                b'!' if script => EscapeStart,
                b'/' => Data,
                _ => {
                    consumed = false;
                    Data
                }
            },
            EscapeStart | EscapeStartDash if c != b'-' => {
                consumed = false;
                Data
            }
            EscapeStart => EscapeStartDash,
            EscapeStartDash => EscapedDashDash,
            Escaped => match c {
                b'-' => EscapedDash,
                b'<' => EscapedLessThan,
                _ => Escaped,
            },
            EscapedDash | EscapedDashDash => match c {
                b'-' => EscapedDashDash,
                b'<' => EscapedLessThan,
                b'>' if matches!(state, EscapedDashDash) => Data,
                _ => Escaped,
            },
            EscapedLessThan => match c {
                b'/' if ends_tag(i + 1) => return i - 1,
                b'/' => Escaped,
                c if c.is_ascii_alphabetic() => {
                    word = ScriptWord::default();
                    word.push(c);
                    DoubleEscapeStart
                }
                _ => {
                    consumed = false;
                    Escaped
                }
            },
            DoubleEscapeStart | DoubleEscapeEnd if is_tag_end(c) => {
                match (state, word.is_script()) {
                    (DoubleEscapeStart, true) | (DoubleEscapeEnd, false) => DoubleEscaped,
                    _ => Escaped,
                }
            }
            DoubleEscapeStart | DoubleEscapeEnd if c.is_ascii_alphabetic() => {
                word.push(c);
                state
            }
            DoubleEscapeStart => {
                consumed = false;
                Escaped
            }
            DoubleEscapeEnd => {
                consumed = false;
                DoubleEscaped
            }
            DoubleEscaped => match c {
                b'-' => DoubleEscapedDash,
                b'<' => DoubleEscapedLessThan,
                _ => DoubleEscaped,
            },
            DoubleEscapedDash | DoubleEscapedDashDash => match c {
                b'-' => DoubleEscapedDashDash,
                b'<' => DoubleEscapedLessThan,
                b'>' if matches!(state, DoubleEscapedDashDash) => Data,
                _ => DoubleEscaped,
            },
            DoubleEscapedLessThan => match c {
                b'/' => {
                    word = ScriptWord::default();
                    DoubleEscapeEnd
                }
                _ => {
                    consumed = false;
                    DoubleEscaped
                }
            },
        };
        if consumed {
            i += 1;
        }
    }
    s.len()
}

/// The letters after `<` (`<script`) or `</` (`</script`) in a script's
/// escaped text, compared with "script" (in any case) as they come.
#[derive(Default)]
struct ScriptWord {
    len: usize,
    /// A letter differed from the one of "script" at its place.
    differs: bool,
}

impl ScriptWord {
    fn push(&mut self, c: u8) {
        self.differs |= b"script".get(self.len) != Some(&c.to_ascii_lowercase());
        self.len += 1;
    }

    fn is_script(&self) -> bool {
        self.len == 6 && !self.differs
    }
}

/// What ends a tag name in the raw states: whitespace (a carriage return
/// reads as a line feed), `/` or `>`.
fn is_tag_end(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\r' | b'\x0c' | b' ' | b'/' | b'>')
}

/// Parses a page. Never fails: any input gives some tree.
pub fn parse(html: &str) -> Dom {
    let mut nodes = Vec::with_capacity(html.len() / 40 + 16);
    nodes.push(Node {
        parent: 0,
        data: NodeData::Document,
        depth: 0,
    });
    let sink = Sink(RefCell::new(Builder {
        nodes,
        stack: Vec::new(),
        raw: false,
        pending_raw: None,
        seen: [false; 3],
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    loop {
        match tokenizer.feed(&input) {
            TokenizerResult::Done => break,
            TokenizerResult::Script(()) => {
                let mut b = tokenizer.sink.0.borrow_mut();
                if let Some(name) = b.pending_raw.take() {
                    read_raw_text(&input, &name, &mut b);
                }
            }
            // The sink asks for nothing else.
            _ => {}
        }
    }
    tokenizer.end();
    let builder = tokenizer.sink.0.into_inner();
    Dom::new(builder.nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.children(id)
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
    fn blocks_separate_words_on_both_sides() {
        let dom = parse("<div><p>Luke Kim</p><small>December 17</small><b>!</b></div>");
        let div = dom.elements(&local_name!("div")).next().expect("div");
        assert_eq!(dom.text_of(div), "Luke Kim December 17!");
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

    /// The text of the first `<script>` or `<style>` as html5ever's raw
    /// states read it (the tokenizer reading all of it, as `parse` did
    /// before it read such text itself).
    #[derive(Default)]
    struct RawOracle {
        text: RefCell<Option<String>>,
        inside: std::cell::Cell<bool>,
    }

    impl TokenSink for RawOracle {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag)
                    if tag.kind == TagKind::StartTag
                        && self.text.borrow().is_none()
                        && !tag.self_closing =>
                {
                    let kind = match &*tag.name {
                        "script" => RawKind::ScriptData,
                        "style" => RawKind::Rawtext,
                        _ => return TokenSinkResult::Continue,
                    };
                    *self.text.borrow_mut() = Some(String::new());
                    self.inside.set(true);
                    return TokenSinkResult::RawData(kind);
                }
                Token::TagToken(_) => self.inside.set(false),
                Token::CharacterTokens(t) if self.inside.get() => {
                    if let Some(text) = self.text.borrow_mut().as_mut() {
                        text.push_str(&t);
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    fn oracle_raw_text(html: &str) -> Option<String> {
        let tokenizer = Tokenizer::new(RawOracle::default(), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(html.into());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.text.into_inner()
    }

    fn parsed_raw_text(html: &str) -> Option<String> {
        let dom = parse(html);
        let raw = dom
            .nodes
            .iter()
            .position(|n| n.is(&local_name!("script")) || n.is(&local_name!("style")))?;
        Some(
            dom.children(raw)
                .first()
                .and_then(|&c| dom.nodes[c].text())
                .unwrap_or("")
                .to_string(),
        )
    }

    /// Script and style text is read by `parse` itself; it must end where
    /// html5ever's raw states end it (escaped and double-escaped scripts,
    /// end tags in any case, bogus end tags, EOF) and read the same
    /// characters (CR LF, NUL). Checked on many generated scripts.
    #[test]
    fn raw_text_is_read_as_the_tokenizer_reads_it() {
        const PIECES: &[&str] = &[
            "<",
            "</",
            "/",
            "!",
            "-",
            "--",
            "<!--",
            "-->",
            "script",
            "SCRIPT",
            "Script",
            "scripts",
            "style",
            "STYLE",
            ">",
            " ",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "\0",
            "\u{c}",
            "a",
            "é",
            "中",
            "<script>",
            "</script>",
            "</script ",
            "</style>",
            "<p>",
            "&amp;",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for round in 0..40_000 {
            let open = [
                "<script>",
                "<SCRIPT type=\"x\">",
                "<style>",
                "<Style media=a>",
            ][round % 4];
            let mut body = String::new();
            for _ in 0..1 + next(14) {
                body.push_str(PIECES[next(PIECES.len())]);
            }
            let tail = [
                "",
                "</script><p>after</p>",
                "</style>after",
                "</SCRIPT\r\n>x",
            ][next(4)];
            let html = format!("<div>{open}{body}{tail}</div>");
            assert_eq!(parsed_raw_text(&html), oracle_raw_text(&html), "{html:?}");
        }
    }

    /// Inline SVG is read past like raw text: its labels and path data are
    /// no text of the page, and what follows it is parsed as usual.
    #[test]
    fn inline_svg_is_skipped() {
        let dom = parse(
            "<p>Share <svg viewBox=\"0 0 9 9\"><title>Facebook</title><path d=\"M5,0 0,2.5z\"/></svg>this <b>story</b></p>",
        );
        let p = dom.elements(&local_name!("p")).next().expect("a paragraph");
        assert_eq!(dom.text_of(p), "Share this story");
        assert!(dom.elements(&local_name!("b")).next().is_some());
        assert!(dom.elements(&local_name!("path")).next().is_none());
    }

    #[test]
    fn raw_text_examples() {
        for html in [
            "<script>if (a<b) {}</script><p>x",
            "<script><!-- <script> </script> --></script><p>x",
            "<script><!-- </script> --></script>",
            "<style>a</styles></STYLE\t>b",
            "<script>\r\nx\ry\0z</script>",
            "<script>never closed",
            "<script></script>",
        ] {
            assert_eq!(parsed_raw_text(html), oracle_raw_text(html), "{html:?}");
        }
    }
}
