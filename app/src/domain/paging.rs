//! Paging through a list by page number in the URL (`?page=3`), so a page can be bookmarked and shared.

pub const HALL_PAGE_SIZE: i64 = 20;

/// A 1-based page number. Anything unparsable or below 1 means the first page, and absurdly large
/// numbers are capped, so a hand-edited URL never becomes an error or a huge OFFSET.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageNumber(i64);

impl PageNumber {
    pub const MAX: i64 = 10_000;

    pub fn parse(raw: Option<&str>) -> Self {
        let n = raw.and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(1);
        PageNumber(n.clamp(1, Self::MAX))
    }

    pub fn new(n: i64) -> Self {
        PageNumber(n.clamp(1, Self::MAX))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn offset(self, page_size: i64) -> i64 {
        (self.0 - 1) * page_size
    }
}

/// How many pages `total` items fill; an empty list still has one (empty) page.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_page_numbers_fall_back_to_first_page() {
        assert_eq!(PageNumber::parse(None).get(), 1);
        assert_eq!(PageNumber::parse(Some("abc")).get(), 1);
        assert_eq!(PageNumber::parse(Some("0")).get(), 1);
        assert_eq!(PageNumber::parse(Some("-4")).get(), 1);
        assert_eq!(PageNumber::parse(Some(" 3 ")).get(), 3);
        assert_eq!(PageNumber::parse(Some("99999999999")).get(), PageNumber::MAX);
    }

    #[test]
    fn offset_and_page_count() {
        assert_eq!(PageNumber::new(1).offset(20), 0);
        assert_eq!(PageNumber::new(3).offset(20), 40);
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(200, 20), 10);
    }
}
