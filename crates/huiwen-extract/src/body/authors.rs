//! Authors: who wrote the article, from the metadata, the byline above the
//! text, the sign-off under it, or the rows around it.
//!
//! Why several places: Chinese portals fill `meta author` with the site's
//! name or the page's editor, print the reporters in a line under the
//! headline (`记者 伊琳 李清芬`) or after the last paragraph (`（常书香
//! 马丹阳）`), and forums put the poster in a header cell or a footer. Each
//! source is filtered for what is not a person (outlets, editors, a forum
//! package's credit) before the next is tried. The text grammar of a byline
//! itself lives in [`crate::byline`].

use super::{under, Analysis, Block};
use crate::dom::{Dom, NodeData, NodeId};
use crate::meta::{self, Meta};
use crate::{any_hint_word, byline};

/// Where the headline and the content are, for the bylines around them.
#[derive(Clone, Copy)]
pub(super) struct Layout {
    pub title_node: Option<NodeId>,
    /// The first root of the content.
    pub content_start: NodeId,
    /// Where the last root of the content ends.
    pub content_end: NodeId,
    /// Where the kept text ends (the last kept block's end): the content
    /// can reach on over a sidebar.
    pub text_end: NodeId,
}

/// The article's authors, from the first source that names a person:
/// `meta author` and JSON-LD, the byline read with the text (`byline`), a
/// sign-off in the last blocks, then bylines in the page around the content.
pub(super) fn choose_authors(
    dom: &Dom,
    a: &Analysis,
    m: &Meta,
    outlet: Option<&str>,
    byline: Vec<String>,
    blocks: &[&Block],
    layout: &Layout,
) -> Vec<String> {
    // Some CMSs (光明网) fill `meta author` with the page's editor and say
    // so in `meta editor`: an editor is not the author.
    let editor = m.get(&["editor"]).map(str::trim);
    let software = software_credit_words(m);
    let people = |mut names: Vec<String>| {
        // The outlet named beside a person (`By Wang Xiaoyu | China Daily`)
        // is no second author; named alone, it is the byline the site gives
        // (a company blog, a one-person site) and stays.
        let is_outlet = |a: &String| outlet.is_some_and(|o| o.eq_ignore_ascii_case(a));
        if names.iter().any(|a| !is_outlet(a)) {
            names.retain(|a| !is_outlet(a));
        }
        names.retain(|a| {
            // A profile id (`article:author` 262588213843476) or an email
            // address names no one, and `Jane Doe says` heads a comment.
            if editor == Some(a.as_str())
                || credits_software(a, &software)
                || !a.chars().any(char::is_alphabetic)
                || a.contains('@')
                // `content: MarketingSherpa, design: …`: a site's credits.
                || a.contains(':')
                || a.ends_with(" says")
            {
                false
            } else if a.is_ascii() {
                !a.split_whitespace()
                    .any(|w| w.starts_with("Publisher") || w == "Publishing")
            } else {
                Some(a.as_str()) != outlet && !byline::looks_like_outlet(a)
            }
        });
        names
    };
    // A metadata author that labels its parts is the site's credits line
    // (`content: MarketingSherpa, design: Scott McDaniel, …, MECLABS`):
    // none of it, the unlabelled part included, is the article's byline.
    let mut declared = m.authors();
    if declared.iter().any(|a| a.contains(':')) {
        declared.clear();
    }
    // An account handle there is printed as a name on the page.
    let declared = declared
        .into_iter()
        .map(|a| display_name(dom, &a).unwrap_or(a))
        .collect();
    // A team credited in the metadata (`Automateed Team`), or the site
    // itself typed as a person (JSON-LD `Person` British Heart Foundation),
    // is the byline of last resort, like an organization: the page may
    // name the person.
    let is_site = |a: &String| outlet.is_some_and(|o| o.eq_ignore_ascii_case(a));
    let (teams, declared): (Vec<String>, Vec<String>) = people(declared)
        .into_iter()
        .partition(|a| is_team(a) || is_site(a));
    if !declared.is_empty() {
        return declared;
    }
    // `meta author` named no person (Five Books names the site): the
    // preview pair may.
    let written_by: Vec<String> = people(m.written_by())
        .into_iter()
        .filter(|a| !is_team(a) && !is_site(a))
        .collect();
    if !written_by.is_empty() {
        return written_by;
    }
    let authors = people(byline);
    if !authors.is_empty() {
        return authors;
    }
    // The reporters signing off: in the last paragraph, or in a short line
    // of their own under it (followed by a source note, a rule, a blog's
    // signature).
    let signed = blocks
        .iter()
        .rev()
        .take(5)
        .enumerate()
        .filter(|(k, b)| {
            let n = b.text.chars().count();
            *k == 0 || n <= 40 || n <= 80 && labelled_signoff(&b.text)
        })
        .map(|(k, b)| {
            let labelled = byline::parse(&b.text).authors;
            if !labelled.is_empty() {
                return labelled;
            }
            let led = if labelled_signoff(&b.text) {
                names_after_lead(&b.text)
            } else {
                Vec::new()
            };
            // A bare `（福井）` ends many lines of a list; only the last
            // paragraph's is a sign-off.
            if led.is_empty() && k == 0 {
                byline::trailing_authors(&b.text)
            } else {
                led
            }
        })
        .map(people)
        .find(|names| !names.is_empty());
    if let Some(authors) = signed {
        return authors;
    }
    let found = people(dom_authors(dom, a, layout));
    if !found.is_empty() {
        return found;
    }
    if !teams.is_empty() {
        return teams;
    }
    people(m.organization_authors())
}

