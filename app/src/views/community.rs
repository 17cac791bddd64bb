//! The wire types of `api::community`: what its server functions return, as data (no I/O).

use crate::{domain::account::Role, views::hall::TagLabel};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: Uuid,
    pub title: String,
    /// The first words of the body, as plain text.
    pub excerpt: String,
    pub author_name: String,
    pub author_role: Role,
    pub tags: Vec<TagLabel>,
    pub like_count: i32,
    pub reply_count: i32,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostPage {
    pub posts: Vec<PostSummary>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The search words as the server cut them, for highlighting.
    pub terms: Vec<String>,
    /// The tag filter in force, if any.
    pub tag: Option<TagLabel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyView {
    pub id: Uuid,
    pub author_name: String,
    pub author_role: Role,
    pub body: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostDetail {
    pub id: Uuid,
    pub title: String,
    /// The Markdown body rendered to HTML and sanitised on the server.
    pub body_html: String,
    pub author_name: String,
    pub author_role: Role,
    pub tags: Vec<TagLabel>,
    pub like_count: i32,
    pub liked: bool,
    pub replies: Vec<ReplyView>,
    pub created_at: String,
    /// Hidden by an admin (or held for blocked words): shown to its author and admins only.
    pub hidden: bool,
    pub moderation_note: String,
    /// The viewer is signed in and may reply and like.
    pub can_take_part: bool,
    pub can_moderate: bool,
}
