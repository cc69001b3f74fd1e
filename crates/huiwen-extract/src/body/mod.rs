//! The article body of an HTML page: scoring, boilerplate removal, lists,
//! and putting the metadata together. Which heading is the title lives in
//! [`headline`], which of the body's lines are metadata (bylines,
//! datelines, captions, chrome) in [`lines`], who wrote it in [`authors`];
//! the lists beside the article (相关阅读, 热门资讯) in [`listed`]; all
//! need the content this module finds. Turning the chosen containers
//! into blocks, and the kept blocks into `html` and `text` (data tables
//! included), is [`mod@render`]'s.

use chrono::{DateTime, FixedOffset};
use html5ever::local_name;
use huiwen_core::SanitizedHtml;

use crate::dates::{date_in_url, find_dates};
use crate::dom::{self, is_block, Dom, NodeData, NodeId};
use crate::meta::{self, norm, Meta};
use crate::rules::{rules, WordHasher};
use crate::{any_hint_word, byline, ExtractOptions, Extracted, PageType};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

mod authors;
mod headline;
mod lines;
mod listed;
mod render;

use headline::choose_title;
use render::{assemble_html, plain_text, render, resolve, Block};

/// Per-node facts every step reads.
struct Analysis {
    /// Not content at all: scripts, styles, navigation, hidden, and
    /// boilerplate-named containers.
    skip: Vec<bool>,
    /// Inside an `<a>` (nearest link ancestor, if any).
    link: Vec<Option<NodeId>>,
    /// The block element whose inline text this node is part of.
    owner: Vec<NodeId>,
    /// Whole subtree: text characters, link text characters, punctuation.
    chars: Vec<u32>,
    link_chars: Vec<u32>,
    punct: Vec<u32>,
    /// Only the text owned directly (inline) by this block.
    own_chars: Vec<u32>,
    own_link: Vec<u32>,
    own_punct: Vec<u32>,
    own_cjk: Vec<u32>,
    /// Class/id hint: +1 content, -1 boilerplate, 0 none.
    hint: Vec<i8>,
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | ','
            | '.'
            | ';'
            | '!'
            | '?'
            | '"'
            | '（'
            | '）'
            | '《'
            | '》'
    )
}

/// Elements that are never content, whatever they hold.
fn is_hard_skip(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "textarea"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "select"
            | "option"
            | "button"
            | "input"
            | "nav"
            | "aside"
            | "footer"
            | "head"
            | "title"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "dialog"
            | "menu"
            | "label"
            | "xmp"
            | "noembed"
            | "noframes"
    )
}

fn hidden(node: &dom::Node) -> bool {
    if node.attr("hidden").is_some() {
        // React's streamed server rendering (Next.js) sends a suspended
        // part of the page, often the whole article, as `<div hidden
        // id="S:0">` and a script moves it into place: that div is the
        // page, not hidden.
        let react_segment = node
            .attr("id")
            .and_then(|id| id.strip_prefix("S:"))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        return !react_segment;
    }
    let Some(style) = node.attr("style") else {
        return false;
    };
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // A collapsed accordion or tab panel (`role="region"`
    // `aria-labelledby=…`) is text the reader opens with a click.
    let panel = node.attr("aria-labelledby").is_some()
        && matches!(node.attr("role"), Some("region" | "tabpanel"));
    (s.contains("display:none") || s.contains("visibility:hidden")) && !panel
}

/// What the words of one class or id value say (see [`class_hint`]).
#[derive(Debug, Clone, Copy, Default)]
struct HintWords {
    comment: bool,
    content: bool,
    boilerplate: bool,
    list: bool,
}

impl HintWords {
    fn of(value: &str) -> HintWords {
        let r = rules();
        let mut out = HintWords::default();
        // A comment word decides the hint, so the words after it are not
        // looked up.
        out.comment = any_hint_word(value, |w| {
            match r.hint(w) {
                Some(-2) => return true,
                Some(1) => out.content = true,
                Some(-1) => out.boilerplate = true,
                Some(-3) => out.list = true,
                _ => {}
            }
            false
        });
        out
    }
}

/// Class values repeat all over a page (every item of a list has the
/// same), so their words are read once per distinct value.
type ClassHints<'a> = HashMap<&'a str, HintWords, BuildHasherDefault<WordHasher>>;

/// +1 content, -2 comments, -1 boilerplate, -3 a list module's name (排行,
/// tags: boilerplate when it reads as a list), 0 no hint. A content word
/// beats a boilerplate word on the same element (`article-share` is
/// content), a comment word beats both.
fn class_hint<'a>(node: &'a dom::Node, seen: &mut ClassHints<'a>) -> i8 {
    let class = node
        .attr("class")
        .map(|v| *seen.entry(v).or_insert_with(|| HintWords::of(v)))
        .unwrap_or_default();
    // A heading's id is an anchor made from its own words
    // (`<h3 id="1-clinical-decision-support">`, `id="side-effects"`), not a
    // statement about the element.
    let heading = node.name().is_some_and(|n| is_heading(n));
    let id = node
        .attr("id")
        .filter(|_| !heading)
        .map(HintWords::of)
        .unwrap_or_default();
    if class.comment || id.comment {
        -2
    } else if class.content || id.content {
        1
    } else if class.boilerplate || id.boilerplate {
        -1
    } else if class.list || id.list {
        -3
    } else {
        0
    }
}

impl Analysis {
    fn new(dom: &Dom) -> Analysis {
        let n = dom.nodes.len();
        let mut a = Analysis {
            skip: vec![false; n],
            link: vec![None; n],
            owner: vec![0; n],
            chars: vec![0; n],
            link_chars: vec![0; n],
            punct: vec![0; n],
            own_chars: vec![0; n],
            own_link: vec![0; n],
            own_punct: vec![0; n],
            own_cjk: vec![0; n],
            hint: vec![0; n],
        };
        let mut class_hints = ClassHints::default();
        // Top-down: inherited flags.
        for i in 1..n {
            let node = &dom.nodes[i];
            let p = node.parent;
            a.skip[i] = a.skip[p];
            a.link[i] = a.link[p];
            a.owner[i] = if is_block_node(&dom.nodes[p]) {
                p
            } else {
                a.owner[p]
            };
            if let NodeData::Element { name, .. } = &node.data {
                if !a.skip[i] && (is_hard_skip(name) || hidden(node)) {
                    a.skip[i] = true;
                }
                if *name == local_name!("a") {
                    a.link[i] = Some(i);
                }
                // The hint is only read for content (skip only grows).
                if !a.skip[i] {
                    a.hint[i] = class_hint(node, &mut class_hints);
                }
            }
        }
        let texts = text_counts(dom, &a.skip);
        a.count(dom, &texts);
        // Boilerplate-named containers are dropped unless they hold most of
        // the page's text (some sites name their main column oddly).
        let total = a.chars[0].max(1);
        let mut changed = false;
        for i in 1..n {
            if a.skip[i] || a.hint[i] >= 0 {
                continue;
            }
            let name = dom.nodes[i].name().map(|n| &**n).unwrap_or("");
            if matches!(name, "body" | "html" | "article" | "main") {
                continue;
            }
            // A list module's name on prose (few links) is no list.
            if a.hint[i] == -3 && a.link_density(i) < 0.25 {
                continue;
            }
            if a.hint[i] == -2 || a.chars[i] * 2 < total {
                let end = dom.subtree_end(i);
                for j in i..end {
                    a.skip[j] = true;
                }
                changed = true;
            }
        }
        for signup in a.signup_boxes(dom) {
            for j in signup..dom.subtree_end(signup) {
                a.skip[j] = true;
            }
            changed = true;
        }
        if changed {
            a.reset_counts();
            a.count(dom, &texts);
        }
        a
    }

