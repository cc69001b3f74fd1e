//! Turning fetched bytes into text.
//!
//! Chinese news sites are the hard case for encodings: many still serve GBK
//! or Big5, often without saying so, and a fair number *say* UTF-8 in the
//! HTTP header (a server default) while the page itself is GBK and declares
//! that in a `<meta>` tag. So [`decode`] treats every declaration as a claim
//! to verify, in this order:
//!
//! 1. a byte order mark — unambiguous, and wins over everything;
//! 2. the HTTP `Content-Type` charset;
//! 3. for feeds, the XML declaration `<?xml … encoding="…"?>`;
//!    for pages, `<meta charset>` or `<meta http-equiv content="…charset=…">`
//!    in the first 4 KB;
//! 4. detection when nothing is declared, or when no declaration decodes
//!    the bytes without errors: first a cheap check for simplified Chinese
//!    in GB18030, tolerating a few invalid bytes (see `reads_as_gb18030`),
//!    then chardetng.
//!
//! The first declaration whose encoding decodes the whole body cleanly wins;
//! a declaration that produces errors (UTF-8 with invalid bytes, say) is
//! skipped in favour of the next one and, failing all, detection.
//!
//! GB2312, GBK and GB18030 labels all decode as **GB18030**: each is a subset
//! of the next, and GB18030 is the only one that can decode everything a
//! "GB2312" site actually sends (sites routinely use characters outside the
//! label they declare).

use encoding_rs::{Encoding, GB18030, GBK, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8};

use crate::FetchKind;

/// Where the encoding used came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CharsetSource {
    /// A byte order mark at the start of the body.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type`.
    Http,
    /// The `encoding` of the XML declaration (feeds).
    XmlDeclaration,
    /// A `<meta>` tag in the first 4 KB (pages).
    MetaTag,
    /// Nothing usable was declared; chardetng guessed from the bytes.
    Detected,
}

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
    /// Whether some bytes were not valid in `encoding` and became U+FFFD.
    pub had_errors: bool,
}

/// How far into a page `<meta>` charset declarations are looked for.
const META_SCAN_BYTES: usize = 4096;
/// How far into a feed the XML declaration is looked for (it must come first;
/// the slack allows for leading whitespace some feeds have).
const XML_DECL_SCAN_BYTES: usize = 1024;

/// Decodes a body; see the module documentation for the precedence.
pub fn decode(bytes: &[u8], http_charset: Option<&str>, kind: FetchKind) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding,
            source: CharsetSource::Bom,
            had_errors,
        };
    }

    let in_document = match kind {
        FetchKind::Feed => xml_declared_encoding(bytes).map(|e| (e, CharsetSource::XmlDeclaration)),
        FetchKind::Page => meta_declared_encoding(bytes).map(|e| (e, CharsetSource::MetaTag)),
    };
    let declared = http_charset
        .and_then(encoding_for_label)
        .map(|e| (e, CharsetSource::Http))
        .into_iter()
        .chain(in_document);
    for (encoding, source) in declared {
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return Decoded {
                text: text.into_owned(),
                encoding,
                source,
                had_errors: false,
            };
        }
    }

    if let Some((text, had_errors)) = reads_as_gb18030(bytes) {
        return Decoded {
            text,
            encoding: GB18030,
            source: CharsetSource::Detected,
            had_errors,
        };
    }
    let encoding = detect(bytes);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        source: CharsetSource::Detected,
        had_errors,
    }
}

/// The encoding for a charset label, with the GB family widened to GB18030.
/// `None` for unknown labels and for the "replacement" encoding (labels such
/// as `iso-2022-kr` that the Encoding Standard decodes to nothing useful).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    // The GB family by name (encoding_rs maps these to GBK), plus the Windows
    // code page names some Chinese sites use, which are not standard labels.
    const GB_FAMILY: [&str; 7] = [
        "gb2312",
        "gbk",
        "x-gbk",
        "gb18030",
        "cp936",
        "ms936",
        "windows-936",
    ];
    if GB_FAMILY
        .iter()
        .any(|name| label.eq_ignore_ascii_case(name))
    {
        return Some(GB18030);
    }
    match Encoding::for_label(label.as_bytes())? {
        e if e == GBK => Some(GB18030),
        e if e == REPLACEMENT => None,
        e => Some(e),
    }
}

