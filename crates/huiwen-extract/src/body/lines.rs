//! Which rendered blocks are the article's text and which are its metadata
//! printed as lines: the headline again, a forum's topic line, bylines and
//! datelines (read for the outlet and the authors on the way), captions
//! (moved to their images), chrome lines from `rules.toml`, an author box,
//! a dated footer.
//!
//! Why lines and not elements: templates print the byline, the dateline and
//! the source in whatever element comes to hand, often inside the body's
//! own container; only the line's words say what it is. [`sort_blocks`]
//! reads every block once, before the authors are known; [`drop_byline_box`]
//! takes the byline box's lines out once they are.

use super::authors;
use super::render::{Block, BlockKind, Rendered};
use crate::byline;
use crate::dates::find_dates;
use crate::meta::{self, norm, Meta};
use crate::plain::is_caption;
use crate::rules::rules;
use huiwen_core::html::escape_into;
use huiwen_core::timestamp::TimestampContext;

/// What [`sort_blocks`] decided and read.
pub(super) struct Sorted {
    /// Per block: text (`true`) or not.
    pub keep: Vec<bool>,
    /// The outlet a byline, a source line or a dateline names.
    pub outlet: Option<String>,
    /// The names the byline lines give, in order.
    pub byline_authors: Vec<String>,
    /// A forum post's labelled topic (`主题： …`), its headline.
    pub topic_title: Option<String>,
}

