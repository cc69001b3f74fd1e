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
use crate::rules::rules;
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
                || is_placeholder_name(a)
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

/// What CMSs and templates put where no writer is named: a placeholder
/// (`No Author`, `admin`, `Unknown`), the author box's heading caught as a
/// name (`About The Author`), or a domain (`hurriyet.com.tr`), which names
/// the site. `Anonymous` is a byline a publisher chose, and stays.
fn is_placeholder_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let placeholder = matches!(
        lower.as_str(),
        "no author"
            | "unknown"
            | "unknown author"
            | "admin"
            | "administrator"
            | "author"
            | "authors"
            | "guest"
            | "none"
            | "n/a"
            | "null"
    );
    // A top-level domain is written in lower case; `A.Smith` is a name.
    let domain = !name.contains(char::is_whitespace)
        && name.trim().rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty()
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
        });
    placeholder || domain || rules().author_box_heading(&lower)
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

#[cfg(test)]
mod tests {
    use super::super::tests::{body_of, chinese_page, prose, ZH_PARA};

    /// Blogging platforms name the blogger without a byline: an account
    /// name classed as such under the headline (CSDN), the post footer
    /// after the tags and buttons (cnblogs), or the blog's own header when
    /// it is the owner's name (.Text). A nickname under the text is a
    /// commenter's.
    #[test]
    fn blog_platforms_name_the_blogger() {
        let para = ZH_PARA;
        let text = format!("<p>{para}</p><p>{para}</p><p>{para}</p>");
        let buttons = "<div><a href=\"#\">好文要顶</a> <a href=\"#\">关注我</a></div>".repeat(30);
        let csdn = body_of(&format!(
            "<html><body><h1>为什么 ChatGPT 不火了？</h1><div class=\"bar-content\">\
             <a class=\"follow-nickName \" href=\"https://blog.csdn.net/u1\">A-肖老师</a>\
             <span class=\"time\">2024-05-07 22:12:13</span></div>\
             <div id=\"article_content\">{text}</div></body></html>"
        ));
        assert_eq!(csdn.authors, ["A-肖老师"]);
        let cnblogs = body_of(&format!(
            "<html><body><h1>对于Docker和Podman的一点使用经验</h1>\
             <div class=\"postBody\">{text}</div>{buttons}\
             <div class=\"postDesc\">posted @ <span>2024-05-09 14:45</span>&nbsp;\
             <a href=\"https://www.cnblogs.com/good-looking-hk\">好看的hk</a>&nbsp; 阅读(430)</div>\
             </body></html>"
        ));
        assert_eq!(cnblogs.authors, ["好看的hk"]);
        let dottext = |header: &str| {
            body_of(&format!(
                "<html><body><div id=\"top\"><h1><a class=\"headermaintitle\" href=\"/lijianzhong/\">\
                 {header}</a></h1></div><h2>很高兴入住博客堂</h2><div class=\"post\">{text}</div>\
                 <p class=\"postfoot\">发表于 2004年12月27日 12:40</p></body></html>"
            ))
            .authors
        };
        assert_eq!(dottext("李建忠 "), ["李建忠"]);
        assert_eq!(dottext("bjreader的博客"), ["bjreader"]);
        assert!(dottext("技术随笔").is_empty());
        let commenter = body_of(&format!(
            "<html><body><h1>民间资本路在何方</h1><div class=\"content\">{text}</div>\
             <div class=\"comments\"><span class=\"nickname\">网友小王</span><p>说得好</p></div>\
             </body></html>"
        ));
        assert!(commenter.authors.is_empty(), "{:?}", commenter.authors);
    }

