//! One task, from posting to payout: its page, and every step of the lifecycle. Each step is a thin
//! wrapper: authorize, check the input, call `db::lifecycle` (which asks `domain::lifecycle`).

use crate::{
    domain::tasks::TaskForm,
    error::AppError,
    views::tasks::{MyTaskRow, TaskDetail, TaskFormOptions},
};
use leptos::{
    prelude::*,
    server_fn::codec::{Json, MultipartData, MultipartFormData},
};
use uuid::Uuid;

#[server(name = TaskDetailFn, endpoint = "task")]
pub async fn task_detail(id: Uuid) -> Result<TaskDetail, AppError> {
    use crate::{api::access::authorize, read, state::app_state};
    let viewer = authorize::<TaskDetailFn>().await?;
    let state = app_state()?;
    read::task_page::task_detail(&state.pool, id, viewer.as_ref().map(|u| (u.id, u.role)))
        .await?
        .ok_or(AppError::NotFound)
}

#[server(name = TaskFormOptionsFn, endpoint = "task/form_options")]
pub async fn task_form_options(draft: Option<Uuid>) -> Result<TaskFormOptions, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<TaskFormOptionsFn>().await?;
    let state = app_state()?;
    let draft = match draft {
        Some(id) => Some(db::tasks::draft_form(&state.pool, user.id, id).await?),
        None => None,
    };
    let mut conn = state.pool.acquire().await?;
    let rates = db::commission::rates_for_merchant(&mut conn, user.id).await?;
    let balance = db::ledger::balances(&mut conn, user.id).await?.available;
    let tags = db::tasks::all_tags(&state.pool).await?;
    Ok(TaskFormOptions { draft, tags, rates, balance, today: db::periods::today(&state.pool).await? })
}

/// Saves a draft (no money moves). JSON input: the form carries lists (tags, milestones).
#[server(name = CreateTaskFn, endpoint = "task/create", input = Json)]
pub async fn create_task(form: TaskForm) -> Result<Uuid, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CreateTaskFn>().await?;
    let state = app_state()?;
    let today = db::periods::today(&state.pool).await?;
    let task = form.validate(&today).map_err(|fields| AppError::Invalid { fields })?;
    db::lifecycle::create_task(&state.pool, user.id, &task).await
}

#[server(name = UpdateTaskFn, endpoint = "task/update", input = Json)]
pub async fn update_task(id: Uuid, form: TaskForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<UpdateTaskFn>().await?;
    let state = app_state()?;
    let today = db::periods::today(&state.pool).await?;
    let task = form.validate(&today).map_err(|fields| AppError::Invalid { fields })?;
    db::lifecycle::update_draft(&state.pool, user.id, id, &task).await
}

/// Publishes and funds a draft from the merchant's balance (`InsufficientFunds` says how much is missing).
#[server(name = PublishTaskFn, endpoint = "task/publish")]
pub async fn publish_task(id: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<PublishTaskFn>().await?;
    let state = app_state()?;
    db::membership::ensure_open_tasks_left(&state.pool, user.id).await?;
    db::lifecycle::publish(&state.pool, user.id, id).await?;
    // The hall and its searches must show the new task now, not when their cached pages expire.
    state.public_pages_changed();
    Ok(())
}

#[server(name = CancelTaskFn, endpoint = "task/cancel")]
pub async fn cancel_task(id: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CancelTaskFn>().await?;
    let state = app_state()?;
    db::lifecycle::cancel(&state.pool, user.id, id).await?;
    state.public_pages_changed();
    Ok(())
}

/// Either party, while work is under way: propose to call the task off (the other side must agree).
#[server(name = ProposeCancelFn, endpoint = "task/propose_cancel")]
pub async fn propose_cancel(id: Uuid, reason: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<ProposeCancelFn>().await?;
    let reason = checked_note(crate::domain::validation::Field::Reason, &reason)?;
    db::lifecycle::propose_cancel(&app_state()?.pool, user.id, id, reason).await
}