/// The name the page prints for an account handle the metadata gives
/// (`meta author` jrobison, `article:author` officialrajdeepsingh): the
/// text of a link to that writer's page (`/author/jrobison/`) when it
/// reads as a name.
fn display_name(dom: &Dom, handle: &str) -> Option<String> {
    let is_handle = !handle.is_empty()
        && handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if !is_handle {
        return None;
    }
    let slug = format!("/{handle}");
    dom.nodes.iter().enumerate().find_map(|(i, node)| {
        let href = node.attr("href")?;
        let path = href
            .split(['?', '#'])
            .next()
            .unwrap_or(href)
            .trim_end_matches('/');
        if !(node.is(&html5ever::local_name!("a"))
            && links_to_author_page(node)
            && path.to_ascii_lowercase().ends_with(&slug))
        {
            return None;
        }
        let text = dom.text_of(i);
        let text = text.trim();
        (text != handle && reads_as_name(text)).then(|| text.to_string())
    })
}

/// `Automateed Team`, `Team SimplyThrilled`: a byline that names a group,
/// or a post rather than a person (`Marketing and Event Coordinator`, a
/// CMS account named after its role).
fn is_team(name: &str) -> bool {
    name.split_whitespace().any(|w| {
        matches!(
            w,
            "Team" | "Staff" | "Desk" | "Newsroom" | "Department" | "Marketing" | "Coordinator"
        )
    })
}

