//! Rendering: the chosen containers become blocks (paragraphs, headings,
//! list items, table cells, captions) with their text and escaped HTML,
//! and the blocks the post-processing keeps become the article's `html`
//! and `text`.
//!
//! Boilerplate inside the containers (link lists, list modules after the
//! text) is dropped here, element by element; what is left to judge line
//! by line (bylines, captions, editor lines) is the post-processing's, in
//! `body/mod.rs`.

use html5ever::local_name;
use huiwen_core::html::escape_into;
use huiwen_core::Image;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::{card_body, tag_of, Analysis};
use crate::dom::{self, collapse, is_block, Dom, NodeData, NodeId};
use crate::rules::{rules, WordHasher};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    P,
    Heading(u8),
    Li,
    Pre,
    Caption,
    /// A cell of a data table (see [`data_table_cells`]), rendered as a
    /// table in `html` and as tab-separated rows in `text`.
    Cell(Cell),
}

pub(super) struct Block {
    pub(super) kind: BlockKind,
    pub(super) text: String,
    pub(super) html: String,
    /// The list element of an `Li`, to group items.
    list: NodeId,
    /// The block element the text came from.
    pub(super) owner: NodeId,
}

/// The cells of the data tables under `roots`.
///
/// Old Chinese portals lay whole pages out with tables, so a table is data
/// only when it reads as one: at least two rows of several short cells of
/// text (an icon or spacer column does not count), each holding text, or
/// one paragraph or minor heading as word processors and CMS editors write
/// them, rather than blocks of its own (a layout table's cells hold the
/// article's paragraphs, its headline, its columns, other tables). A
/// headline cell over a row of date and source is such a layout: one
/// multi-cell row. Layout tables keep being read as the blocks inside them.
fn data_table_cells(dom: &Dom, a: &Analysis, roots: &[NodeId]) -> DataTables {
    /// The longest cell a data table has: longer text is a layout cell.
    const MAX_CELL_CHARS: u32 = 300;
    let mut tables = DataTables::default();
    for &root in roots {
        let end = dom.subtree_end(root);
        let mut i = root;
        while i < end {
            if !dom.nodes[i].is(&local_name!("table")) || a.skip[i] {
                i += 1;
                continue;
            }
            let table = i;
            let table_end = dom.subtree_end(table);
            let mut found = Vec::new();
            let mut row = table;
            // The open cell: where it ends, whether a header, and whether
            // its paragraph was seen.
            let mut cell: Option<(NodeId, bool, bool)> = None;
            // Rows with two cells of text or more, and the cells of text of
            // the open row.
            let (mut wide_rows, mut in_row) = (0usize, 0usize);
            let mut is_data = dom.nodes[table].attr("role") != Some("presentation");
            for k in table + 1..table_end {
                let Some(name) = dom.nodes[k].name() else {
                    continue;
                };
                if cell.is_some_and(|(cell_end, _, _)| k >= cell_end) {
                    cell = None;
                }
                match (&**name, &mut cell) {
                    ("tr", _) => {
                        row = k;
                        in_row = 0;
                    }
                    ("td" | "th", _) => {
                        // Empty cells are spacers and icon columns of a
                        // layout, not columns of data.
                        in_row += usize::from(a.chars[k] > 0);
                        wide_rows += usize::from(in_row == 2 && a.chars[k] > 0);
                        is_data &= a.chars[k] <= MAX_CELL_CHARS;
                        let header = &**name == "th";
                        cell = Some((dom.subtree_end(k), header, false));
                        found.push((k, row, header));
                    }
                    ("p" | "div" | "h3" | "h4" | "h5" | "h6", Some((_, header, seen @ false))) => {
                        *seen = true;
                        found.push((k, row, *header));
                    }
                    ("tbody" | "thead" | "tfoot" | "caption" | "colgroup" | "col", _) => {}
                    _ => is_data &= !is_block(name),
                }
                if !is_data {
                    break;
                }
            }
            if is_data && wide_rows >= 2 {
                tables.spans.push(table + 1..table_end);
                for (block, row, header) in found {
                    tables.cells.insert(block, Cell { header, row, table });
                }
            }
            // A layout table's own tables are looked at in turn.
            i = if is_data { table_end } else { table + 1 };
        }
    }
    tables
}

