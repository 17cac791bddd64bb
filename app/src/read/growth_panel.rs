//! The growth panel (`/growth`): the record, its level and what the next one needs, skills by
//! points, XP per week, badges with progress, challenges and the draw tickets.

use crate::{
    db::{
        challenges,
        growth::{badges_of, facts, record, rules},
    },
    domain::{badges::check_in_streak, periods::Window, tasks::Category},
    views::growth::{BadgeView, GrowthPanel, SkillView},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The growth panel: the record, its level and what the next one needs, skills by points, and XP per
/// week for the last 12 weeks.
pub async fn panel(pool: &PgPool, developer: Uuid) -> Result<GrowthPanel, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rules = rules(&mut conn).await?;
    let record = record(&mut conn, developer).await?;
    let (xp, growth_points): (i64, i64) =
        sqlx::query_as("SELECT xp, growth_points FROM developer_growth WHERE developer_id = $1")
            .bind(developer)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let skills = skills_of(&mut conn, developer).await?;
    let weekly_xp: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT to_char(week, 'MM-DD'), COALESCE(sum(e.xp), 0)::int8
         FROM generate_series(({this_week})::timestamp - interval '11 weeks', ({this_week})::timestamp,
                              interval '1 week') AS week
         LEFT JOIN growth_events e ON e.developer_id = $1 AND {week_of_event} = week::date
         GROUP BY week ORDER BY week",
        this_week = crate::db::periods::window_start(Window::Week, "app_now()"),
        week_of_event = crate::db::periods::window_start(Window::Week, "e.created_at"),
    ))
    .bind(developer)
    .fetch_all(&mut *conn)
    .await?;
    let rank: Option<i64> = sqlx::query_scalar(
        "SELECT 1 + (SELECT count(*) FROM developer_growth o
                     WHERE o.xp > me.xp OR (o.xp = me.xp AND o.developer_id < me.developer_id))
         FROM developer_growth me WHERE me.developer_id = $1 AND me.xp > 0",
    )
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    let facts = facts(&mut conn, developer, None).await?;
    let badges = badges_of(&mut conn, developer)
        .await?
        .into_iter()
        .map(|b| BadgeView {
            progress: b.rule.0.progress(&facts),
            slug: b.slug,
            name_zh: b.name_zh,
            name_en: b.name_en,
            description_zh: b.description_zh,
            description_en: b.description_en,
            growth_points: b.growth_points,
            earned_at: b.earned_at,
        })
        .collect();
    let check_in_streak = check_in_streak(&facts);
    let challenges = challenges::board(&mut conn, developer).await?;
    let (titles, lottery_entries) = challenges::titles_and_entries(&mut conn, developer).await?;
    let (invite_code, invited): (String, i64) = sqlx::query_as(
        "SELECT u.invite_code, (SELECT count(*) FROM users i WHERE i.invited_by = u.id) FROM users u WHERE u.id = $1",
    )
    .bind(developer)
    .fetch_one(&mut *conn)
    .await?;
    Ok(GrowthPanel {
        challenges,
        titles,
        lottery_entries,
        invite_code,
        invited,
        growth_points,
        badges,
        checked_in_today: facts.check_in_days.last() == Some(&facts.today),
        check_in_streak,
        rank,
        level: rules.level_of(&record),
        xp,
        record,
        next: rules.missing_for_next(&record),
        rules,
        // Filled by the server function, which knows the report months (`db::reports`).
        report_months: Vec::new(),
        skills,
        weekly_xp,
    })
}

/// A developer's skills with points, highest first (at most 40): the growth panel's and the
/// public resume card's.
pub async fn skills_of(conn: &mut PgConnection, developer: Uuid) -> Result<Vec<SkillView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name_zh: String,
        name_en: String,
        points: i64,
        branch: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.slug, t.name_zh, t.name_en, s.points, t.branch FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id
         WHERE s.developer_id = $1 AND s.points > 0 ORDER BY s.points DESC, t.slug LIMIT 40",
    )
    .bind(developer)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SkillView {
            branch: Category::from_slug(&row.branch).unwrap_or(Category::Other),
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
            points: row.points,
        })
        .collect())
}
