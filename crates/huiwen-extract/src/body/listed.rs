//! The lists a page carries beside its article — 相关阅读, 热门资讯,
//! 推荐阅读, "Related", "Most read" — as [`ListedItem`]s: headline, link,
//! teaser and time of each entry, and the section the list is under.
//!
//! A list is found from its heading (the rules' `list_headings`): the next
//! sibling that holds links, of the heading or one of its first ancestors.
//! Reading an entry is where the care goes: the headline is the link that
//! reads as one (not `更多>>`, a phone number or a permalink date), a card's
//! heading rather than its whole text, without the read count a list prints
//! inside it; the date beside it is the entry's time, and what is left is a
//! snippet only when it reads as a teaser. Entries dated only by month and
//! day get their year from the page's own date ([`FoundLists::date_yearless`]).
//!
//! The body never holds these lists; the page type weighs them
//! ([`FoundLists::chars_in`]): a "body" made mostly of listed entries is a
//! list page.

use chrono::{DateTime, FixedOffset};
use html5ever::local_name;
use huiwen_core::timestamp::TimestampContext;
use huiwen_core::ListedItem;

use super::render::resolve;
use crate::dates::{find_dates, MonthDay};
use crate::dom::{collapse, Dom, NodeData, NodeId};
use crate::rules::rules;
use crate::{any_hint_word, ExtractOptions};

/// The lists a page carries under a list heading (相关阅读, 热门资讯 …).
#[derive(Default)]
pub(super) struct FoundLists {
    /// The entries, in page order, at most 200.
    pub items: Vec<ListedItem>,
    /// Each entry's whole text (headline, date, teaser, counts), to tell
    /// how much of the page the lists are.
    entry_chars: Vec<usize>,
    /// The month and day printed beside entries without a full date
    /// (`(07/13 08:41)`), for the page's own date to give them a year.
    yearless: Vec<(usize, MonthDay)>,
}

impl FoundLists {
    /// How much of `body_text` is listed entries: the whole text of every
    /// entry (headline, date, teaser, counts) whose headline it holds.
    pub(super) fn chars_in(&self, body_text: &str) -> usize {
        self.items
            .iter()
            .zip(&self.entry_chars)
            .filter(|(i, _)| i.title.chars().count() >= 4 && body_text.contains(i.title.as_str()))
            .map(|(_, &chars)| chars)
            .sum()
    }

    /// Dates the entries printed with only a month and day, as the latest
    /// such day not after the page's own date.
    pub(super) fn date_yearless(
        &mut self,
        page_date: DateTime<FixedOffset>,
        ctx: TimestampContext,
    ) {
        for (k, day) in &self.yearless {
            self.items[*k].published_at = day.before(page_date, ctx);
        }
    }
}

