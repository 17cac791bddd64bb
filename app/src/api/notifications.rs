//! The notification centre: the header's unread count, the list, and marking everything read.

#[cfg(feature = "ssr")]
use crate::{domain::notifications::NoticeKind, views::notifications::Notice};
use crate::{error::AppError, views::notifications::NoticePage};
use leptos::prelude::*;

/// Notifications per page of the list.
pub const NOTIFICATIONS_PER_PAGE: i64 = 30;

/// The unread count for the header's bell; 0 for guests.
#[server(name = UnreadNotificationsFn, endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    match authorize::<UnreadNotificationsFn>().await? {
        Some(user) => Ok(db::notifications::unread_count(&app_state()?.pool, user.id).await?),
        None => Ok(0),
    }
}

/// The caller's notifications, newest first, older than `before` when given.
#[server(name = NotificationsFn, endpoint = "notifications")]
pub async fn notifications(before: Option<i64>) -> Result<NoticePage, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<NotificationsFn>().await?;
    let pool = &app_state()?.pool;
    // One more than a page, to know whether an older page exists.
    let (rows, unread) = tokio::try_join!(
        db::notifications::list(pool, user.id, before, NOTIFICATIONS_PER_PAGE + 1),
        db::notifications::unread_count(pool, user.id),
    )?;
    let older = (rows.len() as i64 > NOTIFICATIONS_PER_PAGE).then(|| rows[NOTIFICATIONS_PER_PAGE as usize - 1].id);
    let notices = rows
        .into_iter()
        .take(NOTIFICATIONS_PER_PAGE as usize)
        .filter_map(|row| {
            // A kind this build does not know (written by a newer server) is skipped, not shown raw.
            let kind = NoticeKind::parse(&row.kind)?;
            Some(Notice {
                id: row.id,
                kind,
                href: kind.target(row.task_id, &row.note),
                note: kind.shows_note(&row.note).then_some(row.note),
                task_title: row.task_title,
                created_at: row.created_at,
                unread: row.unread,
                pending: kind.pending(row.done, row.unread),
            })
        })
        .collect();
    Ok(NoticePage { notices, unread, older })
}

/// Marks the caller's notifications about one task read: the task page sends it once it has shown
/// the task (from the browser, after hydration, so a page render never changes the count the
/// header is rendering beside it).
#[server(name = ReadTaskNotificationsFn, endpoint = "notifications/read_task")]
pub async fn read_task_notifications(task: uuid::Uuid) -> Result<u64, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<ReadTaskNotificationsFn>().await?;
    Ok(db::notifications::mark_read(&app_state()?.pool, user.id, Some(task)).await?)
}

/// Marks all of the caller's notifications read.
#[server(name = ReadAllNotificationsFn, endpoint = "notifications/read_all")]
pub async fn read_all_notifications() -> Result<u64, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<ReadAllNotificationsFn>().await?;
    Ok(db::notifications::mark_read(&app_state()?.pool, user.id, None).await?)
}