/// Sorts the blocks of `rendered` into text and metadata lines. `title`
/// is the chosen headline; captions move into `rendered.images`, and a
/// lead byline (`【文/观察者网 陈思佳】…`) is cut from its paragraph.
pub(super) fn sort_blocks(
    rendered: &mut Rendered,
    title: &str,
    m: &Meta,
    ctx: TimestampContext,
) -> Sorted {
    let r = rules();
    let ntitle = norm(title);
    // A teaser for voice assistants and link previews (NPR's hidden
    // `speakable` block) prints the `<title>` and the description as one
    // line above the article.
    let ntitle_tag = m.title_tag.as_deref().map(norm).unwrap_or_default();
    let ndescription_whole = m
        .get(&["og:description", "description"])
        .map(norm)
        .unwrap_or_default();
    let ndescription: String = ndescription_whole.chars().take(40).collect();
    let is_title_teaser = |nt: &str| {
        ndescription.chars().count() == 40
            && nt
                .find(ndescription.as_str())
                .is_some_and(|at| at >= 10 && ntitle_tag.starts_with(&nt[..at]))
    };
    // The teaser's description can run on past a line break (NPR's
    // `…the Carrington Event.<br><em>Want us to cover more about the sun?
    // Email us at …</em>`): the lines after it that are more of the
    // description belong to it.
    let mut in_teaser = false;
    let mut outlet = None;
    let mut byline_authors: Vec<String> = Vec::new();
    let mut keep = Vec::with_capacity(rendered.blocks.len());
    // How many blocks are kept so far (counting `keep` again for every
    // block would be quadratic on a huge page).
    let mut kept_count = 0usize;
    // Each block against the one before it, taken before the loop below
    // rewrites some blocks' text (a lead byline cut off).
    let same_as_previous: Vec<bool> = std::iter::once(false)
        .chain(rendered.blocks.windows(2).map(|w| w[0].text == w[1].text))
        .collect();
    let mut seen_prose = false;
    let mut topic_title: Option<String> = None;
    // News photos' captions closed by the photographer's credit
    // (`…发表重要讲话。新华社记者 谢环驰 摄`) are captions, not body: unless
    // they are most of the page, as in a photo story, where they are the
    // text.
    let credited: Vec<bool> = rendered
        .blocks
        .iter()
        .enumerate()
        .map(|(k, b)| rendered.image_before[k].is_some() && ends_with_photo_credit(&b.text))
        .collect();
    let credited_chars: usize = rendered
        .blocks
        .iter()
        .zip(&credited)
        .filter(|(_, c)| **c)
        .map(|(b, _)| b.text.chars().count())
        .sum();
    let all_chars: usize = rendered.blocks.iter().map(|b| b.text.chars().count()).sum();
    let credits_are_captions = credited_chars * 4 <= all_chars;
    for (k, b) in rendered.blocks.iter_mut().enumerate() {
        // A table's cells are data: bylines, captions and boilerplate
        // lines are not written in them, and dropping one would shift the
        // rest of its row.
        if matches!(b.kind, BlockKind::Cell(_)) {
            keep.push(true);
            kept_count += 1;
            continue;
        }
        // A forum post's labelled topic (`主题： …`) is its headline.
        if let Some(topic) = labelled_topic(&b.text).filter(|_| !seen_prose) {
            topic_title.get_or_insert_with(|| topic.to_string());
            keep.push(false);
            continue;
        }
        // The headline again, or a teaser of it, above the prose (read only
        // there: normalizing every block cost a copy of the whole text).
        if !seen_prose {
            let nt = norm(&b.text);
            let headline = !ntitle.is_empty()
                && (nt == ntitle
                    || (matches!(b.kind, BlockKind::Heading(_)) && ntitle.contains(&nt)));
            if is_title_teaser(&nt)
                || in_teaser && nt.chars().count() >= 10 && ndescription_whole.contains(&nt)
            {
                in_teaser = true;
                keep.push(false);
                continue;
            }
            in_teaser = false;
            if headline {
                keep.push(false);
                continue;
            }
        }
        if r.drop_line(&b.text) {
            let by = byline::parse(&b.text);
            if outlet.is_none() {
                outlet = by.outlet;
            }
            keep.push(false);
            continue;
        }
        let short = b.text.chars().count() <= 80;
        // A labelled dateline under a standfirst (`Posted Fri, May 10, 2024
        // at 2:52 pm PT|Updated …` after the summary sentence).
        if seen_prose
            && short
            && kept_count < 3
            && dateline_label(&b.text)
            && !find_dates(&b.text, ctx).is_empty()
        {
            keep.push(false);
            continue;
        }
        // Read once: the head of the text is checked for a byline twice, as
        // a metadata line and as a lead (`【文/观察者网 陈思佳】…`).
        let mut by = (!seen_prose).then(|| byline::parse(&b.text));
        if let Some(by) = by.as_mut().filter(|_| short) {
            // `By Larissa Runkle` on its line above the text.
            if by.authors.is_empty() && b.text.chars().count() <= 60 {
                if let Some(rest) = meta::after_byline_lead(&b.text).filter(|r| !r.is_empty()) {
                    by.authors = authors::lead_names(rest);
                }
            }
            let dates = find_dates(&b.text, ctx);
            let has_date = !dates.is_empty();
            let metaish = has_date
                && (["来源", "作者", "时间"].iter().any(|l| b.text.contains(l))
                    || b.text.chars().count() <= 30
                    || dateline_label(&b.text)
                    || little_beside_dates(&b.text, &dates))
                || (by.lead_len == 0
                    && (by.outlet.is_some() || !by.authors.is_empty())
                    && b.text.chars().count() <= 40);
            // A journal's issue line above an abstract (`《…学报》2022年第4期`).
            let issue = magazine_issue(&b.text);
            if metaish || issue.is_some() {
                if outlet.is_none() {
                    outlet = by
                        .outlet
                        .take()
                        .or_else(|| dateline_outlet(&b.text, &dates))
                        .or_else(|| issue.map(str::to_string));
                }
                // A paper prints each role on its line (`本报实习生 刘国栋`,
                // then `本报记者 王燕平`): the byline is all of them.
                for name in std::mem::take(&mut by.authors) {
                    if !byline_authors.contains(&name) {
                        byline_authors.push(name);
                    }
                }
                keep.push(false);
                continue;
            }
        }
        if b.kind == BlockKind::Caption
            || (rendered.image_before[k].is_some() && is_caption(&b.text))
            || (credits_are_captions && credited[k])
            || (rendered.image_before[k].is_some()
                && b.kind == BlockKind::P
                && short
                && is_caption(&b.text))
        {
            if let Some(img) = rendered.image_before[k].or(rendered.images.len().checked_sub(1)) {
                if let Some(image) = rendered.images.get_mut(img) {
                    image.caption = b.text.clone();
                }
            }
            keep.push(false);
            continue;
        }
        if let Some(by) = by {
            // 【文/观察者网 陈思佳】 at the start of the first paragraph.
            if by.lead_len > 0 {
                if outlet.is_none() {
                    outlet = by.outlet;
                }
                if byline_authors.is_empty() {
                    byline_authors = by.authors;
                }
                let rest = b.text[by.lead_len..].trim().to_string();
                b.text = rest.clone();
                let mut h = String::new();
                escape_into(&rest, &mut h);
                b.html = h;
            } else if outlet.is_none() {
                outlet = by.outlet;
            }
        }
        if reads_as_prose(&b.text) {
            seen_prose = true;
        }
        // The same headline-like line twice in a row is a template's doing
        // (a player's title over its own card, a caption printed for two
        // layouts); a short value (a table's `Basic`, `是`), a rule of
        // underscores, a sentence or a photo story's caption under each
        // photo may repeat.
        let repeated = b
            .text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .nth(15)
            .is_some()
            && !b.text.ends_with(['。', '.', '！', '？', '!', '?'])
            && rendered.image_before[k].is_none()
            && same_as_previous[k]
            && keep.last() == Some(&true);
        keep.push(!b.text.is_empty() && !repeated);
        kept_count += usize::from(!b.text.is_empty() && !repeated);
    }
    // An `About the Author` heading among the last blocks starts the
    // author box (bios, the reviewer's, a disclaimer): none of it is text.
    let n_blocks = rendered.blocks.len();
    let about = (n_blocks.saturating_sub(12)..n_blocks)
        .find(|&k| r.author_box_heading(&rendered.blocks[k].text));
    if let Some(start) = about {
        let after: usize = (start..n_blocks)
            .filter(|&k| keep[k])
            .map(|k| rendered.blocks[k].text.chars().count())
            .sum();
        if after <= 1500 && keep[..start].iter().any(|&k| k) {
            keep[start..].iter_mut().for_each(|k| *k = false);
        }
    }
    // The text's last lines can be its metadata too: a footer with the
    // date (`发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)`, `2003-7-24
    // 钱江晚报`, `——《北京之春》1996年6月号`), a source line (`来源： 千龙网`,
    // `信息来源： 内蒙古日报`), or a list's heading whose list was left out.
    for k in (0..keep.len()).rev().take(3) {
        if !keep[k] {
            continue;
        }
        let b = &rendered.blocks[k];
        let dates = if b.text.chars().count() <= 80 && !matches!(b.kind, BlockKind::Cell(_)) {
            find_dates(&b.text, ctx)
        } else {
            Vec::new()
        };
        let footer =
            !dates.is_empty() && (little_beside_dates(&b.text, &dates) || dateline_label(&b.text));
        let source = source_line(&b.text);
        let issue = magazine_issue(&b.text);
        if footer || source.is_some() || issue.is_some() || r.list_heading(&b.text).is_some() {
            if outlet.is_none() {
                outlet = if footer {
                    dateline_outlet(&b.text, &dates)
                } else {
                    issue
                        .map(str::to_string)
                        .or_else(|| source.filter(|s| byline::looks_like_outlet(s)))
                };
            }
            if footer && byline_authors.is_empty() {
                byline_authors.extend(poster_after_date(&b.text, &dates));
            }
            keep[k] = false;
        } else {
            break;
        }
    }
    Sorted {
        keep,
        outlet,
        byline_authors,
        topic_title,
    }
}

