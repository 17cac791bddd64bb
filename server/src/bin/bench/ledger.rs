//! `bench ledger`: ledger throughput and soundness under load, printed as `name: value unit`.
//!
//! 1. Payouts: N delivered milestones are accepted by 32 concurrent workers through
//!    `db::lifecycle::accept_delivery` (the code the server function runs); prints payouts per second.
//!    Then the growth those payouts owe is awarded by the server's growth workers; prints awards per second.
//! 2. Random operations: 32 workers run a random mix of deposits, withdrawals (paid and failed),
//!    publishing, applying, choosing, delivering, changes, accepting, disputes and settlements,
//!    cancellations; then the ledger's and the records' invariant checks run and their violations
//!    are printed (must be 0).
//!
//! It writes into whatever database DATABASE_URL names; bench/run gives it its own.

use app::{
    db::{growth, ledger::check_invariants, lifecycle, payments},
    domain::{
        lifecycle::TaskAction,
        moderation::SplitBy,
        money::Money,
        tasks::{Category, Difficulty, NewMilestone, NewTask},
    },
    error::AppError,
    payments::{Notification, NotificationKind},
};
use server::startup::GROWTH_WORKERS;
use sqlx::PgPool;
use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Instant,
};
use uuid::Uuid;

const WORKERS: usize = 32;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// A tiny deterministic generator (xorshift64*): reproducible runs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn user(pool: &PgPool, role: &str) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
         VALUES ($1, $2, 'bench', 'x', $3, $4)",
    )
    .bind(id)
    .bind(format!("bench-{}@bench.codelink.dev", id.simple()))
    .bind(role)
    .bind((role == "merchant").then_some("company"))
    .execute(pool)
    .await?;
    Ok(id)
}

/// A deposit through the same path a provider callback takes.
async fn deposit(pool: &PgPool, user: Uuid, fen: i64) -> Result<(), Error> {
    let order = payments::create_order(pool, user, Money::from_fen(fen), "bench").await.map_err(app_error)?;
    let paid = Notification {
        kind: NotificationKind::Payment,
        reference: order,
        amount_fen: fen,
        succeeded: true,
        provider_txn: "bench".into(),
        payer_account: None,
    };
    payments::receive(pool, &paid).await.map_err(app_error)?;
    Ok(())
}

fn new_task(reward_fen: i64, milestones: usize) -> NewTask {
    let part = reward_fen / milestones as i64;
    let mut parts: Vec<NewMilestone> =
        (0..milestones).map(|i| NewMilestone { title: format!("M{}", i + 1), amount: Money::from_fen(part) }).collect();
    let rest = reward_fen - part * milestones as i64;
    parts[0].amount = Money::from_fen(part + rest);
    NewTask {
        title: "bench task".into(),
        category: Category::Backend,
        description: "a task written by the ledger benchmark".into(),
        tags: vec![],
        difficulty: Difficulty::new(2).expect("2 is a difficulty"),
        deadline: "2099-12-31".into(),
        change_rounds: 2,
        milestones: parts,
        min_level: None,
    }
}

fn app_error(error: AppError) -> Error {
    format!("{error:?}").into()
}

/// A task published, applied to and started, with every milestone delivered.
async fn delivered_task(
    pool: &PgPool,
    admin: Uuid,
    merchant: Uuid,
    developer: Uuid,
    reward_fen: i64,
) -> Result<Vec<Uuid>, Error> {
    let task = lifecycle::create_task(pool, merchant, &new_task(reward_fen, 1)).await.map_err(app_error)?;
    lifecycle::publish(pool, merchant, task).await.map_err(app_error)?;
    // A new merchant's first tasks wait for an admin's approval, as on the site.
    let status: String =
        sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1").bind(task).fetch_one(pool).await?;
    if status == "pending_review" {
        lifecycle::moderate(pool, admin, task, TaskAction::Approve, "").await.map_err(app_error)?;
    }
    let application = lifecycle::apply(pool, developer, task, "").await.map_err(app_error)?;
    lifecycle::answer_application(pool, merchant, application, true, "").await.map_err(app_error)?;
    let milestones: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM milestones WHERE task_id = $1").bind(task).fetch_all(pool).await?;
    for m in &milestones {
        lifecycle::deliver(pool, developer, *m, "done", &[], &[]).await.map_err(app_error)?;
    }
    Ok(milestones)
}