/// The other party agrees: unpaid milestones are refunded to the merchant and the task is cancelled.
#[server(name = AgreeCancelFn, endpoint = "task/agree_cancel")]
pub async fn agree_cancel(id: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<AgreeCancelFn>().await?;
    let state = app_state()?;
    db::lifecycle::agree_cancel(&state.pool, user.id, id).await?;
    state.public_pages_changed();
    Ok(())
}

pub const PITCH_MAX_CHARS: u32 = 500;
pub const NOTE_CHARS: (u32, u32) = (2, 1_000);

/// Applies, optionally with the applicant's own terms (`quote`, 报价): checked in shape here, before
/// anything is read or counted, and against the task's terms under its lock in `db::lifecycle`.
#[server(name = ApplyFn, endpoint = "task/apply")]
pub async fn apply_to_task(
    task: Uuid,
    pitch: String,
    #[server(default)] quote: crate::domain::quotes::QuoteForm,
) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize_user, client_ip},
        db,
        domain::validation::{check_length, Field},
        state::app_state,
    };
    let user = authorize_user::<ApplyFn>().await?;
    let pitch = pitch.trim();
    let mut fields: Vec<_> = check_length(Field::Pitch, pitch, 0, PITCH_MAX_CHARS).err().into_iter().collect();
    fields.extend(quote.check_shape());
    if !fields.is_empty() {
        return Err(AppError::Invalid { fields });
    }
    let state = app_state()?;
    if !crate::rate_limit::AttemptLimiter::APPLICATIONS
        .admit(&state.pool, &user.id.to_string(), client_ip().await)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    db::membership::ensure_daily_applications_left(&state.pool, user.id).await?;
    db::lifecycle::apply_with_quote(&state.pool, user.id, task, pitch, &quote).await?;
    // "为你推荐" stops offering the task they just applied to.
    state.recommendations_changed(user.id).await;
    Ok(())
}

#[server(name = AcceptApplicationFn, endpoint = "task/accept_application")]
pub async fn accept_application(application: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<AcceptApplicationFn>().await?;
    let state = app_state()?;
    db::lifecycle::answer_application(&state.pool, user.id, application, true, "").await?;
    // The task leaves the hall.
    state.public_pages_changed();
    Ok(())
}

#[server(name = DeclineApplicationFn, endpoint = "task/decline_application")]
pub async fn decline_application(application: Uuid, reason: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<DeclineApplicationFn>().await?;
    let reason = checked_note(crate::domain::validation::Field::Reason, &reason)?;
    db::lifecycle::answer_application(&app_state()?.pool, user.id, application, false, reason).await
}

/// A delivery arrives as multipart form data: `milestone`, `message`, `links` (one URL per line) and
/// up to `delivery::MAX_FILES` `files`. Limits are enforced while the body streams in; the delivery
/// and its files are then written in one transaction, so a refused upload leaves nothing behind.
#[server(name = DeliverFn, endpoint = "task/deliver", input = MultipartFormData)]
pub async fn deliver(data: MultipartData) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::delivery, state::app_state};
    let user = authorize_user::<DeliverFn>().await?;
    let upload = read_delivery(data).await?;
    let message = delivery::check_message(&upload.message).map_err(AppError::field)?;
    let links = delivery::parse_links(&upload.links).map_err(AppError::field)?;
    let milestone = upload.milestone.ok_or(AppError::NotFound)?;
    db::lifecycle::deliver(&app_state()?.pool, user.id, milestone, message, &links, &upload.files).await
}

#[cfg(feature = "ssr")]
#[derive(Default)]
struct DeliveryUpload {
    milestone: Option<Uuid>,
    message: String,
    links: String,
    files: Vec<crate::db::files::NewFile>,
}

