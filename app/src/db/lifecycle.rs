//! The task lifecycle in the database: every operation is one transaction that locks the task row,
//! asks `domain::lifecycle` whether the transition is allowed, writes the new state, the ledger
//! movement it causes and the timeline event, and commits them together or not at all.
//!
//! Lock order, always: the task row, then its milestones, then ledger accounts (see `db::ledger`).
//! Taking the task row first serialises everything that happens to one task, so 64 simultaneous
//! "accept" clicks see one `delivered` milestone and 63 `released` ones.

use crate::{
    db::{
        challenges, commission, files, growth,
        ledger::{self, LedgerError, Posted},
        notifications::{self, notify},
    },
    domain::{
        challenges::Activity,
        fees::{CommissionRate, PayoutSplit},
        growth::Level,
        ledger::Movement,
        lifecycle::{
            all_milestones_final, check_cancel_consent, check_raise, may_answer_dispute, milestone_transition,
            task_transition,
            ApplicationStatus, MilestoneAction, MilestoneState, MilestoneStatus, Party, Refusal, TaskAction,
            TaskStatus, ANSWER_WITHIN_HOURS, AUTO_ACCEPT_AFTER_DAYS,
        },
        messaging,
        notifications::NoticeKind,
        moderation::{developer_share, Hold, SplitBy},
        money::Money,
        task::{Category, NewTask},
    },
    error::AppError,
};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

impl From<LedgerError> for AppError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::Insufficient { shortfall } => AppError::InsufficientFunds { shortfall },
            LedgerError::Database(error) => error.into(),
        }
    }
}

/// The locked task row.
#[derive(sqlx::FromRow)]
struct TaskRow {
    id: Uuid,
    merchant_id: Uuid,
    developer_id: Option<Uuid>,
    status: String,
    reward_fen: i64,
    change_rounds: i16,
    commission_bps: Option<i32>,
    cancel_proposed_by: Option<String>,
    category: String,
    min_level: Option<String>,
    /// The chosen developer's level now (C before any record), read with the lock: the payout's
    /// commission discount depends on it.
    developer_level: Option<String>,
}

impl TaskRow {
    fn category(&self) -> Category {
        Category::from_slug(&self.category).expect("tasks.category is CHECK-constrained")
    }

    fn status(&self) -> TaskStatus {
        TaskStatus::parse(&self.status).expect("tasks.status is CHECK-constrained")
    }

    fn party(&self, user: Uuid) -> Option<Party> {
        if user == self.merchant_id {
            Some(Party::Merchant)
        } else if Some(user) == self.developer_id {
            Some(Party::Developer)
        } else {
            None
        }
    }

    /// The rate a milestone is paid at: the task's rate, fixed at funding, less the developer's
    /// level discount now (never under 5 %).
    fn payout_rate(&self) -> CommissionRate {
        let level = self.developer_level.as_deref().and_then(Level::parse).unwrap_or(Level::C);
        self.rate().discounted(level.commission_discount_bps())
    }

    fn rate(&self) -> CommissionRate {
        self.commission_bps.and_then(|bps| CommissionRate::from_bps(bps as u32)).unwrap_or(CommissionRate::DEFAULT)
    }
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    amount_fen: i64,
    status: String,
    change_rounds_used: i16,
}

impl MilestoneRow {
    fn status(&self) -> MilestoneStatus {
        MilestoneStatus::parse(&self.status).expect("milestones.status is CHECK-constrained")
    }
}

const LOCK_TASK: &str = "SELECT t.id, t.merchant_id, t.developer_id, t.status, t.reward_fen, t.change_rounds,
        t.commission_bps, t.cancel_proposed_by, t.category, t.min_level,
        (SELECT g.level FROM developer_growth g WHERE g.developer_id = t.developer_id) AS developer_level
    FROM tasks t";

