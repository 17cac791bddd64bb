//! A developer's portfolio (作品集): the pieces of work they choose to show on their card, beside
//! the record the platform keeps. What one item may hold, how many there may be, what counts as an
//! image, and which finished task may be pinned as an item.

use super::{
    lifecycle::TaskStatus,
    validation::{check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Enough to show a range of work; few enough that each one is worth a look.
pub const MAX_ITEMS: usize = 12;
pub const TITLE_CHARS: (u32, u32) = (2, 80);
/// "独立开发", "后端负责人", "Lead developer": a few words.
pub const ROLE_MAX_CHARS: u32 = 30;
pub const DESCRIPTION_MAX_CHARS: u32 = 3_000;
pub const LINK_MAX_CHARS: usize = 500;
pub const MAX_TAGS: u32 = 5;
pub const MAX_IMAGES: usize = 3;
/// One image: a full-size screenshot fits, and three of them stay within the request body limit.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// One portfolio item as typed; `tags` are skill-tag slugs, `link` may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioForm {
    pub title: String,
    pub role: String,
    pub description: String,
    pub link: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A checked item: trimmed, within its bounds, tags sorted without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortfolioEntry {
    pub title: String,
    pub role: String,
    /// Markdown, rendered through `markdown::render` wherever it is shown.
    pub description: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
}

impl PortfolioForm {
    /// Every problem at once. Only the title is required.
    pub fn validate(&self) -> Result<PortfolioEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field, value: &str, (min, max): (u32, u32), multiline| {
            let value = value.trim();
            errors.extend(
                check_length(field, value, min, max).and_then(|()| check_visible_text(field, value, multiline)).err(),
            );
            value.to_string()
        };
        let title = text(Field::Title, &self.title, TITLE_CHARS, false);
        let role = text(Field::Role, &self.role, (0, ROLE_MAX_CHARS), false);
        let description = text(Field::Description, &self.description, (0, DESCRIPTION_MAX_CHARS), true);
        let link = check_link(&self.link).map_err(|e| errors.push(e)).ok().flatten();
        let mut tags: Vec<String> = self.tags.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        tags.sort();
        tags.dedup();
        if tags.len() > MAX_TAGS as usize {
            errors.push(FieldError::new(Field::Tags, Problem::TooMany { max: MAX_TAGS }));
        }
        if errors.is_empty() {
            Ok(PortfolioEntry { title, role, description, link, tags })
        } else {
            Err(errors)
        }
    }
}

/// An optional web link, as the other links on the platform: http(s) only (no `javascript:` or
/// `data:`), something after the scheme, at most 500 characters; no spaces, control characters or
/// `<`, `>`, `"` (never raw in a real address, and the first tools of a broken-out attribute).
pub fn check_link(text: &str) -> Result<Option<String>, FieldError> {
    let link = text.trim();
    if link.is_empty() {
        return Ok(None);
    }
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"));
    let well_formed = rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !link.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        && link.chars().count() <= LINK_MAX_CHARS;
    if well_formed {
        Ok(Some(link.to_string()))
    } else {
        Err(FieldError::new(Field::Link, Problem::NotAllowed))
    }
}

/// The 13th item is refused: `existing` is how many the developer has now.
pub fn check_room(existing: usize) -> Result<(), FieldError> {
    if existing >= MAX_ITEMS {
        Err(FieldError::new(Field::Portfolio, Problem::TooMany { max: MAX_ITEMS as u32 }))
    } else {
        Ok(())
    }
}

/// The image formats a browser shows without help, told apart by their first bytes: what the file
/// is, never what its name or the browser's declared type says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
    Gif,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        match bytes {
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageKind::Png),
            [0xFF, 0xD8, 0xFF, ..] => Some(ImageKind::Jpeg),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(ImageKind::Gif),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageKind::Webp),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
            ImageKind::Gif => "image/gif",
        }
    }
}

fn too_large() -> FieldError {
    let max_mb = (MAX_IMAGE_BYTES / (1024 * 1024)) as u32;
    FieldError::new(Field::Files, Problem::FileTooLarge { max_mb, total_mb: max_mb * MAX_IMAGES as u32 })
}

/// While an image streams in: refused as soon as it grows past 5 MB, before it is read whole.
pub fn check_image_size(bytes_so_far: usize) -> Result<(), FieldError> {
    if bytes_so_far > MAX_IMAGE_BYTES {
        Err(too_large())
    } else {
        Ok(())
    }
}