/// Takes the byline box's lines out of the text once the authors are
/// known: an author box closing it, and the writer's name, role or lead
/// alone among the first or last few lines.
pub(super) fn drop_byline_box(blocks: &mut Vec<&Block>, keep: &mut [bool], authors: &[String]) {
    // An author box closing the text (`Cecily Mauran` / `Cecily is a tech
    // reporter at Mashable …`) is the byline's, not the article's.
    if let Some(cut) = author_box_start(blocks, authors) {
        let kept: Vec<usize> = (0..keep.len()).filter(|&k| keep[k]).collect();
        for &k in &kept[cut..] {
            keep[k] = false;
        }
        blocks.truncate(cut);
    }
    // So are the lines of a byline box among the first or last few: the
    // writer's name alone (an essay's `罗银胜` under its headline, `Kelia
    // Losa Reinoso` under a category label), the name with a line about
    // them (`Adrien Ramirez, 4+ years covering computer hardware`), the
    // box's bare `Written by`.
    let kept: Vec<usize> = (0..keep.len()).filter(|&k| keep[k]).collect();
    let n = blocks.len();
    let lone_names: Vec<usize> = (0..n)
        .filter(|&k| k < 3 || k + 4 >= n)
        .filter(|&k| {
            let t = blocks[k].text.trim();
            // `By Sandra Boicheva`, `Authors: Julie Weisenhorn and Natalie
            // Hoidal, Extension …`: a lead with nothing or an author after it.
            let led = meta::after_byline_lead(t).is_some_and(|rest| {
                rest.is_empty()
                    || t.chars().count() <= 150
                        && !t.ends_with('.')
                        && authors.iter().any(|a| {
                            let name = meta::name_part(a);
                            rest.get(..name.len())
                                .is_some_and(|head| head.eq_ignore_ascii_case(name))
                        })
            });
            // A role alone on its line beside the name (`Staff Writer`).
            led || meta::is_role(t) && !t.ends_with('.')
                || authors.iter().any(|a| {
                    let name = meta::name_part(a);
                    t == name
                        || t.strip_prefix(name)
                            .and_then(|rest| rest.strip_prefix(", "))
                            .is_some_and(|about| {
                                about.chars().count() <= 150
                                    && !about.trim_end_matches('.').contains(". ")
                            })
                })
        })
        .collect();
    if n > lone_names.len() {
        for &k in lone_names.iter().rev() {
            keep[kept[k]] = false;
            blocks.remove(k);
        }
    }
}

