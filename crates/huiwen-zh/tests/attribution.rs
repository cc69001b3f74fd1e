//! Attribution lines taken from real items: the seed page, the flash
//! corpus (财联社, 同花顺, 东方财富) and the RSS corpus (36氪, 虎嗅, 人民网).

use huiwen_zh::attribution::{parse_attribution, strip_attribution};

#[derive(Debug, Default)]
struct Want {
    outlet: Option<&'static str>,
    author: Option<&'static str>,
    original_title: Option<&'static str>,
    editor: Option<&'static str>,
}

#[test]
fn real_attribution_lines() {
    let table: &[(&str, Want)] = &[
        (
            "【文/观察者网 陈思佳】美国对英伟达最先进的人工智能(AI)芯片实施了对华出口管制",
            Want {
                outlet: Some("观察者网"),
                author: Some("陈思佳"),
                ..Default::default()
            },
        ),
        (
            "观点网讯：1月20日，美的置业集团有限公司发布2024年度第一期中",
            Want {
                outlet: Some("观点网"),
                ..Default::default()
            },
        ),
        (
            // 滚动播报 is the portal's channel; the lead names the outlet.
            "来源:滚动播报 汇通财经APP讯——周二亚洲交易时段，美元兑加元",
            Want {
                outlet: Some("汇通财经"),
                ..Default::default()
            },
        ),
        (
            "汇通财经APP讯——周二亚洲交易时段，美元兑加元",
            Want {
                outlet: Some("汇通财经"),
                ..Default::default()
            },
        ),
        (
            "智通财经APP获悉，花旗集团日本市场主管Akira Hoshino",
            Want {
                outlet: Some("智通财经"),
                ..Default::default()
            },
        ),
        (
            "每经AI快讯，1月20日，现货黄金突破4710美元/盎司，日内涨0.86%。",
            Want {
                outlet: Some("每日经济新闻"),
                ..Default::default()
            },
        ),
        (
            "人民币兑美元中间价报7.0006，上调45.00点。(科股宝播报)",
            Want {
                outlet: Some("科股宝播报"),
                ..Default::default()
            },
        ),
        (
            "怡亚通控股子公司北京卓优云智科技有限公司成功中标。（人民财讯）",
            Want {
                outlet: Some("人民财讯"),
                ..Default::default()
            },
        ),
        (
            "财联社5月14日电，美联储Collins称，一直预计生产力会继续增长。",
            Want {
                outlet: Some("财联社"),
                ..Default::default()
            },
        ),
        (
            "新华社北京1月20日电 据央行网站消息",
            Want {
                outlet: Some("新华社"),
                ..Default::default()
            },
        ),
        (
            "证券之星1月20日盘中消息，13点18分湖南白银(002716)触及涨停板。",
            Want {
                outlet: Some("证券之星"),
                ..Default::default()
            },
        ),
        (
            "【湖南白银触及涨停】证券之星1月20日盘中消息，13点18分湖南白银(002716)触及涨停板。",
            Want {
                outlet: Some("证券之星"),
                ..Default::default()
            },
        ),
        (
            "钛媒体App 1月20日消息，人民币兑美元中间价报7.0006。",
            Want {
                outlet: Some("钛媒体"),
                ..Default::default()
            },
        ),
        (
            "现货黄金突破4710美元/盎司，日内涨0.86%。 每日经济新闻",
            Want {
                outlet: Some("每日经济新闻"),
                ..Default::default()
            },
        ),
        (
            "36氪获悉，某公司完成新一轮融资。",
            Want {
                outlet: Some("36氪"),
                ..Default::default()
            },
        ),
        (
            "《科创板日报》18日讯，某公司发布公告。",
            Want {
                outlet: Some("科创板日报"),
                ..Default::default()
            },
        ),
        (
            "财联社记者采访获悉，多家银行下调存款利率。",
            Want {
                outlet: Some("财联社"),
                ..Default::default()
            },
        ),
        (
            "记者从国铁集团获悉，暑运期间全国铁路发送旅客4亿人次。",
            Want::default(),
        ),
        (
            "文｜周鑫雨\n编辑｜苏建勋\n大模型公司又有新进展。",
            Want {
                author: Some("周鑫雨"),
                editor: Some("苏建勋"),
                ..Default::default()
            },
        ),
        (
            "正文第一段。\n原标题：金观平：规模化创新为发展注入充沛动能\n责任编辑：王璐",
            Want {
                original_title: Some("金观平：规模化创新为发展注入充沛动能"),
                editor: Some("王璐"),
                ..Default::default()
            },
        ),
        (
            "编辑：壮壮，原文标题：《今日市场观察》",
            Want {
                editor: Some("壮壮"),
                original_title: Some("今日市场观察"),
                ..Default::default()
            },
        ),
        (
            "本文来源：每日经济新闻）",
            Want {
                outlet: Some("每日经济新闻"),
                ..Default::default()
            },
        ),
        (
            "据交易所数据显示，招金黄金连续两个交易日涨停。",
            Want::default(),
        ),
        ("热门资讯：央行新规2026年施行", Want::default()),
    ];
    let mut wrong = Vec::new();
    for (text, want) in table {
        let got = parse_attribution(text);
        let ok = got.outlet.as_deref() == want.outlet
            && got.author.as_deref() == want.author
            && got.original_title.as_deref() == want.original_title
            && got.editor.as_deref() == want.editor;
        if !ok {
            wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
        }
        for span in &got.spans {
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn attribution_is_removed_from_matching_text() {
    assert_eq!(
        strip_attribution("【文/观察者网 陈思佳】美国对英伟达实施了出口管制。"),
        "美国对英伟达实施了出口管制。"
    );
    assert_eq!(
        strip_attribution("财联社5月14日电，美联储Collins称，生产力会继续增长。"),
        "美联储Collins称，生产力会继续增长。"
    );
    assert_eq!(
        strip_attribution("中标总金额9488.63万元。（人民财讯）"),
        "中标总金额9488.63万元。"
    );
    // Chinese needs no space where a line was taken out.
    assert_eq!(
        strip_attribution("第一句。（人民财讯）第二句。"),
        "第一句。第二句。"
    );
    // Two reposts of one story match once their attribution is gone.
    let a = strip_attribution("每经AI快讯，现货黄金突破4710美元/盎司。");
    let b = strip_attribution("智通财经APP获悉，现货黄金突破4710美元/盎司。");
    assert_eq!(a, b);
}