/// Lower-cased letter/digit runs of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of the page's `generator` and `copyright` (`Discuz! X3.4`,
/// `Comsenz Inc.`), versions and years left out: see [`credits_software`].
fn software_credit_words(m: &Meta) -> Vec<String> {
    [m.get(&["generator"]), m.get(&["copyright"])]
        .into_iter()
        .flatten()
        .flat_map(words)
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Forum and CMS packages sign `meta author` for themselves
/// (`Discuz! Team and Comsenz UI Team` beside `generator` `Discuz! X3.4` and
/// `copyright` `Comsenz Inc.`): a name whose every word but a team word is
/// one of the `software` credit words is that credit, not a writer. A
/// person who shares one word with them (`Hugo Smith` on a Hugo site)
/// keeps the other.
fn credits_software(name: &str, software: &[String]) -> bool {
    const TEAM_WORDS: [&str; 8] = ["team", "ui", "dev", "inc", "ltd", "and", "the", "group"];
    let own: Vec<String> = words(name)
        .into_iter()
        .filter(|w| !TEAM_WORDS.contains(&w.as_str()))
        .collect();
    !own.is_empty() && own.iter().all(|w| software.contains(w))
}

/// Authors named by byline elements (`class="author"`, `rel="author"`,
/// 作者：…) near the headline; failing that, a labelled byline at the head
/// of the content (a forum post's 作者： cell, a dateline row inside the
/// article's table) or in the rows just after it (`作者：宋怡 杨志华` in
/// a cell beside 来源：, below the text).
fn dom_authors(dom: &Dom, a: &Analysis, layout: &Layout) -> Vec<String> {
    let Layout {
        title_node,
        content_start,
        content_end,
        text_end,
    } = *layout;
    let start = title_node.unwrap_or(0);
    let end = if content_start > start {
        content_start + 1
    } else {
        (start + 400).min(dom.nodes.len())
    };
    for i in start..end.min(dom.nodes.len()) {
        let mut names = node_authors(dom, i);
        if names.is_empty() {
            names = nickname(dom, i).into_iter().collect();
        }
        if !names.is_empty() {
            return names;
        }
    }
    // The head of the content, up to its first sentence of prose.
    let head = (end..content_end.min(dom.nodes.len())).take(200);
    for i in head {
        let names = match &dom.nodes[i].data {
            NodeData::Text(t) => {
                if t.chars().count() > 40 && (t.contains(['，', '。']) || t.contains(". ")) {
                    break;
                }
                text_authors(dom, i, t)
            }
            // A box marked as the author's (`resource-author`: Luke Kim,
            // December 17, 2025) that the content starts with.
            NodeData::Element { .. } => node_authors(dom, i),
            _ => Vec::new(),
        };
        if !names.is_empty() {
            return names;
        }
    }
    // The rows under it (a 作者： cell beside 来源：, an author box),
    // before the related links and comments begin.
    let foot = (content_end..dom.nodes.len()).take(60);
    for i in foot {
        if a.link[i].is_some() || under(dom, i, &["script", "style"]) {
            continue;
        }
        let names = node_authors(dom, i);
        if !names.is_empty() {
            return names;
        }
    }
    // A byline after the text, right after it or at the content's own end
    // (an author box, then `Posted On: … By: <a href="/author/ray/">Ray
    // Ansari</a>`, an author card `Written by` / `Jack Shepherd`, or
    // `Authors: Julie Weisenhorn and Natalie Hoidal, Extension …` before a
    // sidebar the content reaches over): a link to the writer's page
    // there, or a labelled byline.
    let len = dom.nodes.len();
    let after_text = text_end.max(start)..(text_end + 80).min(content_end).min(len);
    let content_tail = content_end.saturating_sub(80).max(start)..content_end.min(len);
    for i in after_text.chain(content_tail) {
        let node = &dom.nodes[i];
        let names = match &node.data {
            // Labelled only: a bare `by Dave Gershgorn` there is a related
            // article's card.
            NodeData::Text(t) if labelled_signoff(t) => text_authors(dom, i, t),
            _ if node.is(&html5ever::local_name!("a")) && links_to_author_page(node) => {
                node_authors(dom, i)
            }
            _ => Vec::new(),
        };
        if !names.is_empty() {
            return names;
        }
    }
    // A blog engine's post footer, after the tags, the share buttons and
    // the author's card that follow the text.
    let post_footer =
        (text_end.max(start)..(text_end + 300).min(len)).find_map(|i| match &dom.nodes[i].data {
            NodeData::Text(t) if blog_post_footer(t) => footer_blogger(dom, i),
            _ => None,
        });
    if let Some(name) = post_footer {
        return vec![name];
    }
    if let Some(name) = (start..end.min(len)).find_map(|i| name_above_date(dom, i)) {
        return vec![name];
    }
    title_node
        .and_then(|t| name_under_headline(dom, t))
        .or_else(|| blog_header_owner(dom))
        .into_iter()
        .collect()
}

/// A personal blog's name in its header, when it is its owner's name: the
/// .Text engine's (博客堂, cnblogs) `headermaintitle` reading `李建忠`, or
/// `bjreader的博客`.
fn blog_header_owner(dom: &Dom) -> Option<String> {
    let header = (0..dom.nodes.len().min(3000)).find(|&i| {
        ["class", "id"].iter().any(|k| {
            dom.nodes[i]
                .attr(k)
                .is_some_and(|v| any_hint_word(v, |w| w == "headermaintitle"))
        })
    })?;
    let title = dom.text_of(header);
    let title = title.trim();
    match super::headline::blog_owner(title) {
        Some(owner) => short_handle(owner),
        None => chinese_full_name(title).then(|| title.to_string()),
    }
}

/// A blogging platform's account name between the headline and the text
/// (CSDN's `<a class="follow-nickName">`): a handle, printed as the
/// writer's name. Only there: under the text, nicknames are commenters'.
fn nickname(dom: &Dom, i: NodeId) -> Option<String> {
    let classed = dom.nodes[i]
        .attr("class")
        .is_some_and(|c| any_hint_word(c, |w| w == "nickname"));
    if !classed {
        return None;
    }
    let name = dom.text_of(i);
    short_handle(name.trim())
}

/// A blog engine's post footer (.Text and cnblogs: `posted @ 2024-05-09
/// 14:45 <a href="https://www.cnblogs.com/good-looking-hk">好看的hk</a>
/// 阅读(430) 评论(2)`).
fn blog_post_footer(t: &str) -> bool {
    let t = t.trim_start().as_bytes();
    [&b"posted @"[..], b"posted on "].iter().any(|lead| {
        t.get(..lead.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(lead))
    })
}

/// The blogger such a footer names: the first link after its date.
fn footer_blogger(dom: &Dom, footer: NodeId) -> Option<String> {
    let end = (footer + 12).min(dom.nodes.len());
    let link = (footer + 1..end).find(|&k| dom.nodes[k].is(&html5ever::local_name!("a")))?;
    short_handle(dom.text_of(link).trim())
}

/// An account name: short, one or two words, not a number or a prompt.
fn short_handle(name: &str) -> Option<String> {
    let plausible = (2..=30).contains(&name.chars().count())
        && name.split_whitespace().count() <= 2
        && name.chars().any(char::is_alphabetic)
        && !name.contains(['(', '（', ':', '：']);
    plausible.then(|| name.to_string())
}

/// A name alone in its block right above the date line, under the
/// headline (`<p>Elliot Raba</p>` / `23.07.2025 · 6 min read`): a byline
/// printed without a lead. Alone, so that a section link before a date
/// (`Filed under <a>Business News</a> 2025-…`) is no name.
fn name_above_date(dom: &Dom, i: NodeId) -> Option<String> {
    let NodeData::Text(t) = &dom.nodes[i].data else {
        return None;
    };
    let name = t.trim();
    let words = name.split_whitespace().count();
    if !(2..=4).contains(&words)
        || !reads_as_name(name)
        || name.contains(|c: char| c.is_ascii_digit())
        || meta::is_role(name)
    {
        return None;
    }
    let parent = dom.nodes[i].parent;
    let alone =
        dom.nodes[parent].name().is_some_and(crate::dom::is_block) && dom.text_of(parent) == name;
    let date_line = next_text(dom, i)
        .is_some_and(|next| next.chars().count() <= 40 && meta::may_hold_year(next));
    (alone && date_line)
        .then(|| plausible_names(vec![name.to_string()]))
        .and_then(|names| names.into_iter().next())
}

/// Common Chinese surnames (the hundred most frequent, which most people
/// bear).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// A column or essay prints its author's name alone on the line under the
/// headline (`犬儒病(上)` / `胡平`): two or three characters, the first a
/// common surname.
fn name_under_headline(dom: &Dom, title_node: NodeId) -> Option<String> {
    let after = dom.subtree_end(title_node);
    let line = next_text(dom, after.saturating_sub(1))?;
    chinese_full_name(line).then(|| line.to_string())
}

/// Two or three Chinese characters, the first a common surname.
fn chinese_full_name(s: &str) -> bool {
    let n = s.chars().count();
    let surname = s.chars().next().is_some_and(|c| SURNAMES.contains(c));
    (2..=3).contains(&n) && surname && s.chars().all(huiwen_core::text::is_cjk)
}

/// The authors one node names: a byline text, or an element marked as the
/// author's (`rel="author"`, `class="byline"`).
fn node_authors(dom: &Dom, i: NodeId) -> Vec<String> {
    let node = &dom.nodes[i];
    if let NodeData::Text(t) = &node.data {
        // `<img class="avatar"> Mahua Das in <a>Category</a>`: the section
        // link after the name, or after a byline, is not part of it.
        let name = t.trim();
        let name = name
            .strip_suffix("in")
            .filter(|rest| rest.ends_with(char::is_whitespace))
            .map_or(name, str::trim_end);
        if beside_own_portrait(dom, i, name) {
            return vec![name.to_string()];
        }
        // `<time>Dec 08, 2019</time> by Stephen Bay in <a>Growth</a>`.
        return text_authors(dom, i, name);
    }
    let Some(name) = node.name() else {
        return Vec::new();
    };
    let by_hint = node.attr("rel") == Some("author")
        || ["class", "id", "itemprop"].iter().any(|k| {
            node.attr(k).is_some_and(|v| {
                any_hint_word(v, |w| {
                    matches!(w, "author" | "byline" | "writer" | "zuozhe" | "authors")
                })
            })
        });
    if &**name == "a" && !by_hint && links_to_author_page(node) {
        // `<a href="/author/ray/">Ray Ansari</a>`: the link text is the
        // name when it reads as one (not "View all posts by …").
        let t = dom.text_of(i);
        let names = plausible_names(meta::split_authors(t.trim()));
        return if names.iter().all(|n| reads_as_name(n)) {
            names
        } else {
            Vec::new()
        };
    }
    if !by_hint || &**name == "meta" {
        return Vec::new();
    }
    // An author box with the name in an element of its own, beside the
    // role (`authorName` Kenny DuMez, `authorBio` Graphite software
    // engineer): the name alone.
    if let Some(inner) = name_element(dom, i) {
        let t = dom.text_of(inner);
        // `<span class="author-name">Written By </span>` with no name.
        let t = meta::after_byline_lead(t.trim()).unwrap_or(t.trim());
        if !t.is_empty() && reads_as_name(t) {
            return vec![t.to_string()];
        }
    }
    let t = dom.text_of(i);
    if !(2..=60).contains(&t.chars().count()) {
        return Vec::new();
    }
    let t = t
        .trim_start_matches("作者")
        .trim_start_matches(['：', ':'])
        .trim();
    plausible_names(meta::split_authors(cut_at_date(t)))
}

/// An author box without a label: the writer's portrait, then the name
/// (`<img class="rounded-full" alt="Horea Matei"><p>Horea Matei</p>`). A
/// portrait is marked as one (avatar, author, headshot, a round crop) and
/// small; a product shot captioned with its name is neither.
fn beside_own_portrait(dom: &Dom, i: NodeId, name: &str) -> bool {
    let portrait = |img: &crate::dom::Node| {
        let marked = img.attr("class").is_some_and(|c| {
            any_hint_word(c, |w| {
                matches!(
                    w,
                    "avatar" | "author" | "portrait" | "headshot" | "profile" | "rounded"
                )
            })
        }) || img.attr("src").is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            ["avatar", "author", "headshot", "gravatar"]
                .iter()
                .any(|w| s.contains(w))
        });
        let small = img
            .attr("width")
            .and_then(|w| w.trim_end_matches("px").parse::<u32>().ok())
            .is_none_or(|w| w <= 200);
        marked && small
    };
    reads_as_name(name)
        && (i.saturating_sub(4)..i).any(|k| {
            let node = &dom.nodes[k];
            // The portrait's alt names the same person, or it has none
            // (a gravatar) and the name follows it at once.
            let alt = node.attr("alt").map(str::trim).unwrap_or("");
            let same = alt == name || alt.is_empty() && i - k <= 2;
            node.is(&html5ever::local_name!("img")) && same && portrait(node)
        })
}