    /// The boxes around email fields: a newsletter signup ("The biggest
    /// stories of the day delivered to your inbox", the consent line under
    /// it) or a comment form. Whatever their class names, their words are
    /// never the article's. A box is the largest element around the field
    /// with little text, below the page's main sections.
    fn signup_boxes(&self, dom: &Dom) -> Vec<NodeId> {
        /// More text than this around an email field is content that
        /// happens to hold a form.
        const MAX_SIGNUP_CHARS: u32 = 300;
        let mut boxes: Vec<NodeId> = Vec::new();
        for (i, node) in dom.nodes.iter().enumerate() {
            let is_email_field = node.is(&local_name!("input"))
                && node
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("email"));
            if !is_email_field || boxes.last().is_some_and(|&b| i < dom.subtree_end(b)) {
                continue;
            }
            let mut signup = None;
            let mut p = node.parent;
            // Never half the page's text: on a short page the box around
            // a form can be the article itself.
            while p != 0 && self.chars[p] <= MAX_SIGNUP_CHARS && self.chars[p] * 2 <= self.chars[0]
            {
                let name = dom.nodes[p].name().map_or("", |n| &**n);
                if matches!(name, "body" | "html" | "article" | "main") {
                    break;
                }
                signup = Some(p);
                p = dom.nodes[p].parent;
            }
            if let Some(b) = signup.filter(|&b| self.chars[b] > 0 && !self.skip[b]) {
                boxes.push(b);
            }
        }
        boxes
    }

    /// Sums the counts of the text nodes up the tree; the counts start at
    /// zero (`reset_counts`).
    fn count(&mut self, dom: &Dom, texts: &[TextCount]) {
        let n = dom.nodes.len();
        for t in texts {
            let i = t.node;
            if self.skip[i] {
                continue;
            }
            let l = if self.link[i].is_some() { t.chars } else { 0 };
            self.chars[i] = t.chars;
            self.link_chars[i] = l;
            self.punct[i] = t.punct;
            let o = self.owner[i];
            self.own_chars[o] += t.chars;
            self.own_link[o] += l;
            self.own_punct[o] += t.punct;
            self.own_cjk[o] += t.cjk;
        }
        for i in (1..n).rev() {
            if self.skip[i] {
                continue;
            }
            let p = dom.nodes[i].parent;
            self.chars[p] += self.chars[i];
            self.link_chars[p] += self.link_chars[i];
            self.punct[p] += self.punct[i];
        }
    }

    fn reset_counts(&mut self) {
        for v in [
            &mut self.chars,
            &mut self.link_chars,
            &mut self.punct,
            &mut self.own_chars,
            &mut self.own_link,
            &mut self.own_punct,
            &mut self.own_cjk,
        ] {
            v.iter_mut().for_each(|x| *x = 0);
        }
    }

    fn link_density(&self, i: NodeId) -> f64 {
        if self.chars[i] == 0 {
            0.0
        } else {
            f64::from(self.link_chars[i]) / f64::from(self.chars[i])
        }
    }

    /// Text size in "words": a CJK character is a word, other text counts
    /// about one word per three characters.
    fn own_units(&self, i: NodeId) -> f64 {
        let cjk = f64::from(self.own_cjk[i]);
        let other = f64::from(self.own_chars[i] - self.own_punct[i]) - cjk;
        cjk + other.max(0.0) / 3.0
    }
}

/// What one text node holds, counted once per page (the counts are summed
/// again after boilerplate containers are dropped).
struct TextCount {
    node: NodeId,
    /// Characters other than whitespace.
    chars: u32,
    punct: u32,
    cjk: u32,
}

/// The text nodes outside `skip`ped elements, counted.
fn text_counts(dom: &Dom, skip: &[bool]) -> Vec<TextCount> {
    let mut out = Vec::new();
    for (node, n) in dom.nodes.iter().enumerate() {
        let NodeData::Text(t) = &n.data else { continue };
        if skip[node] {
            continue;
        }
        let mut count = TextCount {
            node,
            chars: 0,
            punct: 0,
            cjk: 0,
        };
        for ch in t.chars() {
            if ch.is_whitespace() {
                continue;
            }
            count.chars += 1;
            if is_punct(ch) {
                count.punct += 1;
            } else if huiwen_core::text::is_cjk(ch) {
                count.cjk += 1;
            }
        }
        out.push(count);
    }
    out
}

fn is_block_node(node: &dom::Node) -> bool {
    node.name().is_some_and(is_block) || matches!(node.data, NodeData::Document)
}

/// Blocks that are paragraphs themselves (their score goes to their
/// container), as opposed to containers that hold text directly.
fn is_paragraph_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "pre"
            | "blockquote"
            | "li"
            | "dd"
            | "dt"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figcaption"
            | "caption"
            | "address"
            | "summary"
    )
}

fn tag_of(dom: &Dom, i: NodeId) -> &str {
    dom.nodes[i].name().map(|n| &**n).unwrap_or("")
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// How many levels above the current top the climb looks for more prose.
const CLIMB_LOOKAHEAD: usize = 4;

/// The article's container as the site's rule names it: the first of its
/// selectors that finds an element with text. A rule is what someone
/// checked on the site, so it is trusted however short the post.
fn site_body(dom: &Dom, a: &Analysis, host: &str) -> Option<NodeId> {
    rules()
        .site_selectors(host)
        .into_iter()
        .find_map(|sel| select(dom, sel).find(|&i| !a.skip[i] && a.chars[i] > 0))
}

/// Picks the article's container(s), in document order, by scoring.
fn choose_content(dom: &Dom, a: &Analysis, leads: &[String]) -> Vec<NodeId> {
    let n = dom.nodes.len();
    let mut score = vec![0f64; n];
    // Paragraph scores summed over each subtree, to decide how far up the
    // article reaches.
    let mut good = vec![0f64; n];
    // Node ids index several parallel arrays here.
    #[allow(clippy::needless_range_loop)]
    for b in 0..n {
        if a.skip[b] || a.own_chars[b] == 0 {
            continue;
        }
        let units = a.own_units(b);
        if units < 8.0 {
            continue;
        }
        let own_ld = f64::from(a.own_link[b]) / f64::from(a.own_chars[b]);
        if own_ld > 0.6 {
            continue;
        }
        let s = (1.0 + f64::from(a.own_punct[b]) + (units / 30.0).min(4.0)) * (1.0 - own_ld);
        good[b] += s;
        let mut target = if is_paragraph_tag(tag_of(dom, b)) {
            dom.nodes[b].parent
        } else {
            b
        };
        for level in 0..4 {
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => f64::from(l) * 3.0,
            };
            score[target] += s / div;
            if target == 0 {
                break;
            }
            target = dom.nodes[target].parent;
        }
    }
    let mut best = None;
    let mut best_score: f64 = 0.0;
    let mut finals = vec![0f64; n];
    for i in 1..n {
        if score[i] <= 0.0 || a.skip[i] {
            continue;
        }
        let mut f = score[i] * (1.0 - a.link_density(i));
        f *= match a.hint[i] {
            1 => 1.25,
            0 => 1.0,
            _ => 0.6,
        };
        if matches!(tag_of(dom, i), "article" | "main") {
            f *= 1.15;
        }
        finals[i] = f;
        if f > best_score {
            best_score = f;
            best = Some(i);
        }
    }
    let Some(mut top) = best else {
        return Vec::new();
    };
    // The publisher's own summary of the body (JSON-LD articleBody, the
    // description) names the paragraph the article starts with: when the
    // scores picked a region elsewhere (a teaser stream outscoring a short
    // article), the region around that paragraph wins.
    // Only against a region that looks like a teaser stream (headline links
    // beside every summary, or one card of many look-alike ones): a
    // description is often a standfirst printed above the body, and must not
    // pull the choice away from a real body.
    let teasers = looks_like_teasers(dom, a, top) || in_teaser_stream(dom, a, top);
    // The teaser block the lead paragraph won against, kept out of the climb.
    let mut teaser_top = None;
    if teasers {
        // Each summary's paragraph (a page can declare several that differ:
        // the social card quoting a line, the SEO description the first
        // paragraph); one inside the chosen region confirms it.
        let found: Vec<NodeId> = leads
            .iter()
            .filter_map(|lead| {
                (0..n).find(|&b| {
                    !a.skip[b]
                        && a.own_chars[b] as usize >= lead.chars().count()
                        && is_paragraph_like(dom, b)
                        && norm(&dom.text_of(b)).contains(lead.as_str())
                })
            })
            .collect();
        // Else the region around one of them, one inside an `<article>`
        // first.
        let lead_paragraph = found
            .iter()
            .copied()
            .find(|&p| under(dom, p, &["article"]))
            .or_else(|| found.first().copied())
            .filter(|_| !found.iter().any(|&p| dom.is_ancestor(top, p)));
        if let Some(p) = lead_paragraph {
            let mut cur = p;
            let mut pick: Option<NodeId> = None;
            for _ in 0..5 {
                if cur == 0 {
                    break;
                }
                if finals[cur] > pick.map_or(0.0, |x| finals[x]) {
                    pick = Some(cur);
                }
                cur = dom.nodes[cur].parent;
            }
            if let Some(pick) = pick.filter(|&p| finals[p] >= 0.1 * best_score) {
                teaser_top = Some(top);
                top = pick;
                best_score = finals[pick];
            }
        }
    }
    for i in (1..n).rev() {
        if !a.skip[i] {
            good[dom.nodes[i].parent] += good[i];
        }
    }
    top = climb(dom, a, &good, top, teaser_top);
    let best_score = finals[top].max(best_score);
    // Siblings that are part of the same article (readability's rule,
    // with Chinese sentence ends).
    let parent = dom.nodes[top].parent;
    let threshold = (best_score * 0.2).max(10.0);
    let top_class = dom.nodes[top].attr("class").unwrap_or("");
    let mut out = Vec::new();
    for &s in dom.children(parent) {
        if s == top {
            out.push(s);
            continue;
        }
        if a.skip[s] || a.chars[s] == 0 || teaser_top.is_some_and(|k| dom.is_ancestor(s, k)) {
            continue;
        }
        let bonus = if !top_class.is_empty() && dom.nodes[s].attr("class") == Some(top_class) {
            best_score * 0.2
        } else {
            0.0
        };
        if finals[s] + bonus >= threshold {
            out.push(s);
            continue;
        }
        if tag_of(dom, s) == "p" {
            let ld = a.link_density(s);
            let len = a.chars[s];
            let text = dom.text_of(s);
            let ends = text.ends_with(['。', '！', '？', '.', '”', '"']);
            if (len > 60 && ld < 0.25) || (len > 0 && ld == 0.0 && ends) {
                out.push(s);
            }
        }
    }
    out
}

