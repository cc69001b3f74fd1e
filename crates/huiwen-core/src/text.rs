//! Small text helpers every ingest path needs before the Chinese-text stage
//! exists: a language guess, a title from a lead, a sentence-bounded summary.
//! They never cut inside a word: they cut at sentence or clause punctuation.

/// The language of a text as a BCP 47 primary language subtag. Chinese,
/// Japanese and Korean are told by their scripts: `"zh"` when CJK characters
/// make up at least a fifth of the letters (Latin letters count per word,
/// ≈ 4 letters), `"ja"` when kana stand among them (a quarter as many as
/// the Han characters or more), `"ko"` when Hangul outnumbers them. Any
/// other text goes to whatlang's trigram models (`"en"`, `"fr"`, `"fa"`,
/// `"ru"` … 70 languages); `"und"` when there are no letters or the model
/// cannot tell.
pub fn guess_lang(text: &str) -> &'static str {
    // Over the first 4,000 characters. Chinese is settled as soon as the
    // characters not yet read could no longer change the verdict (a few
    // hundred characters into an article), unless kana or Hangul appeared.
    const SAMPLE: usize = 4000;
    let (mut han, mut kana, mut hangul, mut other) = (0usize, 0usize, 0usize, 0usize);
    for (seen, c) in text.chars().take(SAMPLE).enumerate() {
        if is_cjk(c) {
            han += 1;
        } else if is_kana(c) {
            kana += 1;
        } else if is_hangul(c) {
            hangul += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
        let unread = SAMPLE - seen - 1;
        if kana == 0 && hangul == 0 && han > 0 && 16 * han + 3 >= other + unread {
            return "zh";
        }
    }
    let east_asian = han + kana + hangul;
    if east_asian > 0 && 16 * east_asian + 3 >= other {
        return if hangul >= han + kana {
            "ko"
        } else if 4 * kana >= han {
            "ja"
        } else {
            "zh"
        };
    }
    if other == 0 {
        return "und";
    }
    if reads_as_english(text) {
        return "en";
    }
    // Trigrams of the first 400 characters are plenty (a page's whole
    // text cost a tenth of its extraction).
    let sample = match text.char_indices().nth(400) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() => bcp47(info.lang()),
        // A headline is too short for trigrams to be sure (`2025 in Review:
        // My favorite new-to-me games` scores as Afrikaans): in Latin
        // letters, English is the likeliest; in another script, the
        // model's best guess still names its language family.
        Some(info) if info.script() == whatlang::Script::Latin => "en",
        Some(info) => bcp47(info.lang()),
        None => "und",
    }
}

/// English prose, told by its commonest words before the trigram model is
/// asked (which costs as much as a tenth of an extraction): `the`, `and`,
/// `of`, `to` make up about a seventh of English words (a sixteenth is
/// asked for: lists and headings have fewer), and `the` (one word in 75)
/// is rare in other languages (`to` is Polish and Czech for "it").
fn reads_as_english(text: &str) -> bool {
    let (mut words, mut common, mut the) = (0usize, 0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(300)
    {
        words += 1;
        if word.eq_ignore_ascii_case("the") {
            the += 1;
            common += 1;
        } else if ["and", "of", "to"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
        {
            common += 1;
        }
    }
    words >= 20 && common * 16 >= words && the * 75 >= words
}

/// Hiragana and katakana (with the half-width forms).
fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0xFF66..=0xFF9F)
}

/// Hangul syllables and jamo.
fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// The two-letter code of a language whatlang names by its three-letter one.
fn bcp47(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// A character that takes no room and shows nothing: zero-width spaces and
/// joiners, direction marks, word joiners, the byte-order mark, the soft
/// hyphen. A paragraph of only these (`<p>\u{200d}</p>`, page builders'
/// spacers) is empty to a reader.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{034f}' | '\u{180e}'
    )
}