#[cfg(feature = "ssr")]
async fn read_delivery(data: MultipartData) -> Result<DeliveryUpload, AppError> {
    use crate::{db::files::NewFile, domain::delivery};
    let malformed = AppError::unreadable_body;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut upload = DeliveryUpload::default();
    let mut budget = delivery::UploadBudget::default();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or_default() {
            "milestone" => upload.milestone = Uuid::parse_str(field.text().await.map_err(malformed)?.trim()).ok(),
            "message" => upload.message = field.text().await.map_err(malformed)?,
            "links" => upload.links = field.text().await.map_err(malformed)?,
            "files" => {
                // A file input left empty still sends one part, with no file name and no bytes.
                let name = field.file_name().unwrap_or_default().to_string();
                if name.is_empty() {
                    continue;
                }
                budget.start_file().map_err(AppError::field)?;
                let content_type = field.content_type().map_or("application/octet-stream".into(), |m| m.to_string());
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    bytes.extend_from_slice(&chunk);
                    budget.add_chunk(chunk.len(), bytes.len()).map_err(AppError::field)?;
                }
                upload.files.push(NewFile {
                    name: delivery::clean_file_name(&name),
                    content_type: content_type.chars().take(100).collect(),
                    bytes,
                });
            }
            _ => {}
        }
    }
    Ok(upload)
}

#[server(name = AcceptDeliveryFn, endpoint = "task/accept_delivery")]
pub async fn accept_delivery(milestone: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<AcceptDeliveryFn>().await?;
    let state = app_state()?;
    db::lifecycle::accept_delivery(&state.pool, Some(user.id), milestone).await?;
    // The task may be done, and the developer's card gains it.
    state.public_pages_changed();
    Ok(())
}

#[server(name = RequestChangesFn, endpoint = "task/request_changes")]
pub async fn request_changes(milestone: Uuid, note: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<RequestChangesFn>().await?;
    let note = checked_note(crate::domain::validation::Field::Message, &note)?;
    db::lifecycle::request_changes(&app_state()?.pool, user.id, milestone, note).await
}

#[server(name = OpenDisputeFn, endpoint = "task/dispute")]
pub async fn open_dispute(milestone: Uuid, reason: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<OpenDisputeFn>().await?;
    let reason = checked_note(crate::domain::validation::Field::Reason, &reason)?;
    db::lifecycle::open_dispute(&app_state()?.pool, user.id, milestone, reason).await
}

/// The other side of a dispute answers the opener's statement, once, before an admin settles it.
#[server(name = RespondToDisputeFn, endpoint = "task/dispute/respond")]
pub async fn respond_to_dispute(milestone: Uuid, response: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<RespondToDisputeFn>().await?;
    let response = checked_note(crate::domain::validation::Field::Reason, &response)?;
    db::lifecycle::respond_to_dispute(&app_state()?.pool, user.id, milestone, response).await
}

/// Raises a published milestone to `amount` yuan (funded from the merchant's balance at once).
#[server(name = RaiseRewardFn, endpoint = "task/raise_reward")]
pub async fn raise_reward(milestone: Uuid, amount: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            tasks::REWARD_RANGE_FEN,
            validation::{check_amount, Field},
        },
        state::app_state,
    };
    let user = authorize_user::<RaiseRewardFn>().await?;
    let to = check_amount(Field::Amount, &amount, (1, REWARD_RANGE_FEN.1)).map_err(AppError::field)?;
    let state = app_state()?;
    db::lifecycle::raise_reward(&state.pool, user.id, milestone, to).await?;
    state.public_pages_changed();
    Ok(())
}

#[cfg(feature = "ssr")]
fn checked_note(field: crate::domain::validation::Field, text: &str) -> Result<&str, AppError> {
    let text = text.trim();
    let (min, max) = NOTE_CHARS;
    crate::domain::validation::check_length(field, text, min, max).map_err(AppError::field)?;
    Ok(text)
}

#[server(name = MyTasksFn, endpoint = "my/tasks")]
pub async fn my_tasks() -> Result<Vec<MyTaskRow>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyTasksFn>().await?;
    Ok(db::tasks::my_tasks(&app_state()?.pool, user.id, user.role).await?)
}
