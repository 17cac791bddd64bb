//! The records' invariants, checked like the ledger's (`db::ledger::INVARIANT_SQL`): every figure a
//! user sees (levels, leaderboards, badges, challenges, payouts, the 待处理 mark) must agree with
//! the events it is counted from. Each field counts violations; all are zero in healthy records.
//! The tests run it after their flows, and `bench/run` prints it after its random operations.

use crate::{
    db::{growth, periods::window_start},
    domain::{
        badges::BadgeRule,
        challenges::{Activity, ChallengeRule},
        lifecycle::TaskStatus,
        notifications::NoticeKind,
        periods::{china_day, Window},
    },
};
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordInvariantReport {
    /// Developers whose XP, finished tasks, ratings or growth points differ from their events.
    pub growth_summary_mismatches: i64,
    /// Skill totals that differ from their skill-point entries.
    pub skill_summary_mismatches: i64,
    /// Weekly and monthly totals (leaderboards) that differ from the events within their window.
    pub period_total_mismatches: i64,
    /// Milestones whose status disagrees with their payout movements (paid without being released,
    /// released without one payout).
    pub milestone_ledger_mismatches: i64,
    /// Notices still marked 待处理 about tasks that are over.
    pub pending_notices_for_finished_work: i64,
    /// Badges held whose rule did not hold on the record at the time they were awarded.
    pub badges_without_their_rule: i64,
    /// Challenge completions whose goals were not all met in their window by then.
    pub challenges_incomplete: i64,
    /// Tasks whose agreed quote (报价) and the escrow's movement for it ('terms:<task>') disagree.
    pub agreed_terms_mismatches: i64,
}

impl RecordInvariantReport {
    pub fn violations(&self) -> i64 {
        self.growth_summary_mismatches
            + self.skill_summary_mismatches
            + self.period_total_mismatches
            + self.milestone_ledger_mismatches
            + self.pending_notices_for_finished_work
            + self.badges_without_their_rule
            + self.challenges_incomplete
            + self.agreed_terms_mismatches
    }
}

/// The checks that are plain SQL. $1: the notice kinds a finished task answers; $2: the statuses of
/// a task that is over.
fn sql_checks() -> String {
    let windows = Window::ALL
        .iter()
        .map(|w| format!("('{}', {})", w.as_str(), window_start(*w, "e.created_at")))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "WITH event_windows AS (
             SELECT e.developer_id, w.period, w.starts_on, sum(e.xp) AS xp
             FROM growth_events e CROSS JOIN LATERAL (VALUES {windows}) AS w (period, starts_on)
             WHERE e.xp <> 0 GROUP BY 1, 2, 3),
         skill_windows AS (
             SELECT e.developer_id, p.tag_id, w.period, w.starts_on, sum(p.points) AS points
             FROM skill_point_entries p JOIN growth_events e ON e.id = p.event_id
             CROSS JOIN LATERAL (VALUES {windows}) AS w (period, starts_on)
             WHERE p.points <> 0 GROUP BY 1, 2, 3, 4),
         payouts AS (
             SELECT milestone_id, count(*) AS n FROM ledger_movements
             WHERE kind IN ('escrow_release', 'dispute_split') AND milestone_id IS NOT NULL GROUP BY 1)
         SELECT
           (SELECT count(*) FROM developer_growth g
              LEFT JOIN (SELECT e.developer_id, sum(e.xp) AS xp, sum(e.growth_points) AS points,
                                count(*) FILTER (WHERE e.kind = 'task_completed') AS finished,
                                count(*) FILTER (WHERE e.kind = 'task_rated') AS rated,
                                coalesce(sum(r.stars) FILTER (WHERE e.kind = 'task_rated'), 0) AS stars
                         FROM growth_events e LEFT JOIN task_ratings r ON r.task_id = e.task_id
                         GROUP BY e.developer_id) e ON e.developer_id = g.developer_id
              WHERE g.xp <> coalesce(e.xp, 0) OR g.growth_points <> coalesce(e.points, 0)
                 OR g.finished_tasks <> coalesce(e.finished, 0) OR g.rating_count <> coalesce(e.rated, 0)
                 OR g.rating_sum <> coalesce(e.stars, 0)) AS growth_summary_mismatches,
           (SELECT count(*) FROM developer_skills s
              FULL JOIN (SELECT e.developer_id, p.tag_id, sum(p.points) AS points
                         FROM skill_point_entries p JOIN growth_events e ON e.id = p.event_id GROUP BY 1, 2) x
                ON x.developer_id = s.developer_id AND x.tag_id = s.tag_id
              WHERE coalesce(s.points, 0) <> coalesce(x.points, 0)) AS skill_summary_mismatches,
           (SELECT count(*) FROM growth_period_totals t
              FULL JOIN event_windows w
                ON w.developer_id = t.developer_id AND w.period = t.period AND w.starts_on = t.starts_on
              WHERE coalesce(t.xp, 0) <> coalesce(w.xp, 0))
           + (SELECT count(*) FROM skill_period_totals t
              FULL JOIN skill_windows w ON w.developer_id = t.developer_id AND w.tag_id = t.tag_id
                                       AND w.period = t.period AND w.starts_on = t.starts_on
              WHERE coalesce(t.points, 0) <> coalesce(w.points, 0)) AS period_total_mismatches,
           (SELECT count(*) FROM milestones m LEFT JOIN payouts p ON p.milestone_id = m.id
              WHERE coalesce(p.n, 0) <> CASE WHEN m.status IN ('released', 'settled') THEN 1 ELSE 0 END)
             AS milestone_ledger_mismatches,
           (SELECT count(*) FROM notifications n JOIN tasks t ON t.id = n.task_id
              WHERE n.done_at IS NULL AND n.kind = ANY($1) AND t.status = ANY($2))
             AS pending_notices_for_finished_work,
           0::int8 AS badges_without_their_rule,
           0::int8 AS challenges_incomplete,
           0::int8 AS agreed_terms_mismatches"
    )
}