/// The `charset` parameter of a `Content-Type` header value, as written.
pub fn charset_from_content_type(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// A declaration found by scanning ASCII bytes cannot really mean UTF-16:
/// the document would not be readable as ASCII if it were. The HTML standard
/// reads such a declaration as UTF-8; so do we, for XML too.
fn in_document_encoding(label: &[u8]) -> Option<&'static Encoding> {
    let encoding = encoding_for_label(std::str::from_utf8(label).ok()?)?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(XML_DECL_SCAN_BYTES)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let decl = head[start..].strip_prefix(b"<?xml")?;
    let decl = &decl[..find(decl, b"?>")?];
    let after = &decl[find(decl, b"encoding")? + b"encoding".len()..];
    attribute_value(after)
        .filter(|value| !value.is_empty())
        .and_then(in_document_encoding)
}

fn meta_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_SCAN_BYTES)].to_ascii_lowercase();
    let mut rest = &head[..];
    while let Some(at) = find(rest, b"<meta") {
        let tag = &rest[at + b"<meta".len()..];
        let tag = &tag[..find(tag, b">").unwrap_or(tag.len())];
        // Covers both `<meta charset="gbk">` and
        // `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`.
        if let Some(found) = find(tag, b"charset") {
            let value = attribute_value(&tag[found + b"charset".len()..]);
            if let Some(encoding) = value.and_then(in_document_encoding) {
                return Some(encoding);
            }
        }
        rest = &rest[at + b"<meta".len()..];
    }
    None
}

