//! The community board (社区): posts with Markdown, tags, replies and likes, searched in Chinese
//! and English with the hall's index, moderated by admins. Free for everyone signed in.

use crate::{
    domain::community::PostForm,
    error::AppError,
    views::community::{PostDetail, PostPage},
};
use leptos::prelude::*;
use uuid::Uuid;

/// One page of visible posts, newest first or, with words, by relevance.
#[server(name = CommunityFn, endpoint = "community")]
pub async fn community_page(q: Option<String>, tag: Option<String>, page: Option<i64>) -> Result<PostPage, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<CommunityFn>().await?;
    db::community::posts(&app_state()?.pool, q.as_deref().unwrap_or(""), tag.as_deref(), page.unwrap_or(1)).await
}

#[server(name = PostFn, endpoint = "community/post")]
pub async fn community_post(id: Uuid) -> Result<PostDetail, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    let viewer = authorize::<PostFn>().await?;
    db::community::post(&app_state()?.pool, id, viewer.map(|u| (u.id, u.role))).await?.ok_or(AppError::NotFound)
}

/// Writes a post and opens it.
#[server(name = CreatePostFn, endpoint = "community/create")]
pub async fn create_post(form: PostForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CreatePostFn>().await?;
    let post = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    let id = db::community::create_post(&state.pool, user.id, user.role, &post).await?;
    state.public_pages_changed();
    leptos_axum::redirect(&format!("/community/{id}"));
    Ok(())
}

#[server(name = ReplyPostFn, endpoint = "community/reply")]
pub async fn reply_to_post(post: Uuid, body: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::community::check_reply, state::app_state};
    let user = authorize_user::<ReplyPostFn>().await?;
    let body = check_reply(&body).map_err(AppError::field)?;
    let state = app_state()?;
    db::community::reply(&state.pool, user.id, post, &body).await?;
    state.public_pages_changed();
    Ok(())
}

/// Likes (or un-likes) a post; liking twice counts once.
#[server(name = LikePostFn, endpoint = "community/like")]
pub async fn like_post(post: Uuid, like: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<LikePostFn>().await?;
    db::community::set_like(&app_state()?.pool, user.id, post, like).await
}

/// An admin hides a post (with the reason its author sees) or shows it again.
#[server(name = ModeratePostFn, endpoint = "admin/community/moderate")]
pub async fn moderate_post(post: Uuid, hide: bool, reason: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::validation::{check_length, Field},
        state::app_state,
    };
    let admin = authorize_user::<ModeratePostFn>().await?;
    let reason = reason.trim();
    check_length(Field::Reason, reason, 1, 500).map_err(AppError::field)?;
    let state = app_state()?;
    db::community::moderate(&state.pool, admin.id, post, hide, reason).await?;
    state.public_pages_changed();
    Ok(())
}
