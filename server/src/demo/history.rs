//! Finished, paid and rated work for the first demo developers, made by driving the real lifecycle
//! (deposit, escrow, application, delivery, payout, growth award, reviews) through past days: each
//! step runs at its own moment on the application clock (`app_now()`, which reads the session's
//! `codelink.clock`), and the steps of all tasks run in time order. So every record is dated as it
//! would have happened: deposits before the escrows they fund, notices with their events, weekly
//! and monthly totals in their own weeks and months, badges earned when their rule first held.

use super::{developer_email, CLIENTS_EN, CLIENTS_ZH, MERCHANTS, TEMPLATES};
use app::{
    db::{growth, ledger, lifecycle, reviews},
    domain::{
        ledger::Movement,
        money::Money,
        reviews::{ReviewForm, Scores},
        tasks::{Category, Difficulty, NewMilestone, NewTask},
    },
};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// Developers with a finished, rated record in the demo: the first twelve, the first ones busiest.
const DEVELOPERS_WITH_HISTORY: usize = 12;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// What merchants say of a developer, by the stars they gave (5, 4, 3), in the task's language.
const REVIEWS_OF_DEVELOPERS: [(&[&str], &[&str]); 3] = [
    (
        &[
            "交付准时，代码质量很高，沟通顺畅。",
            "提前完成，文档写得很清楚，下次还找他。",
            "需求理解到位，一次就通过验收。",
        ],
        &["Fast, careful work; the tests made review easy.", "Delivered early with clear notes. Would hire again."],
    ),
    (
        &["整体满意，个别细节返工了一次。", "功能完整，代码注释可以再多一些。"],
        &["Solid delivery, a little slow to reply at times.", "Good work; one detail needed a second pass."],
    ),
    (
        &["能用，但比约定晚了一天，测试覆盖不够。"],
        &["It works, though the handover notes were thin and it came a day late."],
    ),
];

/// What developers say of a merchant, in the task's language.
const REVIEWS_OF_MERCHANTS: (&[&str], &[&str]) = (
    &["需求清楚，验收及时。", "付款及时，沟通高效。", "需求中途有调整，但双方协商顺利。"],
    &["Clear brief and quick feedback.", "Paid on time; easy to work with."],
);

/// One step of one task's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Post,
    Apply,
    Choose,
    Deliver,
    Accept,
    MerchantReview,
    DeveloperReview,
}

/// One finished task to be: who, what, and when it was posted (seconds before now).
struct Plan {
    developer: Uuid,
    merchant: Uuid,
    task: NewTask,
    stars: u8,
    english: bool,
    posted_ago: i64,
    /// Set as the steps run.
    id: Option<Uuid>,
    application: Option<Uuid>,
    milestone: Option<Uuid>,
}

impl Plan {
    /// Seconds before now of each step, from posting to the second review.
    fn schedule(&self, n: usize) -> [(i64, Step); 7] {
        let at = self.posted_ago;
        // A day per difficulty level and one more; less for the few tasks posted in the last days,
        // so every step is in the past (the last one at least three hours ago).
        let work = ((self.task.difficulty.level() as i64 + 1) * DAY).min(at - 36 * HOUR);
        [
            (at, Step::Post),
            (at - (2 + n as i64 % 5) * HOUR, Step::Apply),
            (at - 20 * HOUR, Step::Choose),
            (at - 20 * HOUR - work, Step::Deliver),
            (at - 26 * HOUR - work, Step::Accept),
            (at - 28 * HOUR - work, Step::MerchantReview),
            (at - 33 * HOUR - work, Step::DeveloperReview),
        ]
    }
}

/// Runs once: skipped when any of the developers already has a growth event.
pub async fn load_history(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    let emails: Vec<String> = (0..DEVELOPERS_WITH_HISTORY).map(developer_email).collect();
    let developers: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE email = ANY($1) ORDER BY email")
        .bind(&emails)
        .fetch_all(pool)
        .await?;
    let started: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM growth_events WHERE developer_id = ANY($1))")
        .bind(&developers)
        .fetch_one(pool)
        .await?;
    if started {
        return Ok(());
    }
    let merchant_emails: Vec<&str> = MERCHANTS.iter().map(|m| m.email).collect();
    let merchants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE email = ANY($1) ORDER BY email")
        .bind(&merchant_emails)
        .fetch_all(pool)
        .await?;
    // Everyone in the story signed up before it begins (about four months ago), a few days apart.
    sqlx::query(
        "UPDATE users u SET created_at = least(u.created_at, now() - make_interval(days => (125 + 2 * a.n)::int4))
         FROM UNNEST($1::uuid[]) WITH ORDINALITY AS a(id, n) WHERE u.id = a.id",
    )
    .bind(developers.iter().chain(&merchants).copied().collect::<Vec<_>>())
    .execute(pool)
    .await?;

    let mut plans = Vec::new();
    for (d, developer) in developers.iter().enumerate() {
        for k in 0..(6 - d / 2) {
            let n = plans.len();
            plans.push(plan(n, d, k, *developer, merchants[n % merchants.len()])?);
        }
    }
    let mut steps: Vec<(i64, usize, Step)> = plans
        .iter()
        .enumerate()
        .flat_map(|(n, plan)| plan.schedule(n).into_iter().map(move |(ago, step)| (ago, n, step)))
        .collect();
    // Oldest first; a task's own steps keep their order.
    steps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // One connection, so the clock set on its session is the one every step reads.
    let clocked = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(pool.connect_options().as_ref().clone())
        .await?;
    for (ago, n, step) in steps {
        sqlx::query("SELECT set_config('codelink.clock', (now() - make_interval(secs => $1))::text, false)")
            .bind(ago as f64)
            .execute(&clocked)
            .await?;
        run(&clocked, &mut plans[n], n, step).await.map_err(|e| format!("demo history, task {n}, {step:?}: {e}"))?;
    }
    clocked.close().await;
    Ok(())
}