/// The innermost element under `box_id` whose class names a name
/// (`author-name`, `authorName`, `user-name`), within its first nodes.
fn name_element(dom: &Dom, box_id: NodeId) -> Option<NodeId> {
    let is_name = |k: NodeId| {
        dom.nodes[k]
            .attr("class")
            .is_some_and(|c| any_hint_word(c, |w| w == "name"))
    };
    let end = dom.subtree_end(box_id).min(box_id + 40);
    (box_id + 1..end)
        .filter(|&k| is_name(k))
        .find(|&k| !(k + 1..dom.subtree_end(k)).any(is_name))
}

/// A link to the writer's page on the site (`/author/ray/`,
/// `/authors/maima-faith-merin`), as most CMSs print the byline.
fn links_to_author_page(node: &crate::dom::Node) -> bool {
    node.attr("href").is_some_and(|h| {
        let path = h.split(['?', '#']).next().unwrap_or(h).to_ascii_lowercase();
        path.contains("/author/") || path.contains("/authors/")
    })
}

/// A name as a byline prints it: one to five capitalised words
/// (`de`, `van` … allowed), or a short Chinese name.
fn reads_as_name(n: &str) -> bool {
    // Even with a degree and a role after it, a name is short.
    if n.len() > 120 {
        return false;
    }
    let n = meta::name_part(n);
    // Called on every text node near a byline: long texts fail on their
    // sixth word, without splitting the rest.
    let mut words = 0;
    let capitalised = n.split_whitespace().all(|w| {
        words += 1;
        words <= 5
            && (w.starts_with(|c: char| c.is_uppercase())
                || matches!(w, "de" | "van" | "von" | "der" | "da" | "le" | "la"))
    });
    capitalised && words >= 1 || byline::short_cjk_name(n)
}