/// Where an author box begins among the last blocks: a line that is one
/// of the authors' names, alone or with a few words after it (`Oliwia
/// Stępień Dziennikarka Onet.pl`), followed by no more than a short bio.
fn author_box_start(blocks: &[&Block], authors: &[String]) -> Option<usize> {
    let n = blocks.len();
    (n.saturating_sub(4).max(1)..n).find(|&k| {
        let t = blocks[k].text.trim();
        let names_author = authors.iter().any(|a| {
            let name = meta::name_part(a);
            !name.is_empty()
                && t.strip_prefix(name).is_some_and(|rest| {
                    rest.is_empty()
                        || rest.starts_with(' ')
                            && rest.chars().count() <= 30
                            && !rest.trim_end().ends_with(['.', '。', '!', '?'])
                })
        });
        names_author
            && blocks[k..]
                .iter()
                .map(|b| b.text.chars().count())
                .sum::<usize>()
                <= 800
    })
}

/// A dateline's English label, starting the line or one of its fields
/// (`chinadaily.com.cn | Updated: 2024-05-20 14:41`, `Published 3 May
/// 2024`): with a date in a short line before the prose, the line is the
/// article's metadata. (A sentence that mentions an update does not start
/// with the word.)
fn dateline_label(text: &str) -> bool {
    let lower = crate::lowercase(text.trim());
    lower
        .split(['|', '·', '•'])
        .map(str::trim_start)
        .any(|field| {
            [
                "updated",
                "published",
                "posted",
                "last modified",
                "last updated",
                "source",
            ]
            .iter()
            .any(|label| field.starts_with(label))
        })
}

/// A date with a few words beside it and no sentence (`(People's Daily
/// Online) 11:35, November 23, 2022`, `Konrad Cinkowski 04.05.2024,
/// 22:58`): a dateline, not prose.
fn little_beside_dates(text: &str, dates: &[crate::dates::FoundDate]) -> bool {
    // Words, not a web address's letters (`http://house.sina.com.cn
    // 2005年03月31日03:18 北京娱乐信报`).
    let letters_in = |s: &str| {
        s.split_whitespace()
            .filter(|w| !(w.starts_with("http") || w.starts_with("www.")))
            .flat_map(str::chars)
            .filter(|c| c.is_alphabetic())
            .count()
    };
    let letters: usize = around_dates(text, dates).into_iter().map(letters_in).sum();
    letters <= 20 && !text.trim_end().ends_with(['.', '。', '!', '！', '?', '？'])
}

/// The parts of `text` before, between and after the dates found in it.
fn around_dates<'a>(text: &'a str, dates: &[crate::dates::FoundDate]) -> Vec<&'a str> {
    let mut parts = Vec::with_capacity(dates.len() + 1);
    let mut at = 0;
    for d in dates {
        parts.push(&text[at..d.start.max(at)]);
        at = d.end.max(at);
    }
    parts.push(&text[at..]);
    parts
}

/// The publication a dateline names beside its date: in title marks
/// (`《光明日报》（2024年05月20日 03版）`, `「人民網日本語版」2023年8月11日`) or as a
/// word ending like an outlet's name (`2003-7-24 钱江晚报`).
fn dateline_outlet(text: &str, dates: &[crate::dates::FoundDate]) -> Option<String> {
    let rest = around_dates(text, dates).join(" ");
    let marked = [('《', '》'), ('「', '」')]
        .iter()
        .find_map(|&(open, close)| {
            let inner = rest.split_once(open)?.1.split_once(close)?.0.trim();
            (2..=12)
                .contains(&inner.chars().count())
                .then(|| inner.to_string())
        });
    marked.or_else(|| {
        rest.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || "—－|｜".contains(c))
            .filter(|w| w.chars().all(huiwen_core::text::is_cjk))
            .rfind(|w| (2..=12).contains(&w.chars().count()) && byline::looks_like_outlet(w))
            .map(str::to_string)
    })
}

/// The magazine a closing issue line names (`——《北京之春》1996年6月号`,
/// `《读者》2005年第3期`; a journal's above an abstract, `《中共中央党校(国家行政
/// 学院)学报》2022年第4期`): the publication in title marks, then only the
/// issue, a year with its month or its number.
fn magazine_issue(text: &str) -> Option<&str> {
    let t = text.trim().trim_start_matches(['—', '-', '－', ' ']);
    let (name, issue) = t.strip_prefix('《')?.split_once('》')?;
    let issue = issue
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    let (year, rest) = issue.split_once('年')?;
    let number = rest
        .strip_suffix("月号")
        .or_else(|| rest.strip_suffix("期").map(|r| r.trim_start_matches('第')))?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_digit())
    };
    (digits(year, 4..=4) && digits(number, 1..=3) && (2..=24).contains(&name.chars().count()))
        .then_some(name)
}