fn plan(n: usize, d: usize, k: usize, developer: Uuid, merchant: Uuid) -> Result<Plan, Box<dyn std::error::Error>> {
    let template = &TEMPLATES[(d * 3 + k * 7) % TEMPLATES.len()];
    let english = template.title.is_ascii();
    let client = if english { CLIENTS_EN[n % CLIENTS_EN.len()] } else { CLIENTS_ZH[n % CLIENTS_ZH.len()] };
    let task = NewTask {
        title: template.title.replace("{}", client),
        category: Category::from_slug(template.category).ok_or("demo category")?,
        description: template.description.replace("{}", client),
        tags: template.tags.iter().map(|t| t.to_string()).collect(),
        difficulty: Difficulty::new(template.difficulty).ok_or("demo difficulty")?,
        deadline: String::new(),
        change_rounds: 2,
        milestones: vec![NewMilestone { title: String::new(), amount: Money::from_fen(template.base_yuan * 100) }],
        min_level: None,
    };
    Ok(Plan {
        developer,
        merchant,
        task,
        stars: [5, 5, 4, 5, 3][(d + k) % 5],
        english,
        // Spread over the last four months, a few in this week.
        posted_ago: (2 + (n as i64 * 37) % 118) * DAY + (n as i64 * 7 % 9) * HOUR,
        id: None,
        application: None,
        milestone: None,
    })
}

async fn run(pool: &PgPool, plan: &mut Plan, n: usize, step: Step) -> Result<(), Box<dyn std::error::Error>> {
    let error = |e: app::error::AppError| format!("{e:?}");
    match step {
        Step::Post => {
            // Due a month after posting, by the clock.
            plan.task.deadline =
                sqlx::query_scalar("SELECT to_char(china_date(app_now()) + 30, 'YYYY-MM-DD')").fetch_one(pool).await?;
            // The reward is deposited first (keyed by the task's number, like any deposit).
            let order = Uuid::from_u128(0x0c0d_e11c_d000_4000_9000_0000_0000_0000 | n as u128);
            let reward = plan.task.milestones[0].amount;
            let mut tx = pool.begin().await?;
            ledger::post(&mut tx, &Movement::deposit(order, plan.merchant, reward)).await?;
            tx.commit().await?;
            let id = lifecycle::create_task(pool, plan.merchant, &plan.task).await.map_err(error)?;
            lifecycle::publish(pool, plan.merchant, id).await.map_err(error)?;
            plan.id = Some(id);
        }
        Step::Apply => {
            let id = plan.id.ok_or("not posted")?;
            plan.application = Some(lifecycle::apply(pool, plan.developer, id, "").await.map_err(error)?);
        }
        Step::Choose => {
            let application = plan.application.ok_or("no application")?;
            lifecycle::answer_application(pool, plan.merchant, application, true, "").await.map_err(error)?;
        }
        Step::Deliver => {
            let id = plan.id.ok_or("not posted")?;
            let milestone: Uuid =
                sqlx::query_scalar("SELECT id FROM milestones WHERE task_id = $1").bind(id).fetch_one(pool).await?;
            let message = if plan.english { "Delivered; see the repository." } else { "已交付，详见仓库。" };
            lifecycle::deliver(pool, plan.developer, milestone, message, &[], &[]).await.map_err(error)?;
            plan.milestone = Some(milestone);
        }
        Step::Accept => {
            let milestone = plan.milestone.ok_or("not delivered")?;
            lifecycle::accept_delivery(pool, Some(plan.merchant), milestone).await.map_err(error)?;
            // The completion's growth award, as the server's growth worker makes it after the payout.
            growth::drain_outbox(pool).await?;
        }
        Step::MerchantReview => {
            let texts = REVIEWS_OF_DEVELOPERS[(5 - plan.stars.clamp(3, 5)) as usize];
            let texts = if plan.english { texts.1 } else { texts.0 };
            let body = texts[n % texts.len()].to_string();
            let form = ReviewForm { scores: Scores([plan.stars, 5, plan.stars]), body };
            reviews::write(pool, plan.merchant, plan.id.ok_or("not posted")?, &form).await.map_err(error)?;
        }
        Step::DeveloperReview => {
            let texts = if plan.english { REVIEWS_OF_MERCHANTS.1 } else { REVIEWS_OF_MERCHANTS.0 };
            let form = ReviewForm { scores: Scores([5, 4 + (n % 2) as u8, 5]), body: texts[n % texts.len()].into() };
            reviews::write(pool, plan.developer, plan.id.ok_or("not posted")?, &form).await.map_err(error)?;
        }
    }
    Ok(())
}
