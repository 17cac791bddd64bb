//! What a merchant asks `/developers` for: words, skill tags (any or all of them), the lowest
//! level, the lowest rating, an availability and the highest hourly rate, read from the URL and
//! written back to it like the hall's (`domain::hall::HallQuery`). Bad URL input is never an error:
//! a value that does not parse is simply not a filter.

use super::AvailabilityStatus;
use crate::domain::{
    growth::Level,
    hall::{tag_lexeme, tsquery_of},
    paging::PageNumber,
    url_query::{query_string, search_words, tag_slugs, UrlQuery},
};
use serde::{Deserialize, Serialize};
/// The highest hourly rate a filter takes, in yuan.
const MAX_RATE_YUAN: i64 = 100_000;

/// One `/developers` request. `Default` is the plain list: every developer, best standing first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct TalentQuery {
    /// The search words as typed (trimmed, at most `MAX_QUERY_CHARS`).
    pub q: String,
    /// Skill-tag slugs.
    pub tags: Vec<String>,
    /// A developer must have every tag picked (`match=all`), not just one of them.
    pub all_tags: bool,
    pub level_min: Option<Level>,
    /// The lowest average rating, in tenths of a star (45 = 4.5★), 10–50.
    pub rating_min_x10: Option<i16>,
    /// Availability on the day of the search (`Availability::on`).
    pub availability: Option<AvailabilityStatus>,
    /// Only developers who stated an hourly rate of at most this (typed in whole yuan).
    pub rate_max_fen: Option<i64>,
    pub page: i64,
}

impl UrlQuery for TalentQuery {
    const SINGLE_KEYS: &'static [&'static str] = &["q", "match", "level", "rating", "avail", "rate", "page"];
    const REPEATED_KEYS: &'static [&'static str] = &["tag"];

    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = TalentQuery::default();
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "q" => query.q = value.to_string(),
                "tag" => query.tags.push(value.to_lowercase()),
                "match" => query.all_tags = value == "all",
                "level" => query.level_min = Level::parse(&value.to_uppercase()),
                "rating" => query.rating_min_x10 = tenths(value),
                "avail" => query.availability = AvailabilityStatus::parse(value),
                "rate" => query.rate_max_fen = value.parse::<i64>().ok().map(|yuan| yuan.saturating_mul(100)),
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
        if self.all_tags {
            pairs.push(("match", "all".into()));
        }
        if let Some(level) = self.level_min {
            pairs.push(("level", level.as_str().into()));
        }
        if let Some(rating) = self.rating_min_x10 {
            pairs.push(("rating", tenths_text(rating)));
        }
        if let Some(availability) = self.availability {
            pairs.push(("avail", availability.as_str().into()));
        }
        if let Some(fen) = self.rate_max_fen {
            pairs.push(("rate", (fen / 100).to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        query_string(&pairs)
    }
}

impl TalentQuery {
    /// The same request with every value out of range dropped: the words cut to `MAX_QUERY_CHARS`,
    /// malformed or repeated tags removed (at most `MAX_TAGS`), "all tags" without two tags to
    /// combine, level C (everyone has it), a rating outside 1–5★, a rate outside ¥0–100,000.
    pub fn normalized(self) -> Self {
        let tags = tag_slugs(self.tags);
        let q = search_words(&self.q);
        TalentQuery {
            q,
            all_tags: self.all_tags && tags.len() > 1,
            tags,
            level_min: self.level_min.filter(|level| *level > Level::C),
            rating_min_x10: self.rating_min_x10.filter(|r| (10..=50).contains(r)),
            availability: self.availability,
            rate_max_fen: self.rate_max_fen.filter(|fen| (0..=MAX_RATE_YUAN * 100).contains(fen)),
            page: self.page.max(1),
        }
    }

    /// The same request on another page.
    pub fn with_page(&self, page: i64) -> Self {
        TalentQuery { page, ..self.clone() }
    }

    /// Whether words or any filter narrow the list.
    pub fn is_narrowed(&self) -> bool {
        TalentQuery { page: self.page, ..TalentQuery::default() } != *self
    }
}

/// "4.5" as tenths (45); whole stars too ("4" is 40).
fn tenths(text: &str) -> Option<i16> {
    let (whole, tenth) = text.split_once('.').unwrap_or((text, "0"));
    if tenth.len() != 1 {
        return None;
    }
    let (whole, tenth) = (whole.parse::<i16>().ok()?, tenth.parse::<i16>().ok()?);
    ((0..=9).contains(&whole) && (0..=9).contains(&tenth)).then_some(whole * 10 + tenth)
}

/// Tenths as typed: 45 is "4.5", 40 is "4".
pub fn tenths_text(tenths: i16) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        tenth => format!("{}.{tenth}", tenths / 10),
    }
}

