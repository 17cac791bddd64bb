//! Learning content (学习中心): courses and articles admins publish, free for registered users;
//! finishing one can be a challenge's goal.

use crate::{
    domain::learning::CourseForm,
    error::AppError,
    views::learning::{CourseDetail, CourseSummary},
};
use leptos::prelude::*;

#[server(name = CoursesFn, endpoint = "learn")]
pub async fn courses() -> Result<Vec<CourseSummary>, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    let viewer = authorize::<CoursesFn>().await?;
    Ok(db::learning::list(&app_state()?.pool, viewer.map(|u| (u.id, u.role))).await?)
}

#[server(name = CourseFn, endpoint = "learn/course")]
pub async fn course(slug: String) -> Result<CourseDetail, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    let viewer = authorize::<CourseFn>().await?;
    db::learning::course(&app_state()?.pool, &slug, viewer.map(|u| (u.id, u.role))).await?.ok_or(AppError::NotFound)
}

#[server(name = FinishCourseFn, endpoint = "learn/finish")]
pub async fn finish_course(slug: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<FinishCourseFn>().await?;
    db::learning::finish(&app_state()?.pool, user.id, user.role, &slug).await
}

/// An admin publishes a course, or edits the one with this slug.
#[server(name = SaveCourseFn, endpoint = "admin/learn/save")]
pub async fn save_course(form: CourseForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let admin = authorize_user::<SaveCourseFn>().await?;
    let course = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    db::learning::save(&state.pool, admin.id, &course).await?;
    state.public_pages_changed();
    leptos_axum::redirect(&format!("/learn/{}", course.slug));
    Ok(())
}