/// Names that could be people's: a hinted box can be the author's other
/// articles (`id="relativeAuthorWords"`: ■该作者文章) or a date.
fn plausible_names(mut names: Vec<String>) -> Vec<String> {
    // `MixmasterFred in WorkshopWoodworking`: the section the post is in.
    for n in &mut names {
        if let Some(cut) = meta::name_part(n).find(" in ").filter(|&p| p > 0) {
            n.truncate(cut);
        }
    }
    names.retain(|n| {
        let n = meta::name_part(n);
        !n.contains("作者")
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && !n.split_whitespace().any(|w| {
                w.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
            })
            && n.chars()
                .all(|c| c.is_alphanumeric() || c.is_whitespace() || "·•.-'’&()".contains(c))
    });
    names
}

/// The names a byline text gives: `作者：宋怡 杨志华`, `记者 伊琳`,
/// `By Amy Wilhelm`, `Written by` followed by the names in the next nodes.
fn text_authors(dom: &Dom, i: NodeId, t: &str) -> Vec<String> {
    // A byline is a line, not a paragraph of prose (which can mention 记者
    // or 来源 anywhere): every text node near the headline comes here.
    if t.len() > 900 {
        return Vec::new();
    }
    let names = labelled_names(dom, i, t);
    if !names.is_empty() {
        return names;
    }
    let t = t.trim();
    if t.chars().count() > 80 {
        return Vec::new();
    }
    let Some(rest) = meta::after_byline_lead(t) else {
        return Vec::new();
    };
    let rest = if rest.is_empty() {
        let linked = linked_names_after(dom, i);
        if !linked.is_empty() {
            return linked;
        }
        next_text(dom, i).unwrap_or_default()
    } else {
        rest
    };
    lead_names(rest)
}

