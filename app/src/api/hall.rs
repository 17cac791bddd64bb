//! The task hall: open tasks, newest first, a page at a time.

use crate::{
    domain::{account::MerchantKind, money::Money, task::Difficulty},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagLabel {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskSummary {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    pub reward: Money,
    /// The deadline as a date in China Standard Time ("2026-12-31"), formatted by the database so
    /// the browser bundle carries no time-zone tables.
    pub deadline: String,
    pub merchant_name: String,
    pub merchant_kind: MerchantKind,
    pub tags: Vec<TagLabel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HallPage {
    pub tasks: Vec<TaskSummary>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

#[server(name = HallPageFn, endpoint = "hall")]
pub async fn hall_page(page: i64) -> Result<HallPage, AppError> {
    use crate::{
        db,
        domain::paging::{PageNumber, HALL_PAGE_SIZE},
        state::app_state,
    };
    crate::api::access::authorize::<HallPageFn>().await?;
    let state = app_state()?;
    let page = PageNumber::new(page);
    let hall = state
        .hall_pages
        .get(page.get(), || async {
            let total = state.open_task_count.get((), || db::tasks::count_open(&state.pool)).await?;
            db::tasks::open_tasks_page(&state.pool, page, HALL_PAGE_SIZE, total).await
        })
        .await?;
    Ok(hall)
}
