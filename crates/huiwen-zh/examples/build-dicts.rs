//! Regenerates the data files huiwen-zh ships in `data/`:
//!
//! * `t2s-chars.txt` — traditional → simplified characters, one `繁简` pair
//!   a line: every CJK character the `character_converter` crate (OpenCC's
//!   tables, MIT) maps to a single different character.
//! * `securities.tsv` — `name<TAB>kind<TAB>code<TAB>market<TAB>context`:
//!   every security name labelled in the `stocks` field of the finance-flash
//!   corpus, its kind (stock, index, commodity, fund), the code it is quoted
//!   with most often in the texts (`湖南白银(002716)`), and whether the
//!   share of the labelled texts containing the name that label it
//!   (`labelled`; low for names that are also ordinary words: 机器人, 玻璃,
//!   原油; `-` when seen fewer than 3 times).
//! * `finance.dict` — the jieba user dictionary: those names plus the hand
//!   lists below (indices, central banks and regulators, commodities and
//!   instruments).
//! * `idf.txt` — `word<TAB>idf` fitted on the flash, CCTV and RSS corpora
//!   (words in at least 3 documents).
//!
//! ```sh
//! cargo run -p huiwen-zh --example build-dicts --release --features gen -- ../shared
//! ```
//!
//! `stopwords.txt` is written by hand and not generated.

use flate2::read::GzDecoder;
use huiwen_zh::eval::exchange_name_base;
use huiwen_zh::seg::{Mode, Segmenter};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Indices the flash news quotes.
const INDICES: &[&str] = &[
    "上证指数",
    "上证综指",
    "沪指",
    "深证成指",
    "深成指",
    "创业板指",
    "创业板指数",
    "科创50",
    "科创综指",
    "北证50",
    "沪深300",
    "中证500",
    "中证1000",
    "中证2000",
    "中证A500",
    "上证50",
    "恒生指数",
    "恒指",
    "恒生科技指数",
    "恒生科技",
    "国企指数",
    "恒生中国企业指数",
    "道指",
    "道琼斯指数",
    "道琼斯工业平均指数",
    "纳指",
    "纳斯达克指数",
    "纳斯达克综合指数",
    "纳斯达克100指数",
    "标普500指数",
    "标普500",
    "费城半导体指数",
    "日经225指数",
    "日经指数",
    "韩国综合指数",
    "韩国KOSPI指数",
    "富时100指数",
    "德国DAX指数",
    "法国CAC40指数",
    "欧洲斯托克50指数",
    "美元指数",
    "万得全A",
    "Wind全A",
];

/// Central banks, regulators, exchanges and ministries.
const INSTITUTIONS: &[&str] = &[
    "中国人民银行",
    "人民银行",
    "央行",
    "美联储",
    "欧洲央行",
    "日本央行",
    "英国央行",
    "英格兰银行",
    "瑞士央行",
    "澳洲联储",
    "加拿大央行",
    "韩国央行",
    "印度央行",
    "俄罗斯央行",
    "中国证监会",
    "证监会",
    "国家金融监督管理总局",
    "金融监管总局",
    "国家外汇管理局",
    "外汇局",
    "财政部",
    "国家发展改革委",
    "国家发改委",
    "发改委",
    "工业和信息化部",
    "工信部",
    "商务部",
    "国务院国资委",
    "国资委",
    "上交所",
    "上海证券交易所",
    "深交所",
    "深圳证券交易所",
    "北交所",
    "北京证券交易所",
    "港交所",
    "香港联交所",
    "纽交所",
    "纳斯达克交易所",
    "中国结算",
    "中证协",
    "国家统计局",
    "海关总署",
    "美国证券交易委员会",
    "美国商务部",
    "美国财政部",
    "国际货币基金组织",
    "世界银行",
    "欧佩克",
    "欧佩克+",
    "外交部",
    "外交部发言人",
];

