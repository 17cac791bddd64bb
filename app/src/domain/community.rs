//! The community board's rules: what a post and a reply must be, and when a post counts for the
//! growth challenges.

use super::validation::{check_length, check_visible_text, Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

pub const TITLE_CHARS: (u32, u32) = (4, 80);
pub const BODY_CHARS: (u32, u32) = (10, 10_000);
pub const REPLY_CHARS: (u32, u32) = (1, 2_000);
pub const MAX_TAGS: usize = 5;
/// Posts a developer can write in a day: enough for real discussion, too few to farm challenges.
pub const POSTS_PER_DAY: i64 = 10;
pub const PAGE_SIZE: i64 = 20;

/// A post as typed: a Markdown body, and skill tags by name or slug separated by commas or
/// spaces ("Rust, 小程序").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostForm {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPost {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

impl PostForm {
    /// Every field's problem at once. Tags are lower-cased and de-duplicated; whether each names a
    /// real skill tag is the database's to say.
    pub fn validate(&self) -> Result<NewPost, Vec<FieldError>> {
        let title = self.title.trim().to_string();
        let body = self.body.trim().to_string();
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.split([',', '，', '、', ' ', '\n']) {
            let tag = tag.trim().to_lowercase();
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut errors = Vec::new();
        if let Err(e) = check_length(Field::Title, &title, TITLE_CHARS.0, TITLE_CHARS.1)
            .and_then(|()| check_visible_text(Field::Title, &title, false))
        {
            errors.push(e);
        }
        if let Err(e) = check_length(Field::Description, &body, BODY_CHARS.0, BODY_CHARS.1) {
            errors.push(e);
        }
        if tags.len() > MAX_TAGS {
            errors.push(FieldError::new(Field::Tags, Problem::TooMany { max: MAX_TAGS as u32 }));
        }
        if errors.is_empty() {
            Ok(NewPost { title, body, tags })
        } else {
            Err(errors)
        }
    }
}

/// A reply as typed, trimmed, or its problem.
pub fn check_reply(body: &str) -> Result<String, FieldError> {
    let body = body.trim();
    check_length(Field::Message, body, REPLY_CHARS.0, REPLY_CHARS.1)?;
    Ok(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, body: &str, tags: &[&str]) -> PostForm {
        PostForm { title: title.into(), body: body.into(), tags: tags.join("，") }
    }

    #[test]
    fn a_post_needs_a_title_and_a_body_worth_reading() {
        let post = form(
            "  Rust 异步踩坑记录 ",
            "tokio 里 block_on 嵌套会死锁，换成 spawn 就好了。",
            &["Rust", "rust", "", "小程序"],
        )
        .validate()
        .expect("valid");
        assert_eq!(post.title, "Rust 异步踩坑记录");
        assert_eq!(post.tags, ["rust", "小程序"], "trimmed, lower-cased, de-duplicated");
        let spaced = PostForm {
            tags: "vue, react、 go".into(), ..form("标题四个字", "正文至少十个字符哦哦哦", &[])
        };
        assert_eq!(spaced.validate().unwrap().tags, ["vue", "react", "go"]);
        let fields: Vec<Field> = form("短", "太短", &[]).validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Title, Field::Description]);
    }

    #[test]
    fn at_most_five_tags() {
        let errors = form("五个以上的标签", "这篇帖子的标签太多了，超过了五个。", &["a", "b", "c", "d", "e", "f"])
            .validate()
            .unwrap_err();
        assert_eq!(errors, [FieldError::new(Field::Tags, Problem::TooMany { max: 5 })]);
    }

    #[test]
    fn replies_are_trimmed_and_bounded() {
        assert_eq!(check_reply("  同意 👍 "), Ok("同意 👍".to_string()));
        assert_eq!(check_reply("   ").unwrap_err().problem, Problem::Required);
        assert_eq!(check_reply(&"长".repeat(2_001)).unwrap_err().problem, Problem::TooLong { max: 2_000 });
    }
}