/// The value after `name` in `name = "value"`, `name='value'` or
/// `name=value` (the last also as it appears inside a `content` attribute).
fn attribute_value(after_name: &[u8]) -> Option<&[u8]> {
    let rest = trim_start(after_name).strip_prefix(b"=")?;
    let rest = trim_start(rest);
    let rest = match rest.first() {
        Some(b'"' | b'\'') => &rest[1..],
        _ => rest,
    };
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The 500 most frequent characters of modern Chinese, most frequent
/// first: three quarters of any Chinese text.
const COMMON_HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

/// Undeclared bytes that read as GB18030 and come out as ordinary
/// simplified Chinese: the common case of an old mainland page, settled
/// without `chardetng` (which costs more than extracting the page).
///
/// Such pages often carry a few bytes that are invalid in any GB encoding
/// (a truncated character, a stray byte from a template); up to one bad
/// sequence per hundred non-ASCII characters is tolerated, and those become
/// U+FFFD (`had_errors`). Detection would instead settle on a Latin code page
/// and turn every character into mojibake.
///
/// The test is *which* characters come out, not whether they are CJK:
/// Big5, Shift_JIS, EUC-KR and UTF-8 bytes also decode as GB18030 byte pairs,
/// often into nothing but CJK ideographs (Shift_JIS and EUC-KR entirely so),
/// but into rare ones. The 500 most common characters make up about three
/// quarters of Chinese text and stay in single digits for those, so they go
/// on to detection.
fn reads_as_gb18030(bytes: &[u8]) -> Option<(String, bool)> {
    use std::sync::LazyLock;
    /// One bit per character of U+4E00–U+9FFF, set for the common ones:
    /// every hanzi of a page is looked up, and a bit test costs a fraction
    /// of hashing the character.
    static COMMON: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; (0x9fff - 0x4e00) / 64 + 1];
        for c in COMMON_HANZI.chars() {
            let k = c as usize - 0x4e00;
            bits[k / 64] |= 1 << (k % 64);
        }
        bits
    });
    let is_common = |c: char| {
        let k = c as usize - 0x4e00;
        COMMON[k / 64] & (1 << (k % 64)) != 0
    };
    if bytes.is_ascii() {
        return None;
    }
    let (text, _) = GB18030.decode_without_bom_handling(bytes);
    let (mut non_ascii, mut bad, mut hanzi, mut common) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if c == char::REPLACEMENT_CHARACTER {
            bad += 1;
        } else if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            hanzi += 1;
            common += usize::from(is_common(c));
        }
    }
    let chinese = hanzi >= 50 && common * 100 >= hanzi * 40;
    (chinese && bad * 100 <= non_ascii).then(|| (text.into_owned(), bad > 0))
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    // ISO-2022-JP is left out (it is how script-injection tricks hide), and,
    // unlike a browser, we let detection answer UTF-8: undeclared UTF-8 is
    // the most common case on today's Chinese sites.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    match detector.guess(None, Utf8Detection::Allow) {
        e if e == GBK => GB18030,
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, EUC_KR, SHIFT_JIS, WINDOWS_1252};

    const NEWS: &str = "人民币汇率中间价上调，央行开展逆回购操作，沪深两市成交额突破一万亿元。";

    fn gbk(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = GBK.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn gb_labels_all_decode_as_gb18030() {
        for label in [
            "gb2312", "GBK", "x-gbk", "gb18030", " GB2312 ", "\"gbk\"", "cp936",
        ] {
            assert_eq!(encoding_for_label(label), Some(GB18030), "{label}");
        }
        assert_eq!(encoding_for_label("big5"), Some(BIG5));
        assert_eq!(encoding_for_label("utf8"), Some(UTF_8));
        assert_eq!(encoding_for_label("iso-2022-kr"), None);
        assert_eq!(encoding_for_label("no-such-charset"), None);
    }

    #[test]
    fn charset_parameter_is_read_from_content_type() {
        let read = charset_from_content_type;
        assert_eq!(read("text/html; charset=GBK").as_deref(), Some("GBK"));
        assert_eq!(
            read("text/html;Charset=\"big5\" ; foo=bar").as_deref(),
            Some("big5")
        );
        assert_eq!(read("text/html"), None);
        assert_eq!(read("text/html; charset="), None);
    }

    #[test]
    fn bom_wins_over_every_declaration() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(NEWS.as_bytes());
        let decoded = decode(&bytes, Some("gbk"), FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::Bom);
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(decoded.text, NEWS);
    }

    #[test]
    fn http_charset_gb2312_reads_characters_outside_gb2312() {
        // 镕 and 喆 are not in GB2312 but sites that declare it use them.
        let text = "朱镕基 陶喆";
        let decoded = decode(&gbk(text), Some("gb2312"), FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::Http);
        assert_eq!(decoded.encoding, GB18030);
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn wrong_http_utf8_falls_back_to_the_meta_tag() {
        let page = format!("<html><head><meta charset=\"gbk\"><title>{NEWS}</title>");
        let decoded = decode(&gbk(&page), Some("utf-8"), FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::MetaTag);
        assert_eq!(decoded.encoding, GB18030);
        assert_eq!(decoded.text, page);
    }

    #[test]
    fn http_equiv_meta_is_understood() {
        let page = format!(
            "<html><head>\n<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=gb2312'>\n<p>{NEWS}</p>"
        );
        let decoded = decode(&gbk(&page), None, FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::MetaTag);
        assert_eq!(decoded.text, page);
    }

    #[test]
    fn meta_after_the_first_4kb_is_not_trusted() {
        let page = format!(
            "{}<meta charset=\"shift_jis\"><p>{NEWS}</p>",
            " ".repeat(5000)
        );
        let decoded = decode(&gbk(&page), None, FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::Detected);
        assert_ne!(decoded.encoding, SHIFT_JIS);
    }

    #[test]
    fn xml_declaration_is_used_for_feeds_only() {
        let feed =
            format!("<?xml version=\"1.0\" encoding='GB2312' ?><rss><title>{NEWS}</title></rss>");
        let decoded = decode(&gbk(&feed), None, FetchKind::Feed);
        assert_eq!(decoded.source, CharsetSource::XmlDeclaration);
        assert_eq!(decoded.text, feed);
        let as_page = decode(&gbk(&feed), None, FetchKind::Page);
        assert_eq!(as_page.source, CharsetSource::Detected);
        assert_eq!(as_page.text, feed, "detection still reads it");
    }

    #[test]
    fn declared_utf16_in_an_ascii_document_means_utf8() {
        let feed = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>{NEWS}</rss>");
        let decoded = decode(feed.as_bytes(), None, FetchKind::Feed);
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(decoded.text, feed);
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let decoded = decode(&gbk(NEWS), None, FetchKind::Page);
        assert_eq!(decoded.source, CharsetSource::Detected);
        assert_eq!(decoded.encoding, GB18030);
        assert_eq!(decoded.text, NEWS);
        assert!(!decoded.had_errors);
    }

    #[test]
    fn undeclared_gbk_news_is_read_without_detection_and_big5_is_not() {
        let page = format!("<html><body><p>{}</p></body></html>", NEWS.repeat(3));
        assert_eq!(reads_as_gb18030(&gbk(&page)), Some((page.clone(), false)));
        let traditional =
            "臺灣證券交易所今日加權指數上漲，電子類股表現強勁，成交金額明顯放大。".repeat(3);
        let (big5, _, unmappable) = BIG5.encode(&traditional);
        assert!(!unmappable);
        assert_eq!(reads_as_gb18030(&big5), None);
        let decoded = decode(&big5, None, FetchKind::Page);
        assert_eq!(decoded.encoding, BIG5);
        assert_eq!(decoded.text, traditional);
        let latin = "Caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e \u{e0} la fran\u{e7}aise. ".repeat(20);
        let (latin1, _, _) = WINDOWS_1252.encode(&latin);
        assert_eq!(reads_as_gb18030(&latin1), None);
    }

    #[test]
    fn gb_bytes_with_a_few_invalid_sequences_still_read_as_gb18030() {
        let page = format!("<html><body><p>{}</p></body></html>", NEWS.repeat(3));
        let mut bytes = gbk(&page);
        bytes.insert(bytes.len() - "</p></body></html>".len(), 0xff);
        let decoded = decode(&bytes, Some("gb2312"), FetchKind::Page);
        assert_eq!(decoded.encoding, GB18030);
        assert_eq!(decoded.source, CharsetSource::Detected);
        assert!(decoded.had_errors);
        assert!(decoded.text.contains(&NEWS.repeat(3)), "{}", decoded.text);
        // Many invalid sequences: not GB after all, detection decides.
        let noisy: Vec<u8> = gbk(&page).iter().flat_map(|&b| [b, 0xff]).collect();
        assert_eq!(reads_as_gb18030(&noisy), None);
    }

    #[test]
    fn undeclared_japanese_and_korean_are_not_read_as_gb18030() {
        let japanese = "日本銀行は本日、金融政策決定会合を開き、大規模な金融緩和策を維持することを決めました。".repeat(3);
        let korean =
            "한국은행은 오늘 기준금리를 동결하기로 결정했습니다. 코스피 지수가 상승했습니다."
                .repeat(3);
        for (encoding, text) in [(SHIFT_JIS, japanese), (EUC_KR, korean)] {
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable);
            assert_eq!(reads_as_gb18030(&bytes), None, "{}", encoding.name());
            assert_eq!(decode(&bytes, None, FetchKind::Page).text, text);
        }
    }

    #[test]
    fn undeclared_big5_is_detected() {
        let text = "臺灣證券交易所今日加權指數上漲，電子類股表現強勁，成交金額明顯放大。";
        let (bytes, _, unmappable) = BIG5.encode(text);
        assert!(!unmappable);
        let decoded = decode(&bytes, None, FetchKind::Page);
        assert_eq!(decoded.encoding, BIG5);
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn plain_ascii_and_latin1_still_decode() {
        let decoded = decode(b"<p>hello</p>", None, FetchKind::Page);
        assert_eq!(decoded.text, "<p>hello</p>");
        let decoded = decode(b"caf\xe9", Some("iso-8859-1"), FetchKind::Page);
        assert_eq!(decoded.encoding, WINDOWS_1252);
        assert_eq!(decoded.text, "café");
    }
}
