//! The task hall: open tasks, newest first, a page at a time.

use crate::{
    domain::hall::HallQuery,
    error::AppError,
    views::hall::{HallPage, Recommendation, SavedSearch},
};
use leptos::prelude::*;

/// One page of the hall for a query. Pages are shared by everyone and cached: the plain hall (no
/// words, no filters) for a second, a search or a filter for five (see `AppState`).
#[server(name = HallPageFn, endpoint = "hall")]
pub async fn hall_page(query: HallQuery) -> Result<HallPage, AppError> {
    use crate::{
        db,
        domain::paging::{PageNumber, HALL_PAGE_SIZE},
        read,
        search::query_terms,
        state::app_state,
    };
    use crate::{
        db::challenges::record_activity,
        domain::{
            account::Role,
            challenges::{china_day, Activity},
        },
    };
    let viewer = crate::api::access::authorize::<HallPageFn>().await?;
    let state = app_state()?;
    // A hand-made request gets the same lenient clean-up as the URL.
    let query = query.normalized();
    // Read from the replica unless this browser just wrote; the caches keep the two apart.
    let (from_replica, reads) = crate::api::access::lagging_reads(&state).await;
    let mut hall = if query.is_plain() {
        let page = PageNumber::new(query.page);
        // Cached values refresh on a spawned task, so each computation owns what it reads.
        let refresh = state.clone();
        let pool = reads.clone();
        let mut hall = state
            .hall_pages
            .get((from_replica, page.get()), move || async move {
                let counted = pool.clone();
                let total = refresh
                    .open_task_count
                    .get(
                        from_replica,
                        move || async move { Ok::<_, AppError>(read::hall::count_open(&counted).await?) },
                    )
                    .await?;
                Ok::<_, AppError>(read::hall::open_tasks_page(&pool, page, HALL_PAGE_SIZE, total).await?)
            })
            .await?;
        let pool = reads.clone();
        hall.tag_counts = state
            .hall_tag_counts
            .get(from_replica, move || async move { Ok::<_, AppError>(read::hall::open_tag_counts(&pool).await?) })
            .await?;
        hall
    } else {
        let (pool, search) = (reads.clone(), query.clone());
        state
            .hall_searches
            .get((from_replica, query.clone()), move || async move {
                Ok::<_, AppError>(read::hall::search(&pool, &search, query_terms(&search.q), HALL_PAGE_SIZE).await?)
            })
            .await?
    };
    if let Some(developer) = viewer.filter(|u| u.role == Role::Developer) {
        if !query.is_plain() {
            db::saved_searches::mark_seen(&state.pool, developer.id, &query).await?;
        }
        // A visit counts for challenges once a day; after the first, this is one indexed lookup.
        let mut tx = state.pool.begin().await?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let key = format!("hall:{}:{}", developer.id, china_day(now.as_secs() as i64));
        record_activity(&mut tx, developer.id, Activity::HallBrowsed, &key).await?;
        hall.viewer_level = Some(db::growth::level_of(&mut tx, developer.id).await?);
        tx.commit().await?;
    }
    Ok(hall)
}

/// "为你推荐" for the logged-in developer (four tasks); empty for everyone else, so the hall can ask
/// on every visit.
#[server(name = ForYouFn, endpoint = "hall/for_you")]
pub async fn for_you() -> Result<Vec<Recommendation>, AppError> {
    use crate::{domain::account::Role, read, state::app_state};
    let viewer = crate::api::access::authorize::<ForYouFn>().await?;
    let Some(developer) = viewer.filter(|user| user.role == Role::Developer) else {
        return Ok(Vec::new());
    };
    let state = app_state()?;
    let pool = state.pool.clone();
    state
        .recommendations
        .get(developer.id, move || async move { Ok(read::for_you::for_you(&pool, developer.id, 4).await?) })
        .await
}

/// The developer's saved searches; empty for everyone else.
#[server(name = SavedSearchesFn, endpoint = "hall/saved")]
pub async fn saved_searches() -> Result<Vec<SavedSearch>, AppError> {
    use crate::{db, domain::account::Role, state::app_state};
    let viewer = crate::api::access::authorize::<SavedSearchesFn>().await?;
    match viewer.filter(|user| user.role == Role::Developer) {
        Some(developer) => Ok(db::saved_searches::of_developer(&app_state()?.pool, developer.id).await?),
        None => Ok(Vec::new()),
    }
}

/// Saves the current search; new tasks that match it are announced in the site.
#[server(name = SaveSearchFn, endpoint = "hall/saved/add")]
pub async fn save_search(query: HallQuery) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let developer = crate::api::access::authorize_user::<SaveSearchFn>().await?;
    db::saved_searches::save(&app_state()?.pool, developer.id, &query.normalized()).await
}

#[server(name = DeleteSavedSearchFn, endpoint = "hall/saved/delete")]
pub async fn delete_saved_search(id: i64) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let developer = crate::api::access::authorize_user::<DeleteSavedSearchFn>().await?;
    db::saved_searches::delete(&app_state()?.pool, developer.id, id).await
}