/// Commodities and futures as the flash news names them.
const COMMODITIES: &[&str] = &[
    "现货黄金",
    "现货白银",
    "纽约期金",
    "纽约期银",
    "COMEX黄金",
    "COMEX白银",
    "伦敦金",
    "伦敦银",
    "伦铜",
    "伦铝",
    "布伦特原油",
    "WTI原油",
    "美油",
    "布油",
    "原油",
    "燃油",
    "低硫燃油",
    "沥青",
    "LPG",
    "甲醇",
    "乙二醇",
    "PTA",
    "PP",
    "PVC",
    "聚丙烯",
    "聚乙烯",
    "纯苯",
    "苯乙烯",
    "塑料",
    "橡胶",
    "20号胶",
    "合成橡胶",
    "纯碱",
    "玻璃",
    "烧碱",
    "尿素",
    "焦煤",
    "焦炭",
    "动力煤",
    "铁矿石",
    "铁矿",
    "螺纹钢",
    "热卷",
    "不锈钢",
    "硅铁",
    "锰硅",
    "工业硅",
    "多晶硅",
    "碳酸锂",
    "沪金",
    "沪银",
    "沪铜",
    "沪铝",
    "沪锌",
    "沪镍",
    "沪锡",
    "沪铅",
    "氧化铝",
    "集运指数",
    "集运欧线",
    "生猪",
    "鸡蛋",
    "豆粕",
    "豆油",
    "菜粕",
    "菜油",
    "棕榈油",
    "玉米",
    "淀粉",
    "棉花",
    "白糖",
    "苹果期货",
    "红枣",
    "花生",
    "纸浆",
    "原木",
    "国债期货",
    "股指期货",
];

/// Outlets whose names appear in datelines and attribution lines.
const OUTLETS: &[&str] = &[
    "财联社",
    "同花顺",
    "东方财富",
    "东方财富网",
    "每经",
    "每日经济新闻",
    "智通财经",
    "格隆汇",
    "观察者网",
    "证券时报",
    "证券时报网",
    "中国证券报",
    "上海证券报",
    "证券日报",
    "中新网",
    "中新社",
    "新华社",
    "人民网",
    "央视新闻",
    "第一财经",
    "华尔街见闻",
    "36氪",
    "钛媒体",
    "虎嗅",
    "界面新闻",
    "澎湃新闻",
    "新浪财经",
    "21世纪经济报道",
    "经济观察报",
    "科创板日报",
    "汇通财经",
    "金十数据",
    "证券之星",
    "观点网",
    "彭博社",
    "路透社",
    "FT中文网",
];

