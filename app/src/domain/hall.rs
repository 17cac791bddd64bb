//! What a hall visitor asks for: the search words, the filters and the order, read from the URL and
//! written back to it, so a filtered hall can be bookmarked, shared and rendered on the server. Bad
//! URL input is never an error: a value that does not parse is simply not a filter.

use super::{
    account::MerchantKind,
    money::Money,
    paging::PageNumber,
    url_query::{query_string, search_words, tag_slugs, UrlQuery},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HallSort {
    /// Newest first; the default without search words.
    #[default]
    Newest,
    /// Highest reward first.
    Reward,
    /// Soonest deadline first.
    Deadline,
    /// Best match for the search words first; the default with them.
    Relevance,
}

impl HallSort {
    pub const ALL: [HallSort; 4] = [HallSort::Newest, HallSort::Reward, HallSort::Deadline, HallSort::Relevance];

    pub fn as_str(self) -> &'static str {
        match self {
            HallSort::Newest => "newest",
            HallSort::Reward => "reward",
            HallSort::Deadline => "deadline",
            HallSort::Relevance => "relevance",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        HallSort::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

/// One hall request. `Default` is the plain hall: open tasks, newest first, page 1.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct HallQuery {
    /// The search words as typed (trimmed, at most `MAX_QUERY_CHARS`).
    pub q: String,
    /// Tag slugs, any of which a task must carry.
    pub tags: Vec<String>,
    /// Difficulty range, 1–5, both ends included.
    pub difficulty_min: Option<i16>,
    pub difficulty_max: Option<i16>,
    /// Reward range in fen, both ends included (typed in whole yuan).
    pub reward_min_fen: Option<i64>,
    pub reward_max_fen: Option<i64>,
    /// Only tasks due within this many days.
    pub due_within_days: Option<i32>,
    pub merchant_kind: Option<MerchantKind>,
    /// None: relevance with search words, newest without.
    pub sort: Option<HallSort>,
    pub page: i64,
}

impl UrlQuery for HallQuery {
    const SINGLE_KEYS: &'static [&'static str] = &["q", "dmin", "dmax", "rmin", "rmax", "due", "kind", "sort", "page"];
    const REPEATED_KEYS: &'static [&'static str] = &["tag"];

    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = HallQuery::default();
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "q" => query.q = value.to_string(),
                "tag" => query.tags.push(value.to_lowercase()),
                "dmin" => query.difficulty_min = value.parse().ok(),
                "dmax" => query.difficulty_max = value.parse().ok(),
                "rmin" => query.reward_min_fen = yuan(value),
                "rmax" => query.reward_max_fen = yuan(value),
                "due" => query.due_within_days = value.parse().ok(),
                "kind" => query.merchant_kind = MerchantKind::parse(value),
                "sort" => query.sort = HallSort::parse(value),
                "page" => query.page = PageNumber::parse(Some(value)).get(),
                _ => {}
            }
        }
        query.normalized()
    }

    fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.extend(self.tags.iter().map(|tag| ("tag", tag.clone())));
        let mut number = |key, value: Option<i64>| {
            if let Some(value) = value {
                pairs.push((key, value.to_string()));
            }
        };
        number("dmin", self.difficulty_min.map(i64::from));
        number("dmax", self.difficulty_max.map(i64::from));
        number("rmin", self.reward_min_fen.map(|fen| fen / 100));
        number("rmax", self.reward_max_fen.map(|fen| fen / 100));
        number("due", self.due_within_days.map(i64::from));
        if let Some(kind) = self.merchant_kind {
            pairs.push(("kind", kind.as_str().to_string()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort.as_str().to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        query_string(&pairs)
    }
}

impl HallQuery {
    /// The same request with every value out of range dropped: the search cut to
    /// `MAX_QUERY_CHARS`, unknown-looking or repeated tags removed (at most `MAX_TAGS`), difficulty
    /// outside 1–5, a deadline window outside 1–365 days, a page under 1.
    pub fn normalized(self) -> Self {
        let tags = tag_slugs(self.tags);
        let difficulty = |d: Option<i16>| d.filter(|d| (1..=5).contains(d));
        let q = search_words(&self.q);
        // A default order is no order: the URL stays short and the plain hall stays cacheable.
        let sort = match self.sort {
            Some(HallSort::Relevance) => None,
            Some(HallSort::Newest) if q.is_empty() => None,
            other => other,
        };
        HallQuery {
            q,
            tags,
            difficulty_min: difficulty(self.difficulty_min),
            difficulty_max: difficulty(self.difficulty_max),
            reward_min_fen: self.reward_min_fen.filter(|fen| *fen >= 0),
            reward_max_fen: self.reward_max_fen.filter(|fen| *fen >= 0),
            due_within_days: self.due_within_days.filter(|d| (1..=365).contains(d)),
            merchant_kind: self.merchant_kind,
            sort,
            page: self.page.max(1),
        }
    }

    /// The same request on another page.
    pub fn with_page(&self, page: i64) -> Self {
        HallQuery { page, ..self.clone() }
    }

    /// The plain hall (no words, no filters, default order): the one the server caches.
    pub fn is_plain(&self) -> bool {
        HallQuery { page: self.page, ..HallQuery::default() } == *self
    }

    /// Whether any filter (not the words, the order or the page) narrows the hall.
    pub fn has_filters(&self) -> bool {
        !self.tags.is_empty()
            || self.difficulty_min.is_some()
            || self.difficulty_max.is_some()
            || self.reward_min_fen.is_some()
            || self.reward_max_fen.is_some()
            || self.due_within_days.is_some()
            || self.merchant_kind.is_some()
    }

    /// The order actually used.
    pub fn effective_sort(&self) -> HallSort {
        match self.sort {
            Some(HallSort::Relevance) | None if !self.q.is_empty() => HallSort::Relevance,
            Some(HallSort::Relevance) | None => HallSort::Newest,
            Some(sort) => sort,
        }
    }
}

/// Whole yuan as typed in a filter ("500", "500.5" is not a filter value), as fen.
fn yuan(text: &str) -> Option<i64> {
    let yuan: i64 = text.parse().ok()?;
    (0..=10_000_000).contains(&yuan).then(|| Money::from_fen(yuan * 100).fen())
}

/// A PostgreSQL `tsquery` that requires every term, each quoted as a lexeme (so nothing the user
/// typed is read as query syntax). None when there is no term.
pub fn tsquery_of(terms: &[String]) -> Option<String> {
    let quoted: Vec<String> = terms.iter().map(|term| quoted_lexeme(term)).collect();
    (!quoted.is_empty()).then(|| quoted.join(" & "))
}

/// The lexeme a task's search vector holds for each of its skill tags, so a search filtered by tags
/// is one lookup in the search index. Query words cannot produce it: they never contain ':'.
pub fn tag_lexeme(slug: &str) -> String {
    format!("tag:{slug}")
}

/// `words` (a `tsquery_of`) narrowed to tasks carrying at least one of `tags`; `words` alone when no
/// tag is picked.
pub fn with_any_tag(words: &str, tags: &[String]) -> String {
    if tags.is_empty() {
        return words.to_string();
    }
    let any_tag: Vec<String> = tags.iter().map(|slug| quoted_lexeme(&tag_lexeme(slug))).collect();
    format!("({words}) & ({})", any_tag.join(" | "))
}

fn quoted_lexeme(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// Splits `text` into runs, marking those that match a search term (case-insensitively for
/// Latin letters), for highlighting. Longer terms win where terms overlap.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; then highlight nothing rather than cut a
    // character in half.
    if lower.len() != text.len() {
        return vec![(text.to_string(), false)];
    }
    let mut terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).filter(|t| !t.is_empty()).collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut marked = vec![false; text.len()];
    for term in &terms {
        let mut from = 0;
        while let Some(at) = lower[from..].find(term.as_str()) {
            let start = from + at;
            marked[start..start + term.len()].iter_mut().for_each(|m| *m = true);
            from = start + term.len();
        }
    }
    let mut runs: Vec<(String, bool)> = Vec::new();
    for (i, ch) in text.char_indices() {
        let hit = marked[i];
        match runs.last_mut() {
            Some((run, run_hit)) if *run_hit == hit => run.push(ch),
            _ => runs.push((ch.to_string(), hit)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::url_query::{MAX_QUERY_CHARS, MAX_TAGS};

    fn parse(url: &str) -> HallQuery {
        HallQuery::from_pairs(url.split('&').filter_map(|pair| pair.split_once('=')))
    }

    #[test]
    fn the_url_round_trips_every_filter() {
        let query = HallQuery {
            q: "Rust 后端".into(),
            tags: vec!["rust".into(), "vue".into()],
            difficulty_min: Some(2),
            difficulty_max: Some(4),
            reward_min_fen: Some(50_000),
            reward_max_fen: Some(200_000),
            due_within_days: Some(14),
            merchant_kind: Some(MerchantKind::Team),
            sort: Some(HallSort::Reward),
            page: 3,
        };
        let url = query.to_query_string();
        assert_eq!(
            url,
            "q=Rust%20%E5%90%8E%E7%AB%AF&tag=rust&tag=vue&dmin=2&dmax=4&rmin=500&rmax=2000&due=14&kind=team&sort=reward&page=3"
        );
        // The browser decodes before the router hands pairs over.
        let decoded = url.replace("Rust%20%E5%90%8E%E7%AB%AF", "Rust 后端");
        assert_eq!(parse(&decoded), query);
        assert_eq!(HallQuery::default().to_query_string(), "");
    }

    #[test]
    fn bad_url_values_are_ignored_not_errors() {
        let query =
            parse("dmin=9&dmax=abc&rmin=-5&rmax=1e9&due=0&kind=alien&sort=';drop&page=-3&tag=<script>&tag=RUST");
        assert_eq!(query, HallQuery { tags: vec!["rust".into()], page: 1, ..HallQuery::default() });
        let long = "数".repeat(2_000);
        assert_eq!(parse(&format!("q={long}")).q.chars().count(), MAX_QUERY_CHARS);
        let many: Vec<String> = (0..20).map(|i| format!("tag=t{i}")).collect();
        assert_eq!(parse(&many.join("&")).tags.len(), MAX_TAGS);
    }

    #[test]
    fn search_words_sort_by_relevance_unless_another_order_is_chosen() {
        assert_eq!(parse("").effective_sort(), HallSort::Newest);
        assert_eq!(parse("sort=relevance").effective_sort(), HallSort::Newest, "nothing to be relevant to");
        assert_eq!(parse("q=rust").effective_sort(), HallSort::Relevance);
        assert_eq!(parse("q=rust&sort=deadline").effective_sort(), HallSort::Deadline);
    }

    #[test]
    fn only_the_plain_hall_is_plain() {
        assert!(parse("page=4").is_plain());
        assert!(parse("sort=newest&dmin=&rmax=").is_plain(), "the form's defaults and empty fields");
        assert!(!parse("q=rust").is_plain());
        assert!(!parse("sort=reward").is_plain());
        assert!(!parse("due=7").is_plain());
        assert!(parse("due=7").has_filters() && !parse("q=rust&sort=reward").has_filters());
    }

    #[test]
    fn a_tsquery_quotes_every_term_so_input_is_never_syntax() {
        assert_eq!(tsquery_of(&["rust".into(), "后端".into()]), Some("'rust' & '后端'".into()));
        assert_eq!(tsquery_of(&["o'neil".into(), "a\\b".into()]), Some("'o''neil' & 'a\\\\b'".into()));
        assert_eq!(tsquery_of(&[]), None);
        let words = tsquery_of(&["rust".into()]).unwrap();
        assert_eq!(with_any_tag(&words, &[]), "'rust'");
        assert_eq!(with_any_tag(&words, &["python".into(), "o'k".into()]), "('rust') & ('tag:python' | 'tag:o''k')");
    }

    #[test]
    fn highlights_mark_every_match_in_either_case() {
        let runs = highlight("React 与 react 小程序", &["react".into(), "小程序".into()]);
        let marked: Vec<&str> = runs.iter().filter(|(_, hit)| *hit).map(|(run, _)| run.as_str()).collect();
        assert_eq!(marked, ["React", "react", "小程序"]);
        assert_eq!(runs.iter().map(|(run, _)| run.as_str()).collect::<String>(), "React 与 react 小程序");
        assert_eq!(highlight("无匹配", &["rust".into()]), vec![("无匹配".to_string(), false)]);
    }
}
