//! Learning content's rules: what an admin must fill in to publish a course or an article.

use super::validation::{check_length, check_number, check_slug, Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseKind {
    /// 实战课程: a guided course.
    Course,
    /// 项目经验: an article from a real project.
    Article,
}

impl CourseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseKind::Course => "course",
            CourseKind::Article => "article",
        }
    }

    pub fn parse(s: &str) -> Option<CourseKind> {
        [CourseKind::Course, CourseKind::Article].into_iter().find(|kind| kind.as_str() == s)
    }
}

/// A course as an admin types it. Saving a slug that exists edits that course.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseForm {
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub minutes: String,
    #[serde(default)]
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCourse {
    pub slug: String,
    pub kind: CourseKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub minutes: i32,
    pub published: bool,
}

impl CourseForm {
    /// Every field's problem at once.
    pub fn validate(&self) -> Result<NewCourse, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = check_slug(&self.slug).map_err(|e| errors.push(e)).ok();
        let kind = CourseKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new(Field::Category, Problem::Required));
        }
        let mut text = |field, value: &str, (min, max): (u32, u32)| {
            let value = value.trim().to_string();
            check_length(field, &value, min, max).map_err(|e| errors.push(e)).ok().map(|_| value)
        };
        let title = text(Field::Title, &self.title, (4, 80));
        let summary = text(Field::Headline, &self.summary, (1, 200));
        let body = text(Field::Description, &self.body, (10, 50_000));
        let minutes = check_number(Field::Days, &self.minutes, 1, 600).map_err(|e| errors.push(e)).ok();
        match (slug, kind, title, summary, body, minutes) {
            (Some(slug), Some(kind), Some(title), Some(summary), Some(body), Some(minutes)) if errors.is_empty() => {
                Ok(NewCourse { slug, kind, title, summary, body, minutes: minutes as i32, published: self.published })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CourseForm {
        CourseForm {
            slug: "Rust-Axum".into(),
            kind: "course".into(),
            title: " Rust 实战：axum 接口 ".into(),
            summary: "从路由到测试".into(),
            body: "## 路由\n\n用 Router 组织接口。".into(),
            minutes: "45".into(),
            published: true,
        }
    }

    #[test]
    fn a_course_needs_every_field() {
        let course = form().validate().expect("valid");
        assert_eq!((course.slug.as_str(), course.kind, course.minutes), ("rust-axum", CourseKind::Course, 45));
        assert_eq!(course.title, "Rust 实战：axum 接口");
        let bad = CourseForm { kind: "video".into(), title: "短".into(), minutes: "0".into(), ..form() };
        let fields: Vec<Field> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Category, Field::Title, Field::Days]);
    }
}