/// Instruments and policy tools.
const INSTRUMENTS: &[&str] = &[
    "逆回购",
    "中期借贷便利",
    "MLF",
    "LPR",
    "贷款市场报价利率",
    "存款准备金率",
    "降准",
    "降息",
    "加息",
    "美债收益率",
    "10年期美债收益率",
    "国债收益率",
    "离岸人民币",
    "在岸人民币",
    "人民币中间价",
    "可转债",
    "ETF",
    "REITs",
    "北向资金",
    "南向资金",
    "两融余额",
    "融资余额",
    "大宗交易",
    "龙虎榜",
    "涨停板",
    "跌停板",
    "连板",
    "首板",
    "炸板",
    "封板率",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");

    write_t2s(&out.join("t2s-chars.txt"))?;

    let flash = read_jsonl(&shared.join("data/news/finance-flash.dev.jsonl.gz"))?;
    eprintln!("{} flash items", flash.len());
    let securities = securities(&flash);
    let mut f = std::fs::File::create(out.join("securities.tsv"))?;
    writeln!(
        f,
        "# name\tkind\tcode\tmarket\tlabelled — generated by examples/build-dicts.rs"
    )?;
    for (name, s) in &securities {
        let labelled = s
            .labelled_share
            .map_or_else(|| "-".to_string(), |r| format!("{r:.2}"));
        writeln!(
            f,
            "{name}\t{}\t{}\t{}\t{labelled}",
            s.kind, s.code, s.market
        )?;
    }
    eprintln!("{} securities", securities.len());

    let plain = Segmenter::plain();
    let mut dict = BTreeMap::new();
    let names = securities
        .keys()
        .map(String::as_str)
        .chain(INDICES.iter().copied())
        .chain(INSTITUTIONS.iter().copied())
        .chain(COMMODITIES.iter().copied())
        .chain(INSTRUMENTS.iter().copied())
        .chain(OUTLETS.iter().copied());
    for name in names {
        let name = name.trim();
        // Names jieba cannot hold as one word (spaces) or already knows are
        // left alone: re-weighting known words is what costs F1 on
        // ordinary text.
        if name.chars().count() < 2 || name.contains(char::is_whitespace) {
            continue;
        }
        // The segmenter reads text with its case kept.
        let norm = huiwen_zh::normalize::normalize_keep_case(name);
        if plain.jieba().has_word(&norm) {
            continue;
        }
        dict.insert(norm, 300usize);
    }
    let mut f = std::fs::File::create(out.join("finance.dict"))?;
    for (word, freq) in &dict {
        writeln!(f, "{word} {freq} nz")?;
    }
    eprintln!("{} finance dictionary words", dict.len());

    // The IDF table, cut with the new dictionary.
    let dict_text = std::fs::read_to_string(out.join("finance.dict"))?;
    let seg = Segmenter::with_user_dict(&dict_text)?;
    let mut docs: Vec<String> = flash
        .iter()
        .map(|d| format!("{} {}", str_field(d, "title"), str_field(d, "content")))
        .collect();
    for d in read_jsonl(&shared.join("data/news/cctv-xinwenlianbo.jsonl.gz"))? {
        docs.push(format!(
            "{} {}",
            str_field(&d, "title"),
            str_field(&d, "content")
        ));
    }
    let tag = Regex::new(r"<[^>]*>")?;
    for d in read_jsonl(&shared.join("data/news/finance-rss-items.jsonl.gz"))? {
        let summary = tag.replace_all(str_field(&d, "summary"), " ");
        docs.push(format!("{} {}", str_field(&d, "title"), summary));
    }
    let mut df: HashMap<String, u32> = HashMap::new();
    for doc in &docs {
        let words: HashSet<String> = seg
            .words(doc, Mode::Coarse)
            .into_iter()
            .map(|t| t.norm().into_owned())
            .collect();
        for w in words {
            *df.entry(w).or_default() += 1;
        }
    }
    let n = docs.len() as f64;
    let mut rows: Vec<(String, f64)> = df
        .into_iter()
        .filter(|(w, c)| *c >= 3 && !w.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .map(|(w, c)| (w, (n / f64::from(c)).ln()))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut f = std::fs::File::create(out.join("idf.txt"))?;
    writeln!(
        f,
        "# word\tidf over {} documents — generated by examples/build-dicts.rs",
        docs.len()
    )?;
    for (w, idf) in &rows {
        writeln!(f, "{w}\t{idf:.3}")?;
    }
    eprintln!("{} idf rows over {} documents", rows.len(), docs.len());
    Ok(())
}

fn write_t2s(path: &Path) -> std::io::Result<()> {
    let mut map = Vec::new();
    let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let s = c.to_string();
        let simplified = character_converter::traditional_to_simplified(&s);
        let mut chars = simplified.chars();
        if let (Some(t), None) = (chars.next(), chars.next()) {
            // A common character never maps to a rare one (OpenCC sends
            // 宁 to 㝉 in its variant table: wrong for modern text).
            let rare = |x: char| (0x3400..=0x4DBF).contains(&(x as u32));
            if t != c && (rare(c) || !rare(t)) {
                map.push((c, t));
            }
        }
    }
    // A character that is itself the simplified form of another (宁 for
    // 寧) is simplified already and stays as it is.
    let targets: HashSet<char> = map.iter().map(|&(_, t)| t).collect();
    let pairs: Vec<String> = map
        .into_iter()
        .filter(|(c, _)| !targets.contains(c))
        .map(|(c, t)| format!("{c}{t}"))
        .collect();
    std::fs::write(path, pairs.join("\n") + "\n")?;
    eprintln!("{} traditional→simplified pairs", pairs.len());
    Ok(())
}

fn read_jsonl(path: &Path) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(path)?));
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if let Ok(v) = serde_json::from_str(&line) {
            out.push(v);
        }
    }
    Ok(out)
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

#[derive(Debug, Default)]
struct Security {
    kind: &'static str,
    code: String,
    market: String,
    /// Share of the labelled texts containing the name that label it
    /// (`None`: seen in fewer than 3).
    labelled_share: Option<f64>,
}