/// Climbs from `top` while an ancestor adds prose about as dense as what
/// `top` has: articles split into several blocks (sections, rich-text
/// chunks) belong together; a sidebar adds text but little prose. Page
/// builders wrap each section in several layers, and a layer that adds only
/// a heading must not end the climb, so a few levels are looked at and what
/// each adds is measured against the current top. It never takes in
/// `keep_out` (a teaser stream the article was preferred to).
fn climb(
    dom: &Dom,
    a: &Analysis,
    good: &[f64],
    mut top: NodeId,
    keep_out: Option<NodeId>,
) -> NodeId {
    'climb: for _ in 0..12 {
        let density = good[top] / f64::from(a.chars[top].max(1));
        let mut candidate = top;
        for _ in 0..CLIMB_LOOKAHEAD {
            let p = dom.nodes[candidate].parent;
            if p == 0
                || matches!(tag_of(dom, p), "body" | "html")
                || a.skip[p]
                || keep_out.is_some_and(|k| dom.is_ancestor(p, k))
            {
                break 'climb;
            }
            candidate = p;
            let dg = good[p] - good[top];
            let dc = f64::from(a.chars[p].saturating_sub(a.chars[top]));
            let added_links = f64::from(a.link_chars[p].saturating_sub(a.link_chars[top]));
            // A heading, a dateline or empty wrappers; not a block of links
            // (a menu or a tag cloud beside the article).
            let negligible =
                dc <= f64::from(a.chars[top]) * 0.05 && (dc <= 20.0 || added_links <= 0.5 * dc);
            let prose = dg > 0.0
                && dg >= 0.15 * good[top]
                && dg / dc >= 0.5 * density
                && added_links <= 0.2 * dc;
            if negligible || prose {
                top = p;
                continue 'climb;
            }
        }
        break;
    }
    top
}

/// A stream of teasers: a headline link beside (nearly) every summary
/// paragraph, many times over.
fn looks_like_teasers(dom: &Dom, a: &Analysis, top: NodeId) -> bool {
    let end = dom.subtree_end(top);
    let mut headlines = 0;
    let mut paragraphs = 0;
    for i in top..end {
        if a.skip[i] {
            continue;
        }
        if dom.nodes[i].is(&local_name!("a")) && a.link_chars[i] >= 8 && links_away(&dom.nodes[i]) {
            headlines += 1;
        } else if a.own_chars[i] > 0 && a.own_units(i) >= 8.0 {
            paragraphs += 1;
        }
    }
    headlines >= 5 && headlines * 10 >= paragraphs * 6
}

/// How many levels above the best block `in_teaser_stream` looks for the
/// repeated item it belongs to (teaser cards wrap their summary in a few
/// layers: item, image/text columns, text box).
const TEASER_ITEM_LEVELS: usize = 4;

/// Fewest look-alike sibling items that make a stream ("more for you"
/// streams run to a dozen and more; a listicle of five or six cards must not
/// pass for one).
const TEASER_MIN_ITEMS: usize = 8;

/// The best block is one item of a teaser stream: it sits in an element
/// (itself or up to three levels up) that has at least [`TEASER_MIN_ITEMS`]
/// siblings of its kind (tag and first class word, itself counted), and at
/// least 80 % of them, that one included, are teasers: a headline link to
/// another page and at most two other blocks of text. A long summary
/// in one card can outscore a short article this way, while the stream as
/// a whole (headline after headline) would be caught by
/// `looks_like_teasers`.
fn in_teaser_stream(dom: &Dom, a: &Analysis, top: NodeId) -> bool {
    let mut item = top;
    for _ in 0..TEASER_ITEM_LEVELS {
        let parent = dom.nodes[item].parent;
        if item == 0 || parent == 0 || matches!(tag_of(dom, parent), "body" | "html") {
            return false;
        }
        let kind = item_kind(dom, item);
        let mut alike = 0;
        let mut teasers = 0;
        for &s in dom.children(parent) {
            if a.skip[s] || a.chars[s] == 0 || item_kind(dom, s) != kind {
                continue;
            }
            alike += 1;
            teasers += usize::from(is_teaser(dom, a, s));
        }
        if alike >= TEASER_MIN_ITEMS && teasers * 10 >= alike * 8 && is_teaser(dom, a, item) {
            return true;
        }
        item = parent;
    }
    false
}

/// Tag and first class word: what repeated items of one list share
/// (`item item-3`, `item first` are alike).
fn item_kind(dom: &Dom, i: NodeId) -> (&str, &str) {
    let class = dom.nodes[i]
        .attr("class")
        .and_then(|c| c.split_whitespace().next())
        .unwrap_or("");
    (tag_of(dom, i), class)
}

/// A link to another page: not an anchor on this one (a live blog's
/// permalinks) nor a script.
fn links_away(node: &dom::Node) -> bool {
    node.attr("href").is_some_and(|h| {
        let h = h.trim();
        !h.is_empty() && !h.starts_with('#') && !h.to_ascii_lowercase().starts_with("javascript:")
    })
}

