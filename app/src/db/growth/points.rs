//! The developer's growth summary row: its lock, which every award, challenge and purchase for one
//! developer queues on, and growth points added outside an award (challenges, admins).

use sqlx::PgConnection;
use uuid::Uuid;

const LOCK_GROWTH: &str = "INSERT INTO developer_growth (developer_id) VALUES ($1)
    ON CONFLICT (developer_id) DO UPDATE SET developer_id = EXCLUDED.developer_id";

/// Locks the developer's summary row, creating it on first use: every award for one developer
/// queues here.
pub(crate) async fn lock_growth(conn: &mut PgConnection, developer: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(LOCK_GROWTH).bind(developer).execute(&mut *conn).await?;
    Ok(())
}

pub(crate) async fn add_growth_points(
    conn: &mut PgConnection,
    developer: Uuid,
    points: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE developer_growth SET growth_points = growth_points + $2, updated_at = app_now() WHERE developer_id = $1",
    )
    .bind(developer)
    .bind(points as i64)
    .execute(conn)
    .await?;
    Ok(())
}