/// Labelled names, with their most frequent quoted code and whether the
/// labellers tag them every time they occur.
fn securities(flash: &[Value]) -> BTreeMap<String, Security> {
    let mut occurs: HashMap<String, (u32, u32)> = HashMap::new();
    let mut names: HashSet<String> = HashSet::new();
    for d in flash {
        names.extend(label_names(d));
    }
    // How often a name is labelled when it occurs, over the items whose
    // labels are names (cls, ths) and not empty: the population the
    // entity goal is measured on.
    let matcher = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(names.iter())
        .ok();
    let name_list: Vec<&String> = names.iter().collect();
    let mut codes: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let quoted = Regex::new(
        r"([\p{Han}A-Za-z0-9\-]{2,12})[（(]\s*((?:\d{6}|\d{5}|\d{4})(?:\.(?:SH|SZ|BJ|HK))?|[A-Z]{1,5}(?:\.(?:US|O|N))?)\s*[）)]",
    )
    .ok();
    for d in flash {
        let text = format!("{}\n{}", str_field(d, "title"), str_field(d, "content"));
        if let Some(re) = &quoted {
            for c in re.captures_iter(&text) {
                let (Some(n), Some(code)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                // The longest label name the quoted phrase ends with.
                let phrase = n.as_str();
                if let Some(name) = (0..phrase.len())
                    .filter(|&i| phrase.is_char_boundary(i))
                    .map(|i| &phrase[i..])
                    .find(|s| names.contains(*s))
                {
                    *codes
                        .entry(name.to_string())
                        .or_default()
                        .entry(code.as_str().to_string())
                        .or_default() += 1;
                }
            }
        }
        let labels = label_names(d);
        if labels.is_empty() {
            continue;
        }
        if let Some(m) = &matcher {
            let found: HashSet<&str> = m
                .find_iter(&text)
                .map(|hit| name_list[hit.pattern().as_usize()].as_str())
                .collect();
            for name in found {
                let e = occurs.entry(name.to_string()).or_default();
                e.0 += 1;
                if labels.contains(name) {
                    e.1 += 1;
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    // Indices and commodities from the hand lists, for names the labels
    // never used; a labelled name below keeps its labelled share.
    for name in INDICES.iter().chain(COMMODITIES) {
        out.insert(
            (*name).to_string(),
            Security {
                kind: kind_of(name),
                ..Security::default()
            },
        );
    }
    for name in names {
        let (seen, labelled) = occurs.get(&name).copied().unwrap_or((0, 0));
        let kind = kind_of(&name);
        // The code quoted most often after the name, when it is quoted at
        // least twice and in most of the quotes: one `机器人(AMR)` must not
        // make AMR the code of robots.
        let code = codes
            .get(&name)
            .and_then(|c| {
                let total: u32 = c.values().sum();
                let (code, n) = c.iter().max_by_key(|(code, n)| (**n, code.as_str()))?;
                let us = code.starts_with(|ch: char| ch.is_ascii_alphabetic());
                let plausible = kind == "stock" || !us;
                (*n >= 2 && *n * 2 > total && plausible).then(|| code.clone())
            })
            .unwrap_or_default();
        let (code, market) = split_code(&code);
        out.insert(
            name,
            Security {
                kind,
                code,
                market,
                labelled_share: (seen >= 3).then(|| f64::from(labelled) / f64::from(seen)),
            },
        );
    }
    out
}

/// An item's label names, each also as the name the texts use when the
/// label is an exchange short name with padding or a share-class mark
/// (`奥比中光-W` also labels `奥比中光`, `五 粮 液` also `五粮液`): counting
/// only the exact label would make `奥比中光` look unlabelled wherever it
/// occurs. Names a status prefix cut short (`XD宏和科`) are kept as they are.
fn label_names(d: &Value) -> HashSet<String> {
    let mut out = HashSet::new();
    let labels = d
        .get("stocks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("name").and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    for label in labels {
        let base = exchange_name_base(label);
        if !base.truncated && !base.name.is_empty() {
            out.insert(base.name);
        }
        out.insert(label.to_string());
    }
    out
}

fn kind_of(name: &str) -> &'static str {
    if COMMODITIES.contains(&name) || name.ends_with("期货") {
        "commodity"
    } else if INDICES.contains(&name)
        || name.ends_with("指数")
        || name.ends_with('指')
        || [
            "科创50",
            "沪深300",
            "中证500",
            "中证1000",
            "上证50",
            "北证50",
        ]
        .contains(&name)
    {
        "index"
    } else if name.contains("ETF") || name.contains("LOF") || name.ends_with("基金") {
        "fund"
    } else {
        "stock"
    }
}

fn split_code(code: &str) -> (String, String) {
    match code.split_once('.') {
        Some((c, m)) => (
            c.to_string(),
            match m {
                "O" | "N" => "US".to_string(),
                m => m.to_string(),
            },
        ),
        None if code.is_empty() => (String::new(), String::new()),
        None => (
            code.to_string(),
            huiwen_zh::entities::market_of(code).to_string(),
        ),
    }
}