#[derive(Default)]
struct DataTables {
    /// Each cell, and the one paragraph in a cell, as a block.
    cells: HashMap<NodeId, Cell, BuildHasherDefault<WordHasher>>,
    /// The nodes inside each data table (most pages have none, and the
    /// check is made for every block element).
    spans: Vec<Range<NodeId>>,
}

impl DataTables {
    /// Whether node `i` is inside a data table.
    fn holds(&self, i: NodeId) -> bool {
        self.spans.iter().any(|span| span.contains(&i))
    }

    /// The cell that block `i` is, if any.
    fn cell(&self, i: NodeId) -> Option<Cell> {
        if self.spans.is_empty() {
            return None;
        }
        self.cells.get(&i).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cell {
    header: bool,
    row: NodeId,
    table: NodeId,
}

#[derive(Default)]
pub(super) struct Rendered {
    pub(super) blocks: Vec<Block>,
    pub(super) images: Vec<Image>,
    /// Image index for each block that came right after an image.
    pub(super) image_before: Vec<Option<usize>>,
}

pub(super) fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("javascript:") || href.starts_with("data:") {
        return None;
    }
    match base {
        Some(b) => b.join(href).ok().map(|u| u.to_string()),
        None => Some(href.to_string()),
    }
}

fn img_src(node: &dom::Node) -> Option<&str> {
    [
        "data-original",
        "data-src",
        "data-lazy-src",
        "data-url",
        "src",
    ]
    .iter()
    .filter_map(|k| node.attr(k))
    .map(str::trim)
    .find(|s| !s.is_empty() && !s.starts_with("data:"))
}

/// What [`render`] has collected: the blocks and images so far, and the
/// text and markup of the block still open.
#[derive(Default)]
struct Collecting {
    out: Rendered,
    text: String,
    html: String,
    /// The image just met, to attach to the next block.
    pending_image: Option<usize>,
}

/// Renders the chosen containers into blocks, dropping boilerplate inside.
pub(super) fn render(
    dom: &Dom,
    a: &Analysis,
    roots: &[NodeId],
    base: Option<&url::Url>,
) -> Rendered {
    let r = rules();
    let tables = data_table_cells(dom, a, roots);
    let mut st = Collecting::default();
    let mut cur_owner: Option<NodeId> = None;
    let total: u32 = roots.iter().map(|&r| a.chars[r]).sum();
    let mut done_chars = 0u32;
    let mut stop = false;

    // Ends the block being collected (owned by `owner`), if it has text.
    let flush = |owner: Option<NodeId>, st: &mut Collecting| {
        // Zero-width characters at either end show nothing (a page
        // builder's spacer paragraph, `<p>\u{200d}</p>`, is empty).
        let mut t = collapse(&st.text);
        let shown = huiwen_core::text::trim_invisible(&t).len();
        if shown != t.len() {
            t = huiwen_core::text::trim_invisible(&t).to_string();
        }
        st.text.clear();
        let h = std::mem::take(&mut st.html);
        let Some(owner) = owner else { return };
        if t.is_empty() {
            return;
        }
        let kind = match (tables.cell(owner), tag_of(dom, owner)) {
            (Some(cell), _) => BlockKind::Cell(cell),
            (None, "h1") => BlockKind::Heading(1),
            (None, "h2") => BlockKind::Heading(2),
            (None, "h3") => BlockKind::Heading(3),
            (None, "h4" | "h5" | "h6") => BlockKind::Heading(4),
            (None, "li") => BlockKind::Li,
            (None, "pre") => BlockKind::Pre,
            (None, "figcaption") => BlockKind::Caption,
            // `<p class="custom_caption_credit">` right under an image (with
            // no image to describe, the text stays: it may be all there is).
            (None, "p" | "div" | "span")
                if st.pending_image.is_some()
                    && dom.nodes[owner]
                        .attr("class")
                        .is_some_and(|c| crate::any_hint_word(c, |w| w == "caption")) =>
            {
                BlockKind::Caption
            }
            _ => BlockKind::P,
        };
        let list = dom.nodes[owner].parent;
        st.out.blocks.push(Block {
            kind,
            text: t,
            html: if h.trim().len() == h.len() {
                h
            } else {
                h.trim().to_string()
            },
            list,
            owner,
        });
        st.out.image_before.push(st.pending_image.take());
    };

    for &root in roots {
        if stop {
            break;
        }
        let end = dom.subtree_end(root);
        let mut i = root;
        while i < end {
            let node = &dom.nodes[i];
            if a.skip[i] {
                i = dom.subtree_end(i);
                continue;
            }
            match &node.data {
                NodeData::Element { name, .. } => {
                    let tag: &str = name;
                    // A data table is weighed as a whole (its own block
                    // check): its rows and cells are all kept, links or not.
                    if i != root && is_block(name) && !tables.holds(i) {
                        // Link lists and boilerplate headings inside the body.
                        let ld = a.link_density(i);
                        if (a.chars[i] > 0 && ld > 0.5 && !matches!(tag, "p" | "h1" | "h2" | "h3")
                            || a.chars[i] > 0 && ld > 0.7)
                            && !card_body(dom, a, i, total)
                        {
                            i = dom.subtree_end(i);
                            continue;
                        }
                        if a.chars[i] > 0 && a.chars[i] <= 30 {
                            let t = dom.text_of(i);
                            if r.list_heading(&t).is_some() {
                                if done_chars * 10 >= total * 6 {
                                    stop = true;
                                    break;
                                }
                                i = dom.subtree_end(i);
                                continue;
                            }
                        }
                    }
                    if *name == local_name!("br") {
                        let owner = a.owner[i];
                        flush(Some(owner), &mut st);
                        cur_owner = Some(owner);
                    } else if *name == local_name!("img") {
                        if let Some(src) = img_src(node).and_then(|s| resolve(base, s)) {
                            flush(cur_owner, &mut st);
                            let alt = collapse(node.attr("alt").unwrap_or(""));
                            st.out.images.push(Image { src, caption: alt });
                            st.pending_image = Some(st.out.images.len() - 1);
                        }
                    }
                }
                NodeData::Text(t) => {
                    let owner = a.owner[i];
                    if cur_owner != Some(owner) {
                        flush(cur_owner, &mut st);
                        cur_owner = Some(owner);
                    }
                    done_chars += a.chars[i];
                    st.text.push_str(t);
                    let link = a.link[i].and_then(|l| {
                        if dom.is_ancestor(owner, l) || owner == 0 {
                            dom.nodes[l].attr("href").and_then(|h| resolve(base, h))
                        } else {
                            None
                        }
                    });
                    match link {
                        Some(href) if !t.trim().is_empty() => {
                            st.html.push_str("<a href=\"");
                            escape_into(&href, &mut st.html);
                            st.html.push_str("\">");
                            escape_text_into(t, &mut st.html);
                            st.html.push_str("</a>");
                        }
                        _ => escape_text_into(t, &mut st.html),
                    }
                }
                NodeData::Document => {}
            }
            i += 1;
        }
        flush(cur_owner, &mut st);
        cur_owner = None;
    }
    st.out
}

/// The list or table the `html` being assembled is inside.
#[derive(Default)]
struct OpenGroup {
    list: Option<NodeId>,
    table: Option<(NodeId, NodeId)>,
}

impl OpenGroup {
    fn close(&mut self, html: &mut String) {
        if self.list.take().is_some() {
            html.push_str("</ul>");
        }
        if self.table.take().is_some() {
            html.push_str("</tr></table>");
        }
    }

