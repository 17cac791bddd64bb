//! The wire types of `api::learning`: what its server functions return, as data (no I/O).

use crate::domain::learning::CourseKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub slug: String,
    pub kind: CourseKind,
    pub title: String,
    pub summary: String,
    pub minutes: i32,
    pub published: bool,
    /// The viewer marked it finished.
    pub finished: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub course: CourseSummary,
    /// The body rendered and sanitised; None for visitors who are not signed in.
    pub body_html: Option<String>,
    /// The Markdown source, for admins editing it.
    pub body_markdown: Option<String>,
    pub can_finish: bool,
}