/// The poster a dated footer names after its date (a forum's `发布时间
/// 2005/03/15 22:36:13 by duscha 〓`, `Posted May 3, 2024 by Jane Doe`).
fn poster_after_date(text: &str, dates: &[crate::dates::FoundDate]) -> Option<String> {
    let rest = meta::after_byline_lead(text[dates.last()?.end..].trim_start())?;
    let name = rest
        .trim_end_matches(|c: char| c.is_whitespace() || "〓|.。".contains(c))
        .trim();
    let words = name.split_whitespace().count();
    ((1..=4).contains(&words) && name.chars().count() <= 30).then(|| name.to_string())
}

/// What a line that is only a source label names (`来源： 千龙网`,
/// `信息来源：内蒙古日报`, `来源: 尹娟`): short, the label first (at most two
/// characters before 来源), read as bylines read it.
fn source_line(text: &str) -> Option<String> {
    let t = text.trim();
    let label_at = t.find("来源")?;
    if t.chars().count() > 30
        || t.ends_with(['。', '！', '？'])
        || t[..label_at].chars().count() > 2
    {
        return None;
    }
    byline::source_outlet(t)
}

/// The topic of a labelled headline line, `主题： 你知道导游为什么…` or
/// `标题：…`, as forum and bulletin pages print it above the post.
pub(super) fn labelled_topic(text: &str) -> Option<&str> {
    let rest = ["主题", "标题", "帖子主题", "文章标题"]
        .iter()
        .find_map(|label| text.trim_start().strip_prefix(label))?
        .trim_start()
        .strip_prefix(['：', ':'])?
        .trim();
    (4..=100).contains(&rest.chars().count()).then_some(rest)
}

/// A news photo's caption under its image: sentences describing the
/// picture, closed by the photographer's credit (`…发表重要讲话。新华社记者
/// 谢环驰 摄`, `（记者 张三 摄）`). The sentences make it too long for
/// [`is_caption`]; the credit makes it a caption.
fn ends_with_photo_credit(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['）', ')']);
    if t.chars().count() > 200 || !t.ends_with('摄') {
        return false;
    }
    let credit = t.rsplit(['。', '！', '？', '（', '(']).next().unwrap_or(t);
    (2..=24).contains(&credit.chars().count())
}