pub(super) fn find_lists(
    dom: &Dom,
    base: Option<&url::Url>,
    options: &ExtractOptions,
) -> FoundLists {
    let r = rules();
    let ctx = options.timestamp_context();
    let mut found = FoundLists::default();
    let out = &mut found.items;
    let mut used_until = 0;
    for i in 1..dom.nodes.len() {
        if i < used_until || out.len() >= 200 {
            continue;
        }
        let node = &dom.nodes[i];
        let Some(name) = node.name() else { continue };
        if matches!(&**name, "script" | "style" | "a" | "body" | "html") {
            continue;
        }
        // A short element whose text is a heading, with no link text.
        let len = dom.subtree_end(i) - i;
        if len > 12 {
            continue;
        }
        // Few nodes can still be a long paragraph: counted before its text
        // is built.
        let chars = dom.text_chars_up_to(i, 24);
        if chars == 0 || chars > 24 {
            continue;
        }
        let text = dom.text_of(i);
        if text.chars().count() > 24 {
            continue;
        }
        let Some(section) = r.list_heading(&text) else {
            continue;
        };
        // The list: the next element sibling (of this node or an ancestor)
        // that holds links.
        let mut cur = i;
        let mut list = None;
        for _ in 0..3 {
            let parent = dom.nodes[cur].parent;
            let sibs = dom.children(parent);
            let pos = sibs.iter().position(|&s| s == cur).unwrap_or(0);
            if let Some(&next) = sibs[pos + 1..].iter().find(|&&s| count_links(dom, s) >= 2) {
                list = Some(next);
                break;
            }
            if parent == 0 {
                break;
            }
            cur = parent;
        }
        let Some(list) = list else { continue };
        let end = dom.subtree_end(list);
        used_until = end;
        // A comment thread's "items" are its commenters and share buttons,
        // not articles.
        let lower = crate::lowercase(&section);
        if lower.contains("评论") || lower.contains("comment") || lower.contains("repl") {
            continue;
        }
        let mut items = 0;
        let mut j = list;
        while j < end && items < 50 {
            let n = &dom.nodes[j];
            let is_item = n.is(&local_name!("li"))
                || n.is(&local_name!("dd"))
                || (n.is(&local_name!("a")) && !is_inside_li(dom, j, list));
            let item_root = is_item.then_some(j);
            let Some(root) = item_root else {
                j += 1;
                continue;
            };
            let root_end = dom.subtree_end(root);
            // A headline, not a button or a section link (`微信分享`,
            // `复制链接`, `更多>>`, `时政新闻`): six characters or more, and no
            // line the rules drop.
            let anchor = (root..root_end).find(|&k| {
                dom.nodes[k].is(&local_name!("a")) && {
                    let t = dom.text_of(k);
                    t.chars().count() >= 6 && !r.drop_line(&t) && could_title_an_entry(&t, options)
                }
            });
            if let Some(anchor) = anchor {
                let mut title = card_headline(dom, anchor)
                    .unwrap_or_else(|| without_counter(dom, anchor, dom.text_of(anchor)));
                let all = dom.text_of(root);
                // The text beside the headline, the headline replaced by a
                // break: a date right after a headline ending in a digit
                // (`央行开展逆回购操作之1` `2026-01-20 09:00`) reads apart.
                let mut snippet = all.replacen(&title, "\n", 1);
                let mut published_at = None;
                if let Some(d) = find_dates(&snippet, ctx).into_iter().next() {
                    published_at = Some(d.instant);
                    snippet.replace_range(d.start..d.end, "");
                } else if let Some(d) = find_dates(&title, ctx).into_iter().next() {
                    // A date printed inside the link is not the headline's.
                    published_at = Some(d.instant);
                    let rest = title[..d.start].trim_end();
                    if d.end == title.trim_end().len() && rest.chars().count() >= 6 {
                        title = rest.to_string();
                    }
                } else if let Some(day) = MonthDay::find(&snippet) {
                    found.yearless.push((out.len(), day));
                }
                found.entry_chars.push(collapse(&all).chars().count());
                out.push(ListedItem {
                    title,
                    url: dom.nodes[anchor]
                        .attr("href")
                        .and_then(|h| resolve(base, h)),
                    snippet: Some(collapse(&snippet))
                        .filter(|s| reads_as_teaser(s))
                        .unwrap_or_default(),
                    published_at,
                    section: section.clone(),
                });
                items += 1;
            }
            j = root_end;
        }
    }
    found
}

/// A list link's text that can be an article's headline: some words (not
/// a phone number, `+1 (713) 258 6061`), not an address (a DOI's link
/// `https://doi.org/10.12677/…`) and not only a date (a comment's
/// permalink, `April 20, 2024`).
fn could_title_an_entry(t: &str, options: &ExtractOptions) -> bool {
    let t = t.trim();
    let lower = t.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let address = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || lower.starts_with("10.") && t.contains('/') && !t.contains(' ');
    let only_date = find_dates(t, options.timestamp_context())
        .first()
        .is_some_and(|d| t[..d.start].trim().is_empty() && t[d.end..].trim().chars().count() <= 2);
    t.chars().any(char::is_alphabetic) && !address && !only_date
}