/// `text` without whitespace or [invisible](is_invisible) characters at
/// either end: empty when it shows nothing.
pub fn trim_invisible(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// Repairs text that was UTF-8, read as Latin-1 and written out as UTF-8
/// again — a page whose CMS double-encoded its
/// check marks shows `âœ…` for ✅ in every browser. Only runs that hold a
/// C1 control character (U+0080–U+009F) are touched: no real text contains
/// one, while each double-encoded symbol or CJK character does (its
/// continuation bytes 0x80–0x9F become C1 controls). A run is replaced only
/// when its bytes decode as UTF-8; `Ã©` and `â€™` (read as Windows-1252,
/// which maps those bytes to punctuation: no C1 control is left to be sure
/// by) stay, as does any genuine Latin-1 text. Returns `None`
/// when there is nothing to repair, so the common case costs one scan.
pub fn repair_double_encoded(text: &str) -> Option<String> {
    // Every page is scanned, so the scan is memchr's: C1 controls are
    // encoded as C2 80 … C2 9F, and 0xC2 is rare outside Latin text.
    let bytes = text.as_bytes();
    // U+0080–U+00FF, the characters a Latin-1 reading makes of bytes, are
    // two bytes each: a lead 0xC2 or 0xC3 (never a continuation byte, so
    // stepping back by two stays on character boundaries) and one more.
    let is_latin1_at = |i: usize| matches!(bytes.get(i), Some(0xC2 | 0xC3));
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = memchr::memchr(0xC2, &bytes[from..]) {
        let at = from + found;
        from = at + 1;
        if at < copied || !matches!(bytes.get(at + 1), Some(0x80..=0x9F)) {
            continue;
        }
        // The run of such characters around this C1 control.
        let mut start = at;
        while start >= 2 && start - 2 >= copied && is_latin1_at(start - 2) {
            start -= 2;
        }
        let mut end = at;
        while is_latin1_at(end) && end + 1 < bytes.len() {
            end += 2;
        }
        let run = &text[start..end];
        let latin1: Vec<u8> = run.chars().map(|c| c as u32 as u8).collect();
        if let Ok(fixed) = std::str::from_utf8(&latin1) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start]);
            o.push_str(fixed);
            copied = end;
        }
        from = from.max(end);
    }
    let mut o = out?;
    o.push_str(&text[copied..]);
    Some(o)
}

const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?', '；', ';'];
const CLAUSE_END: &[char] = &['，', '、', '：', ',', ':', ' '];

/// The `【…】` headline a flash item starts with, if any.
pub fn bracket_lead(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix('【')?;
    let end = rest.find('】')?;
    let lead = rest[..end].trim();
    (!lead.is_empty()).then_some(lead)
}

/// Removes a news-agency dateline such as `财联社5月14日电，` or
/// `新华社北京1月20日电` from the start of a text.
pub fn strip_dateline(text: &str) -> &str {
    let t = text.trim_start();
    let Some(dian) = t
        .char_indices()
        .take(40)
        .find(|&(_, c)| c == '电')
        .map(|(i, _)| i)
    else {
        return t;
    };
    let head = &t[..dian];
    let looks_like_date = head.contains('月') && head.ends_with('日');
    if !looks_like_date {
        return t;
    }
    t[dian + '电'.len_utf8()..].trim_start_matches(['，', ',', '：', ':', ' ', '　'])
}

/// A title for an item that has none: its `【…】` headline, else its first
/// sentence without the dateline, shortened at a clause boundary to at most
/// `max_chars` characters. `None` when there is no text to take one from.
pub fn title_from_lead(text: &str, max_chars: usize) -> Option<String> {
    if let Some(lead) = bracket_lead(text) {
        return Some(lead.to_string());
    }
    let body = strip_dateline(text);
    let first = first_sentence(body).trim_end_matches(SENTENCE_END).trim();
    if first.is_empty() {
        return None;
    }
    Some(shorten_at_boundary(first, max_chars))
}