    /// Inside list `list`, opening it if needed.
    fn list(&mut self, list: NodeId, html: &mut String) {
        if self.list != Some(list) {
            self.close(html);
            html.push_str("<ul>");
            self.list = Some(list);
        }
    }

    /// Inside row `row` of table `table`, opening them if needed.
    fn row(&mut self, table: NodeId, row: NodeId, html: &mut String) {
        match self.table {
            Some((t, r)) if t == table && r == row => {}
            Some((t, _)) if t == table => html.push_str("</tr><tr>"),
            _ => {
                self.close(html);
                html.push_str("<table><tr>");
            }
        }
        self.table = Some((table, row));
    }
}

/// The kept blocks as plain text: paragraphs separated by blank lines, a
/// table's rows by line breaks and its cells by tabs.
pub(super) fn plain_text(blocks: &[&Block]) -> String {
    let mut text = String::new();
    let mut previous: Option<BlockKind> = None;
    for b in blocks {
        if let Some(before) = previous {
            text.push_str(match (before, b.kind) {
                (BlockKind::Cell(c1), BlockKind::Cell(c2)) if c1.row == c2.row => "\t",
                (BlockKind::Cell(c1), BlockKind::Cell(c2)) if c1.table == c2.table => "\n",
                _ => "\n\n",
            });
        }
        text.push_str(&b.text);
        previous = Some(b.kind);
    }
    text
}

/// [`escape_into`], with text that needs no escaping (nearly all body
/// text) appended at once rather than character by character.
fn escape_text_into(text: &str, out: &mut String) {
    if text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        escape_into(text, out);
    } else {
        out.push_str(text);
    }
}