/// A teaser: a headline link to another page (a link that is a heading or
/// the whole of its block) and at most two other blocks of text.
fn is_teaser(dom: &Dom, a: &Analysis, item: NodeId) -> bool {
    let end = dom.subtree_end(item);
    let mut headline = false;
    let mut texts = 0;
    for i in item..end {
        if a.skip[i] {
            continue;
        }
        if dom.nodes[i].is(&local_name!("a")) && a.link_chars[i] >= 8 && links_away(&dom.nodes[i]) {
            let block = a.owner[i];
            headline |=
                is_heading(tag_of(dom, block)) || a.link_chars[i] * 10 >= a.own_chars[block] * 8;
        } else if a.own_chars[i] > 0
            && a.own_units(i) >= 8.0
            && a.own_link[i] * 2 < a.own_chars[i]
            && !is_heading(tag_of(dom, i))
        {
            texts += 1;
        }
    }
    headline && texts <= 2
}

fn is_paragraph_like(dom: &Dom, b: NodeId) -> bool {
    dom.nodes[b].name().is_some_and(is_block)
}

/// Normalized prefixes of the publisher's own body summaries (JSON-LD
/// `articleBody`, the descriptions), to find the first paragraph by.
fn lead_hints(m: &Meta) -> Vec<String> {
    // The SEO description before the social one: where they differ, the
    // social card often quotes a line (Mashable's `og:description` is the
    // video's pull quote, `description` its first paragraph).
    let raws: Vec<String> = match m.ld_string("articleBody") {
        Some(body) => vec![body],
        None => ["description", "og:description", "twitter:description"]
            .iter()
            .filter_map(|k| m.get(&[k]).map(str::to_string))
            .collect(),
    };
    let mut leads: Vec<String> = Vec::new();
    for raw in raws {
        let lead: String = norm(&raw).chars().take(24).collect();
        if lead.chars().count() >= 16 && !lead.ends_with("...") && !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    leads
}

/// Minimal selectors for site rules: `#id`, `.class`, `tag`, `tag.class`,
/// `tag#id`.
fn select<'a>(dom: &'a Dom, sel: &'a str) -> impl Iterator<Item = NodeId> + 'a {
    let (tag, rest) = match sel.find(['#', '.']) {
        Some(p) => (&sel[..p], &sel[p..]),
        None => (sel, ""),
    };
    (0..dom.nodes.len()).filter(move |&i| {
        let node = &dom.nodes[i];
        let Some(name) = node.name() else {
            return false;
        };
        if !tag.is_empty() && &**name != tag {
            return false;
        }
        if let Some(id) = rest.strip_prefix('#') {
            node.attr("id") == Some(id)
        } else if let Some(class) = rest.strip_prefix('.') {
            node.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|w| w == class))
        } else {
            true
        }
    })
}

/// Whether `id` is nearly all of the chosen text and its links are cards
/// (a whole description inside each link) rather than headlines: such a
/// wrapper is the body itself, which the choice already weighed, however
/// link-dense. A forum's list of replies (short title links) is not.
fn card_body(dom: &Dom, a: &Analysis, id: NodeId, total: u32) -> bool {
    if u64::from(a.chars[id]) * 10 < u64::from(total) * 9 {
        return false;
    }
    let end = dom.subtree_end(id);
    let links = (id..end)
        .filter(|&k| !a.skip[k] && dom.nodes[k].is(&local_name!("a")))
        .count();
    links > 0 && a.link_chars[id] as usize >= MIN_CARD_CHARS * links
}

/// Link text per link above which a link-dense body is made of cards.
const MIN_CARD_CHARS: usize = 20;

