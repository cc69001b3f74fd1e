//! The headline: which heading, `<title>`, `og:title` or bold line above
//! the text is the article's title.
//!
//! Why it is not simply `<title>`: `<title>` carries site suffixes and SEO
//! rewrites, and old portal pages leave it empty or set it to the site's
//! name. The heading the declared titles also name is the cleanest spelling;
//! without one, the page's prominent `<h1>`, then structured data, then
//! `<title>` without its suffix, then the emphasised line above the text.
//! [`crate::meta::refine`] gives the choice a second look afterwards.

use html5ever::{local_name, LocalName};

use super::{tag_of, Analysis};
use crate::dom::{Dom, NodeData, NodeId};
use crate::meta::{norm, strip_site_suffix, Meta};
use crate::{any_hint_word, byline};

/// The headline: the page heading that `<title>`, `og:title` or JSON-LD
/// also name (it is the cleanest spelling), else the page's one prominent
/// `<h1>`, else structured data, else `<title>` without its site suffix.
pub(super) fn choose_title(
    dom: &Dom,
    a: &Analysis,
    m: &Meta,
    content_start: NodeId,
) -> (String, Option<NodeId>) {
    let refs: Vec<String> = declared_titles(m)
        .flat_map(|s| [norm(&s), norm(&strip_site_suffix(&s))])
        .filter(|s| !s.is_empty())
        .collect();
    let heading_tags: [&LocalName; 3] =
        [&local_name!("h1"), &local_name!("h2"), &local_name!("h3")];
    let mut best: Option<(String, NodeId)> = None;
    for tag in heading_tags {
        for id in dom.elements(tag) {
            let t = dom.text_of(id);
            let nt = norm(&t);
            let len = nt.chars().count();
            if !(4..=200).contains(&len) {
                continue;
            }
            let matches = refs.iter().any(|r| {
                r == &nt
                    || (r.contains(&nt) && len * 10 >= r.chars().count() * 6)
                    || (nt.contains(r.as_str()) && r.chars().count() * 10 >= len * 6)
            });
            if matches {
                let better = best
                    .as_ref()
                    .is_none_or(|(b, _)| t.chars().count() > b.chars().count());
                if better {
                    best = Some((t, id));
                }
            }
        }
        if best.is_some() {
            break;
        }
    }
    if let Some((t, id)) = best {
        return (t, Some(id));
    }
    // The prominent <h1>: not boilerplate, not a logo link, placed before
    // or at the head of the body.
    let site = m.publisher().map(|s| norm(&s));
    let mut prominent = None;
    for id in dom.elements(&local_name!("h1")) {
        if a.skip[id] || (a.link_density(id) > 0.5 && a.chars[id] > 0) {
            continue;
        }
        let t = dom.text_of(id);
        let nt = norm(&t);
        let len = t.chars().count();
        if !(6..=200).contains(&len) || site.as_ref().is_some_and(|s| *s == nt) || names_a_blog(&t)
        {
            continue;
        }
        if prominent.is_none() || id <= content_start {
            prominent = Some((t, id));
        }
        if id > content_start {
            break;
        }
    }
    if let Some((t, id)) = prominent {
        return (t, Some(id));
    }
    // Elements whose class says title, matching the references; with no
    // references at all (no `<title>`, old portal pages), the first such
    // element before the content that reads as a headline.
    let prose_at = prose_start(dom, content_start);
    let prose = refs.is_empty().then_some(prose_at);
    for id in 1..dom.nodes.len() {
        let node = &dom.nodes[id];
        let Some(class) = node.attr("class").or_else(|| node.attr("id")) else {
            continue;
        };
        if !any_hint_word(class, |w| {
            matches!(w, "title" | "headline" | "biaoti" | "heading")
        }) {
            continue;
        }
        let t = dom.text_of(id);
        let nt = norm(&t);
        if !(4..=120).contains(&nt.chars().count()) {
            continue;
        }
        let unreferenced_headline = prose.is_some_and(|p| id < p)
            && a.link_density(id) < 0.5
            && !a.skip[id]
            && reads_as_headline(&t);
        // Right above the text, it is the headline even when `<title>` says
        // something else (a site that gives every page its section's name:
        // `科普中国-辟谣文章` over `徒手抓子弹真的存在吗？`), and even as a link
        // (a blog engine links the post's title to its permalink: `<div
        // class="postTitle"><a href=".../543698.aspx">`; further up, linked
        // titles are the sidebars' lists).
        let headline_above_text =
            right_above(dom, id, prose_at) && !a.skip[id] && reads_as_headline(&t);
        if unreferenced_headline || headline_above_text || refs.iter().any(|r| r.starts_with(&nt)) {
            return (t, Some(id));
        }
    }
    if let Some(h) = m.ld_headline() {
        return (strip_site_suffix(&h), None);
    }
    if let Some(t) = m.get(&["og:title", "twitter:title"]) {
        return (strip_site_suffix(t), None);
    }
    if let Some(t) = &m.title_tag {
        // `Joel on Software - 给计算机系学生的建议`: the part of `<title>` the
        // page sets in bold right above its text is the headline, whichever
        // side of the separator the site's name stands.
        if let Some(id) = emphasised_headline(dom, a, content_start) {
            let shown = dom.text_of(id);
            if is_title_part(t, &shown) && site.as_deref() != Some(norm(&shown).as_str()) {
                return (shown, Some(id));
            }
        }
        let t = strip_site_suffix(t);
        // A `<title>` that is only the site's name (网易娱乐, CCTV.com) on a
        // page that sets its headline in bold above the text.
        let site_name = t.chars().count() <= 8
            && (byline::looks_like_outlet(&t) || t.to_ascii_lowercase().ends_with(".com"));
        if site_name {
            if let Some(id) = emphasised_headline(dom, a, content_start) {
                return (dom.text_of(id), Some(id));
            }
        }
        return (t, None);
    }
    // No metadata at all (saved fragments, old framesets): the first heading
    // above the end of the text that is no prompt (`请在表格中填入您的邮件地址：`);
    // those below are the footer's.
    let content_end = dom.subtree_end(content_start);
    for tag in [local_name!("h1"), local_name!("h2"), local_name!("h3")] {
        let heading = dom
            .elements(&tag)
            .take_while(|&id| id < content_end)
            .filter(|&id| !a.skip[id] && (4..=200).contains(&a.chars[id]))
            .map(|id| (dom.text_of(id), id))
            .find(|(t, _)| !t.ends_with(['：', ':']) && !names_a_blog(t));
        if let Some((t, id)) = heading {
            return (t, Some(id));
        }
    }
    emphasised_headline(dom, a, content_start)
        .map_or((String::new(), None), |id| (dom.text_of(id), Some(id)))
}