/// A whole uploaded file: an image by its content and within the size limit, or the field's problem.
pub fn check_image(bytes: &[u8]) -> Result<ImageKind, FieldError> {
    check_image_size(bytes.len())?;
    ImageKind::sniff(bytes).ok_or(FieldError::new(Field::Files, Problem::NotAnImage))
}

/// An item keeps at most three images: those it keeps plus those added.
pub fn check_image_count(kept: usize, added: usize) -> Result<(), FieldError> {
    if kept + added > MAX_IMAGES {
        Err(FieldError::new(Field::Files, Problem::TooMany { max: MAX_IMAGES as u32 }))
    } else {
        Ok(())
    }
}

/// A platform task may become a portfolio item only for the developer who finished it, once it
/// is completed (accepted and paid), and only once.
pub fn check_pin(caller: Uuid, developer: Option<Uuid>, status: TaskStatus, pinned: bool) -> Result<(), FieldError> {
    if developer != Some(caller) || status != TaskStatus::Completed {
        Err(FieldError::new(Field::PinnedTask, Problem::NotYourFinishedTask))
    } else if pinned {
        Err(FieldError::new(Field::PinnedTask, Problem::AlreadyPinned))
    } else {
        Ok(())
    }
}

/// A pinned task's item starts with the task's title, cut to fit an item's title.
pub fn pinned_title(task_title: &str) -> String {
    task_title.trim().chars().take(TITLE_CHARS.1 as usize).collect()
}