/// Is it an article at all? A list or home page has a "best block" too —
/// often its own list of headlines — so the body found is weighed against
/// what the page declares and how much of it is links and listed entries.
fn page_type(
    a: &Analysis,
    m: &Meta,
    blocks: &[&Block],
    lists: &listed::FoundLists,
    by_site_rule: bool,
) -> PageType {
    let body_chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
    let body_punct: usize = blocks
        .iter()
        .map(|b| b.text.chars().filter(|&c| is_punct(c)).count())
        .sum();
    let page_links = a.link_chars[0] as usize;
    let page_chars = (a.chars[0] as usize).max(1);
    let ld_article = m.ld.iter().any(|v| {
        v.get("@type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.contains("Article") || t == "BlogPosting")
    });
    // A channel page's best block is often its own list: headlines with
    // times, plenty of text and few links per character once the times are
    // counted. When at least half of that "body" is the titles and
    // snippets of the page's listed items, it is a list page.
    let body_text: String = blocks.iter().map(|b| b.text.as_str()).collect();
    let body_is_lists = lists.items.len() >= 5 && lists.chars_in(&body_text) * 2 >= body_chars;
    // A list page: what scoring found is short and the page is mostly links.
    let is_article = (ld_article || by_site_rule) && body_chars > 0
        || !body_is_lists
            && (body_chars >= 200
                || (body_chars >= 40 && body_punct >= 3)
                || (body_chars > 0 && page_links * 10 < page_chars * 6));
    if is_article {
        PageType::Article
    } else {
        PageType::List
    }
}

/// A Chinese portal page that names no other source is its site's own:
/// the site's name ends the `<title>` (`投身外交(3)_读书频道_新浪网`).
fn title_site_name(title: &str) -> Option<String> {
    let last = rules()
        .title_separators
        .iter()
        .filter_map(|sep| title.rsplit_once(sep.as_str()))
        .map(|(_, tail)| tail.trim())
        .min_by_key(|tail| tail.len())?;
    let n = last.chars().count();
    // `_商业频道` names a section of some site, not the site.
    let bare_channel = n <= 4 && (last.ends_with("频道") || last.ends_with("頻道"));
    ((2..=12).contains(&n)
        && last.chars().any(huiwen_core::text::is_cjk)
        && byline::looks_like_outlet(last)
        && !bare_channel)
        .then(|| last.to_string())
}

/// A date printed near the headline or at the head of the body.
fn visible_date(
    dom: &Dom,
    a: &Analysis,
    from: NodeId,
    content_start: NodeId,
    content_end: NodeId,
    options: &ExtractOptions,
) -> Option<DateTime<FixedOffset>> {
    let ctx = options.timestamp_context();
    let scan = |range: std::ops::Range<NodeId>, limit: usize| -> Option<DateTime<FixedOffset>> {
        let mut first: Option<DateTime<FixedOffset>> = None;
        for i in range.take(limit) {
            let NodeData::Text(t) = &dom.nodes[i].data else {
                continue;
            };
            if a.link[i].is_some() && a.link_density(a.owner[i]) > 0.5 {
                continue;
            }
            if under(dom, i, &["script", "style", "title", "a"]) {
                continue;
            }
            for d in find_dates(t, ctx) {
                if d.has_time {
                    return Some(d.instant);
                }
                first.get_or_insert(d.instant);
            }
        }
        first
    };
    // Between the headline and the body, then the head of the body, then
    // anything before the body.
    if from < content_start {
        if let Some(t) = scan(from..content_start, 400) {
            return Some(t);
        }
    }
    if let Some(t) = scan(content_start..content_end, 60) {
        return Some(t);
    }
    if let Some(t) = scan(content_end..dom.nodes.len(), 120) {
        return Some(t);
    }
    let start = content_start.saturating_sub(300);
    scan(start..content_start, 300)
}

fn under(dom: &Dom, mut i: NodeId, tags: &[&str]) -> bool {
    for _ in 0..8 {
        if i == 0 {
            return false;
        }
        i = dom.nodes[i].parent;
        if dom.nodes[i].name().is_some_and(|n| tags.contains(&&**n)) {
            return true;
        }
    }
    false
}

pub fn extract_html(input: &str, url: Option<&url::Url>, options: &ExtractOptions) -> Extracted {
    let dom = dom::parse(input);
    let evidence = meta::collect(&dom, input);
    let m = evidence.meta();
    let a = Analysis::new(&dom);
    let ctx = options.timestamp_context();

    let page_url = url.cloned().or_else(|| {
        m.canonical
            .as_deref()
            .or_else(|| m.get(&["og:url"]))
            .and_then(|c| url::Url::parse(c).ok())
    });
    let base = match (&page_url, &m.base_href) {
        (Some(u), Some(b)) => u.join(b).ok().or_else(|| Some(u.clone())),
        (Some(u), None) => Some(u.clone()),
        (None, Some(b)) => url::Url::parse(b).ok(),
        (None, None) => None,
    };
    let host = page_url
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string));

    let leads = lead_hints(m);
    let by_site_rule = host.as_deref().and_then(|h| site_body(&dom, &a, h));
    let roots = match by_site_rule {
        Some(body) => vec![body],
        None => choose_content(&dom, &a, &leads),
    };
    let (title, title_node) = choose_title(&dom, &a, m, roots.first().copied().unwrap_or(0));
    let mut rendered = render(&dom, &a, &roots, base.as_ref());

    // Which blocks are text and which are the article's metadata printed
    // as lines (read for the outlet and the byline on the way).
    let lines::Sorted {
        mut keep,
        outlet,
        byline_authors,
        topic_title,
    } = lines::sort_blocks(&mut rendered, &title, m, ctx);
    let mut blocks: Vec<&Block> = rendered
        .blocks
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(b, _)| b)
        .collect();

    let mut lists = listed::find_lists(&dom, base.as_ref(), options);
    let page_type = page_type(&a, m, &blocks, &lists, by_site_rule.is_some());

    // Dates.
    // Where the kept text starts, not where its container does: the
    // container can reach up over the headline and the dateline (which the
    // post-processing drops), and dates are looked for around that start.
    let first_kept = rendered
        .blocks
        .iter()
        .zip(&keep)
        .find(|(_, k)| **k)
        .map(|(b, _)| b.owner);
    let content_start = first_kept.or(roots.first().copied()).unwrap_or(0);
    let content_end = roots.last().map_or(0, |&r| dom.subtree_end(r));
    let published_at = m
        .published(ctx)
        .or_else(|| {
            m.time_tags
                .iter()
                .find_map(|(_, t)| meta::read_date(t, ctx))
        })
        .or_else(|| {
            visible_date(
                &dom,
                &a,
                title_node.unwrap_or(content_start.saturating_sub(200)),
                content_start,
                content_end,
                options,
            )
        })
        .or_else(|| page_url.as_ref().and_then(|u| date_in_url(u.as_str(), ctx)));
    let updated_at = m.updated(ctx);
    if let Some(page_date) = published_at {
        lists.date_yearless(page_date, ctx);
    }

    // Authors and outlet. CMSs fill `author` with the site's own name
    // (新浪财经): an outlet is not a person, and a source that names only
    // outlets gives way to the next one (the byline in the page).
    // Chinese CMSs (TRS and the like) name the publishing paper in
    // `meta source` (`China Daily`, `光明日报`); a bare domain there is no
    // outlet's name.
    let outlet = outlet
        .or_else(|| {
            m.publisher()
                .and_then(|p| meta::site_name(&p, host.as_deref()))
        })
        .or_else(|| {
            m.get(&["source"])
                .map(str::trim)
                .filter(|s| !s.is_empty() && !s.contains(['.', '/']) && s.chars().count() <= 30)
                .map(str::to_string)
        })
        .or_else(|| m.title_tag.as_deref().and_then(title_site_name));
    let authors = authors::choose_authors(
        &dom,
        &a,
        m,
        outlet.as_deref(),
        byline_authors,
        &blocks,
        &authors::Layout {
            title_node,
            content_start: roots.first().copied().unwrap_or(0),
            content_end,
            text_end: blocks
                .last()
                .map_or(content_end, |b| dom.subtree_end(b.owner)),
        },
    );

    lines::drop_byline_box(&mut blocks, &mut keep, &authors);

    // The writers' portraits (an image named like an author: the avatar in
    // the byline box) are not the article's images.
    let portraits: Vec<bool> = rendered
        .images
        .iter()
        .map(|img| {
            !img.caption.is_empty()
                && authors
                    .iter()
                    .any(|a| img.caption.trim() == meta::name_part(a))
        })
        .collect();
    let (text, html, images) = if page_type == PageType::Article {
        let html = assemble_html(&rendered, &keep, &portraits);
        let text = plain_text(&blocks);
        // Every link and image above was resolved against the base already
        // (`resolve`), so the sanitizer has no relative URL left to rewrite
        // and the shared policy serves: a policy for the page's base would
        // be built anew for every page.
        let html = SanitizedHtml::sanitize(&html);
        let images = std::mem::take(&mut rendered.images)
            .into_iter()
            .zip(&portraits)
            .filter(|(_, &portrait)| !portrait)
            .map(|(img, _)| img)
            .collect();
        (text, html, images)
    } else {
        (String::new(), SanitizedHtml::default(), Vec::new())
    };

    let lead_image = m
        .image()
        .and_then(|i| resolve(base.as_ref(), &i))
        .or_else(|| images.first().map(|i| i.src.clone()));
    let canonical_url = m
        .canonical
        .as_deref()
        .and_then(|c| resolve(base.as_ref(), c))
        .or_else(|| url.map(|u| u.to_string()))
        .and_then(|c| huiwen_core::url::canonical_url(&c).ok());
    // A forum's `<title>` is often the board's or the site's name; the
    // topic line names the thread.
    let title = match topic_title {
        Some(topic) if !norm(&title).contains(&norm(&topic)) => topic,
        _ => title,
    };
    let mut out = Extracted {
        title,
        authors,
        outlet,
        published_at,
        updated_at,
        lead_image,
        images,
        html,
        text,
        lang: String::new(),
        canonical_url,
        page_type,
        listed_items: lists.items,
        description: m
            .get(&["og:description", "description", "twitter:description"])
            .map(str::to_string),
    };
    // Headline and date get a second look against everything the page
    // declares and prints (see `meta::refine`).
    meta::refine(
        input,
        &dom,
        &evidence,
        ctx,
        page_url.as_ref().map(url::Url::as_str),
        &mut out,
    );
    out.title = headline::tidy(&out.title, m);
    out
}

#[cfg(test)]
mod tests {
    use crate::{extract, ExtractOptions, Extracted};

    /// A built page read through the whole extractor, as callers do. The
    /// body's modules test their part this way (a byline rule is only right
    /// if the page's authors, text and title come out right together), with
    /// the helpers below to build the pages.
    pub(super) fn body_of(html: &str) -> Extracted {
        extract(html, None, &ExtractOptions::default()).expect("extracts")
    }

    const SENTENCE: &str =
        "The council met on Tuesday evening to discuss the plan, and after a long debate, \
        the members agreed to fund the new bridge, which residents have wanted for years. ";

    /// A paragraph of Chinese news prose for pages built in tests.
    pub(super) const ZH_PARA: &str =
        "记者从有关部门获悉，今年以来民间投资保持平稳增长，多个领域的准入门槛进一步降低，\
        企业反映融资环境有所改善，专家认为政策效果正在逐步显现。";

    pub(super) fn prose(words: &str) -> String {
        format!("{words} {}", SENTENCE.repeat(2))
    }

    pub(super) fn chinese_page(head: &str, byline: &str) -> String {
        let para = ZH_PARA;
        format!(
            "<html><head><title>民间资本路在何方</title>{head}</head><body>\
             <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news\">新闻</a></div>\
             <h1>民间资本路在何方</h1><div class=\"info\">{byline}</div>\
             <div class=\"content\"><p>{para}</p><p>{para}</p><p>{para}</p></div></body></html>"
        )
    }