/// Whether element `id` stands right above the first paragraph at
/// `prose_at`: at most a byline's worth of text between them (a source
/// line, a date; two lines of 40 characters together).
fn right_above(dom: &Dom, id: NodeId, prose_at: NodeId) -> bool {
    let end = dom.subtree_end(id);
    if id >= prose_at || end > prose_at || prose_at - end > 40 {
        return false;
    }
    let lines: Vec<usize> = (end..prose_at)
        .filter_map(|k| match &dom.nodes[k].data {
            NodeData::Text(t) if !t.trim().is_empty() => Some(t.trim().chars().count()),
            _ => None,
        })
        .collect();
    lines.len() <= 2 && lines.iter().sum::<usize>() <= 40
}

/// A blog's own name in its header `<h1>` (`bjreader的博客`, `Joe's
/// Blog`), above every post: not a post's headline.
fn names_a_blog(heading: &str) -> bool {
    blog_owner(heading).is_some()
}

/// Whose blog a blog's name says it is: `bjreader` of `bjreader的博客`,
/// `Joe` of `Joe's Blog`.
pub(super) fn blog_owner(blog_name: &str) -> Option<&str> {
    const SUFFIXES: [&str; 6] = [
        "的博客",
        "的blog",
        "的部落格",
        "的空间",
        "'s blog",
        "’s blog",
    ];
    let name = blog_name.trim();
    SUFFIXES.iter().find_map(|suffix| {
        let cut = name.len().checked_sub(suffix.len())?;
        let tail = name.get(cut..)?;
        tail.eq_ignore_ascii_case(suffix)
            .then(|| name[..cut].trim_end())
    })
}