/// Which way an item moves in the developer's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// The order after moving `item` one place: unchanged at either end, None if it is not there.
pub fn moved<T: Copy + PartialEq>(order: &[T], item: T, direction: Direction) -> Option<Vec<T>> {
    let at = order.iter().position(|x| *x == item)?;
    let mut order = order.to_vec();
    match direction {
        Direction::Up if at > 0 => order.swap(at, at - 1),
        Direction::Down if at + 1 < order.len() => order.swap(at, at + 1),
        _ => {}
    }
    Some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PortfolioForm {
        PortfolioForm {
            title: "  连锁咖啡店小程序 ".into(),
            role: "独立开发".into(),
            description: "**点单**与支付\n\n- 日活 2 万".into(),
            link: " https://github.com/lilei/coffee ".into(),
            tags: vec!["wechat".into(), "miniprogram".into(), "wechat".into()],
        }
    }

    #[test]
    fn a_complete_item_is_trimmed_and_its_tags_deduplicated() {
        let entry = form().validate().unwrap();
        assert_eq!(entry.title, "连锁咖啡店小程序");
        assert_eq!(entry.link.as_deref(), Some("https://github.com/lilei/coffee"));
        assert_eq!(entry.tags, ["miniprogram", "wechat"]);
        let bare = PortfolioForm { title: "数据看板".into(), ..Default::default() }.validate().unwrap();
        assert_eq!((bare.role.as_str(), bare.link, bare.tags.len()), ("", None, 0));
    }

    #[test]
    fn every_bound_is_reported_at_once() {
        let form = PortfolioForm {
            title: "".into(),
            role: "长".repeat(31),
            description: "x".repeat(3_001),
            link: "javascript:alert(1)".into(),
            tags: (0..6).map(|n| format!("t{n}")).collect(),
        };
        let errors = form.validate().unwrap_err();
        assert_eq!(
            errors,
            [
                FieldError::new(Field::Title, Problem::Required),
                FieldError::new(Field::Role, Problem::TooLong { max: 30 }),
                FieldError::new(Field::Description, Problem::TooLong { max: 3_000 }),
                FieldError::new(Field::Link, Problem::NotAllowed),
                FieldError::new(Field::Tags, Problem::TooMany { max: 5 }),
            ]
        );
    }

    #[test]
    fn a_hostile_title_is_text_but_hidden_characters_are_refused() {
        let hostile = PortfolioForm { title: "</title><svg onload=alert(1)>".into(), ..form() };
        assert_eq!(hostile.validate().unwrap().title, "</title><svg onload=alert(1)>");
        let reversed = PortfolioForm { title: "作品\u{202E}gnp.exe".into(), ..form() };
        assert_eq!(reversed.validate().unwrap_err(), [FieldError::new(Field::Title, Problem::HiddenCharacters)]);
    }

    #[test]
    fn links_are_web_links_only() {
        assert_eq!(check_link("  ").unwrap(), None);
        assert_eq!(check_link("http://a.cn/x?y=1").unwrap().as_deref(), Some("http://a.cn/x?y=1"));
        let long = format!("https://a.cn/{}", "a".repeat(490));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://a.cn",
            "https://",
            "https:///x",
            "https://a.cn/a b",
            "//a.cn",
            "https://a.cn/\"><b>",
            &long,
        ] {
            assert_eq!(check_link(bad), Err(FieldError::new(Field::Link, Problem::NotAllowed)), "{bad}");
        }
    }

    #[test]
    fn the_thirteenth_item_is_refused() {
        assert_eq!(check_room(11), Ok(()));
        assert_eq!(check_room(12), Err(FieldError::new(Field::Portfolio, Problem::TooMany { max: 12 })));
    }

    #[test]
    fn images_are_known_by_their_first_bytes_not_their_names() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        assert_eq!(check_image(&png), Ok(ImageKind::Png));
        assert_eq!(check_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok(ImageKind::Jpeg));
        assert_eq!(check_image(b"GIF89a\x01\x00"), Ok(ImageKind::Gif));
        assert_eq!(check_image(b"GIF87a\x01\x00"), Ok(ImageKind::Gif));
        assert_eq!(check_image(b"RIFF\x24\x00\x00\x00WEBPVP8 "), Ok(ImageKind::Webp));
        assert_eq!(ImageKind::Webp.content_type(), "image/webp");
        let not_image = FieldError::new(Field::Files, Problem::NotAnImage);
        for bad in [&b"hello, I am a .png"[..], b"<svg onload=alert(1)>", b"RIFF\x24\x00\x00\x00WAVE", b"\x89PN", b""] {
            assert_eq!(check_image(bad), Err(not_image), "{bad:?}");
        }
    }

    #[test]
    fn an_image_over_five_megabytes_is_refused_even_if_it_is_one() {
        let mut big = vec![0u8; MAX_IMAGE_BYTES + 1];
        big[..8].copy_from_slice(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        let refused = check_image(&big).unwrap_err();
        assert_eq!(refused.problem, Problem::FileTooLarge { max_mb: 5, total_mb: 15 });
        assert!(check_image_size(MAX_IMAGE_BYTES).is_ok());
        assert!(check_image(&big[..MAX_IMAGE_BYTES]).is_ok());
    }

    #[test]
    fn an_item_keeps_at_most_three_images() {
        assert_eq!(check_image_count(1, 2), Ok(()));
        assert_eq!(check_image_count(2, 2), Err(FieldError::new(Field::Files, Problem::TooMany { max: 3 })));
    }

    #[test]
    fn only_the_developer_who_finished_a_task_may_pin_it_once() {
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(check_pin(me, Some(me), TaskStatus::Completed, false), Ok(()));
        let not_mine = Err(FieldError::new(Field::PinnedTask, Problem::NotYourFinishedTask));
        assert_eq!(check_pin(me, Some(other), TaskStatus::Completed, false), not_mine);
        assert_eq!(check_pin(me, None, TaskStatus::Open, false), not_mine);
        assert_eq!(check_pin(me, Some(me), TaskStatus::InProgress, false), not_mine);
        assert_eq!(
            check_pin(me, Some(me), TaskStatus::Completed, true),
            Err(FieldError::new(Field::PinnedTask, Problem::AlreadyPinned))
        );
        assert_eq!(pinned_title(&"长".repeat(100)).chars().count(), 80);
    }

    #[test]
    fn items_move_one_place_and_stay_at_the_ends() {
        let order = [1, 2, 3];
        assert_eq!(moved(&order, 2, Direction::Up), Some(vec![2, 1, 3]));
        assert_eq!(moved(&order, 2, Direction::Down), Some(vec![1, 3, 2]));
        assert_eq!(moved(&order, 1, Direction::Up), Some(vec![1, 2, 3]));
        assert_eq!(moved(&order, 3, Direction::Down), Some(vec![1, 2, 3]));
        assert_eq!(moved(&order, 9, Direction::Up), None);
        assert_eq!(Direction::parse(Direction::Down.as_str()), Some(Direction::Down));
        assert_eq!(Direction::parse("sideways"), None);
    }
}