/// The writers linked in the rest of a byline box after its lead, each
/// followed by a line about them (`Written by` / Adrien Ramirez, 4+ years
/// covering … / Joanna Nelius, senior editor …): the text of every link to
/// a writer's page there.
fn linked_names_after(dom: &Dom, lead: NodeId) -> Vec<String> {
    let block_above = |mut node: NodeId| {
        node = dom.nodes[node].parent;
        for _ in 0..3 {
            if dom.nodes[node].name().is_some_and(crate::dom::is_block) || node == 0 {
                break;
            }
            node = dom.nodes[node].parent;
        }
        node
    };
    let mut block = block_above(lead);
    // `<p>Written by</p>` alone in its block: the box is the block around.
    if block != 0 && dom.text_chars_up_to(block, 40) <= dom.text_chars_up_to(lead, 40) {
        block = block_above(block);
    }
    let end = dom.subtree_end(block).min(lead + 200);
    let mut names: Vec<String> = Vec::new();
    for k in lead + 1..end {
        let node = &dom.nodes[k];
        // `Edited by:` starts another credit.
        if let NodeData::Text(t) = &node.data {
            let t = t.trim_end_matches([':', ' ']).as_bytes();
            if t.len() >= 3 && t[t.len() - 3..].eq_ignore_ascii_case(b" by") {
                break;
            }
        }
        if node.is(&html5ever::local_name!("a")) && links_to_author_page(node) {
            let text = dom.text_of(k);
            let text = text.trim();
            if reads_as_name(text) && !names.iter().any(|n| n == text) {
                names.push(text.to_string());
            }
        }
    }
    names
}