    /// A portal page naming no other source is its site's: the site's
    /// name ends `<title>`; a bare section (`_商业频道`) names no site.
    #[test]
    fn the_site_in_the_title_is_the_outlet_when_no_source_is_named() {
        let outlet = |title: &str| {
            body_of(&format!(
                "<html><head><title>{title}</title></head><body><h1>投身外交(3)</h1>\
                 <p>{ZH_PARA}</p><p>{ZH_PARA}</p></body></html>"
            ))
            .outlet
        };
        assert_eq!(
            outlet("投身外交(3)_读书频道_新浪网").as_deref(),
            Some("新浪网")
        );
        assert_eq!(outlet("投身外交(3)_商业频道"), None);
        assert_eq!(outlet("投身外交(3)"), None);
        // A blog platform publishes its bloggers' posts.
        assert_eq!(
            outlet("投身外交(3) - 好看的hk - 博客园").as_deref(),
            Some("博客园")
        );
        assert_eq!(outlet("投身外交(3)-CSDN博客").as_deref(), Some("CSDN博客"));
    }

    /// The box around an email field (a newsletter signup, whatever its
    /// class names) is not body, even inside the article's container; a
    /// short article holding such a form keeps its own text.
    #[test]
    fn signup_boxes_around_email_fields_are_not_body() {
        let p = prose("The bridge opens next spring.");
        let x = body_of(&format!(
            "<html><body><div class=\"post\"><p>{p}</p><p>{p}</p><p>{p}</p>\
             <div class=\"box\"><h3>The biggest stories of the day delivered to your inbox.</h3>\
             <p>This newsletter may contain advertising, deals, or affiliate links, and you may unsubscribe at any time.</p>\
             <form><input type=\"email\" placeholder=\"Email\"><button>Sign up</button></form></div>\
             <p>{p}</p></div></body></html>"
        ));
        assert_eq!(x.text.matches("The bridge opens").count(), 4, "{}", x.text);
        assert!(!x.text.contains("inbox"), "{}", x.text);
        assert!(!x.text.contains("advertising"), "{}", x.text);

        let x = body_of(
            "<html><body><article><h1>Office hours</h1><p>The library is open from nine to five, \
             and closed on public holidays. Write to us for an appointment.</p>\
             <form><input type=email name=mail><button>Send</button></form></article></body></html>",
        );
        assert!(x.text.contains("closed on public holidays"), "{}", x.text);
        // The same without an `<article>`: the page is the box, and stays.
        let x = body_of(
            "<html><body><div class=\"post\"><h1>Office hours</h1><p>The library is open from nine to five, \
             and closed on public holidays. Write to us for an appointment.</p>\
             <form><input type=email name=mail><button>Send</button></form></div></body></html>",
        );
        assert!(x.text.contains("closed on public holidays"), "{}", x.text);
    }

