//! `server bench-messages [MESSAGES]`: how long a task message takes from being sent to reaching
//! the live streams, printed as `name: value unit`. Over the demo data (seed it first): a demo
//! merchant and the developer chosen for one of their tasks exchange MESSAGES (default 500)
//! messages, one at a time, through `db::messages::post` (checks, masking, insert, commit); the time
//! runs until the server's listener has handed the announcement to the streams' channel, which is
//! what an open stream waits on. The HTTP write of the event itself is not included.

use crate::timing::{millis, percentile};
use app::{domain::account::Role, state::AppState};
use sqlx::PgPool;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub async fn run(pool: PgPool, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let pair: Option<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "SELECT id, merchant_id, developer_id FROM tasks WHERE developer_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_optional(&pool)
    .await?;
    let (task, merchant, developer) = pair.ok_or("no task with a developer: run `server seed-demo` first")?;
    let (state, _callbacks) = AppState::with_sandbox(pool.clone(), b"bench");
    server::live::spawn_live_announcements(state.clone());
    let mut arrivals = state.message_events.subscribe();
    // The listener connects in the background; the first message waits for it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut posts = Vec::with_capacity(count);
    let mut deliveries = Vec::with_capacity(count);
    for n in 0..count {
        let author = if n % 2 == 0 { (merchant, Role::Merchant) } else { (developer, Role::Developer) };
        let started = Instant::now();
        let id =
            app::db::messages::post(&pool, author, task, developer, &format!("进度同步 #{n}：今天完成接口联调"), None)
                .await
                .map_err(|e| format!("{e:?}"))?;
        posts.push(started.elapsed());
        loop {
            let event = tokio::time::timeout(Duration::from_secs(5), arrivals.recv()).await??;
            if event.id == id {
                break;
            }
        }
        deliveries.push(started.elapsed());
    }
    sqlx::query("DELETE FROM task_messages WHERE task_id = $1 AND body LIKE '进度同步 #%'")
        .bind(task)
        .execute(&pool)
        .await?;
    for (name, times) in [("message_post", &mut posts), ("message_delivery", &mut deliveries)] {
        println!("{name}_p50: {:.2} ms", millis(percentile(times, 50)));
        println!("{name}_p99: {:.2} ms", millis(percentile(times, 99)));
    }
    Ok(())
}