pub async fn run(pool: PgPool, payouts: usize, operations: usize) -> Result<(), Error> {
    // 1. Payout throughput.
    let admin = user(&pool, "admin").await?;
    let merchant = user(&pool, "merchant").await?;
    deposit(&pool, merchant, payouts as i64 * 10_000).await?;
    let mut developers = Vec::new();
    for _ in 0..WORKERS {
        developers.push(user(&pool, "developer").await?);
    }
    let mut milestones = Vec::with_capacity(payouts);
    let setup = Instant::now();
    for n in 0..payouts {
        milestones.extend(delivered_task(&pool, admin, merchant, developers[n % WORKERS], 10_000).await?);
    }
    eprintln!("set up {payouts} delivered tasks in {:.1}s", setup.elapsed().as_secs_f64());
    let queue = Arc::new(milestones);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (pool, queue, next) = (pool.clone(), queue.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(milestone) = queue.get(i) else {
                        return Ok::<_, Error>(());
                    };
                    lifecycle::accept_delivery(&pool, Some(merchant), *milestone).await.map_err(app_error)?;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("ledger_payouts_per_sec: {:.0} payouts/s", queue.len() as f64 / seconds);
    println!("ledger_payout_workers: {WORKERS} workers");

    // 1b. The growth those payouts owe, awarded after commit by the server's growth workers.
    let started = Instant::now();
    let drains: Vec<_> = (0..GROWTH_WORKERS)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { growth::drain_outbox(&pool).await })
        })
        .collect();
    let mut awarded = 0;
    for drain in drains {
        awarded += drain.await??;
    }
    println!("growth_awards_per_sec: {:.0} awards/s", awarded as f64 / started.elapsed().as_secs_f64());
    println!("growth_workers: {GROWTH_WORKERS} workers");
    if awarded != queue.len() as u64 {
        return Err(format!("{} payouts owed growth, {awarded} were awarded", queue.len()).into());
    }

    // 2. Random operations, then the invariant check.
    let started = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (pool, done, refused) = (pool.clone(), done.clone(), refused.clone());
            tokio::spawn(async move { random_worker(pool, w as u64, operations / WORKERS, done, refused).await })
        })
        .collect();
    for worker in workers {
        worker.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let report = check_invariants(&pool).await?;
    println!("ledger_random_operations: {} operations", done.load(Ordering::Relaxed));
    println!("ledger_random_refused: {} operations", refused.load(Ordering::Relaxed));
    println!("ledger_random_ops_per_sec: {:.0} ops/s", done.load(Ordering::Relaxed) as f64 / seconds);
    println!("ledger_invariant_violations: {} violations", report.violations());
    // The records counted from the same operations (growth, periods, badges, challenges, payouts,
    // pending notices) must agree with their events as the ledger does with its entries.
    let records = app::db::record_invariants::check(&pool).await?;
    println!("record_invariant_violations: {} violations", records.violations());
    if report.violations() > 0 {
        return Err(format!("ledger invariants violated: {report:?}").into());
    }
    if records.violations() > 0 {
        return Err(format!("record invariants violated: {records:?}").into());
    }
    Ok(())
}