async fn lock_task(conn: &mut PgConnection, task: Uuid) -> Result<TaskRow, AppError> {
    sqlx::query_as(&format!("{LOCK_TASK} WHERE t.id = $1 FOR UPDATE OF t"))
        .bind(task)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Locks a milestone's task, then the milestone.
async fn lock_milestone(conn: &mut PgConnection, milestone: Uuid) -> Result<(TaskRow, MilestoneRow), AppError> {
    // The task is found through the milestone and locked first, in one statement.
    let task: TaskRow = sqlx::query_as(&format!(
        "{LOCK_TASK} WHERE t.id = (SELECT task_id FROM milestones WHERE id = $1) FOR UPDATE OF t"
    ))
    .bind(milestone)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let row: MilestoneRow = sqlx::query_as(
        "SELECT amount_fen, status, change_rounds_used FROM milestones
         WHERE id = $1 FOR UPDATE",
    )
    .bind(milestone)
    .fetch_one(&mut *conn)
    .await?;
    Ok((task, row))
}

async fn event(
    conn: &mut PgConnection,
    task: Uuid,
    milestone: Option<Uuid>,
    actor: Option<Uuid>,
    kind: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO task_events (task_id, milestone_id, actor_id, kind, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(task)
        .bind(milestone)
        .bind(actor)
        .bind(kind)
        .bind(note)
        .execute(conn)
        .await?;
    Ok(())
}

/// A timeline event and the notice it sends to `user`, in one statement (the payout path counts
/// round trips).
async fn event_and_notice(
    conn: &mut PgConnection,
    task: Uuid,
    milestone: Option<Uuid>,
    actor: Option<Uuid>,
    kind: &str,
    (user, notice, note): (Uuid, &str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH event AS (INSERT INTO task_events (task_id, milestone_id, actor_id, kind, note) VALUES ($1, $2, $3, $4, ''))
         INSERT INTO notifications (user_id, kind, task_id, note) VALUES ($5, $6, $1, $7)",
    )
    .bind(task)
    .bind(milestone)
    .bind(actor)
    .bind(kind)
    .bind(user)
    .bind(notice)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

async fn set_task_status(conn: &mut PgConnection, task: Uuid, status: TaskStatus) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET status = $2, updated_at = app_now() WHERE id = $1")
        .bind(task)
        .bind(status.as_str())
        .execute(&mut *conn)
        .await?;
    if status.is_over() {
        notifications::task_over(conn, task).await?;
    }
    Ok(())
}

/// The merchant's "new application" notices are done once no application waits for an answer.
async fn applications_answered(conn: &mut PgConnection, merchant: Uuid, task: Uuid) -> Result<(), sqlx::Error> {
    let waiting: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM applications WHERE task_id = $1 AND status = 'pending')")
            .bind(task)
            .fetch_one(&mut *conn)
            .await?;
    if !waiting {
        notifications::answered(conn, Some(merchant), task, &[NoticeKind::NewApplication]).await?;
    }
    Ok(())
}

async fn set_milestone_status(
    conn: &mut PgConnection,
    milestone: Uuid,
    status: MilestoneStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE milestones SET status = $2 WHERE id = $1")
        .bind(milestone)
        .bind(status.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// A milestone that pays out: its new status and the commission rate it is paid at, recorded
/// together so the payout shown stays the one made.
async fn set_paid_milestone_status(
    conn: &mut PgConnection,
    milestone: Uuid,
    status: MilestoneStatus,
    rate: CommissionRate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE milestones SET status = $2, paid_commission_bps = $3 WHERE id = $1")
        .bind(milestone)
        .bind(status.as_str())
        .bind(rate.bps() as i32)
        .execute(conn)
        .await?;
    Ok(())
}

/// Creates a draft with its milestones and tags. Nothing is funded until `publish`.
pub async fn create_task(pool: &PgPool, merchant: Uuid, task: &NewTask) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline,
                            change_rounds, status, category, min_level)
         VALUES ($1, $2, $3, $4, $5, $6, china_instant(($7::date + time '23:59:59')), $8,
                 'draft', $9, $10)",
    )
    .bind(id)
    .bind(merchant)
    .bind(&task.title)
    .bind(&task.description)
    .bind(task.difficulty.level())
    .bind(task.reward().fen())
    .bind(&task.deadline)
    .bind(task.change_rounds)
    .bind(task.category.slug())
    .bind(task.min_level.map(Level::as_str))
    .execute(&mut *tx)
    .await?;
    write_milestones_and_tags(&mut tx, id, task).await?;
    event(&mut tx, id, None, Some(merchant), "created", "").await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a draft's content. A published task cannot be edited here (its reward may only rise).
pub async fn update_draft(pool: &PgPool, merchant: Uuid, id: Uuid, task: &NewTask) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    task_transition(row.status(), TaskAction::EditDraft, by)?;
    sqlx::query(
        "UPDATE tasks SET title = $2, description = $3, difficulty = $4, reward_fen = $5,
                          deadline = china_instant(($6::date + time '23:59:59')),
                          change_rounds = $7, category = $8, min_level = $9, updated_at = app_now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(&task.title)
    .bind(&task.description)
    .bind(task.difficulty.level())
    .bind(task.reward().fen())
    .bind(&task.deadline)
    .bind(task.change_rounds)
    .bind(task.category.slug())
    .bind(task.min_level.map(Level::as_str))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM milestones WHERE task_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM task_tags WHERE task_id = $1").bind(id).execute(&mut *tx).await?;
    write_milestones_and_tags(&mut tx, id, task).await?;
    event(&mut tx, id, None, Some(merchant), "edited", "").await?;
    tx.commit().await?;
    Ok(())
}

async fn write_milestones_and_tags(
    tx: &mut Transaction<'_, Postgres>,
    task_id: Uuid,
    task: &NewTask,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = task.milestones.iter().map(|_| Uuid::now_v7()).collect();
    let positions: Vec<i16> = (1..=task.milestones.len() as i16).collect();
    let titles: Vec<&str> = task.milestones.iter().map(|m| m.title.as_str()).collect();
    let amounts: Vec<i64> = task.milestones.iter().map(|m| m.amount.fen()).collect();
    sqlx::query(
        "INSERT INTO milestones (id, task_id, position, title, amount_fen)
         SELECT id, $2, position, title, amount FROM UNNEST($1::uuid[], $3::int2[], $4::text[], $5::int8[])
             AS m(id, position, title, amount)",
    )
    .bind(&ids)
    .bind(task_id)
    .bind(&positions)
    .bind(&titles)
    .bind(&amounts)
    .execute(&mut **tx)
    .await?;
    let inserted =
        sqlx::query("INSERT INTO task_tags (task_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = ANY($2)")
            .bind(task_id)
            .bind(&task.tags)
            .execute(&mut **tx)
            .await?;
    if inserted.rows_affected() != task.tags.len() as u64 {
        use crate::domain::validation::{Field, FieldError, Problem};
        return Err(AppError::field(FieldError::new(Field::Tags, Problem::NotAllowed)));
    }
    // The search index follows the words in the same transaction.
    crate::db::search::index_tasks(tx, &[task_id]).await?;
    Ok(())
}

/// Publishes a draft: the reward moves from the merchant's balance into the task's escrow, at the
/// commission rate in effect now. Not enough balance: `InsufficientFunds` with the shortfall.
pub async fn publish(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let mut next = task_transition(row.status(), TaskAction::Publish, by)?;
    super::credit::ensure_unrestricted(&mut tx, merchant).await?;
    let hold = super::moderation::hold_for_review(&mut tx, merchant, id).await?;
    if hold.is_some() {
        next = TaskStatus::PendingReview;
    }
    // 企业会员 lowers the rate the task is funded at (never below the 5 % floor).
    let rate = commission::rates_for_merchant(&mut tx, merchant).await?.rate_for(Some(row.category()));
    sqlx::query(
        "UPDATE tasks SET status = $2, commission_bps = $3, published_at = app_now(), created_at = app_now(),
                          updated_at = app_now(), moderation_note = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(next.as_str())
    .bind(rate.bps() as i32)
    .bind(hold.as_ref().map(Hold::note).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    ledger::post(&mut tx, &Movement::fund_escrow(id, merchant, Money::from_fen(row.reward_fen))).await?;
    event(&mut tx, id, None, Some(merchant), "published", &Money::from_fen(row.reward_fen).display_yuan()).await?;
    if hold.is_some() {
        notify(&mut tx, merchant, "task_held", Some(id), "").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An admin's moderation of a task: approve or reject one waiting for review, hide an open one from
/// the hall or restore it. Rejecting returns the escrow; every pending applicant of a rejected task
/// is told. The merchant is told, with the reason, and the action is in the audit log.
pub async fn moderate(pool: &PgPool, admin: Uuid, id: Uuid, action: TaskAction, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let was = row.status();
    let next = task_transition(was, action, Party::Admin)?;
    sqlx::query(
        "UPDATE tasks SET status = $2, moderation_note = $3, updated_at = app_now(),
                          published_at = CASE WHEN $2 = 'open' AND status = 'pending_review' THEN app_now() ELSE published_at END,
                          created_at = CASE WHEN $2 = 'open' AND status = 'pending_review' THEN app_now() ELSE created_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(next.as_str())
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    if next.is_over() {
        notifications::task_over(&mut tx, id).await?;
    }
    if next == TaskStatus::Rejected {
        refund_unstarted(&mut tx, id, row.merchant_id).await?;
    }
    let (kind, notice) = match action {
        TaskAction::Approve => ("approved", "task_approved"),
        TaskAction::Reject => ("rejected", "task_rejected"),
        TaskAction::Hide => ("hidden", "task_hidden"),
        _ => ("restored", "task_restored"),
    };
    notify(&mut tx, row.merchant_id, notice, Some(id), reason).await?;
    event(&mut tx, id, None, Some(admin), kind, reason).await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: &format!("task.{kind}"),
            subject: format!("task:{id}"),
            before: Some(serde_json::json!({ "status": was.as_str() })),
            after: Some(serde_json::json!({ "status": next.as_str() })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A task that never started gives its escrow back: every waiting milestone is refunded to the
/// merchant and every pending applicant is told.
async fn refund_unstarted(conn: &mut PgConnection, id: Uuid, merchant: Uuid) -> Result<(), AppError> {
    let held: i64 = sqlx::query_scalar::<_, i64>(
        "UPDATE milestones SET status = 'refunded' WHERE task_id = $1 AND status = 'waiting'
         RETURNING amount_fen",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .sum();
    if held > 0 {
        ledger::post(conn, &Movement::refund(id, merchant, Money::from_fen(held))).await?;
    }
    let applicants: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE applications SET status = 'declined', decline_reason = 'task_cancelled', answered_at = app_now()
         WHERE task_id = $1 AND status = 'pending' RETURNING developer_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for developer in applicants {
        notify(conn, developer, "task_cancelled", Some(id), "").await?;
    }
    Ok(())
}

/// Raises one milestone of a published task to `to`, funding the difference from the merchant's
/// balance in the same transaction (refused whole, with the shortfall, when the balance is short).
/// The commission rate stays the one fixed at publishing.
pub async fn raise_reward(pool: &PgPool, merchant: Uuid, milestone: Uuid, to: Money) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    if task.party(merchant) != Some(Party::Merchant) {
        return Err(AppError::Forbidden);
    }
    if !check_raise(task.status(), row.status(), row.amount_fen, to.fen())? {
        return Ok(());
    }
    let from = Money::from_fen(row.amount_fen);
    sqlx::query("UPDATE milestones SET amount_fen = $2 WHERE id = $1")
        .bind(milestone)
        .bind(to.fen())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE tasks SET reward_fen = reward_fen + $2, updated_at = app_now() WHERE id = $1")
        .bind(task.id)
        .bind(to.fen() - from.fen())
        .execute(&mut *tx)
        .await?;
    ledger::post(&mut tx, &Movement::raise_escrow(task.id, milestone, merchant, from, to)).await?;
    let note = format!("{} → {}", from.display_yuan(), to.display_yuan());
    event(&mut tx, task.id, Some(milestone), Some(merchant), "reward_raised", &note).await?;
    if let Some(developer) = task.developer_id {
        notify(&mut tx, developer, "reward_raised", Some(task.id), &note).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Cancels a draft or an open task; an open task's escrow returns to the merchant in full and every
/// pending applicant is told.
pub async fn cancel(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let was = row.status();
    let next = task_transition(was, TaskAction::Cancel, by)?;
    set_task_status(&mut tx, id, next).await?;
    if matches!(was, TaskStatus::Open | TaskStatus::PendingReview | TaskStatus::Hidden) {
        refund_unstarted(&mut tx, id, merchant).await?;
    }
    event(&mut tx, id, None, Some(merchant), "cancelled", "").await?;
    tx.commit().await?;
    Ok(())
}

fn party_name(party: Party) -> &'static str {
    if party == Party::Merchant {
        "merchant"
    } else {
        "developer"
    }
}

/// During work, either side proposes to call the task off; the other side is told.
pub async fn propose_cancel(pool: &PgPool, user: Uuid, id: Uuid, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(user).ok_or(AppError::Forbidden)?;
    task_transition(row.status(), TaskAction::ProposeCancel, by)?;
    sqlx::query("UPDATE tasks SET cancel_proposed_by = $2, updated_at = app_now() WHERE id = $1")
        .bind(id)
        .bind(party_name(by))
        .execute(&mut *tx)
        .await?;
    let other = if by == Party::Merchant { row.developer_id } else { Some(row.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "cancel_proposed", Some(id), reason).await?;
    }
    event(&mut tx, id, None, Some(user), "cancel_proposed", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The other side agrees: every milestone not yet paid goes back to the merchant in full, in one
/// movement, and the task is cancelled. Milestones already paid stay paid.
pub async fn agree_cancel(pool: &PgPool, user: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(user).ok_or(AppError::Forbidden)?;
    let next = task_transition(row.status(), TaskAction::AgreeCancel, by)?;
    let proposed_by = match row.cancel_proposed_by.as_deref() {
        Some("merchant") => Some(Party::Merchant),
        Some("developer") => Some(Party::Developer),
        _ => None,
    };
    let milestones: Vec<(Uuid, i64, String, i16)> = sqlx::query_as(
        "SELECT id, amount_fen, status, change_rounds_used FROM milestones WHERE task_id = $1 ORDER BY position FOR UPDATE",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let statuses: Vec<MilestoneStatus> =
        milestones.iter().filter_map(|(_, _, s, _)| MilestoneStatus::parse(s)).collect();
    check_cancel_consent(proposed_by, by, statuses.contains(&MilestoneStatus::Disputed))?;
    let mut held = 0;
    for ((milestone, amount, _, rounds_used), status) in milestones.iter().zip(&statuses) {
        if !status.holds_escrow() {
            continue;
        }
        let state = MilestoneState { status: *status, rounds_used: *rounds_used, rounds_allowed: row.change_rounds };
        let refunded = milestone_transition(state, MilestoneAction::Refund, Party::System)?;
        set_milestone_status(&mut tx, *milestone, refunded).await?;
        held += amount;
    }
    set_task_status(&mut tx, id, next).await?;
    let other = if by == Party::Merchant { row.developer_id } else { Some(row.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "cancel_agreed", Some(id), "").await?;
    }
    event(&mut tx, id, None, Some(user), "cancel_agreed", &Money::from_fen(held).display_yuan()).await?;
    if held > 0 {
        ledger::post(&mut tx, &Movement::refund(id, row.merchant_id, Money::from_fen(held))).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One application per developer per task, on open tasks only; the merchant has 48 hours to answer.
pub async fn apply(pool: &PgPool, developer: Uuid, task: Uuid, pitch: &str) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, task).await?;
    if row.merchant_id == developer {
        return Err(Refusal::OwnTask.into());
    }
    if row.status() != TaskStatus::Open {
        return Err(Refusal::WrongState.into());
    }
    super::credit::ensure_unrestricted(&mut tx, developer).await?;
    let level = growth::level_of(&mut tx, developer).await?;
    if !level.unlocks(row.min_level.as_deref().and_then(Level::parse)) {
        return Err(Refusal::LevelTooLow.into());
    }
    // One application at a time per developer, so two sent at once cannot both slip under the cap.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('applications:' || $1::text, 0))")
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1 AND status = 'pending'")
            .bind(developer)
            .fetch_one(&mut *tx)
            .await?;
    if waiting >= i64::from(level.open_application_cap()) {
        return Err(Refusal::TooManyOpenApplications.into());
    }
    let (pitch, _) = messaging::guard_contacts(pitch, row.developer_id, developer);
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO applications (id, task_id, developer_id, pitch, respond_by)
         VALUES ($1, $2, $3, $4, app_now() + make_interval(hours => $5))
         ON CONFLICT (task_id, developer_id) DO NOTHING",
    )
    .bind(id)
    .bind(task)
    .bind(developer)
    .bind(&pitch)
    .bind(ANSWER_WITHIN_HOURS as i32)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Refusal::AlreadyApplied.into());
    }
    notify(&mut tx, row.merchant_id, "new_application", Some(task), "").await?;
    challenges::record_activity(&mut tx, developer, Activity::Applied, &format!("applied:{id}")).await?;
    tx.commit().await?;
    Ok(id)
}

/// The merchant accepts one application (starting the work and declining the others) or declines it
/// with a reason. The applicant, and every other applicant on acceptance, is told.
pub async fn answer_application(
    pool: &PgPool,
    merchant: Uuid,
    application: Uuid,
    accept: bool,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task_id, developer): (Uuid, Uuid) =
        sqlx::query_as("SELECT task_id, developer_id FROM applications WHERE id = $1")
            .bind(application)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let row = lock_task(&mut tx, task_id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1 FOR UPDATE")
        .bind(application)
        .fetch_one(&mut *tx)
        .await?;
    if ApplicationStatus::parse(&status) != Some(ApplicationStatus::Pending) {
        return Err(Refusal::WrongState.into());
    }
    if !accept {
        sqlx::query(
            "UPDATE applications SET status = 'declined', decline_reason = $2, answered_at = app_now() WHERE id = $1",
        )
        .bind(application)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        notify(&mut tx, developer, "application_declined", Some(task_id), reason).await?;
        applications_answered(&mut tx, merchant, task_id).await?;
        tx.commit().await?;
        return Ok(());
    }
    let next = task_transition(row.status(), TaskAction::ChooseDeveloper, by)?;
    sqlx::query("UPDATE tasks SET status = $2, developer_id = $3, updated_at = app_now() WHERE id = $1")
        .bind(task_id)
        .bind(next.as_str())
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE applications SET status = 'accepted', answered_at = app_now() WHERE id = $1")
        .bind(application)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE milestones SET status = 'working' WHERE task_id = $1 AND status = 'waiting'")
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
    let others: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE applications SET status = 'declined', decline_reason = 'another_developer_chosen',
                                 answered_at = app_now()
         WHERE task_id = $1 AND status = 'pending' RETURNING developer_id",
    )
    .bind(task_id)
    .fetch_all(&mut *tx)
    .await?;
    for other in others {
        notify(&mut tx, other, "application_not_chosen", Some(task_id), "").await?;
    }
    notify(&mut tx, developer, "application_accepted", Some(task_id), "").await?;
    applications_answered(&mut tx, merchant, task_id).await?;
    event(&mut tx, task_id, None, Some(merchant), "developer_chosen", "").await?;
    tx.commit().await?;
    Ok(())
}

/// The developer hands in a milestone's work.
pub async fn deliver(
    pool: &PgPool,
    developer: Uuid,
    milestone: Uuid,
    message: &str,
    links: &[String],
    files: &[files::NewFile],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(developer).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Deliver, by)?;
    sqlx::query("UPDATE milestones SET status = $2, delivered_at = app_now() WHERE id = $1")
        .bind(milestone)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    let delivery = Uuid::now_v7();
    sqlx::query("INSERT INTO deliveries (id, milestone_id, message, links) VALUES ($1, $2, $3, $4)")
        .bind(delivery)
        .bind(milestone)
        .bind(message)
        .bind(links)
        .execute(&mut *tx)
        .await?;
    files::insert(&mut tx, delivery, files).await?;
    notify(&mut tx, task.merchant_id, "delivered", Some(task.id), "").await?;
    let asked = [NoticeKind::ChangesRequested, NoticeKind::DeadlineSoon];
    notifications::answered(&mut tx, Some(developer), task.id, &asked).await?;
    event(&mut tx, task.id, Some(milestone), Some(developer), "delivered", message).await?;
    tx.commit().await?;
    Ok(())
}

fn milestone_state(task: &TaskRow, row: &MilestoneRow) -> MilestoneState {
    MilestoneState { status: row.status(), rounds_used: row.change_rounds_used, rounds_allowed: task.change_rounds }
}

/// Accepts a delivered milestone and pays it out: the developer receives the amount minus the
/// commission fixed at funding, at once. `merchant` is None when the 7-day silence rule accepts.
/// Returns the split that was paid.
pub async fn accept_delivery(pool: &PgPool, merchant: Option<Uuid>, milestone: Uuid) -> Result<PayoutSplit, AppError> {
    let mut tx = pool.begin().await?;
    let split = accept_in(&mut tx, merchant, milestone).await?;
    tx.commit().await?;
    Ok(split)
}

async fn accept_in(conn: &mut PgConnection, merchant: Option<Uuid>, milestone: Uuid) -> Result<PayoutSplit, AppError> {
    let (task, row) = lock_milestone(conn, milestone).await?;
    let by = match merchant {
        Some(user) => task.party(user).ok_or(AppError::Forbidden)?,
        None => Party::System,
    };
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Accept, by)?;
    let developer = task.developer_id.ok_or(Refusal::WrongState)?;
    let rate = task.payout_rate();
    set_paid_milestone_status(conn, milestone, next, rate).await?;
    let split = PayoutSplit::of(Money::from_fen(row.amount_fen), rate);
    let kind = if merchant.is_some() { "accepted" } else { "auto_accepted" };
    let paid = split.developer_receives.display_yuan();
    event_and_notice(conn, task.id, Some(milestone), merchant, kind, (developer, "paid", &paid)).await?;
    notifications::answered(conn, Some(task.merchant_id), task.id, &[NoticeKind::Delivered]).await?;
    finish_if_done(conn, &task).await?;
    // Last, so the shared commission account is locked for the shortest time before commit.
    match ledger::post(conn, &Movement::release(task.id, milestone, developer, split)).await? {
        Posted::Applied => Ok(split),
        // The milestone lock makes this unreachable; if it ever happens, refuse rather than pay twice.
        Posted::AlreadyApplied => Err(Refusal::WrongState.into()),
    }
}

async fn finish_if_done(conn: &mut PgConnection, task: &TaskRow) -> Result<(), AppError> {
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM milestones WHERE task_id = $1")
        .bind(task.id)
        .fetch_all(&mut *conn)
        .await?;
    let statuses: Vec<MilestoneStatus> = statuses.iter().filter_map(|s| MilestoneStatus::parse(s)).collect();
    if all_milestones_final(&statuses) {
        let next = task_transition(task.status(), TaskAction::Finish, Party::System)?;
        // Growth only for work that was paid for (a task refunded in full earns nothing); it is
        // owed here, in the payout's transaction, and awarded by the growth worker after commit.
        let paid = statuses.iter().any(|s| matches!(s, MilestoneStatus::Released | MilestoneStatus::Settled));
        let growth_owed = task.developer_id.is_some() && paid;
        // The new status, its timeline event and the growth owed in one statement.
        sqlx::query(
            "WITH status AS (UPDATE tasks SET status = $2, updated_at = app_now() WHERE id = $1),
                  owed AS (INSERT INTO growth_outbox (task_id) SELECT $1 WHERE $3 ON CONFLICT DO NOTHING)
             INSERT INTO task_events (task_id, kind, note) VALUES ($1, 'completed', '')",
        )
        .bind(task.id)
        .bind(next.as_str())
        .bind(growth_owed)
        .execute(&mut *conn)
        .await?;
        notifications::task_over(conn, task.id).await?;
    }
    Ok(())
}

/// The merchant sends a delivery back, within the allowed number of change rounds.
pub async fn request_changes(pool: &PgPool, merchant: Uuid, milestone: Uuid, note: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(merchant).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::RequestChanges, by)?;
    sqlx::query(
        "UPDATE milestones SET status = $2, change_rounds_used = change_rounds_used + 1, delivered_at = NULL
         WHERE id = $1",
    )
    .bind(milestone)
    .bind(next.as_str())
    .execute(&mut *tx)
    .await?;
    if let Some(developer) = task.developer_id {
        notify(&mut tx, developer, "changes_requested", Some(task.id), note).await?;
    }
    notifications::answered(&mut tx, Some(merchant), task.id, &[NoticeKind::Delivered]).await?;
    event(&mut tx, task.id, Some(milestone), Some(merchant), "changes_requested", note).await?;
    tx.commit().await?;
    Ok(())
}

/// Either side freezes one milestone's escrow until an admin decides.
pub async fn open_dispute(pool: &PgPool, user: Uuid, milestone: Uuid, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(user).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::OpenDispute, by)?;
    set_milestone_status(&mut tx, milestone, next).await?;
    sqlx::query("INSERT INTO disputes (id, milestone_id, opened_by, reason) VALUES ($1, $2, $3, $4)")
        .bind(Uuid::now_v7())
        .bind(milestone)
        .bind(user)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    let other = if by == Party::Merchant { task.developer_id } else { Some(task.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "dispute_opened", Some(task.id), reason).await?;
    }
    // A merchant who disputes a delivery has answered it (a developer holds no such notice).
    notifications::answered(&mut tx, Some(user), task.id, &[NoticeKind::Delivered]).await?;
    event(&mut tx, task.id, Some(milestone), Some(user), "dispute_opened", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The side that did not open a milestone's dispute answers it, once, before it is settled; the admin
/// reads both statements side by side.
pub async fn respond_to_dispute(pool: &PgPool, user: Uuid, milestone: Uuid, response: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, _) = lock_milestone(&mut tx, milestone).await?;
    let me = task.party(user).ok_or(AppError::Forbidden)?;
    // The milestone's lock serialises answers, so the dispute read here is the one answered.
    let open: Option<(Uuid, Uuid, bool)> = sqlx::query_as(
        "SELECT id, opened_by, response IS NOT NULL FROM disputes
         WHERE milestone_id = $1 AND settled_at IS NULL ORDER BY opened_at DESC LIMIT 1",
    )
    .bind(milestone)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((dispute, opened_by, answered)) = open else {
        return Err(Refusal::WrongState.into());
    };
    let opened_by = if opened_by == task.merchant_id { Party::Merchant } else { Party::Developer };
    if !may_answer_dispute(me, opened_by, answered) {
        return Err(Refusal::WrongState.into());
    }
    sqlx::query("UPDATE disputes SET response = $2, responded_at = app_now() WHERE id = $1")
        .bind(dispute)
        .bind(response)
        .execute(&mut *tx)
        .await?;
    notifications::answered(&mut tx, Some(user), task.id, &[NoticeKind::DisputeOpened]).await?;
    event(&mut tx, task.id, Some(milestone), Some(user), "dispute_answered", response).await?;
    tx.commit().await?;
    Ok(())
}

/// An admin settles a disputed milestone: `developer_share` goes to the developer (less commission on
/// that share), the rest back to the merchant, with a written decision both sides see.
pub async fn settle_dispute(
    pool: &PgPool,
    admin: Uuid,
    milestone: Uuid,
    split: SplitBy,
    share_input: &str,
    decision: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Settle, Party::Admin)?;
    let Some(developer_share) = developer_share(Money::from_fen(row.amount_fen), split, share_input) else {
        use crate::domain::validation::{Field, FieldError, Problem};
        return Err(AppError::field(FieldError::new(Field::Amount, Problem::NotAllowed)));
    };
    let developer = task.developer_id.ok_or(Refusal::WrongState)?;
    let rate = task.payout_rate();
    set_paid_milestone_status(&mut tx, milestone, next, rate).await?;
    sqlx::query(
        "UPDATE disputes SET developer_share_fen = $2, decision = $3, settled_by = $4, settled_at = app_now()
         WHERE milestone_id = $1 AND settled_at IS NULL",
    )
    .bind(milestone)
    .bind(developer_share.fen())
    .bind(decision)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    for user in [developer, task.merchant_id] {
        notify(&mut tx, user, "dispute_settled", Some(task.id), decision).await?;
    }
    notifications::answered(&mut tx, None, task.id, &[NoticeKind::DisputeOpened]).await?;
    event(&mut tx, task.id, Some(milestone), Some(admin), "dispute_settled", decision).await?;
    finish_if_done(&mut tx, &task).await?;
    let share = PayoutSplit::of(developer_share, rate);
    let amount = Money::from_fen(row.amount_fen);
    ledger::post(&mut tx, &Movement::dispute_split(task.id, milestone, developer, task.merchant_id, amount, share))
        .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "dispute.settle",
            subject: format!("task:{}", task.id),
            before: Some(serde_json::json!({ "milestone": milestone, "escrow_fen": row.amount_fen })),
            after: Some(serde_json::json!({
                "developer_fen": developer_share.fen(),
                "merchant_fen": row.amount_fen - developer_share.fen(),
            })),
            reason: decision,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Background job: applications unanswered for 48 hours expire, and their developers are told. One
/// UPDATE decides which rows expire, so two servers running this at once cannot expire one twice.
pub async fn expire_applications(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let expired: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "UPDATE applications SET status = 'expired'
         WHERE status = 'pending' AND respond_by < app_now()
         RETURNING task_id, developer_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (task, developer) in &expired {
        notify(&mut tx, *developer, "application_expired", Some(*task), "").await?;
        let merchant: Uuid =
            sqlx::query_scalar("SELECT merchant_id FROM tasks WHERE id = $1").bind(task).fetch_one(&mut *tx).await?;
        applications_answered(&mut tx, merchant, *task).await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}

/// Background job: the developer of a task in progress is told once when its deadline is less than
/// 48 hours away (the seeds' 消息提醒不及时差点错过合作). One statement: marking and telling together.
pub async fn remind_deadlines(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let reminded = sqlx::query(
        "WITH due AS (
             UPDATE tasks SET deadline_reminded = true
             WHERE status = 'in_progress' AND NOT deadline_reminded AND developer_id IS NOT NULL
               AND deadline < app_now() + interval '48 hours'
             RETURNING id, developer_id, deadline)
         INSERT INTO notifications (user_id, kind, task_id, note)
         SELECT developer_id, 'deadline_soon', id, china_text(deadline, 'YYYY-MM-DD HH24:MI')
         FROM due",
    )
    .execute(pool)
    .await?;
    Ok(reminded.rows_affected())
}

/// Background job: deliveries left unanswered for 7 days are accepted and paid, each in its own
/// transaction through the same state machine: a milestone already accepted (by its merchant or by
/// another server running this job) is refused, never paid twice.
pub async fn auto_accept_deliveries(pool: &PgPool) -> Result<u64, AppError> {
    // Read without locks, then accept each through the normal path (task lock first, then the
    // milestone, re-checking its state), so this job and a merchant's click can never deadlock.
    let due: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM milestones
         WHERE status = 'delivered' AND delivered_at < app_now() - make_interval(days => $1)
         ORDER BY delivered_at LIMIT 500",
    )
    .bind(AUTO_ACCEPT_AFTER_DAYS as i32)
    .fetch_all(pool)
    .await?;
    let mut accepted = 0;
    for milestone in due {
        match accept_delivery(pool, None, milestone).await {
            Ok(_) => accepted += 1,
            // Accepted by the merchant, or by another server, in the meantime.
            Err(AppError::Refused { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(accepted)
}