/// What is left of a list entry beside its headline, when it is a teaser:
/// some words (six Chinese characters, three words), not a read count
/// (`16292`, `0 票`), a separator or a label (`link`, `best-right-now`).
fn reads_as_teaser(s: &str) -> bool {
    let han = s.chars().filter(|&c| huiwen_core::text::is_cjk(c)).count();
    let words = s
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    han >= 6 || words >= 3
}

/// The headline of a card that is one link (image, reading time, section
/// label, headline, teaser, `Read more`): the heading inside it, or the
/// element classed as its title.
fn card_headline(dom: &Dom, anchor: NodeId) -> Option<String> {
    let end = dom.subtree_end(anchor);
    if end - anchor < 4 {
        return None;
    }
    (anchor + 1..end)
        .find(|&k| {
            let node = &dom.nodes[k];
            let heading = node
                .name()
                .is_some_and(|n| matches!(&**n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"));
            heading
                || node.attr("class").is_some_and(|c| {
                    any_hint_word(c, |w| matches!(w, "title" | "headline" | "heading"))
                })
        })
        .map(|k| dom.text_of(k).trim().to_string())
        .filter(|t| t.chars().count() >= 6)
}

/// A link's text without the counter a list prints inside it after the
/// headline (CSDN's `ArcGIS中栅格与矢量数据的面积计算方法 <span
/// class="read">16292</span>`): an element holding only a number.
fn without_counter(dom: &Dom, anchor: NodeId, title: String) -> String {
    let counter = (anchor + 1..dom.subtree_end(anchor))
        .rev()
        .filter(|&k| matches!(dom.nodes[k].data, NodeData::Element { .. }))
        .map(|k| dom.text_of(k))
        .find(|t| is_count(t.trim()));
    match counter {
        Some(count) => match title.trim_end().strip_suffix(count.trim()) {
            Some(rest) if rest.trim().chars().count() >= 6 => rest.trim_end().to_string(),
            _ => title,
        },
        None => title,
    }
}

/// A read or comment count as lists print it: `16292`, `1,038`, `2.3万`,
/// `12K`.
fn is_count(t: &str) -> bool {
    let digits = t.trim_end_matches(['万', '千', 'w', 'W', 'k', 'K', '+']);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

fn is_inside_li(dom: &Dom, mut j: NodeId, stop: NodeId) -> bool {
    while j != stop && j != 0 {
        j = dom.nodes[j].parent;
        if dom.nodes[j].is(&local_name!("li")) {
            return true;
        }
    }
    false
}

fn count_links(dom: &Dom, id: NodeId) -> usize {
    let end = dom.subtree_end(id);
    (id..end)
        .filter(|&k| dom.nodes[k].is(&local_name!("a")))
        .take(3)
        .count()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{body_of, ZH_PARA};

    /// The lists a page carries list articles: share buttons and section
    /// links in them are no items, a date printed inside a link is not
    /// part of its headline, and a comment thread is no list of articles.
    #[test]
    fn listed_items_are_articles() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><body><article><h1>民间投资平稳增长</h1><p>{para}</p><p>{para}</p></article>\
             <div><h3>相关新闻</h3><ul>\
             <li><a href=\"/a\">诗意刻画、披露珍贵史料…这场荣誉之战这样拍成2024-04-17</a></li>\
             <li><a href=\"/b\">山东青岛：光伏发电赋能产业园绿色低碳发展</a> 2024-05-22</li>\
             <li><a href=\"/c\">苹果发布 iPhone 16 <img src=\"/eye.png\"><span class=\"read\">16,292</span></a> \
             2024-05-23</li>\
             <li><a href=\"/g\"><img src=\"/g.jpg\"><span>13 min read</span><span>Agencies</span>\
             <h3>Top 19 Shopify Agencies in the UK</h3><p>Our picks, tested.</p></a></li>\
             <li><a href=\"/h\">央行宣布降准0.5个百分点</a> <span>0 票</span></li>\
             <li><a href=\"/i\">央行宣布降准释放长期资金</a><p>央行决定下调金融机构存款准备金率。</p></li>\
             <li><a href=\"/d\">62万 阅读</a></li><li><a href=\"/e\">2023年1篇</a></li>\
             <li><a href=\"tel:+17132586061\">+1 (713) 258 6061</a></li>\
             <li><a href=\"/f\">2024-04-20 10:31</a></li>\
             <li><a href=\"https://doi.org/10.12677/MOM.2018.82002\">https://doi.org/10.12677/MOM.2018.82002</a></li>\
             <li><a href=\"/share\">微信分享</a></li><li><a href=\"/more\">更多&gt;&gt;</a></li></ul></div>\
             <div><h3>最新评论</h3><ul><li><a href=\"/c1\">小伙子哈不错！~~~~ 支持你</a></li>\
             <li><a href=\"/c2\">希望尽快的搞好一点，不然说坏话的人就多了</a></li></ul></div>\
             </body></html>"
        ));
        let titles: Vec<&str> = x.listed_items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "诗意刻画、披露珍贵史料…这场荣誉之战这样拍成",
                "山东青岛：光伏发电赋能产业园绿色低碳发展",
                "苹果发布 iPhone 16",
                "Top 19 Shopify Agencies in the UK",
                "央行宣布降准0.5个百分点",
                "央行宣布降准释放长期资金"
            ]
        );
        // A teaser is a snippet; a vote count beside the link is not.
        let snippets: Vec<&str> = x.listed_items[4..]
            .iter()
            .map(|i| i.snippet.as_str())
            .collect();
        assert_eq!(snippets, ["", "央行决定下调金融机构存款准备金率。"]);
        // The dated entries keep their dates; the card has none.
        assert!(x.listed_items[..3].iter().all(|i| i.published_at.is_some()));
    }

    /// A channel page's entries whose headlines end in a digit, the time
    /// right after (`央行开展逆回购操作之1` `2026-01-20 09:00`): each entry
    /// keeps its time, and the page is a list, not an article.
    #[test]
    fn a_list_of_dated_headlines_is_a_list_page() {
        let items: String = (1..=12)
            .map(|n| {
                format!(
                    "<li><a href=\"/news/{n}.html\">央行开展逆回购操作之{n}</a>\
                     <span>2026-01-20 {:02}:00</span></li>",
                    n + 8
                )
            })
            .collect();
        let x = body_of(&format!(
            "<html><head><title>财经频道_测试网</title></head><body>\
             <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/finance/\">财经</a></div>\
             <h2>最新新闻</h2><ul class=\"list\">{items}</ul></body></html>"
        ));
        assert_eq!(x.page_type, crate::PageType::List);
        assert_eq!(x.listed_items.len(), 12);
        assert_eq!(
            x.listed_items[0]
                .published_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-01-20T09:00:00+08:00")
        );
    }

    /// A related list printing only month, day and time takes the year
    /// that puts each entry before the page (a December entry on a July
    /// page is last year's).
    #[test]
    fn yearless_list_times_take_the_pages_year() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><head><meta property=\"article:published_time\" content=\"2004-07-14T10:00:00+08:00\">\
             </head><body><article><h1>洛克菲勒因病去世</h1><p>{para}</p><p>{para}</p></article>\
             <div><h3>相关新闻</h3><ul>\
             <li><a href=\"/a\">美国纽约亿万富翁洛克菲勒去世</a> (07/13 08:41)</li>\
             <li><a href=\"/b\">洛克菲勒“钟情”第一百货</a> (12/19 11:29)</li></ul></div></body></html>"
        ));
        let times: Vec<String> = x
            .listed_items
            .iter()
            .filter_map(|i| i.published_at.map(|t| t.to_rfc3339()))
            .collect();
        assert_eq!(
            times,
            ["2004-07-13T08:41:00+08:00", "2003-12-19T11:29:00+08:00"]
        );
    }
}