/// A line of the article's prose rather than a label above it: long, or a
/// sentence of some words (`Favorilerinize Ekleyin.`, a button's "Add to
/// favourites.", is no sentence).
fn reads_as_prose(text: &str) -> bool {
    if text.chars().count() > 30 {
        return true;
    }
    let cjk = text
        .chars()
        .filter(|&c| huiwen_core::text::is_cjk(c))
        .count();
    text.ends_with(['。', '.', '！', '？']) && (cjk >= 4 || text.split_whitespace().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{body_of, prose, ZH_PARA};

    /// A photo's caption with the photographer's credit is a caption, even
    /// as a long sentence; in a photo story, where the captions are most
    /// of the text, they stay the body.
    #[test]
    fn credited_photo_captions_leave_the_body_unless_they_are_the_story() {
        let para = ZH_PARA;
        let caption = "11月30日上午，座谈会在上海召开，与会代表围绕长三角一体化发展发言。新华社记者 谢环驰 摄";
        let article = body_of(&format!(
            "<html><body><article><h1>深入推进长三角一体化发展</h1><p>{para}</p><p>{para}</p>\
             <p><img src=\"/a.jpg\"></p><p>{caption}</p><p>{para}</p><p>{para}</p></article></body></html>"
        ));
        assert!(!article.text.contains("谢环驰"), "{}", article.text);
        assert_eq!(article.images[0].caption, caption);
        let photo_story = body_of(&format!(
            "<html><body><article><h1>阿比纳德尔宣布赢得选举</h1><p>多米尼加现任总统19日晚宣布胜选。</p>\
             <p><img src=\"/a.jpg\"></p><p>{caption}</p><p><img src=\"/b.jpg\"></p><p>{caption}</p>\
             </article></body></html>"
        ));
        assert!(photo_story.text.contains("谢环驰"), "{}", photo_story.text);
    }

    /// `By Larissa Runkle` on its own line above the text is the byline,
    /// not the first line of the article.
    #[test]
    fn an_english_byline_above_the_text_is_metadata() {
        let x = body_of(&format!(
            "<html><body><article><h1>Five porch decor ideas</h1>\
             <p>By Larissa Runkle</p><p>{}</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert!(!x.text.contains("Larissa"), "{}", x.text);
        assert_eq!(x.authors, ["Larissa Runkle"]);
    }

    /// A byline box above the text — `Written by`, each writer's portrait,
    /// name and a line about them — names the authors and is neither text
    /// nor the article's images.
    #[test]
    fn a_byline_box_above_the_text_is_not_text() {
        let x = body_of(&format!(
            "<html><body><article><h1>The best gaming laptops</h1><div class=\"byline\">\
             <img src=\"/a.jpg\" alt=\"Adrien Ramirez\"><img src=\"/b.jpg\" alt=\"Joanna Nelius\">\
             <p>Written by</p><p><a href=\"/authors/adrien-ramirez\">Adrien Ramirez</a>, 4+ years \
             covering computer hardware</p><p><a href=\"/authors/joanna-nelius\">Joanna Nelius</a>, \
             senior editor and E Ink enthusiast.</p></div><p>{}</p><img src=\"/laptop.jpg\" \
             alt=\"The laptop on a desk\"><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert_eq!(x.authors, ["Adrien Ramirez", "Joanna Nelius"]);
        assert!(x.text.starts_with("First."), "{}", x.text);
        let srcs: Vec<&str> = x.images.iter().map(|i| i.src.as_str()).collect();
        assert!(srcs.iter().all(|s| s.ends_with("laptop.jpg")), "{srcs:?}");
        assert!(!x.html.as_str().contains("a.jpg"), "{}", x.html.as_str());
    }

    /// A teaser above the article that runs the `<title>` into the
    /// description (NPR's hidden `speakable` block) is not text, nor is the
    /// rest of the description after a line break in it.
    #[test]
    fn a_title_and_description_teaser_is_not_text() {
        let lead = "Researchers are learning that handwriting engages the brain in ways typing can't match.";
        let appeal = "Want more on the brain? Email us at shots@npr.org.";
        let x = body_of(&format!(
            "<html><head><title>Why writing by hand beats typing : Shots - Health News : NPR</title>\
             <meta name=\"description\" content=\"{lead} {appeal}\"></head><body><article>\
             <p><b>Why writing by hand beats typing : Shots - Health News</b> <b>{lead}<br>\
             <em>{appeal}</em></b></p>\
             <h1>Why writing by hand beats typing</h1><p>{}</p><p>{}</p><p>{appeal}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        // The teaser goes, its line break included; the appeal closing the
        // article stays.
        assert!(x.text.starts_with("First."), "{}", x.text);
        assert!(x.text.ends_with(appeal), "{}", x.text);
    }

    /// The headline printed again above the text leaves it also under a
    /// button's label that ends in a full stop (`Favorilerinize Ekleyin.`,
    /// "Add to favourites."): a label is no sentence of the article.
    #[test]
    fn a_button_label_above_the_headline_is_no_prose() {
        let title = "Din Adamlarına Güven Oranı Açıklandı";
        let x = body_of(&format!(
            "<html><head><title>{title}</title></head><body><article>\
             <p>Favorilerinize Ekleyin.</p><p>{title}</p><p>{}</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert!(!x.text.contains(title), "{}", x.text);
        assert!(x.text.contains("First."), "{}", x.text);
    }

    /// The same headline-like line twice in a row is printed once; a short
    /// value or a sentence may repeat.
    #[test]
    fn a_line_repeated_at_once_is_printed_once() {
        let title = "NOAA Issues First Severe Geomagnetic Storm Watch Since 2005";
        let x = body_of(&format!(
            "<html><body><article><h1>Solar storm</h1><p>{}</p><p>{title}</p><p>{title}</p>\
             <p>Yes</p><p>Yes</p><p>{}</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert_eq!(x.text.matches(title).count(), 1, "{}", x.text);
        assert_eq!(x.text.matches("Yes").count(), 2, "{}", x.text);
    }

    /// At the end too: `About the Author`, the byline repeated, the
    /// writer's role on its own line.
    #[test]
    fn byline_lines_after_the_text_are_not_text() {
        let x = body_of(&format!(
            "<html><head><meta name=\"author\" content=\"Katy McInnes\"></head><body><article>\
             <h1>Summer camps</h1><p>{}</p><p>{}</p><h3>About the Author</h3><p>By Katy McInnes</p>\
             <p>Staff Writer</p></article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert!(x.text.ends_with(prose("Second.").trim_end()), "{}", x.text);
        // Everything after such a heading is the box: bios, a disclaimer.
        let boxed = body_of(&format!(
            "<html><body><article><h1>Summer camps</h1><p>{}</p><p>{}</p><h3>About the Author</h3>\
             <p>Maureen Salamon is the executive editor of Women's Health Watch.</p>\
             <p>Disclaimer:</p><p>No content on this site should be used as a substitute for advice.</p>\
             </article></body></html>",
            prose("First."),
            prose("Second.")
        ));
        assert!(
            boxed.text.ends_with(prose("Second.").trim_end()),
            "{}",
            boxed.text
        );
    }

    /// The text's last lines can be its metadata (a footer with the date,
    /// the source's print edition, a list heading whose list was left
    /// out); a last sentence with a date is text. The writer's name alone
    /// on the first line is the byline.
    #[test]
    fn footers_and_a_lone_name_are_not_text() {
        let para = ZH_PARA;
        let page = |head: &str, tail: &str| {
            body_of(&format!(
                "<html><body><article><h1>犬儒病(上)</h1>{head}<p>{para}</p><p>{para}</p>{tail}\
                 </article></body></html>"
            ))
        };
        for (footer, outlet) in [
            (
                "<p>发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)</p>",
                None,
            ),
            ("<p>2003-7-24 钱江晚报</p>", Some("钱江晚报")),
            (
                "<p>《光明日报》（2024年05月20日 03版）</p><p>推荐阅读</p>",
                Some("光明日报"),
            ),
            ("<p>——《北京之春》1996年6月号</p>", Some("北京之春")),
            ("<p>《读者》2005年第3期</p>", Some("读者")),
        ] {
            let x = page("", footer);
            assert!(x.text.ends_with(para), "{footer}: {}", x.text);
            // The publication it names is the outlet.
            assert_eq!(x.outlet.as_deref(), outlet, "{footer}");
        }
        let sentence = "会议定于2024年5月20日举行。";
        assert!(page("", &format!("<p>{sentence}</p>"))
            .text
            .ends_with(sentence));
        let journal = page("<p>《中共中央党校(国家行政学院)学报》2022年第4期</p>", "");
        assert!(journal.text.starts_with(para), "{}", journal.text);
        assert_eq!(
            journal.outlet.as_deref(),
            Some("中共中央党校(国家行政学院)学报")
        );
        let named = page("<p>胡平</p>", "");
        assert_eq!(named.authors, ["胡平"]);
        assert!(named.text.starts_with(para), "{}", named.text);
    }

    /// A paragraph whose class names a caption, right under an image, is
    /// that image's caption; with no image before it, it stays text.
    #[test]
    fn caption_classed_paragraphs_under_images_are_captions() {
        let caption = "(Courtesy of @1848schoolhousecottage with @palmcasualatlanta, @palmcasual)";
        let page = |image: &str| {
            body_of(&format!(
                "<html><body><article><h1>Five porch decor ideas</h1>{image}                 <p class=\"custom_caption_credit\">{caption}</p><p>{}</p><p>{}</p>\
                 </article></body></html>",
                prose("First."),
                prose("Second.")
            ))
        };
        let under_image = page("<img src=\"/porch.jpg\">");
        assert!(
            !under_image.text.contains("Courtesy"),
            "{}",
            under_image.text
        );
        assert_eq!(under_image.images[0].caption, caption);
        assert!(page("").text.contains("Courtesy"));
    }

    /// A source line closing the text is metadata (its outlet read), and
    /// a portal's bracketed buttons, a rule of dashes, a mailing-list
    /// prompt and a related-news search count are chrome, wherever they
    /// stand.
    #[test]
    fn closing_source_lines_and_portal_chrome_leave_the_text() {
        let page = body_of(&format!(
            "<html><body><h1>北京市儿童心理素质发展现状调查</h1><p>{ZH_PARA}</p>\
             <p>------------------------------</p><p>{ZH_PARA}</p>\
             <p>欢迎加入本站邮件列表，您将得到最新更新邮件。请在表格中填入您的邮件地址：</p>\
             <p>共找到 13,046 个相关新闻.</p><p>来源： 千龙网</p><p>【打印】【关闭】</p></body></html>"
        ));
        for chrome in ["来源", "------", "邮件列表", "共找到", "【关闭】"] {
            assert!(!page.text.contains(chrome), "{chrome}: {}", page.text);
        }
        assert_eq!(page.outlet.as_deref(), Some("千龙网"));
        // A person named as the source is no outlet.
        let person = body_of(&format!(
            "<html><body><h1>四年前中500万现穷困潦倒</h1><p>{ZH_PARA}</p><p>{ZH_PARA}</p>\
             <p>来源: 尹娟</p></body></html>"
        ));
        assert!(!person.text.contains("尹娟"), "{}", person.text);
        assert_eq!(person.outlet, None);
    }

    /// A dated footer names the poster after its date: the byline when
    /// none came before.
    #[test]
    fn a_dated_footer_names_its_poster() {
        let footer = |line: &str| {
            body_of(&format!(
                "<html><body><h1>惊爆日企操控华人女星黑幕(转载)</h1><p>{ZH_PARA}</p><p>{ZH_PARA}</p>\
                 <p>{ZH_PARA}</p><p>{line}</p></body></html>"
            ))
        };
        let forum = footer("〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓");
        assert_eq!(forum.authors, ["duscha"]);
        assert_eq!(forum.outlet.as_deref(), Some("网易娱乐"));
        assert!(!forum.text.contains("duscha"), "{}", forum.text);
        assert_eq!(
            footer("Posted May 3, 2024 by Jane Doe").authors,
            ["Jane Doe"]
        );
        assert!(footer("2005/03/15 22:36:13").authors.is_empty());
    }

    /// More of a portal's chrome printed as lines: an empty byline label,
    /// an editor's or proofreader's credit however spaced, a breadcrumb, a
    /// pager, a button with its count, a repost notice.
    #[test]
    fn portal_credit_and_navigation_lines_leave_the_text() {
        let page = body_of(&format!(
            "<html><body><h1>习近平主持召开座谈会</h1><p>首页 &gt;&gt; 国内 &gt;&gt; 正文</p><p>作者：</p>\
             <p>{ZH_PARA}</p><p>推荐39</p><p>{ZH_PARA}</p>\
             <p>本作品为“科普中国”原创，转载时务请注明出处。</p><p>审 读：崔向升</p><p>编辑/倪家宁</p>\
             <p>首页 | 上一页 1 下一页 | 尾页</p></body></html>"
        ));
        for chrome in [
            "首页",
            "作者",
            "推荐39",
            "转载",
            "崔向升",
            "倪家宁",
            "上一页",
        ] {
            assert!(!page.text.contains(chrome), "{chrome}: {}", page.text);
        }
    }

    /// A video news page: the player's info bar and fold toggle are not
    /// body, the report under them is.
    #[test]
    fn video_player_lines_are_not_body() {
        let para = ZH_PARA;
        let x = body_of(&format!(
            "<html><body><h1>《北京影人》5月20日起播出</h1><div class=\"article\">\
             <div><span>《蓝羽会客厅》之《北京影人》5月20日起电影频道22:00播出</span> <span>时长：01:45</span> <span>来源：电影网</span></div>\
             <h4><span>《蓝羽会客厅》之《北京影人》5月20日起电影频道22:00播出</span><a href=\"javascript:void();\">收起</a></h4>\
             <p>1905电影网讯 {para}</p><p>{para}</p></div></body></html>"
        ));
        assert!(x.text.starts_with("1905电影网讯"), "{}", x.text);
        assert!(!x.text.contains("时长"), "{}", x.text);
    }

    /// An English dateline at the head of the body is metadata, not text.
    #[test]
    fn english_datelines_are_not_body() {
        let p = prose("The bridge opens next spring.");
        for line in [
            "chinadaily.com.cn | Updated: 2024-05-20 14:41",
            "Published May 3, 2024 at 2:52 pm PT",
            "Last modified on 12 November 2025",
            "Last updated: September 27, 2023",
            "2012-09-26 11:09:00 | Source: People's Daily Online",
            // A date with a few words beside it: an outlet, a name.
            "(People's Daily Online) 11:35, November 23, 2022",
            "Konrad Cinkowski 04.05.2024, 22:58",
        ] {
            let x = body_of(&format!(
                "<html><body><div class=\"post\"><h1>Bridge vote</h1><p>{line}</p><p>{p}</p><p>{p}</p></div></body></html>"
            ));
            assert!(x.text.starts_with("The bridge opens"), "{line}: {}", x.text);
        }
        // Under a standfirst too.
        let x = body_of(&format!(
            "<html><body><div class=\"post\"><h1>Bridge vote</h1>\
             <p>The council approved the bridge on Friday, after a long debate.</p>\
             <p>Posted Fri, May 10, 2024 at 2:52 pm PT|Updated Fri, May 10, 2024 at 2:55 pm PT</p>\
             <p>{p}</p><p>{p}</p></div></body></html>"
        ));
        assert!(!x.text.contains("Posted"), "{}", x.text);
        assert!(x.text.starts_with("The council approved"), "{}", x.text);
        // A sentence that mentions an update, or a date, is text.
        for sentence in [
            "The council updated its plan on May 3, 2024.",
            "The vote was moved to May 3, 2024.",
        ] {
            let x = body_of(&format!(
                "<html><body><div class=\"post\"><h1>Bridge vote</h1><p>{sentence}</p><p>{p}</p><p>{p}</p></div></body></html>"
            ));
            assert!(x.text.starts_with(sentence), "{}", x.text);
        }
    }
}