    /// A site rule's container is the body however short the post, even on
    /// a page whose footer has more text and whose links dominate.
    #[test]
    fn a_site_rule_is_trusted_for_a_short_post() {
        let footer = "1.余额是钱包充值的虚拟货币，按照1:1的比例进行支付金额的抵扣。2.余额无法直接购买下载，可以购买VIP、付费专栏及课程。";
        let links: String = (0..40)
            .map(|i| {
                format!(
                    "<li><a href=\"/article/{i}\">推荐文章标题第{i}篇，关于模型评估的教程</a></li>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>模型评估代做_教程-CSDN博客</title></head><body>\
             <div id=\"content_views\"><p>一个短帖：模型评估代做，联系某鹅</p></div>\
             <ul>{links}</ul><div class=\"footer\"><p>{footer}</p><p>{footer}</p></div></body></html>"
        );
        let url = url::Url::parse("https://blog.csdn.net/u/article/details/1").expect("url");
        let x = extract(&html, Some(&url), &ExtractOptions::default()).expect("extracts");
        assert_eq!(x.page_type, crate::PageType::Article);
        assert_eq!(x.text, "一个短帖：模型评估代做，联系某鹅");
        // Without the rule (another host) scoring decides, as for any site.
        let other = url::Url::parse("https://blog.example.com/u/article/details/1").expect("url");
        let x = extract(&html, Some(&other), &ExtractOptions::default()).expect("extracts");
        assert_ne!(x.text, "一个短帖：模型评估代做，联系某鹅");
    }

    /// A wiki article without its infobox, references and navigation
    /// boxes: the prose and its section headings only.
    #[test]
    fn wiki_infoboxes_references_and_navboxes_are_not_body() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><body><h1>雄安新区</h1><div class=\"mw-parser-output\">\
             <table class=\"infobox\"><tr><th>所属行政区</th><td>河北省</td></tr>\
             <tr><th>人口（2020年底）</th><td>120.54万人</td></tr></table>\
             <p>{para}</p><h2>历史沿革</h2><p>{para}</p>\
             <h2>参考文献</h2><div class=\"reflist\"><ol class=\"references\">\
             <li>^ 刘桃熊. 河北雄安新区邮政编码发布. 新华网. 2023-12-06 [2023-12-11]. （原始内容存档于2023-12-11）.</li>\
             <li>^ “冀X”车牌即将落地雄安新区. 北京晚报. 2023-03-19 [2023-03-20]. （原始内容存档于2023-03-20）.</li>\
             </ol></div><div class=\"navbox\">河北省行政区划 石家庄市 唐山市 秦皇岛市 邯郸市</div>\
             </div></body></html>"
        ));
        assert!(x.text.contains("历史沿革"), "{}", x.text);
        for gone in ["所属行政区", "原始内容存档", "河北省行政区划"] {
            assert!(!x.text.contains(gone), "{gone} in {}", x.text);
        }
    }

    /// A heading's id is an anchor made from its words, not a hint: `Side
    /// effects` and `Clinical decision support` stay; a donation appeal
    /// (`class="cli-support-huffpost"`) does not.
    #[test]
    fn heading_ids_are_anchors_and_appeals_are_boilerplate() {
        let x = body_of(&format!(
            "<html><body><h1>What to know about statins</h1><article>\
             <p>{}</p><h2 id=\"side-effects\">Side effects</h2><p>{}</p>\
             <h3 id=\"1-clinical-decision-support\">1. Clinical decision support</h3><p>{}</p>\
             <div class=\"cli cli-support-huffpost\"><h3>Our Coverage Needs You</h3>\
             <p>Contribute as little as $2 to keep our news free for all.</p></div>\
             </article></body></html>",
            prose("First."),
            prose("Second."),
            prose("Third.")
        ));
        assert!(x.text.contains("Side effects"), "{}", x.text);
        assert!(x.text.contains("Clinical decision support"), "{}", x.text);
        assert!(!x.text.contains("Contribute as little"), "{}", x.text);
    }

    /// A class that names a list module (ranking, 排行, tags) drops a list
    /// of links, not the intro paragraphs of a "best of" ranking article.
    #[test]
    fn a_list_modules_name_on_prose_is_no_list() {
        let page = body_of(&format!(
            "<html><body><main><h1>The best 4 website builders</h1>\
             <section class=\"section-ranking-intro\"><div><p>{}</p><p>{}</p></div></section>\
             <section class=\"section-ranking-content\"><p>{}</p><p>{}</p></section>\
             <div class=\"hot-ranking\"><a href=\"/a\">Most read one</a> <a href=\"/b\">Most read two</a> \
             <a href=\"/c\">Most read three</a> <a href=\"/d\">Most read four</a></div>\
             </main></body></html>",
            prose("Intro one."),
            prose("Intro two."),
            prose("First pick."),
            prose("Second pick.")
        ));
        assert!(page.text.contains("Intro two."), "{}", page.text);
        assert!(page.text.contains("Second pick."), "{}", page.text);
        assert!(!page.text.contains("Most read"), "{}", page.text);
    }

    /// Hidden markup is left out, except the two kinds of "hidden" that
    /// readers see: a part of the page React streams in a hidden div and
    /// moves into place, and a collapsed accordion panel.
    #[test]
    fn hidden_text_stays_out_but_streamed_and_collapsed_text_is_read() {
        let streamed = body_of(&format!(
            "<html><body><header><a href=\"/\">Home</a></header><template id=\"B:0\"></template>\
             <div hidden id=\"S:0\"><main><h1>Bridge funding approved</h1><p>{}</p><p>{}</p></main></div>\
             <div hidden><p>{}</p></div></body></html>",
            prose("Streamed."),
            prose("Also streamed."),
            prose("Never shown.")
        ));
        assert!(
            streamed.text.contains("Also streamed."),
            "{}",
            streamed.text
        );
        assert!(!streamed.text.contains("Never shown."), "{}", streamed.text);
        let accordion = body_of(&format!(
            "<html><body><article><h1>How to install solar panels</h1><p>{}</p>\
             <div><a role=\"button\" aria-controls=\"s1\" id=\"h1\">1. Understand your bill</a>\
             <div id=\"s1\" style=\"display: none\" role=\"region\" aria-labelledby=\"h1\">\
             <p>{}</p></div></div>\
             <div style=\"display:none\"><p>{}</p></div><p>{}</p></article></body></html>",
            prose("Intro."),
            prose("Collapsed step."),
            prose("Popup text."),
            prose("Closing.")
        ));
        assert!(
            accordion.text.contains("Collapsed step."),
            "{}",
            accordion.text
        );
        assert!(
            !accordion.text.contains("Popup text."),
            "{}",
            accordion.text
        );
    }

    /// A page builder wraps each section of one article in its own stack
    /// of modules, with a caption or a heading in the layers between them:
    /// the climb looks past a layer that adds only such a line and joins the
    /// sections; the sidebar of links stays out.
    #[test]
    fn climb_joins_sections_wrapped_by_a_page_builder() {
        let section = |id: &str, text: &str| {
            format!(
                "<div class=\"row\"><div class=\"col\"><div class=\"module\" id=\"{id}\">\
                 <div class=\"inner\"><p>{}</p><p>{}</p></div></div>\
                 <div class=\"caption\">Photo by the staff, seen from the river bank</div>\
                 </div></div>",
                prose(text),
                prose(&format!("{text} continued"))
            )
        };
        let sidebar: String = (0..12)
            .map(|i| format!("<li><a href=\"/s{i}\">Sidebar story number {i} headline</a></li>"))
            .collect();
        let html = format!(
            "<html><body><div class=\"page\"><div class=\"builder\">\
             <div class=\"row\"><h2>First part</h2></div>{}\
             <div class=\"row\"><h2>Second part</h2></div>{}\
             <div class=\"row\"><h2>Third part</h2></div>{}\
             </div><ul class=\"list\">{sidebar}</ul></div></body></html>",
            section("a", "Alpha opens"),
            section("b", "Bravo follows"),
            section("c", "Charlie ends"),
        );
        let x = body_of(&html);
        for kept in [
            "Alpha opens",
            "Bravo follows",
            "Charlie ends",
            "Second part",
        ] {
            assert!(x.text.contains(kept), "{kept} missing from {}", x.text);
        }
        assert!(!x.text.contains("Sidebar story"), "{}", x.text);
    }

    /// Adding a small wrapper that holds only a menu of links is not a
    /// negligible step of the climb: the menu stays out.
    #[test]
    fn climb_does_not_take_in_a_small_menu() {
        let paragraphs: String = (0..8)
            .map(|i| format!("<p>{}</p>", prose(&format!("Paragraph {i}"))))
            .collect();
        let html = format!(
            "<html><body><div class=\"wrap\"><div class=\"menu\">\
             <a href=\"/a\">Home page</a> <a href=\"/b\">World news</a> <a href=\"/c\">Sports</a>\
             <a href=\"/d\">Business desk</a></div>\
             <div class=\"story\">{paragraphs}</div></div></body></html>"
        );
        let x = body_of(&html);
        assert!(x.text.contains("Paragraph 7"), "{}", x.text);
        assert!(!x.text.contains("World news"), "{}", x.text);
    }

    /// `widget` names every text block of page builders (Elementor's
    /// `elementor-widget-container`): such blocks are body.
    #[test]
    fn widget_containers_are_body() {
        let html = format!(
            "<html><body><div class=\"elementor\">\
             <div class=\"elementor-widget-container\"><p>{}</p></div>\
             <div class=\"elementor-widget-container\"><p>{}</p></div>\
             </div></body></html>",
            prose("Widget one"),
            prose("Widget two")
        );
        let x = body_of(&html);
        assert!(x.text.contains("Widget one"), "{}", x.text);
        assert!(x.text.contains("Widget two"), "{}", x.text);
    }

    /// A video or audio player's labels inside the article container are
    /// dropped.
    #[test]
    fn video_and_audio_player_labels_are_not_body() {
        let html = "<html><body><div id=\"content\">\
             <div class=\"video-player\"><div class=\"hint\">正在为您切换到高清 480P,请稍候...</div>\
             <div class=\"playerControl\">播放速度：2X 00:00/00:00 倍速</div></div>\
             <div class=\"audio-module\"><h4>洛克菲勒去世的前前后后</h4><b>音频 04:29</b></div>\
             <p>以光影之名，探寻首都文化魅力。5月20日22点起，《中国电影报道》栏目将推出系列访谈节目，\
             五位电影人将讲述他们的成长故事和艺术生涯，用电影人的艺术探索构建起中国电影的发展之路。</p>\
             <p>节目将在电影频道播出，一起期待吧！观众也可以在网络平台同步收看，回顾精彩内容。</p>\
             </div></body></html>";
        let x = body_of(html);
        assert!(x.text.contains("以光影之名"), "{}", x.text);
        assert!(!x.text.contains("播放速度"), "{}", x.text);
        assert!(!x.text.contains("正在为您切换"), "{}", x.text);
        assert!(
            !x.text.contains("音频") && !x.text.contains("前前后后"),
            "{}",
            x.text
        );
    }

    /// A body made mostly of cards wrapped in links (a description inside
    /// each link) is link-dense as a whole, yet it is the body: its prose
    /// is kept instead of the page turning into a list page.
    #[test]
    fn a_body_of_link_cards_is_not_dropped_as_a_link_list() {
        let intro: String = (0..2)
            .map(|i| format!("<p>{}</p>", prose(&format!("Intro {i}"))))
            .collect();
        let cards: String = (0..8)
            .map(|i| {
                format!(
                    "<a href=\"/shop/{i}\"><div class=\"card\"><h4>Shop number {i}</h4>\
                     <p>A small family restaurant known for its noodles, open late every \
                     day of the week, with seats by the window.</p></div></a>"
                )
            })
            .collect();
        let html = format!(
            "<html><body><div id=\"primary\"><main id=\"main\">\
             <div class=\"entry\">{intro}{cards}</div></main></div></body></html>"
        );
        let x = body_of(&html);
        assert_eq!(x.page_type, crate::PageType::Article);
        assert!(x.text.contains("Intro 1"), "{}", x.text);
    }

    /// When the body's container reaches up over the headline and the
    /// dateline, the date printed there is still found.
    #[test]
    fn dateline_inside_the_container_is_still_read() {
        let paragraphs: String = (0..6)
            .map(|i| format!("<p>{}</p>", prose(&format!("Paragraph {i}"))))
            .collect();
        let html = format!(
            "<html><head><title>Bridge plan approved</title></head><body>\
             <div class=\"article\"><h1>Bridge plan approved</h1>\
             <div class=\"info\">2024-05-20 10:30</div>\
             <div class=\"text\">{paragraphs}</div></div></body></html>"
        );
        let x = body_of(&html);
        assert!(x.text.starts_with("Paragraph 0"), "{}", x.text);
        let date = x.published_at.expect("a date");
        assert_eq!(
            date.format("%Y-%m-%d %H:%M").to_string(),
            "2024-05-20 10:30"
        );
    }

    /// A teaser card: headline link, source line, one summary paragraph,
    /// wrapped in the layers card streams use.
    fn teaser_card(i: usize, summary: &str) -> String {
        format!(
            "<li class=\"stream-item card-{i}\"><div class=\"hover\"><div class=\"img\">\
             <img src=\"/t{i}.jpg\"></div><div class=\"content\">\
             <div class=\"source\">通讯社 · 2 天前</div>\
             <h4><a href=\"/story/{i}\">第{i}条其他新闻的标题在这里显示</a></h4>\
             <p>{summary}</p></div></div></li>"
        )
    }

    /// Ten teaser cards, the fourth with a summary long enough to outscore
    /// a short article.
    fn teaser_stream_with_a_long_card() -> String {
        let long: String =
            "另一则新闻的摘要写得很长，包括许多细节、数字和引语，读者点进去才能看到全文。"
                .repeat(12);
        (0..10)
            .map(|i| {
                let summary = if i == 3 {
                    long.clone()
                } else {
                    format!("第{i}条新闻的摘要，只有一两句话，告诉读者发生了什么事情。")
                };
                teaser_card(i, &summary)
            })
            .collect()
    }

    /// A short article followed by a stream of teaser cards, one of which
    /// carries a long summary: that card outscores the article, but it is
    /// one of many look-alike cards (headline link plus a summary), so the
    /// paragraph the description names wins and the stream stays out.
    #[test]
    fn a_long_card_in_a_teaser_stream_does_not_beat_a_short_article() {
        let lead = "（通讯社罗马19日电）德国网球好手今天以二比零击败智利选手，在公开赛拿下他两年前受伤以来最重要的冠军。";
        let cards = teaser_stream_with_a_long_card();
        let html = format!(
            "<html><head><meta name=\"description\" content=\"{lead}\"></head><body>\
             <div class=\"page\"><div class=\"story\"><h1>公开赛决赛</h1>\
             <div class=\"story-body\"><p>{lead}</p><p>世界排名第五的他，今天再度封王，为下周的比赛做好暖身。</p>\
             <p>他赛后说，这里对我来说意义非凡。</p></div></div>\
             <div class=\"more\"><h2>其他人也在看</h2><ul class=\"list\">{cards}</ul></div>\
             </div></body></html>"
        );
        let x = body_of(&html);
        assert!(x.text.contains("德国网球好手"), "{}", x.text);
        assert!(x.text.contains("意义非凡"), "{}", x.text);
        assert!(!x.text.contains("另一则新闻"), "{}", x.text);
        assert!(!x.text.contains("第1条新闻"), "{}", x.text);
    }

    /// A page can declare two summaries that differ (a pull quote printed
    /// as a dek, and the first paragraph), in either field: the one found
    /// inside the `<article>` names the body.
    #[test]
    fn the_summary_inside_the_article_names_the_body() {
        let first = "（通讯社罗马19日电）德国网球好手今天以二比零击败智利选手，在公开赛拿下他两年前受伤以来最重要的冠军。";
        let quote = "“这里对我来说意义非凡，我会记住这一天，也会记住每一位支持我的人。”";
        let cards = teaser_stream_with_a_long_card();
        let html = format!(
            "<html><head><meta name=\"description\" content=\"{quote}\">\
             <meta property=\"og:description\" content=\"{first}\"></head><body>\
             <div class=\"page\"><div class=\"head\"><h1>公开赛决赛</h1><div class=\"dek\">{quote}</div></div>\
             <article class=\"story-body\"><p>{first}</p></article>\
             <div class=\"more\"><h2>其他人也在看</h2><ul class=\"list\">{cards}</ul></div>\
             </div></body></html>"
        );
        let x = body_of(&html);
        assert!(x.text.contains("德国网球好手"), "{}", x.text);
        assert!(!x.text.contains("另一则新闻"), "{}", x.text);
    }

    /// What counts as a teaser stream: eight or more look-alike siblings
    /// (same tag and first class word), nearly all a headline link to
    /// another page with at most two short text blocks. Seven cards, cards
    /// of a different kind, headlines linking within the page,
    /// or sections with several paragraphs under a linked heading (a
    /// listicle) are not a stream.
    #[test]
    fn teaser_stream_needs_many_look_alike_headline_items() {
        use super::{in_teaser_stream, Analysis};
        let summary = "这条新闻的摘要，只有一两句话，告诉读者发生了什么事情。";
        // The best block `choose_content` would start from: the text box of
        // the first card (the `content` div).
        let judge = |html: &str| {
            let dom = crate::dom::parse(html);
            let a = Analysis::new(&dom);
            let top = (0..dom.nodes.len())
                .find(|&i| dom.nodes[i].attr("class") == Some("content"))
                .expect("a content box");
            in_teaser_stream(&dom, &a, top)
        };
        let stream = |n: usize| -> String {
            let cards: String = (0..n).map(|i| teaser_card(i, summary)).collect();
            format!("<html><body><div><ul>{cards}</ul></div></body></html>")
        };
        assert!(judge(&stream(8)));
        assert!(judge(&stream(20)));
        assert!(!judge(&stream(7)));
        // Siblings of other kinds do not add up to a stream.
        let mixed: String = (0..8)
            .map(|i| {
                let card = teaser_card(i, summary);
                if i == 0 {
                    card
                } else {
                    card.replace("<li class=\"stream-item", &format!("<li class=\"kind{i}"))
                }
            })
            .collect();
        assert!(!judge(&format!(
            "<html><body><div><ul>{mixed}</ul></div></body></html>"
        )));
        // Headlines that link within the page (a live blog's permalinks).
        let anchored = stream(8).replace("href=\"/story/", "href=\"#story-");
        assert!(!judge(&anchored));
        // A listicle: each section has a linked heading and several
        // paragraphs.
        let sections: String = (0..8)
            .map(|i| {
                format!(
                    "<section class=\"entry\"><div class=\"content\">\
                     <h3><a href=\"/p/{i}\">第{i}家推荐的餐厅名字在这里</a></h3>\
                     <p>{summary}</p><p>{summary}</p><p>{summary}</p></div></section>"
                )
            })
            .collect();
        assert!(!judge(&format!(
            "<html><body><article>{sections}</article></body></html>"
        )));
    }

    /// A listicle whose description is its intro: its sections (a linked
    /// heading over several paragraphs, one much longer than the rest) are
    /// not teasers, so the whole list stays body.
    #[test]
    fn a_listicle_with_linked_headings_stays_whole() {
        let intro = "我们走访了全城的面馆，挑出十家最值得去的，下面按口味和价格逐一介绍给大家。";
        let para = "这家店开了二十多年，招牌是牛肉面，汤头浓郁，面条劲道，价格也很实在。";
        let sections: String = (0..10)
            .map(|i| {
                let body = if i == 2 {
                    format!("<p>第{i}家。{}</p>", para.repeat(10))
                } else {
                    format!("<p>第{i}家。{para}</p>")
                };
                format!(
                    "<div class=\"entry\"><div class=\"inner\"><div class=\"content\">\
                     <h3><a href=\"https://shop.example/{i}\">第{i}家推荐的面馆名字在这里</a></h3>\
                     {body}<p>地址在市中心，营业到晚上十点，周末人多需要排队。</p>\
                     <p>推荐指数：四颗星，适合家庭聚餐和朋友小聚。</p></div></div></div>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><meta name=\"description\" content=\"{intro}\"></head><body>\
             <div class=\"post\"><h1>全城十家面馆</h1><p>{intro}</p>\
             <div class=\"list\">{sections}</div></div></body></html>"
        );
        let x = body_of(&html);
        assert!(x.text.contains("我们走访了"), "{}", x.text);
        assert!(x.text.contains("第0家。"), "{}", x.text);
        assert!(x.text.contains("第9家。"), "{}", x.text);
    }
}