/// The body's HTML: the kept blocks in their elements, lists and data
/// tables grouped, each image as a figure where it stood (one whose block
/// was dropped as well), images without a block at the end; images marked
/// in `skip_image` are left out. Unsanitized: every text and URL is escaped
/// here, and the caller sanitizes anyway.
pub(super) fn assemble_html(rendered: &Rendered, keep: &[bool], skip_image: &[bool]) -> String {
    let mut html = String::new();
    let mut open = OpenGroup::default();
    let mut img_done = skip_image.to_vec();
    img_done.resize(rendered.images.len(), false);
    for (k, b) in rendered.blocks.iter().enumerate() {
        if let Some(ii) =
            rendered.image_before[k].filter(|&ii| !skip_image.get(ii).copied().unwrap_or(false))
        {
            if let Some(done) = img_done.get_mut(ii) {
                *done = true;
            }
            let img = &rendered.images[ii];
            open.close(&mut html);
            html.push_str("<figure><img src=\"");
            escape_into(&img.src, &mut html);
            html.push_str("\">");
            if !img.caption.is_empty() {
                html.push_str("<figcaption>");
                escape_into(&img.caption, &mut html);
                html.push_str("</figcaption>");
            }
            html.push_str("</figure>");
        }
        if !keep[k] {
            continue;
        }
        let (open_tag, close_tag) = match b.kind {
            BlockKind::Li => {
                open.list(b.list, &mut html);
                ("<li>", "</li>")
            }
            BlockKind::Cell(cell) => {
                open.row(cell.table, cell.row, &mut html);
                if cell.header {
                    ("<th>", "</th>")
                } else {
                    ("<td>", "</td>")
                }
            }
            kind => {
                open.close(&mut html);
                match kind {
                    BlockKind::Heading(1 | 2) => ("<h2>", "</h2>"),
                    BlockKind::Heading(3) => ("<h3>", "</h3>"),
                    BlockKind::Heading(_) => ("<h4>", "</h4>"),
                    BlockKind::Pre => ("<pre>", "</pre>"),
                    _ => ("<p>", "</p>"),
                }
            }
        };
        html.push_str(open_tag);
        html.push_str(&b.html);
        html.push_str(close_tag);
    }
    open.close(&mut html);
    for (ii, done) in img_done.iter().enumerate() {
        if !done {
            let img = &rendered.images[ii];
            html.push_str("<figure><img src=\"");
            escape_into(&img.src, &mut html);
            html.push_str("\"></figure>");
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::super::tests::{body_of, ZH_PARA};

    /// A data table stays a table: rows in `html`, tab-separated rows in
    /// `text`, every cell kept (a linked cell, a date cell before the
    /// prose), also when a word processor put a paragraph in each cell.
    #[test]
    fn data_tables_are_kept_as_tables() {
        let para = ZH_PARA;
        for cell in ["{}", "<p style=\"margin:0\">{}</p>"] {
            let td = |text: &str| format!("<td>{}</td>", cell.replace("{}", text));
            let rows = [
                ["日期", "公司", "涨幅"],
                ["2026-01-20", "<a href=\"/s/002716\">湖南白银</a>", "10.02%"],
                ["2026-01-21", "比亚迪", "3.5%"],
            ]
            .iter()
            .map(|r| format!("<tr>{}</tr>", r.iter().map(|c| td(c)).collect::<String>()))
            .collect::<String>();
            let x = body_of(&format!(
                "<html><body><h1>沪深两市今日收盘</h1><div class=\"article\">\
                 <table>{rows}</table><p>{para}</p><p>{para}</p></div></body></html>"
            ));
            assert!(
                x.text.starts_with("日期\t公司\t涨幅\n2026-01-20\t湖南白银\t10.02%\n2026-01-21\t比亚迪\t3.5%\n\n记者"),
                "{cell}: {}",
                x.text
            );
            let html = x.html.as_str();
            assert!(html.contains("<table>"), "{html}");
            assert!(
                html.contains("<td>2026-01-21</td><td>比亚迪</td><td>3.5%</td></tr>"),
                "{html}"
            );
            assert_eq!(html.matches("<tr>").count(), 3, "{html}");
        }
    }

    /// A layout table (an old portal's page grid) is not a data table: its
    /// cells' paragraphs are the body's paragraphs.
    #[test]
    fn layout_tables_are_read_as_paragraphs() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><body><table><tr><td><a href=/>首页</a></td><td><h1>民间投资平稳增长</h1></td></tr>\
             <tr><td>导航</td><td><p>{para}</p><p>{para}</p><p>{para}</p></td></tr></table></body></html>"
        ));
        assert_eq!(x.text.matches(para).count(), 3, "{}", x.text);
        assert!(!x.text.contains('\t'), "{}", x.text);
        assert!(!x.html.as_str().contains("<table"), "{}", x.html.as_str());
        // A forum post's header: an icon column beside the topic, a spacer
        // beside the author and time.
        let x = body_of(&format!(
            "<html><body><div class=\"post\"><table><tr><td><img src=\"/face.gif\"></td>\
             <td><b>主题：</b>民间投资平稳增长</td></tr><tr><td>&nbsp;</td>\
             <td><b>作者：</b><a href=\"/u/1\">芊草凡凡</a> <b>时间：</b>2005-08-22 19:13:18</td></tr></table>\
             <p>{para}</p><p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert!(!x.html.as_str().contains("<table"), "{}", x.html.as_str());
        // A headline over a row of date and source: a byline, not data.
        let x = body_of(&format!(
            "<html><head><title>民间投资平稳增长_新华网</title></head><body><div class=\"article\">\
             <table><tr><td colspan=2><b>民间投资平稳增长</b></td></tr>\
             <tr><td>2005年1月2日 08:00</td><td>来源：新华网</td></tr></table>\
             <p>{para}</p><p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(x.outlet.as_deref(), Some("新华网"));
        assert!(!x.text.contains("来源"), "{}", x.text);
        assert!(!x.html.as_str().contains("<table"), "{}", x.html.as_str());
    }
}