/// `Authors: Julie Weisenhorn and Natalie Hoidal, Extension …` signing off
/// in English. A bare `by Dave Gershgorn` among the last blocks is a related
/// article's card, and `Reviewed by` names a reviewer.
fn labelled_signoff(t: &str) -> bool {
    meta::byline_lead(t.trim_start())
        .is_some_and(|(lead, _)| !matches!(lead, "by" | "posted by" | "reviewed by"))
}

/// The names in a line that starts with a byline lead (`By …`, `Authors:
/// …`), when they are on the line.
fn names_after_lead(t: &str) -> Vec<String> {
    let t = t.trim();
    match meta::after_byline_lead(t) {
        Some(rest) if t.chars().count() <= 80 && !rest.is_empty() => lead_names(rest),
        _ => Vec::new(),
    }
}

/// Names are capitalised words, a handful at most: `By the way, …` and
/// `by 2030` are prose, and the names end where a role begins
/// (`Authors: Julie Weisenhorn and Natalie Hoidal, Extension educators`).
pub(super) fn lead_names(rest: &str) -> Vec<String> {
    let names = meta::split_authors(cut_at_date(rest))
        .into_iter()
        .take_while(|n| reads_as_name(n))
        .collect();
    plausible_names(names)
}

/// The first non-blank text after node `i`, within a few nodes.
fn next_text(dom: &Dom, i: NodeId) -> Option<&str> {
    match &dom.nodes[next_text_node(dom, i)?].data {
        NodeData::Text(t) => Some(t.trim()),
        _ => None,
    }
}

