//! `server bench-leaderboard [DEVELOPERS] [EVENTS]`: leaderboard latency at scale, printed as
//! `name: value unit`. Loads DEVELOPERS developers and EVENTS growth events (spread over the last
//! eight weeks) with the summaries the award path keeps, then times every board (this week, this
//! month, all time; overall and for one skill) through `db::leaderboard::top`, the code the page
//! runs, and prints p50 and p95 over all of them. Needs skill tags: run it after `seed-demo`.

use crate::timing::{millis, percentile};
use app::{db::leaderboard, domain::growth::Period};
use sqlx::PgPool;
use std::time::Instant;

const ROUNDS: usize = 100;

pub async fn run(pool: PgPool, developers: i64, events: i64) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    load(&pool, developers, events).await?;
    eprintln!("loaded {developers} developers and {events} events in {:.1}s", started.elapsed().as_secs_f64());
    let skill: String = sqlx::query_scalar(
        "SELECT t.slug FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id
         GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;
    let mut all = Vec::new();
    for period in Period::ALL {
        for slug in [None, Some(skill.as_str())] {
            let mut times = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                let start = Instant::now();
                let rows = leaderboard::top(&pool, period, slug, leaderboard::BOARD_SIZE).await?;
                times.push(start.elapsed());
                if rows.len() as i64 != leaderboard::BOARD_SIZE {
                    return Err(format!("{period:?} {slug:?}: {} rows", rows.len()).into());
                }
            }
            let name = format!("leaderboard_{}_{}", period.as_str(), if slug.is_some() { "skill" } else { "overall" });
            println!("{name}_p95: {:.2} ms", millis(percentile(&mut times, 95)));
            all.extend(times);
        }
    }
    println!("leaderboard_developers: {developers} developers");
    println!("leaderboard_growth_events: {events} events");
    println!("leaderboard_p50: {:.2} ms", millis(percentile(&mut all, 50)));
    println!("leaderboard_p95: {:.2} ms", millis(percentile(&mut all, 95)));
    Ok(())
}

/// Bench developers and their events, then the summaries computed from those events in SQL (the
/// same totals the award path keeps incrementally). Idempotent: keys and ON CONFLICT.
async fn load(pool: &PgPool, developers: i64, events: i64) -> Result<(), sqlx::Error> {
    let statements = [
        "INSERT INTO users (id, email, display_name, password_hash, role)
         SELECT gen_random_uuid(), 'bench-' || i || '@bench.codelink.cn', '开发者' || i, 'bench-no-login', 'developer'
         FROM generate_series(1, $1) AS i ON CONFLICT DO NOTHING",
        "CREATE TEMP TABLE bench_devs AS
         SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users WHERE email LIKE 'bench-%@bench.codelink.cn'",
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, created_at)
         SELECT d.id, 'bench:' || i, 'task_completed', 20 * (1 + i % 5), app_now() - (i % 56) * interval '1 day'
         FROM generate_series(0, $2 - 1) AS i JOIN bench_devs d ON d.n = (i * 7919) % $1
         ON CONFLICT DO NOTHING",
        "INSERT INTO developer_growth (developer_id, xp, finished_tasks)
         SELECT developer_id, sum(xp), count(*) FROM growth_events WHERE idempotency_key LIKE 'bench:%'
         GROUP BY developer_id ON CONFLICT DO NOTHING",
        "INSERT INTO growth_period_totals (period, starts_on, developer_id, xp)
         SELECT p.period, date_trunc(p.period, china_time(e.created_at))::date, e.developer_id, sum(e.xp)
         FROM growth_events e, (VALUES ('week'), ('month')) AS p (period)
         WHERE e.idempotency_key LIKE 'bench:%' GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING",
        "INSERT INTO developer_skills (developer_id, tag_id, points)
         SELECT d.id, t.id, 10 + (d.n * 31 + t.id * 17) % 900
         FROM bench_devs d JOIN skill_tags t ON t.id % 11 IN (d.n % 11, (d.n + 3) % 11, (d.n + 7) % 11)
         ON CONFLICT DO NOTHING",
        "INSERT INTO skill_period_totals (period, starts_on, tag_id, developer_id, points)
         SELECT p.period, p.starts_on, s.tag_id, s.developer_id, s.points / 4
         FROM developer_skills s JOIN bench_devs d ON d.id = s.developer_id,
              (VALUES ('week', date_trunc('week', china_time(app_now()))::date),
                      ('month', date_trunc('month', china_time(app_now()))::date)) AS p (period, starts_on)
         ON CONFLICT DO NOTHING",
        "ANALYZE",
    ];
    let mut conn = pool.acquire().await?;
    for sql in statements {
        let query = sqlx::query(sql);
        let query = if sql.contains("$2") {
            query.bind(developers).bind(events)
        } else if sql.contains("$1") {
            query.bind(developers)
        } else {
            query
        };
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