/// One worker's share of random operations over its own merchant and two developers (plus
/// occasional contention on shared tasks through the commission account).
async fn random_worker(
    pool: PgPool,
    seed: u64,
    operations: usize,
    done: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
) -> Result<(), Error> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (seed + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let merchant = user(&pool, "merchant").await?;
    let developers = [user(&pool, "developer").await?, user(&pool, "developer").await?];
    let admin = user(&pool, "admin").await?;
    let mut tasks: Vec<Uuid> = Vec::new();
    for _ in 0..operations {
        let result: Result<(), AppError> = async {
            match rng.below(10) {
                0 => {
                    deposit(&pool, merchant, 1_000 + rng.below(50_000) as i64).await.map_err(|_| AppError::Internal)?;
                }
                1 => {
                    let who = if rng.below(2) == 0 { merchant } else { developers[rng.below(2) as usize] };
                    let fen = 100 + rng.below(20_000) as i64;
                    let id = payments::request_withdrawal(&pool, who, Money::from_fen(fen), "bench").await?;
                    let result = Notification {
                        kind: NotificationKind::Payout,
                        reference: id,
                        amount_fen: fen,
                        succeeded: rng.below(4) != 0,
                        provider_txn: "bench".into(),
                        payer_account: None,
                    };
                    payments::receive(&pool, &result).await?;
                }
                2 | 3 => {
                    let pieces = 1 + rng.below(3) as usize;
                    let task =
                        lifecycle::create_task(&pool, merchant, &new_task(1_000 + rng.below(30_000) as i64, pieces))
                            .await?;
                    tasks.push(task);
                    lifecycle::publish(&pool, merchant, task).await?;
                }
                4 => {
                    let task = *pick(&mut rng, &tasks)?;
                    lifecycle::apply(&pool, developers[rng.below(2) as usize], task, "").await?;
                }
                5 => {
                    let task = *pick(&mut rng, &tasks)?;
                    let application: Option<Uuid> = sqlx::query_scalar(
                        "SELECT id FROM applications WHERE task_id = $1 AND status = 'pending' LIMIT 1",
                    )
                    .bind(task)
                    .fetch_optional(&pool)
                    .await?;
                    let application = application.ok_or(AppError::NotFound)?;
                    lifecycle::answer_application(&pool, merchant, application, rng.below(5) != 0, "bench").await?;
                }
                6 => {
                    let task = *pick(&mut rng, &tasks)?;
                    let (milestone, developer) = milestone_of(&pool, task).await?;
                    lifecycle::deliver(&pool, developer, milestone, "done", &[], &[]).await?;
                }
                7 => {
                    let task = *pick(&mut rng, &tasks)?;
                    let (milestone, _) = milestone_of(&pool, task).await?;
                    match rng.below(6) {
                        0 => lifecycle::request_changes(&pool, merchant, milestone, "again").await?,
                        1 => lifecycle::open_dispute(&pool, merchant, milestone, "bench").await?,
                        _ => {
                            lifecycle::accept_delivery(&pool, Some(merchant), milestone).await?;
                        }
                    }
                }
                8 => {
                    let task = *pick(&mut rng, &tasks)?;
                    let disputed: Option<(Uuid, i64)> = sqlx::query_as(
                        "SELECT id, amount_fen FROM milestones WHERE task_id = $1 AND status = 'disputed' LIMIT 1",
                    )
                    .bind(task)
                    .fetch_optional(&pool)
                    .await?;
                    let (milestone, amount) = disputed.ok_or(AppError::NotFound)?;
                    let share = Money::from_fen(amount * rng.below(101) as i64 / 100);
                    lifecycle::settle_dispute(
                        &pool,
                        admin,
                        milestone,
                        SplitBy::Amount,
                        &share.plain_yuan(),
                        "bench decision",
                    )
                    .await?;
                }
                _ => {
                    let task = *pick(&mut rng, &tasks)?;
                    lifecycle::cancel(&pool, merchant, task).await?;
                }
            }
            Ok(())
        }
        .await;
        done.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(()) => {}
            // Refusals are the state machine doing its job (a random step that does not apply now).
            Err(
                AppError::Refused { .. }
                | AppError::InsufficientFunds { .. }
                | AppError::NotFound
                | AppError::Forbidden,
            ) => {
                refused.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => return Err(app_error(error)),
        }
    }
    Ok(())
}

fn pick<'a>(rng: &mut Rng, tasks: &'a [Uuid]) -> Result<&'a Uuid, AppError> {
    if tasks.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(&tasks[rng.below(tasks.len() as u64) as usize])
}

/// A task's first unfinished milestone and its developer, if one was chosen.
async fn milestone_of(pool: &PgPool, task: Uuid) -> Result<(Uuid, Uuid), AppError> {
    let row: Option<(Uuid, Option<Uuid>)> = sqlx::query_as(
        "SELECT m.id, t.developer_id FROM milestones m JOIN tasks t ON t.id = m.task_id
         WHERE m.task_id = $1 AND m.status NOT IN ('released', 'refunded', 'settled')
         ORDER BY m.position LIMIT 1",
    )
    .bind(task)
    .fetch_optional(pool)
    .await?;
    match row {
        Some((milestone, Some(developer))) => Ok((milestone, developer)),
        _ => Err(AppError::NotFound),
    }
}