/// Whether `shown` is one of the parts `title`'s separators divide it
/// into (not the whole title).
fn is_title_part(title: &str, shown: &str) -> bool {
    let want = norm(shown);
    if want.chars().count() < 4 || want == norm(title) {
        return false;
    }
    let separators = &crate::rules::rules().title_separators;
    separators.iter().any(|sep| {
        title
            .split(sep.as_str())
            .any(|part| norm(part.trim()) == want)
    })
}

/// The chosen headline without what was read into it: a private-font
/// glyph, a forum's `主题:` label, a wiki edit link, a trailing separator
/// or a count badge.
pub(super) fn tidy(title: &str, m: &Meta) -> String {
    // A glyph from the site's own font (新浪's `投身外交(3)\u{e004}`) is a
    // box anywhere else.
    let title: String = title
        .chars()
        .filter(|&c| !byline::is_private_use(c))
        .collect();
    // A forum's field label read with the subject (`主题: 【2005年…】`).
    let title = super::lines::labelled_topic(&title).unwrap_or(&title);
    let title = without_edit_link(title);
    // A blog template's dangling separator (`谁来为无序拆房“埋单”？- -`);
    // `C-` and `__init__` end in their own characters.
    let title = title.trim_end();
    let cut = title.trim_end_matches([' ', '-', '|', '_']);
    let dangling = title[cut.len()..].contains(' ') || !cut.ends_with(char::is_alphanumeric);
    let title = if dangling && !cut.is_empty() {
        cut
    } else {
        title
    };
    without_count_badge(title, m).unwrap_or_else(|| title.to_string())
}

/// A wiki heading's edit link read with it (`雄安新区[编辑]`, `History[edit]`).
fn without_edit_link(title: &str) -> &str {
    ["[编辑]", "[edit]", "[編輯]", "[编辑源代码]"]
        .iter()
        .find_map(|l| title.strip_suffix(l))
        .map_or(title, str::trim_end)
}

/// The words that label a page's fields rather than lead a headline.
const FIELD_LABELS: &[&str] = &[
    "时间",
    "日期",
    "位置",
    "来源",
    "作者",
    "编辑",
    "发布",
    "主题",
    "标题",
    "点击",
    "浏览",
    "分类",
    "栏目",
    "关键词",
    "关键字",
    "Date",
    "Time",
    "Posted",
    "Source",
    "Author",
];

/// Short, and not a sentence, a byline, a `时间：`/`位置：` label line or a
/// date (`2003年5月`); `《清洁》：东方式内敛…` is a headline.
fn reads_as_headline(t: &str) -> bool {
    let n = t.chars().count();
    let words = t
        .chars()
        .filter(|c| c.is_alphabetic() && !"年月日时分".contains(*c))
        .count();
    // `时间：…`, `位置：首页 > 新闻` label a page's fields; `评老冒：…`,
    // `专访：…` lead a headline.
    let label = t.split_once(['：', ':']).is_some_and(|(head, _)| {
        let head = head.trim();
        FIELD_LABELS.iter().any(|l| head.ends_with(l))
    });
    // A question or an exclamation ends a headline (`评老冒：做最好的和最cool的东西？`);
    // inside it, it is a sentence's.
    let body = t.trim_end_matches(['！', '？', '!', '?']);
    (4..=60).contains(&n)
        && words >= 3
        && !label
        && !body.contains(['。', '！', '？'])
        && !["作者", "记者", "来源", "发布"]
            .iter()
            .any(|w| t.contains(w))
}

/// The first text of the content long enough to be a paragraph: a headline
/// stands before it.
fn prose_start(dom: &Dom, content_start: NodeId) -> NodeId {
    (content_start..dom.nodes.len())
        .find(|&i| matches!(&dom.nodes[i].data, NodeData::Text(t) if t.trim().chars().count() > 60))
        .unwrap_or(dom.nodes.len())
}