/// Up to and including the first sentence end: Chinese or Latin `!?;`, a
/// line break, or a `.` followed by whitespace (so `3.5%` stays whole).
fn first_sentence(text: &str) -> &str {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = SENTENCE_END.contains(&c)
            || c == '\n'
            || (c == '.' && chars.peek().is_some_and(|&(_, next)| next.is_whitespace()));
        if ends {
            return &text[..i + c.len_utf8()];
        }
    }
    text
}

/// Cuts `text` to at most `max_chars` characters at the last clause boundary;
/// with no boundary in reach it keeps the text whole, since a long headline
/// is better than one cut inside a word.
fn shorten_at_boundary(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .take(max_chars + 1)
        .filter(|&(_, c)| CLAUSE_END.contains(&c) || SENTENCE_END.contains(&c))
        .map(|(i, _)| i)
        .last();
    match cut {
        Some(i) if i > 0 => text[..i].trim_end().to_string(),
        _ => text.to_string(),
    }
}

/// The lead of `text` as a summary: whole sentences (dateline and `【…】`
/// headline skipped) while they fit in `max_chars`; a first sentence that is
/// longer is cut at a clause boundary and ends with `…`.
pub fn lead_summary(text: &str, max_chars: usize) -> String {
    let mut body = text.trim_start();
    if let Some(lead) = bracket_lead(body) {
        let after = body.find(lead).map_or(0, |i| i + lead.len());
        body = body[after..].trim_start_matches(['】', ' ']);
    }
    let body = strip_dateline(body);
    let mut out = String::new();
    let mut used = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let sentence = first_sentence(rest);
        rest = &rest[sentence.len()..];
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        let n = sentence.chars().count();
        if used + n > max_chars {
            if out.is_empty() {
                let short = shorten_at_boundary(sentence, max_chars);
                let cut = short.chars().count() < n;
                out = short;
                if cut {
                    out.push('…');
                }
            }
            break;
        }
        if out.ends_with(|c: char| c.is_ascii_punctuation()) {
            out.push(' ');
            used += 1;
        }
        out.push_str(sentence);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_show_nothing() {
        assert_eq!(trim_invisible("\u{200d}"), "");
        assert_eq!(trim_invisible(" \u{200b}\u{feff} \u{00ad}"), "");
        assert_eq!(
            trim_invisible("\u{200d}Business Plan\u{200b}"),
            "Business Plan"
        );
        // Inside a text (an emoji sequence) a joiner stays.
        assert_eq!(trim_invisible("a\u{200d}b"), "a\u{200d}b");
        assert_eq!(trim_invisible("。"), "。");
    }

    /// The scan jumps from C1 control to C1 control; it must give what
    /// reading every character would: each maximal run of U+0080–U+00FF
    /// characters holding a C1 control, replaced when its bytes are UTF-8.
    #[test]
    fn the_fast_repair_agrees_with_reading_every_character() {
        fn reference(text: &str) -> String {
            let mut out = String::new();
            let mut run = String::new();
            let flush = |run: &mut String, out: &mut String| {
                let bytes: Vec<u8> = run.chars().map(|c| c as u32 as u8).collect();
                match std::str::from_utf8(&bytes) {
                    Ok(fixed) if run.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) => {
                        out.push_str(fixed)
                    }
                    _ => out.push_str(run),
                }
                run.clear();
            };
            for c in text.chars() {
                if ('\u{80}'..='\u{ff}').contains(&c) {
                    run.push(c);
                } else {
                    flush(&mut run, &mut out);
                    out.push(c);
                }
            }
            flush(&mut run, &mut out);
            out
        }
        let alphabet = [
            'a', ' ', '中', 'é', 'â', '\u{9c}', '\u{85}', '\u{80}', '\u{99}', 'Ã', '©', 'ä', '¸',
            '\u{ad}',
        ];
        // A fixed linear congruential sequence: the same strings every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let len = (seed >> 59) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let fast = repair_double_encoded(&text).unwrap_or_else(|| text.clone());
            assert_eq!(fast, reference(&text), "{text:?}");
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
    }

    #[test]
    fn double_encoded_utf8_is_repaired_only_where_it_is_certain() {
        // ✅ (E2 9C 85) and 中 (E4 B8 AD) read as Latin-1, written as UTF-8.
        assert_eq!(
            repair_double_encoded("Localization \u{e2}\u{9c}\u{85} done").as_deref(),
            Some("Localization ✅ done")
        );
        assert_eq!(
            repair_double_encoded(
                "\u{e4}\u{b8}\u{ad}\u{e6}\u{96}\u{87} \u{e2}\u{80}\u{9c}x\u{e2}\u{80}\u{9d}"
            )
            .as_deref(),
            Some("中文 “x”")
        );
        // Nothing to do: no C1 control anywhere.
        assert_eq!(repair_double_encoded("café, naïve, 中文, Ã©"), None);
        // A C1 control that is no UTF-8 sequence stays as it was, and so
        // does Latin-1 text beside a repaired run.
        assert_eq!(
            repair_double_encoded("caf\u{e9} \u{85} \u{e2}\u{9c}\u{85}").as_deref(),
            Some("caf\u{e9} \u{85} ✅")
        );
    }

    #[test]
    fn languages() {
        assert_eq!(
            guess_lang("美联储Collins称，一直预计生产力会继续增长。"),
            "zh"
        );
        assert_eq!(guess_lang("Fed officials said inflation is easing."), "en");
        assert_eq!(guess_lang("12345 !!"), "und");
        assert_eq!(
            guess_lang("中日平和友好条約締結45周年記念集会が東京で開催された。"),
            "ja"
        );
        assert_eq!(
            guess_lang("차기 서울중앙지검장, 이창수 거론…이르면 이번 주 인사"),
            "ko"
        );
        assert_eq!(
            guess_lang("محرومیت مربی استقلال به حالت تعلیق درآمد و او می‌تواند در بازی بعدی روی نیمکت بنشیند"),
            "fa"
        );
        assert_eq!(
            guess_lang("Escrito entre 1943 e 1945, o poema descreve um mundo e uma sociedade ilógica, sem propósito."),
            "pt"
        );
        // A Latin brand in a Chinese sentence is no English; a headline too
        // short for the trigrams, in Latin letters, is.
        assert_eq!(guess_lang("iPhone 16发布"), "zh");
        assert_eq!(
            guess_lang("2025 in Review: My favorite new-to-me games"),
            "en"
        );
    }

    /// The English shortcut takes English prose, as the trigram model
    /// does, and leaves other Latin-script languages to the model.
    #[test]
    fn the_english_shortcut_agrees_with_the_model() {
        let english = "The council met on Tuesday evening to discuss the plan, and after a long \
            debate the members agreed to fund the new bridge, which residents of the town have \
            wanted for years. The work is expected to start in the spring.";
        assert!(reads_as_english(english));
        assert_eq!(whatlang::detect_lang(english), Some(whatlang::Lang::Eng));
        let others = [
            "Czy Adrian Gała znajdzie klub, który zapewni mu ligowe starty? To jest pytanie, \
             na które trudno dziś odpowiedzieć, bo to zależy od wielu rzeczy i to nie tylko od niego.",
            "Escrito entre 1943 e 1945, o poema descreve um mundo e uma sociedade ilógica, sem \
             propósito. Mas o poeta termina dizendo que, ainda assim, uma flor nasceu no asfalto.",
            "Diyanet, karalamalara rağmen diyerek duyurdu: din adamlarına güven oranı açıklandı \
             ve yapılan araştırmanın sonuçları kamuoyu ile paylaşıldı, ayrıntılar haberimizde.",
        ];
        for text in others {
            assert!(!reads_as_english(text), "{text}");
            assert_ne!(guess_lang(text), "en", "{text}");
        }
    }

    /// Every language the model knows has its two-letter tag.
    #[test]
    fn every_model_language_has_a_two_letter_tag() {
        for &lang in whatlang::Lang::all() {
            let tag = bcp47(lang);
            assert!(
                tag.len() == 2 && tag.bytes().all(|b| b.is_ascii_lowercase()),
                "{lang:?} -> {tag}"
            );
        }
    }

    /// Stopping early gives the verdict of counting all 4,000 characters.
    #[test]
    fn stopping_early_gives_the_full_count_verdict() {
        fn full_count(text: &str) -> bool {
            let (mut cjk, mut letters) = (0usize, 0usize);
            for c in text.chars().take(4000) {
                if is_cjk(c) {
                    cjk += 1;
                } else if c.is_alphabetic() {
                    letters += 1;
                }
            }
            // The rule as first written: CJK at least a fifth of the
            // letters, other letters counted per word.
            cjk > 0 && cjk * 5 >= cjk + letters / 4
        }
        let pieces = ["央行", "Fed", "rate ", "利率", "，", " 2026 ", "a", "中"];
        let mut state = 0x9e37_79b9_u32;
        for len in [0usize, 1, 5, 40, 300, 1200, 5000] {
            for _ in 0..200 {
                let mut text = String::new();
                // Long runs of one piece: the mix changes along the text, so
                // the verdict is often decided late or flips.
                while text.chars().count() < len {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let piece = pieces[state as usize % pieces.len()];
                    for _ in 0..(state >> 8) % 60 {
                        text.push_str(piece);
                    }
                }
                assert_eq!(guess_lang(&text) == "zh", full_count(&text), "{text}");
            }
        }
    }

    #[test]
    fn titles_from_leads() {
        assert_eq!(
            title_from_lead("【纽约期银日内大涨5%】财联社5月14日电，现货白银…", 40).as_deref(),
            Some("纽约期银日内大涨5%")
        );
        assert_eq!(
            title_from_lead(
                "财联社5月14日电，数据显示，微软在与OpenAI的合作中已投资1000亿美元。",
                40
            )
            .as_deref(),
            Some("数据显示，微软在与OpenAI的合作中已投资1000亿美元")
        );
        assert_eq!(title_from_lead("财联社5月14日电，", 40), None);
        assert_eq!(title_from_lead("   ", 40), None);
    }

    #[test]
    fn long_first_sentences_are_cut_at_a_clause() {
        let t = title_from_lead("财联社5月14日电，纳斯达克综合指数涨幅扩大，现涨1.0%，最新报26363.52点，创历史新高并继续走强走强走强。", 20)
            .expect("has lead");
        assert_eq!(t, "纳斯达克综合指数涨幅扩大，现涨1.0%");
    }

    #[test]
    fn summaries_are_whole_sentences() {
        let s = lead_summary(
            "【标题】财联社5月14日电，第一句。第二句很长很长。第三句。",
            12,
        );
        assert_eq!(s, "第一句。第二句很长很长。");
        let s = lead_summary("The Fed held rates at 3.5%. It said more. And more.", 40);
        assert_eq!(s, "The Fed held rates at 3.5%. It said more.");
        let s = lead_summary(
            "新华社北京1月20日电 一个非常长的句子，中间有逗号，没有句号",
            10,
        );
        assert_eq!(s, "一个非常长的句子…");
    }
}

/// Columns a string takes in a terminal or a fixed-width layout: CJK and
/// full-width characters take two, others one.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let wide = is_cjk(c)
        || matches!(c as u32,
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0xAC00..=0xD7A3 | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    if wide {
        2
    } else {
        1
    }
}

/// Pads `s` with spaces to `width` display columns.
pub fn pad_to_width(s: &str, width: usize) -> String {
    let w = display_width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod width_tests {
    use super::*;

    #[test]
    fn cjk_takes_two_columns() {
        assert_eq!(display_width("财联社"), 6);
        assert_eq!(display_width("CNBC"), 4);
        assert_eq!(display_width("（新华社）"), 10);
        assert_eq!(pad_to_width("同花顺", 8), "同花顺  ");
    }
}
