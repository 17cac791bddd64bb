//! Chinese and English segmentation for the hall's search (server only: jieba's dictionary is
//! several megabytes). PostgreSQL has no Chinese parser here, so words are cut in Rust, both when a
//! task is written (`index_terms`, fine-grained, so "数据分析看板" is found by "数据分析" and by
//! "看板") and when a query arrives (`query_terms`, whole words), and PostgreSQL only matches
//! lexemes that were cut already.

use jieba_rs::Jieba;
use std::sync::LazyLock;

/// Loading the dictionary takes a few hundred milliseconds: once per process.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in TRADE_WORDS {
        let freq = jieba.suggest_freq(word).max(10_000);
        jieba.add_word(word, Some(freq), None);
    }
    jieba
});

/// Words of the trade that jieba's general dictionary would split ("小程序" into 小 + 程序 after
/// 微信, "看板" into 看 + 板), so that a task and a query cut them the same way.
const TRADE_WORDS: &[&str] = &[
    "小程序",
    "公众号",
    "看板",
    "大屏",
    "数据分析",
    "可视化",
    "前端",
    "后端",
    "全栈",
    "前后端",
    "接口",
    "微服务",
    "爬虫",
    "运维",
    "部署",
    "数据库",
    "后台",
    "管理后台",
    "移动端",
    "安卓",
    "鸿蒙",
    "商城",
    "官网",
    "落地页",
    "机器学习",
    "深度学习",
    "大模型",
    "算法",
    "自动化",
    "脚本",
    "插件",
    "组件",
    "重构",
    "设计稿",
    "原型",
    "交互",
    "海报",
    "剪辑",
    "文案",
    "翻译",
    "测试",
    "性能优化",
    "高并发",
    "支付",
];

/// Loads the dictionary now (at startup) instead of during the first search.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Terms to index for a text: every word and the shorter words inside long ones, lowercased,
/// without punctuation or spaces.
pub fn index_terms(text: &str) -> Vec<String> {
    terms(JIEBA.cut_for_search(text, true).into_iter().map(|token| token.word))
}

/// Terms a query must all match: its whole words, lowercased, without punctuation or spaces
/// ("Rust 后端" → rust, 后端).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = terms(JIEBA.cut(query, true).into_iter().map(|token| token.word));
    terms.dedup();
    terms.truncate(12);
    terms
}

fn terms<'a>(words: impl Iterator<Item = &'a str>) -> Vec<String> {
    words.map(|word| word.trim().to_lowercase()).filter(|word| word.chars().any(char::is_alphanumeric)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_words_and_latin_is_lowercased() {
        let indexed = index_terms("做一个数据分析看板，接入微信小程序");
        for word in ["数据", "分析", "数据分析", "看板", "小程序"] {
            assert!(indexed.iter().any(|t| t == word), "{word} in {indexed:?}");
        }
        assert!(!indexed.iter().any(|t| t == "，"), "punctuation is not a term");
        assert_eq!(query_terms("Rust 后端"), ["rust", "后端"]);
        assert_eq!(query_terms("React"), ["react"]);
        assert_eq!(query_terms("  ;--  "), Vec::<String>::new());
        // No query word can be a task's tag lexeme (`domain::hall::tag_lexeme`).
        assert_eq!(query_terms("tag:python"), ["tag", "python"]);
    }

    #[test]
    fn a_query_word_is_found_among_the_index_terms_of_a_longer_phrase() {
        let indexed = index_terms("微信小程序开发");
        for term in query_terms("小程序") {
            assert!(indexed.contains(&term), "{term} in {indexed:?}");
        }
    }
}