pub async fn check(pool: &PgPool) -> Result<RecordInvariantReport, sqlx::Error> {
    let task_flow: Vec<&str> = NoticeKind::TASK_FLOW.iter().map(|k| k.as_str()).collect();
    let over: Vec<&str> = [TaskStatus::Completed, TaskStatus::Cancelled, TaskStatus::Rejected]
        .into_iter()
        .filter(|s| s.is_over())
        .map(|s| s.as_str())
        .collect();
    let mut report: RecordInvariantReport =
        sqlx::query_as(&sql_checks()).bind(&task_flow).bind(&over).fetch_one(pool).await?;
    report.badges_without_their_rule = badges_without_their_rule(pool).await?;
    report.challenges_incomplete = challenges_incomplete(pool).await?;
    report.agreed_terms_mismatches = sqlx::query_scalar(AGREED_TERMS_SQL).fetch_one(pool).await?;
    Ok(report)
}

/// Each task whose developer was chosen on a quote: the escrow moved by exactly what the quote
/// changed (the sum of each milestone's agreed amount less the amount it replaced, recorded at the
/// agreement), in its one 'terms:<task>' movement, and no such movement without an agreed quote.
const AGREED_TERMS_SQL: &str = "
WITH agreed AS (
    SELECT a.task_id, sum(q.amount_fen - q.agreed_from_fen) AS fen,
           count(*) FILTER (WHERE q.agreed_from_fen IS NULL) AS unrecorded
    FROM applications a JOIN application_milestone_quotes q ON q.application_id = a.id
    WHERE a.status = 'accepted' GROUP BY a.task_id),
moved AS (
    SELECT m.task_id, sum(e.amount_fen) AS fen
    FROM ledger_movements m
    JOIN ledger_entries e ON e.movement_id = m.id
    JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'escrow'
    WHERE m.kind IN ('escrow_fund', 'escrow_refund') AND m.idempotency_key = 'terms:' || m.task_id
    GROUP BY m.task_id)
SELECT count(*) FROM agreed FULL JOIN moved ON moved.task_id = agreed.task_id
WHERE coalesce(agreed.fen, 0) <> coalesce(moved.fen, 0) OR coalesce(agreed.unrecorded, 0) > 0";

/// Each badge earned from the record, checked against the record as it stood when it was awarded.
async fn badges_without_their_rule(pool: &PgPool) -> Result<i64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Held {
        developer_id: Uuid,
        rule: Json<BadgeRule>,
        earned_at: time::OffsetDateTime,
    }
    let held: Vec<Held> = sqlx::query_as(
        "SELECT h.developer_id, b.rule, h.earned_at FROM developer_badges h JOIN badges b ON b.id = h.badge_id",
    )
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let mut violations = 0;
    for Held { developer_id: developer, rule, earned_at } in held {
        // A challenge's badge is its reward: the challenge check covers it.
        if rule.0 == BadgeRule::ByChallenge {
            continue;
        }
        let facts = growth::facts(&mut conn, developer, Some(earned_at)).await?;
        if !rule.0.progress(&facts).earned {
            violations += 1;
        }
    }
    Ok(violations)
}

/// Each challenge completion: its window is the one open on the day it completed, and its goals were
/// met by activities in that window recorded by then.
async fn challenges_incomplete(pool: &PgPool) -> Result<i64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Done {
        developer_id: Uuid,
        rule: Json<ChallengeRule>,
        window_start: i32,
        completed_at: time::OffsetDateTime,
        joined: i32,
    }
    let done: Vec<Done> = sqlx::query_as(&format!(
        "SELECT d.developer_id, c.rule, d.window_start, d.completed_at, {joined}::int4 AS joined
         FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id JOIN users u ON u.id = d.developer_id",
        joined = super::periods::day_number("u.created_at"),
    ))
    .fetch_all(pool)
    .await?;
    let kinds: Vec<&str> = Activity::ALL.iter().map(|a| a.event_kind()).collect();
    let mut violations = 0;
    for Done { developer_id: developer, rule, window_start, completed_at, joined } in done {
        let day = china_day(completed_at.unix_timestamp());
        let Some(window) = rule.0.window(day, joined).filter(|w| w.start == window_start) else {
            violations += 1;
            continue;
        };
        let activities: Vec<(String, i32)> = sqlx::query_as(&format!(
            "SELECT e.kind, {day}::int4 FROM growth_events e
             WHERE e.developer_id = $1 AND e.kind = ANY($2) AND e.created_at <= $3",
            day = super::periods::day_number("e.created_at"),
        ))
        .bind(developer)
        .bind(&kinds)
        .bind(completed_at)
        .fetch_all(pool)
        .await?;
        let days: Vec<(Activity, i32)> =
            activities.into_iter().filter_map(|(kind, day)| Some((Activity::from_event_kind(&kind)?, day))).collect();
        if !rule.0.is_done(&rule.0.progress(window, &days)) {
            violations += 1;
        }
    }
    Ok(violations)
}