/// The `tsquery` that ranks: every search word (None without words).
pub fn words_tsquery(terms: &[String]) -> Option<String> {
    tsquery_of(terms)
}

/// The `tsquery` that selects: every search word, and the tags picked (any or all of them) as
/// their `tag_lexeme`s, so words and tags are one lookup of the search index. None when neither
/// words nor tags are asked for.
pub fn talent_tsquery(terms: &[String], tags: &[String], all_tags: bool) -> Option<String> {
    let lexemes: Vec<String> = tags.iter().map(|slug| tag_lexeme(slug)).collect();
    let tags = match all_tags {
        true => tsquery_of(&lexemes),
        // One quoted lexeme each, joined by "or".
        false => (!lexemes.is_empty()).then(|| {
            lexemes.iter().filter_map(|lexeme| tsquery_of(std::slice::from_ref(lexeme))).collect::<Vec<_>>().join(" | ")
        }),
    };
    match (tsquery_of(terms), tags) {
        (Some(words), Some(tags)) => Some(format!("({words}) & ({tags})")),
        (words, tags) => words.or(tags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::url_query::{MAX_QUERY_CHARS, MAX_TAGS};

    fn parse(url: &str) -> TalentQuery {
        TalentQuery::from_pairs(url.split('&').filter_map(|pair| pair.split_once('=')))
    }

    #[test]
    fn the_url_round_trips_every_filter() {
        let query = TalentQuery {
            q: "Rust 后端".into(),
            tags: vec!["rust".into(), "postgresql".into()],
            all_tags: true,
            level_min: Some(Level::A),
            rating_min_x10: Some(45),
            availability: Some(AvailabilityStatus::Available),
            rate_max_fen: Some(30_000),
            page: 2,
        };
        let url = query.to_query_string();
        assert_eq!(
            url,
            "q=Rust%20%E5%90%8E%E7%AB%AF&tag=rust&tag=postgresql&match=all&level=A&rating=4.5&avail=available&rate=300&page=2"
        );
        // The browser decodes before the router hands the pairs over.
        assert_eq!(parse(&url.replace("Rust%20%E5%90%8E%E7%AB%AF", "Rust 后端")), query);
        assert_eq!(TalentQuery::default().to_query_string(), "");
        assert_eq!(parse("rating=4").rating_min_x10, Some(40));
        assert_eq!(parse("rating=4").to_query_string(), "rating=4");
    }

    #[test]
    fn bad_url_values_are_ignored_not_errors() {
        let query = parse("level=Z&rating=9&rating=4.55&avail=holiday&rate=-5&page=-3&tag=<script>&tag=RUST&match=all");
        assert_eq!(query, TalentQuery { tags: vec!["rust".into()], page: 1, ..TalentQuery::default() });
        assert_eq!(parse("rating=0.5").rating_min_x10, None);
        assert_eq!(parse("rate=1e9").rate_max_fen, None);
        assert_eq!(parse("rate=99999999999999999").rate_max_fen, None);
        assert_eq!(parse("level=c").level_min, None, "everyone is C or better");
        assert_eq!(parse("level=b").level_min, Some(Level::B));
        assert_eq!(parse(&format!("q={}", "数".repeat(500))).q.chars().count(), MAX_QUERY_CHARS);
        let many: Vec<String> = (0..20).map(|i| format!("tag=t{i}")).collect();
        assert_eq!(parse(&many.join("&")).tags.len(), MAX_TAGS);
    }

    #[test]
    fn only_words_or_filters_narrow_the_list() {
        assert!(!parse("page=3&rate=&level=").is_narrowed(), "the form's empty fields");
        for url in ["q=vue", "tag=vue", "level=S", "rating=3", "avail=busy", "rate=200"] {
            assert!(parse(url).is_narrowed(), "{url}");
        }
    }

    #[test]
    fn words_and_tags_make_one_quoted_tsquery() {
        let words = vec!["rust".to_string(), "后端".to_string()];
        let tags = vec!["rust".to_string(), "o'k".to_string()];
        assert_eq!(talent_tsquery(&words, &[], false), Some("'rust' & '后端'".into()));
        assert_eq!(talent_tsquery(&words, &tags, false), Some("('rust' & '后端') & ('tag:rust' | 'tag:o''k')".into()));
        assert_eq!(talent_tsquery(&[], &tags, true), Some("'tag:rust' & 'tag:o''k'".into()));
        assert_eq!(talent_tsquery(&[], &[], true), None);
        assert_eq!(words_tsquery(&words), Some("'rust' & '后端'".into()));
    }
}
