//! Invitations to apply in the demo, sent and answered through the real functions: 星辰科技 invites
//! two developers with finished work to its newest open tasks, one of whom declines, so `/invitations`
//! and the task page's banner have something to show when dev01 logs in.

use super::MERCHANTS;
use app::{db::invitations, domain::lifecycle::Refusal, error::AppError};
use sqlx::PgPool;
use uuid::Uuid;

/// (task: 0 newest open task, 1 the one before; developer's handle; the merchant's note)
const INVITATIONS: [(usize, &str, &str); 3] = [
    (0, "dev01", "看了你做过的数据分析看板，风格正是我们想要的，欢迎投递。"),
    (1, "dev01", "这个任务和你的 Rust 经验很匹配，有兴趣可以直接投递。"),
    (0, "dev02", "你的小程序项目评价很好，想请你看看这个需求。"),
];

pub async fn load_invitations(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    let merchant: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(MERCHANTS[0].email).fetch_one(pool).await?;
    let tasks: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM tasks WHERE merchant_id = $1 AND status = 'open' ORDER BY created_at DESC, id LIMIT 2",
    )
    .bind(merchant)
    .fetch_all(pool)
    .await?;
    for (task, handle, note) in INVITATIONS {
        let Some(task) = tasks.get(task) else { continue };
        match invitations::invite(pool, merchant, *task, handle, note).await {
            // A second load finds them sent already (or the developer applied meanwhile).
            Ok(_) | Err(AppError::Invalid { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    // dev02 declines; a second load finds it declined already.
    let declining: Option<Uuid> = sqlx::query_scalar(
        "SELECT i.id FROM task_invitations i JOIN users u ON u.id = i.developer_id
         WHERE u.handle = 'dev02' AND i.merchant_id = $1 ORDER BY i.created_at LIMIT 1",
    )
    .bind(merchant)
    .fetch_optional(pool)
    .await?;
    if let Some(invitation) = declining {
        let developer: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE handle = 'dev02'").fetch_one(pool).await?;
        match invitations::decline(pool, developer, invitation).await {
            Ok(()) | Err(AppError::Refused { reason: Refusal::WrongState }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