    /// Bylines in the page between the headline and the body: a text that
    /// names the author after its label, a label in an element of its own,
    /// and a byline that wins over a `meta author` naming only the outlet.
    #[test]
    fn authors_come_from_the_byline_between_headline_and_body() {
        let inline = body_of(&chinese_page(
            "",
            "时间：2004年10月21日14:18\u{a0}\u{a0}作者：郭励弘",
        ));
        assert_eq!(inline.authors, ["郭励弘"]);
        let split = body_of(&chinese_page(
            "",
            "<b>作者：</b><a href=\"/u/1\">芊草凡凡</a>\u{a0}<b>时间：</b>2005-08-22 19:13",
        ));
        assert_eq!(split.authors, ["芊草凡凡"]);
        let outlet_meta = body_of(&chinese_page(
            "<meta name=\"author\" content=\"新浪财经\">",
            "作者：宋怡 杨志华",
        ));
        assert_eq!(outlet_meta.authors, ["宋怡", "杨志华"]);
    }

    /// The author box closing an article (the name alone on its line, then
    /// a short bio) is not text; a last paragraph that names the author in
    /// a sentence is.
    #[test]
    fn an_author_box_after_the_text_is_not_text() {
        let page = |tail: &str| {
            body_of(&format!(
                "<html><head><meta name=\"author\" content=\"Cecily Mauran\"></head><body><article>\
                 <h1>OpenAI event</h1><p>{}</p><p>{}</p>{tail}</article></body></html>",
                prose("First."),
                prose("Second.")
            ))
        };
        let boxed = page(
            "<div class=\"bio\"><p>Cecily Mauran</p><p>Cecily is a tech reporter at Mashable \
             who covers AI, Apple, and emerging tech trends.</p></div>",
        );
        assert!(!boxed.text.contains("Cecily"), "{}", boxed.text);
        let sentence = "Cecily Mauran contributed reporting from San Francisco.";
        assert!(page(&format!("<p>{sentence}</p>")).text.ends_with(sentence));
    }