/// Pages without a `<title>` or headings (old portal and forum pages) set
/// the headline in bold or a large font right above the text: the last
/// emphasised line that reads as a headline before the first paragraph of
/// the content.
fn emphasised_headline(dom: &Dom, a: &Analysis, content_start: NodeId) -> Option<NodeId> {
    let from = content_start.saturating_sub(120);
    let to = prose_start(dom, content_start).min(content_start + 200);
    let mut found = None;
    for id in from..to {
        let node = &dom.nodes[id];
        if matches!(node.data, NodeData::Text(_)) {
            continue;
        }
        let emphasis = matches!(
            tag_of(dom, id),
            "strong" | "b" | "font" | "h4" | "h5" | "h6" | "center"
        );
        // A headline has 4 to 60 characters (`reads_as_headline`): old pages
        // wrap whole articles in `<font>`, whose text is not built for it.
        let short = (1..=60).contains(&a.chars[id]);
        if emphasis
            && short
            && !a.skip[id]
            && a.link[id].is_none()
            && reads_as_headline(&dom.text_of(id))
        {
            found = Some(id);
        }
    }
    found
}

/// A heading read with the count badge inside it (`第二章 失乡号的船长` +
/// `<span class="review-count">241</span>`): the trailing number goes when
/// the page's declared title is the heading without it. `iPhone 16` stays
/// unless the page calls itself `iPhone`.
fn without_count_badge(title: &str, m: &Meta) -> Option<String> {
    let head = title.trim_end_matches(|c: char| c.is_ascii_digit());
    if head.len() == title.len() || head.trim().is_empty() {
        return None;
    }
    let head = head.trim_end();
    let want = norm(head);
    declared_titles(m)
        .any(|d| norm(&strip_site_suffix(&d)) == want)
        .then(|| head.to_string())
}