/// The next text node after `i` that is not blank, within six nodes.
fn next_text_node(dom: &Dom, i: NodeId) -> Option<NodeId> {
    (i + 1..dom.nodes.len())
        .take(6)
        .find(|&k| matches!(&dom.nodes[k].data, NodeData::Text(t) if !t.trim().is_empty()))
}

/// A byline box often runs on into the date and reading time
/// (`Scott Matton March 2, 2026`, `Feb 11, 2019 · 3 min read`): the names
/// end where a month followed by a day, or a day followed by a month,
/// begins.
fn cut_at_date(t: &str) -> &str {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let is_month = |w: &str| {
        let w = w.trim_end_matches(['.', ',']).to_ascii_lowercase();
        w.len() >= 3
            && MONTHS.iter().any(|m| w.starts_with(m))
            && w.chars().all(|c| c.is_ascii_alphabetic())
    };
    let is_day = |w: &str| {
        let w = w.trim_end_matches([',', '.', 't', 'h', 's', 'n', 'd', 'r']);
        !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit())
    };
    // Each word with its byte offset in `t` (a subslice's pointer minus
    // the start of `t`), to cut there.
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    for pair in words.windows(2) {
        let ((at, first), (_, second)) = (pair[0], pair[1]);
        if (is_month(first) && is_day(second)) || (is_day(first) && is_month(second)) {
            return &t[..at];
        }
    }
    t
}

/// The names a text node's byline label gives, with the name read from the
/// next node when the label stands alone.
fn labelled_names(dom: &Dom, i: NodeId, t: &str) -> Vec<String> {
    // Every label and role below starts with one of these characters: one
    // pass rules out most text nodes, and every ASCII one.
    if t.is_ascii() || !t.contains(['本', '作', '记', '文', '执', '来', '通', '实']) {
        return Vec::new();
    }
    // A forum footer sets the poster apart (`本贴由<b>大卫</b>于…发表`):
    // its whole line is read.
    if t.contains("本贴由") || t.contains("本帖由") {
        let line = dom.text_of(dom.nodes[i].parent);
        if line.chars().count() <= 120 {
            return byline::parse(&line).authors;
        }
    }
    // A role in an element of its own, the names in the next ones
    // (`<p>本报实习生</p><p>刘国栋 周炜</p><p>本报记者</p><p>王燕平</p>`): the
    // line they make together, up to the dateline.
    let role = t.trim().trim_start_matches("本报");
    if byline::REPORTER_ROLES.contains(&role) {
        let mut line = t.trim().to_string();
        let mut at = i;
        for _ in 0..6 {
            let Some(next) = next_text_node(dom, at) else {
                break;
            };
            let NodeData::Text(text) = &dom.nodes[next].data else {
                break;
            };
            let text = text.trim();
            if text.chars().count() > 20 || text.contains(|c: char| c.is_ascii_digit()) {
                break;
            }
            line.push(' ');
            line.push_str(text);
            at = next;
        }
        return byline::parse(&line).authors;
    }
    let label = ["作者", "记者", "文/", "执笔", "来源"];
    if !label.iter().any(|l| t.contains(l)) {
        return Vec::new();
    }
    let b = byline::parse(t);
    if !b.authors.is_empty() {
        return b.authors;
    }
    names_after_label(dom, i, t)
}

/// The names after a byline label that stands in a node of its own
/// (`<b>作者：</b><a>芊草凡凡</a>`, `作者：<!--author-->赵婕`): the label read
/// with the first text that follows it.
fn names_after_label(dom: &Dom, label_node: NodeId, label: &str) -> Vec<String> {
    let label = label.trim_end();
    if !["作者：", "作者:", "记者：", "记者:"]
        .iter()
        .any(|l| label.ends_with(l))
    {
        return Vec::new();
    }
    next_text(dom, label_node).map_or_else(Vec::new, |names| {
        byline::parse(&format!("{label}{names}")).authors
    })
}