    /// A CMS that puts the editor in `meta author` (and says so in `meta
    /// editor`) does not hide the writer signing off; `meta source` names
    /// the outlet, which is no second author beside a person.
    #[test]
    fn editors_and_outlets_are_not_authors() {
        let para = ZH_PARA;
        let gmw = body_of(&format!(
            "<html><head><meta name=\"author\" content=\"杨煜\"><meta name=\"editor\" content=\"杨煜\">\
             </head><body><article><h1>维护全人类共同利益</h1><p>{para}</p><p>{para}（钟才文）</p>\
             </article></body></html>"
        ));
        assert_eq!(gmw.authors, ["钟才文"]);
        let china_daily = body_of(&format!(
            "<html><head><meta name=\"source\" content=\"China Daily\"></head><body>\
             <h1>Youngsters becoming more fitness-conscious</h1>\
             <div class=\"info\"><span class=\"info_l\">By Wang Xiaoyu | China Daily | Updated: 2024-05-20 07:29</span></div>\
             <article><p>{}</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert_eq!(china_daily.authors, ["Wang Xiaoyu"]);
        assert_eq!(china_daily.outlet.as_deref(), Some("China Daily"));
    }

    /// What templates put in the author field where no writer is named —
    /// `No Author`, the author box's heading, a domain — names no one (the
    /// byline in the page does), a section's lead before the name is not
    /// part of it, and `Anonymous`, a byline the publisher chose, stays.
    #[test]
    fn placeholders_and_domains_are_no_authors() {
        let page = |author: &str, byline: &str| {
            body_of(&format!(
                "<html><head><meta name=\"author\" content=\"{author}\"></head><body>\
                 <h1>The problem with space junk</h1>{byline}<article><p>{}</p><p>{}</p></article>\
                 </body></html>",
                prose("First."),
                prose("Second.")
            ))
            .authors
        };
        assert_eq!(page("No Author", "<p>By Jane Doe</p>"), ["Jane Doe"]);
        assert!(page("About The Author", "").is_empty());
        assert!(page("hurriyet.com.tr", "").is_empty());
        assert_eq!(page("J.Smith", ""), ["J.Smith"]);
        assert_eq!(page("Opinion by Moriba Jah", ""), ["Moriba Jah"]);
        assert_eq!(page("Anonymous", ""), ["Anonymous"]);
    }

    /// Unlabelled bylines: a link to the writer's page on the site, and a
    /// portrait followed by the name; a product shot captioned with its
    /// name and a "View all posts by" link name no one.
    #[test]
    fn author_links_and_portraits_name_the_writer() {
        let page = |byline: &str| {
            body_of(&format!(
                "<html><body><h1>Landscape photography tips</h1><div class=\"meta\">{byline}</div>\
                 <article><p>{}</p><p>{}</p></article></body></html>",
                prose("First."),
                prose("Second.")
            ))
            .authors
        };
        assert_eq!(
            page("<a href=\"https://example.com/author/maima-faith-merin\">Maima Faith Merin</a>"),
            ["Maima Faith Merin"]
        );
        assert!(page("<a href=\"/author/ray/\">View all posts by Ray</a>").is_empty());
        assert_eq!(
            page("<img class=\"w-12 h-12 rounded-full\" alt=\"Horea Matei\" src=\"/h.jpg\"><p>Horea Matei</p>"),
            ["Horea Matei"]
        );
        // A gravatar without alt text, the name, then the section link.
        assert_eq!(
            page("<p>Dec 26, 2025 <img src=\"https://2.gravatar.com/avatar/e5f6\" class=\"avatar avatar-xs\"> \
                  Mahua Das in <a href=\"/category/guides\">Guides</a></p>"),
            ["Mahua Das"]
        );
        assert!(page(
            "<img width=\"675\" alt=\"Maropost Marketing Cloud\" src=\"/m.png\"><p>Maropost Marketing Cloud</p>"
        )
        .is_empty());
        // An author box: the name element, not the role beside it.
        assert_eq!(
            page(
                "<div class=\"authorInfo\"><div class=\"authorName\">Kenny DuMez</div>\
                  <div class=\"authorBio\">Graphite software engineer</div></div>"
            ),
            ["Kenny DuMez"]
        );
        assert!(page(
            "<div class=\"blog-author\"><span class=\"author-name\">Written By </span>\
             <span class=\"post-date\">Feb 11, 2019</span></div>"
        )
        .is_empty());
        // A byline after the date, then the section link.
        assert_eq!(
            page("<p><time datetime=\"2019-12-08T09:59:25-08:00\">Dec 08, 2019</time> by Stephen Bay\n\
                  in <a href=\"/blog/categories/growth/\">Growth</a></p>"),
            ["Stephen Bay"]
        );
        // A name alone in its block above the date line; not a section
        // name beside a date in one line.
        assert_eq!(
            page("<p class=\"text-dark_blue\">Elliot Raba</p><p><span>23.07.2025</span> · 6 min read</p>"),
            ["Elliot Raba"]
        );
        assert!(
            page("<p>Filed under <a href=\"/news\">Business News</a> 23.07.2025</p>").is_empty()
        );
    }

    /// `meta author` names the site; the preview pair names the
    /// interviewer, before a book's `by …` in the text.
    #[test]
    fn the_preview_pair_names_the_writer_when_meta_author_is_the_site() {
        let page = body_of(&format!(
            "<html><head><meta name=\"author\" content=\"Five Books\">\
             <meta property=\"og:site_name\" content=\"Five Books\">\
             <meta name=\"twitter:label1\" content=\"Interview by\">\
             <meta name=\"twitter:data1\" content=\"Sylvia Bishop\"></head><body>\
             <h1>Award-winning sci fi novels of 2025</h1><article>\
             <h2><span>The Man Who Saw Seconds</span><br>by Alexander Boldizar</h2>\
             <p>{}</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert_eq!(page.authors, ["Sylvia Bishop"]);
    }

    /// An author box at the head of the content, the name and the date in
    /// elements of their own (`<p>Luke Kim</p><small>Dec 17</small>`).
    #[test]
    fn an_author_box_heading_the_content_names_the_writer() {
        // The headline is not the `<title>`, so the box is found as the
        // head of the content, not as a line under the headline.
        let page = body_of(&format!(
            "<html><head><title>Introducing the Spice Cayenne Data Accelerator</title></head><body><main>\
             <div class=\"resource-content\"><div class=\"resource-head\">\
             <h2>Introducing Spice Cayenne: The Next-Generation Data Accelerator</h2>\
             <div class=\"resource-author\"><div class=\"resource-author-details\"><p>Luke Kim</p>\
             <small>Dec 17</small></div></div></div><p>{}</p><p>{}</p><p>{}</p></div></main></body></html>",
            prose("First."),
            prose("Second."),
            prose("Third.")
        ));
        assert_eq!(page.authors, ["Luke Kim"]);
    }

    /// An organization credited as author in JSON-LD gives way to the
    /// person the page names (and stays when there is none); a profile id
    /// or an email address names no one; the section after `in` is not
    /// part of the name.
    #[test]
    fn organizations_and_ids_give_way_to_people() {
        let page = |head: &str, byline: &str| {
            body_of(&format!(
                "<html><head>{head}</head><body><h1>Walnut side table</h1>{byline}\
                 <article><p>{}</p><p>{}</p></article></body></html>",
                prose("First."),
                prose("Second.")
            ))
            .authors
        };
        let org = "<script type=\"application/ld+json\">{\"@type\":\"Article\",\
                   \"author\":{\"@type\":\"Organization\",\"name\":\"Instructables\"}}</script>";
        assert_eq!(
            page(
                org,
                "<div class=\"byline\">By MixmasterFred in WorkshopWoodworking</div>"
            ),
            ["MixmasterFred"]
        );
        assert_eq!(page(org, ""), ["Instructables"]);
        assert!(page(
            "<meta property=\"article:author\" content=\"262588213843476\">",
            ""
        )
        .is_empty());
        assert_eq!(
            page(
                "<meta name=\"author\" content=\"Jan Hvizdak, postmaster@aqua-fish.net\">",
                ""
            ),
            ["Jan Hvizdak"]
        );
        // A team in the metadata gives way to the person in the byline, and
        // stays when the page names no one; labelled site credits name no one.
        let team = "<meta name=\"author\" content=\"Automateed Team\">";
        assert_eq!(page(team, "<p class=\"byline\">By Stefan</p>"), ["Stefan"]);
        assert_eq!(page(team, ""), ["Automateed Team"]);
        // An account handle in the metadata is printed as the writer's name
        // on the link to their page.
        let handle = "<meta name=\"author\" content=\"jrobison\">";
        assert_eq!(
            page(handle, "<span>by</span> <a href=\"https://example.com/blog/author/jrobison/\">John Robison</a>"),
            ["John Robison"]
        );
        assert_eq!(page(handle, ""), ["jrobison"]);
        // So does a CMS account named after its post.
        let post = "<meta name=\"author\" content=\"Marketing and Event Coordinator\">";
        assert_eq!(
            page(post, "<p class=\"byline\">By Katy McInnes</p>"),
            ["Katy McInnes"]
        );
        assert!(page(
            "<meta name=\"author\" content=\"content: MarketingSherpa, design: Scott McDaniel\">",
            ""
        )
        .is_empty());
        // Its unlabelled part too: the byline in the page names the writer.
        let credits = "<meta name=\"author\" content=\"content: MarketingSherpa, code: Steve Beger, MECLABS\">";
        assert!(page(credits, "").is_empty());
        assert_eq!(
            page(credits, "<div>by <span class=\"author\"><a href=\"/about\">Daniel Burstein</a></span></div>"),
            ["Daniel Burstein"]
        );
        // The site typed as a `Person` in JSON-LD gives way to the person
        // in the byline (their role kept with the name), and stays when
        // the page names no one.
        let site = "<meta property=\"og:site_name\" content=\"British Heart Foundation\">\
                    <script type=\"application/ld+json\">{\"@type\":\"Article\",\
                    \"author\":{\"@type\":\"Person\",\"name\":\"British Heart Foundation\"}}</script>";
        assert_eq!(
            page(site, "<div class=\"author-bio\">by <a class=\"author-name\" href=\"#bio\">Tracy Parker, Dietitian</a></div>"),
            ["Tracy Parker, Dietitian"]
        );
        assert_eq!(page(site, ""), ["British Heart Foundation"]);
    }

    /// A microdata author item gives its `name`, not its whole text with
    /// the role; a commenter's item (WordPress `<li class="comment">`) is
    /// no author of the article.
    #[test]
    fn microdata_authors_are_named_items_outside_comments() {
        let page = |extra: &str| {
            body_of(&format!(
                "<html><body><h1>Best website builders</h1>\
                 <div itemprop=\"author\" itemscope itemtype=\"http://schema.org/Person\">\
                 <meta itemprop=\"name\" content=\"Emma Ryan\"><a href=\"/about\">Emma Ryan</a>\
                 <span class=\"author-position\">Writer</span></div>\
                 <article><p>{}</p><p>{}</p></article>{extra}</body></html>",
                prose("First."),
                prose("Second.")
            ))
            .authors
        };
        assert_eq!(page(""), ["Emma Ryan"]);
        let comment_only = body_of(&format!(
            "<html><body><h1>Sewing projects</h1><article><p>{}</p><p>{}</p></article>\
             <ol><li class=\"comment even\"><p itemprop=\"author\" itemscope itemtype=\"https://schema.org/Person\">\
             <span itemprop=\"name\">Jane Doe</span> <span>says</span></p><p>Cool!</p></li></ol></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert!(
            comment_only.authors.is_empty(),
            "{:?}",
            comment_only.authors
        );
    }

    /// A byline printed after the text, at the content's own end: the link
    /// to the writer's page names the author (an author box's "View all
    /// posts by …" link before it names no one, as under the headline).
    #[test]
    fn a_byline_link_after_the_text_names_the_author() {
        let p = prose("The bridge opens next spring.");
        let page = |meta: &str| {
            body_of(&format!(
                "<html><head><title>Bridge vote</title></head><body><header><h1>Bridge vote</h1></header>\
                 <main><div class=\"post\"><p>{p}</p><p>{p}</p><p>{p}</p>{meta}</div></main></body></html>"
            ))
        };
        let x = page(
            "<div class=\"post-meta\"><div>Posted On: January 14 2026</div>\
             <div>By: <a href=\"https://example.com/author/ray/\">Ray Ansari</a></div></div>",
        );
        assert_eq!(x.authors, ["Ray Ansari"]);
        let x = page(
            "<footer><p><a href=\"https://example.com/author/ray/\">View all posts by Ray Ansari</a></p></footer>\
             <div class=\"post-meta\"><div>Posted On: January 14 2026</div>\
             <div>By: <a href=\"https://example.com/author/ray/\">Ray Ansari</a></div></div>",
        );
        assert_eq!(x.authors, ["Ray Ansari"]);
        // A labelled byline there, the name in the next element.
        let x = page("<div class=\"card\"><div>Written by</div><div>Jack Shepherd</div></div>");
        assert_eq!(x.authors, ["Jack Shepherd"]);
    }

    /// Bylines after the text: an author box right after it, before a
    /// sidebar the content reaches over; an English sign-off line among the
    /// last blocks (a related article's `by …` card there names no one).
    #[test]
    fn bylines_right_after_the_text_name_the_authors() {
        let p = prose("The bridge opens next spring.");
        let links: String = (0..60)
            .map(|i| format!("<li><a href=\"/guides/{i}\">Guide number {i}</a></li>"))
            .collect();
        let x = body_of(&format!(
            "<html><head><title>Bridge vote</title></head><body><header><h1>Bridge vote</h1></header>\
             <main><div class=\"post\"><p>{p}</p><p>{p}</p><p>{p}</p>\
             <aside><div class=\"author mb-2\"><h4>Author</h4><p class=\"author\">Maryna Shulzhenko</p></div></aside>\
             <aside><ul>{links}</ul></aside></div></main></body></html>"
        ));
        assert_eq!(x.authors, ["Maryna Shulzhenko"]);
        let page = |end: &str| {
            body_of(&format!(
                "<html><head><title>Lighting for indoor plants</title></head><body>\
                 <header><h1>Lighting for indoor plants</h1></header><main><div class=\"post\">\
                 <p>{p}</p><p>{p}</p><p>{p}</p>{end}</div></main></body></html>"
            ))
            .authors
        };
        assert_eq!(
            page("<p>Authors: Julie Weisenhorn and Natalie Hoidal, Extension horticulture educators</p>\
                  <p>Reviewed in 2024</p>"),
            ["Julie Weisenhorn", "Natalie Hoidal"]
        );
        assert!(
            page("<p>Gaming laptops for every budget, tested.</p><p>by Dave Gershgorn</p>")
                .is_empty()
        );
        // A sentence that starts like a label is none.
        assert!(page("<p>Authorities Said The Bridge Opens In May</p>").is_empty());
    }

    /// A paper's byline with each role and its names in elements of their
    /// own: every name, under every role.
    #[test]
    fn reporter_roles_in_their_own_elements_name_everyone() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><head><title>谁来为无序拆房埋单</title></head><body><div class=\"article\">\
             <h1>谁来为无序拆房埋单</h1><p><span>本报实习生</span> <span>刘国栋 周炜</span></p>\
             <p><span>本报记者</span> <span>王燕平 方云凤</span></p><p>2003-7-24 钱江晚报</p>\
             <p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(x.authors, ["刘国栋", "周炜", "王燕平", "方云凤"]);
        // The same byline above the article's container.
        let x = body_of(&format!(
            "<html><head><title>谁来为无序拆房埋单</title></head><body><table><tr><td>\
             <h1>谁来为无序拆房埋单</h1><p><span>本报实习生</span> <span>刘国栋 周炜</span></p>\
             <p><span>本报记者</span> <span>王燕平 方云凤</span></p></td></tr></table>\
             <div class=\"article\"><p>{para}</p><p>{para}</p><p>{para}</p></div></body></html>"
        ));
        assert_eq!(x.authors, ["刘国栋", "周炜", "王燕平", "方云凤"]);
    }

    /// A forum package's own credit in `meta author` is no author; a person
    /// who shares a word with the generator is.
    #[test]
    fn software_credits_are_not_authors() {
        let page = |author: &str, generator: &str| {
            body_of(&format!(
                "<html><head><meta name=\"generator\" content=\"{generator}\">\
                 <meta name=\"author\" content=\"{author}\"><meta name=\"copyright\" content=\"2001-2013 Comsenz Inc.\">\
                 </head><body><article><h1>脂溢性脱发该吃什么</h1><p>{ZH_PARA}</p><p>{ZH_PARA}</p></article></body></html>"
            ))
        };
        let discuz = page("Discuz! Team and Comsenz UI Team", "Discuz! X3.4");
        assert!(discuz.authors.is_empty(), "{:?}", discuz.authors);
        let hugo = page("Hugo Smith", "Hugo 0.120");
        assert_eq!(hugo.authors, ["Hugo Smith"]);
    }

    /// Bylines elsewhere: in a row of their own under the text, signing off
    /// a line before a source note, and in a byline box that runs on into
    /// the date.
    #[test]
    fn authors_come_from_the_foot_of_the_article() {
        let para = ZH_PARA;
        let footer_row = body_of(&format!(
            "<html><body><table><tr><td><p>{para}</p><p>{para}</p><p>{para}</p></td></tr></table>\
             <table><tr><td>编辑：金金</td><td>来源：21世纪经济报道</td><td>作者：宋怡 杨志华</td></tr></table>\
             <div><a href=\"/a\">相关报道一</a> <a href=\"/b\">相关报道二</a></div></body></html>"
        ));
        assert_eq!(footer_row.authors, ["宋怡", "杨志华"]);
        let sign_off = body_of(&format!(
            "<html><body><article><p>{para}</p><p>{para}</p>\
             <p>整合 新华日报·交汇点记者 徐睿翔</p><p>素材来源 江苏13个设区市党报</p>\
             </article></body></html>"
        ));
        assert_eq!(sign_off.authors, ["徐睿翔"]);
        let signed_blog = body_of(&format!(
            "<html><body><article><p>{para}</p><p>{para}</p><p>文：眉间尺</p>\
             <p>------------------------------</p>\
             <p>我的博客 眉间尺梦蝶 http://www.blogcn.com/User9/kafka85/index.html 欢迎来访留言交流</p>\
             <p>〓 网易娱乐 周黎明留言板 发布时间 2005/05/17 22:11:42 by 眉间尺 〓</p>\
             </article></body></html>"
        ));
        assert_eq!(signed_blog.authors, ["眉间尺"]);
        let forum_post = body_of(&format!(
            "<html><body><h3>演讲精选</h3><table><tr><td><p>{para}{para}{para}</p></td></tr></table>\
             <p><center>本贴由<b>大卫</b>于2005年8月12日16:12:21在〖<a href=\"/bbs\">心灵体操</a>〗发表.</center>\
             </body></html>"
        ));
        assert_eq!(forum_post.authors, ["大卫"]);
        // A bare place in brackets ends list lines; it is not a reporter.
        let places = body_of(&format!(
            "<html><body><article><p>{para}</p><p>{para}</p>\
             <p>2/15 昼「谷口屋」（福井）</p><p>福井名物、巨大厚揚げの店。</p>\
             </article></body></html>"
        ));
        assert!(places.authors.is_empty(), "{:?}", places.authors);
        let english = body_of(&format!(
            "<html><body><h1>Bridge funding approved</h1>\
             <div class=\"author-box\">Scott Matton March 2, 2026 · 7 min read</div>\
             <article><p>{}</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert_eq!(english.authors, ["Scott Matton"]);
        let by_line = |byline: &str| {
            body_of(&format!(
                "<html><body><h1>Bridge funding approved</h1><p>{byline}</p>\
                 <article><p>{}</p><p>{}</p></article></body></html>",
                prose("First."),
                prose("Second.")
            ))
            .authors
        };
        assert_eq!(
            by_line("By <a href=\"/c/ajn\">A. J. Neal</a>"),
            ["A. J. Neal"]
        );
        assert_eq!(
            by_line("<span>Written by</span> <span>The Meetingnotes Team</span>"),
            ["The Meetingnotes Team"]
        );
        assert!(by_line("By the way, the vote was close").is_empty());
        assert_eq!(
            by_line("Authors: Julie Weisenhorn and Natalie Hoidal, Extension educators"),
            ["Julie Weisenhorn", "Natalie Hoidal"]
        );
        assert!(by_line("By 2030 the bridge will carry trams").is_empty());
        // Several writers linked after the lead, each with a line about
        // them; an editor credited after them is not one.
        assert_eq!(
            by_line(
                "<strong>Written by</strong><br><a href=\"/authors/adrien-ramirez\">Adrien Ramirez</a>, \
                 4+ years covering computer hardware<br><a href=\"/authors/joanna-nelius\">Joanna Nelius</a>, \
                 senior editor. Edited by <a href=\"/authors/jo-roe\">Jo Roe</a>"
            ),
            ["Adrien Ramirez", "Joanna Nelius"]
        );
    }
}