/// The titles the page declares for itself: `<title>`, `og:title` (or
/// `twitter:title`), JSON-LD `headline`.
fn declared_titles(m: &Meta) -> impl Iterator<Item = String> {
    [
        m.title_tag.clone(),
        m.get(&["og:title", "twitter:title"]).map(str::to_string),
        m.ld_headline(),
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{body_of, ZH_PARA};

    /// Old portal and forum pages: a placeholder `<title>` (显示, 无标题文档)
    /// or none at all, the headline in a `class="Heading"` cell or in bold
    /// above the text, and a bold date that is no headline.
    #[test]
    fn headlines_of_pages_without_a_title() {
        let para = ZH_PARA;
        let bold = body_of(&format!(
            "<html><head><title>显示</title></head><body><table><tr><td>\
             <p align=center><font color=darkblue><strong>犬儒病(上)</strong></font></p><hr>\
             <p>{para}</p><p>{para}</p></td></tr></table></body></html>"
        ));
        assert_eq!(bold.title, "犬儒病(上)");
        assert!(bold.authors.is_empty(), "{:?}", bold.authors);
        // An essay's author alone on the line under the headline.
        let essay = body_of(&format!(
            "<html><head><title>显示</title></head><body><table><tr><td>\
             <p align=center><font color=darkblue><strong>犬儒病(上)</strong></font></p><hr>\
             <p> 胡平<br><br>——当代中国的精神危机</p><p>{para}</p><p>{para}</p></td></tr></table></body></html>"
        ));
        assert_eq!(essay.authors, ["胡平"]);
        let column_tag = body_of(&format!(
            "<html><head><title>显示</title></head><body><table><tr><td>\
             <p align=center><strong>犬儒病(上)</strong></p><p>专题</p><p>{para}</p><p>{para}</p>\
             </td></tr></table></body></html>"
        ));
        assert!(column_tag.authors.is_empty(), "{:?}", column_tag.authors);
        assert!(!bold.text.contains("犬儒病"), "{}", bold.text);
        let heading = body_of(&format!(
            "<html><body><div class=\"Heading\">北京市儿童心理素质发展现状调查研究报告</div>\
             <div class=\"Source\"></div><p><strong>2003年5月</strong></p>\
             <div><p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(heading.title, "北京市儿童心理素质发展现状调查研究报告");
        let dated_only = body_of(&format!(
            "<html><head><title>无标题文档</title></head><body>\
             <p><b>2003年5月</b></p><p>{para}</p><p>{para}</p></body></html>"
        ));
        assert_eq!(dated_only.title, "");
        // A `<title>` naming only the site gives way to the bold headline;
        // a label line is no headline.
        let site_titled = body_of(&format!(
            "<html><head><title>网易娱乐</title></head><body><table><tr><td>\
             <font color=#FFFBB5>《清洁》：东方式内敛与摇滚现实绘</font></td></tr>\
             <tr><td><b>时间：2005年5月17日</b><p>{para}</p><p>{para}</p></td></tr></table></body></html>"
        ));
        assert_eq!(site_titled.title, "《清洁》：东方式内敛与摇滚现实绘");
        // MediaWiki's edit links are neither headline nor body.
        let wiki = body_of(&format!(
            "<html><head><title>雄安新区 - 维基百科</title></head><body>\
             <h1>雄安新区<span class=\"mw-editsection\">[<a href=\"?action=edit\">编辑</a>]</span></h1>\
             <p>{para}</p><h2>历史<span class=\"mw-editsection\">[<a href=\"?action=edit&amp;section=1\">编辑</a>]</span></h2>\
             <p>{para}</p></body></html>"
        ));
        assert_eq!(wiki.title, "雄安新区");
        assert!(!wiki.text.contains("编辑"), "{}", wiki.text);
    }

    /// An old page with no metadata: the breadcrumb is no body line, and the
    /// footer's headings (a mailing-list prompt, a copyright line) are no
    /// title; the bold headline above the text is.
    #[test]
    fn old_pages_take_no_footer_heading_for_the_title() {
        let page = body_of(&format!(
            "<html><head><title></title></head><body><table><tr><td>\
             <p>当前位置： 首页 -&gt; <a href=\"/js\">军事技术</a></p>\
             <p><b>飞行物理学常识</b></p><p>{ZH_PARA}</p><p>{ZH_PARA}</p></td></tr></table>\
             <h3>欢迎加入本站邮件列表，请在表格中填入您的邮件地址：</h3>\
             <h3>All rights reserved 联系版主：chinaha@371.net</h3></body></html>"
        ));
        assert_eq!(page.title, "飞行物理学常识");
        assert!(!page.text.contains("当前位置"), "{}", page.text);
    }

    /// A blog engine's post title, linked to its permalink right above the
    /// text, on a page with no `<title>`: the blog's own linked name at the
    /// top is not it, and a headline may lead with `X：` and end with `？`.
    #[test]
    fn a_linked_post_title_right_above_the_text_is_the_headline() {
        let page = body_of(&format!(
            "<html><body><div class=\"title\"><a href=\"/wangluting/\">彻头彻尾的linkist</a></div>\
             <ul><li><a href=\"/a/1\">2006年12月(5)</a></li><li><a href=\"/a/2\">2006年11月(6)</a></li></ul>\
             <div class=\"post\"><div class=\"postTitle\"><a href=\"/wangluting/archive/2005/09/07/543698.aspx\">\
             评老冒：做最好的和最cool的东西？</a></div>\
             <div class=\"postText\"><p>{ZH_PARA}</p><p>{ZH_PARA}</p></div></div></body></html>"
        ));
        assert_eq!(page.title, "评老冒：做最好的和最cool的东西？");
    }

    /// A forum's `主题:` label and a glyph from the site's own font are
    /// not part of the title.
    #[test]
    fn titles_lose_field_labels_and_private_glyphs() {
        let forum = body_of(&format!(
            "<html><body><h1>主题: 【2005年中国革命历史巨作】【太行山上】</h1><p>{ZH_PARA}</p><p>{ZH_PARA}</p></body></html>"
        ));
        assert_eq!(forum.title, "【2005年中国革命历史巨作】【太行山上】");
        let sina = body_of(&format!(
            "<html><head><title>投身外交(3)\u{e004}_读书频道_新浪网</title></head><body><p>{ZH_PARA}</p><p>{ZH_PARA}</p></body></html>"
        ));
        assert_eq!(sina.title, "投身外交(3)");
    }

    /// A site that gives every page its section's name as `<title>`: the
    /// title-classed line right above the text (a source line between) is
    /// the headline.
    #[test]
    fn a_title_line_right_above_the_text_beats_a_section_title() {
        let page = body_of(&format!(
            "<html><head><title>科普中国-辟谣文章</title></head><body>\
             <div class=\"rumor-article\"><div class=\"rumor-title\"> 徒手抓子弹真的存在吗？ </div>\
             <div class=\"rumor-info\"><span>来源： 科普中国-科学原理</span></div>\
             <div class=\"rumor-content\"><p>{ZH_PARA}</p><p>{ZH_PARA}</p></div></div>\
             <div class=\"recommend\"><div class=\"title\">相关推荐</div></div></body></html>"
        ));
        assert_eq!(page.title, "徒手抓子弹真的存在吗？");
    }

    /// `<title>` names the site first; the part the page sets in bold
    /// above the text is the headline.
    #[test]
    fn the_title_part_printed_above_the_text_is_the_headline() {
        let page = body_of(&format!(
            "<html><head><title>Joel on Software - 给计算机系学生的建议</title></head><body>\
             <table><tr><td><p class=\"slugText\"><strong>给计算机系学生的建议</strong></p>\
             <p>{ZH_PARA}</p><p>{ZH_PARA}</p></td></tr></table></body></html>"
        ));
        assert_eq!(page.title, "给计算机系学生的建议");
    }

    /// A blog's name in its header `<h1>` is no post's headline; the post
    /// title loses the template's dangling separator.
    #[test]
    fn a_blog_name_heading_is_not_the_headline() {
        let page = body_of(&format!(
            "<html><body><h1>bjreader的博客</h1><div class=\"entity\">\
             <h2 class=\"diaryTitle\">谁来为无序拆房“埋单”？- -</h2>\
             <p>{ZH_PARA}</p><p>{ZH_PARA}</p></div></body></html>"
        ));
        assert_eq!(page.title, "谁来为无序拆房“埋单”？");
        let own_ending = body_of(&format!(
            "<html><body><h1>Understanding Python __init__</h1><p>{ZH_PARA}</p><p>{ZH_PARA}</p></body></html>"
        ));
        assert_eq!(own_ending.title, "Understanding Python __init__");
    }

    /// A forum thread whose `<title>` is the site's name: the labelled
    /// topic line is the headline, the author and time line under it are
    /// metadata, and the post is the body.
    #[test]
    fn a_forum_topic_line_is_the_headline() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><head><title>CCTV.com</title></head><body><div class=\"thread\">\
             <p><b>主题：</b> 你知道导游为什么热衷于让你去商场购物吗？</p>\
             <p><b>作者：</b><a href=\"/u/1\">芊草凡凡</a> <b>时间：</b>2005-08-22 19:13:18</p>\
             <p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(x.title, "你知道导游为什么热衷于让你去商场购物吗？");
        assert!(x.text.starts_with("记者从有关部门获悉"), "{}", x.text);
        assert_eq!(x.authors, ["芊草凡凡"]);
        // Past the first prose, a 主题： line is text (a list of topics).
        let x = body_of(&format!(
            "<html><head><title>民间投资平稳增长_新华网</title></head><body><div class=\"article\">\
             <p>{para}</p><p>主题：民营经济与扩大内需</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(x.title, "民间投资平稳增长");
        assert!(x.text.contains("主题：民营经济与扩大内需"), "{}", x.text);
    }

    /// A count badge inside the headline is not part of the title; a
    /// number that is part of it stays.
    #[test]
    fn count_badges_leave_the_title() {
        let page = |title: &str| {
            body_of(&format!(
                "<html><head><title>{title}</title></head><body>\
                 <h1>第二章 失乡号的船长<span class=\"review\"><span class=\"review-count\">241</span></span></h1>\
                 <article><p>{ZH_PARA}</p><p>{ZH_PARA}</p></article></body></html>"
            ))
        };
        assert_eq!(
            page("第二章 失乡号的船长 _《深海余烬》小说在线阅读 - 起点中文网").title,
            "第二章 失乡号的船长"
        );
        assert_eq!(
            page("第二章 失乡号的船长241").title,
            "第二章 失乡号的船长241"
        );
    }
}
