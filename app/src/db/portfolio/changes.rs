//! Changes to a portfolio. Each is one transaction that first locks the developer's row, so two
//! tabs cannot together pass the twelve-item limit or interleave a reorder; a refused change
//! (a field error) rolls back whatever it had written, images included.

use crate::{
    domain::{
        lifecycle::TaskStatus,
        portfolio::{
            check_image_count, check_pin, check_room, moved, pinned_title, Direction, ImageKind, PortfolioEntry,
        },
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// An uploaded image whose content was recognised (`domain::portfolio::check_image`).
#[derive(Debug)]
pub struct NewImage {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// Serialises one developer's portfolio changes. NO KEY UPDATE: rows that merely reference the
/// user (notices, ledger entries) are not held up by it.
async fn lock_portfolio(conn: &mut PgConnection, developer: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE").bind(developer).execute(conn).await?;
    Ok(())
}

async fn item_count(conn: &mut PgConnection, developer: Uuid) -> Result<usize, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM portfolio_items WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(conn)
        .await?;
    Ok(count as usize)
}

/// Adds an item at the end of the order (`item` None), or changes the developer's own item
/// `item`: its text and tags, the images in `remove` taken away and `images` added, at most three
/// in all. Returns the item's id.
pub async fn save(
    pool: &PgPool,
    developer: Uuid,
    item: Option<Uuid>,
    entry: &PortfolioEntry,
    remove: &[Uuid],
    images: &[NewImage],
) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    lock_portfolio(&mut tx, developer).await?;
    let id = match item {
        None => {
            check_room(item_count(&mut tx, developer).await?).map_err(AppError::field)?;
            let id = Uuid::now_v7();
            sqlx::query(
                "INSERT INTO portfolio_items (id, developer_id, position, title, role, description, link)
                 VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM portfolio_items WHERE developer_id = $2),
                         $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(developer)
            .bind(&entry.title)
            .bind(&entry.role)
            .bind(&entry.description)
            .bind(&entry.link)
            .execute(&mut *tx)
            .await?;
            id
        }
        Some(id) => {
            let updated = sqlx::query(
                "UPDATE portfolio_items SET title = $3, role = $4, description = $5, link = $6, updated_at = app_now()
                 WHERE id = $1 AND developer_id = $2",
            )
            .bind(id)
            .bind(developer)
            .bind(&entry.title)
            .bind(&entry.role)
            .bind(&entry.description)
            .bind(&entry.link)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(AppError::NotFound);
            }
            sqlx::query("DELETE FROM portfolio_item_tags WHERE item_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM portfolio_images WHERE item_id = $1 AND id = ANY($2)")
                .bind(id)
                .bind(remove)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    let tagged = sqlx::query(
        "INSERT INTO portfolio_item_tags (item_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = ANY($2)",
    )
    .bind(id)
    .bind(&entry.tags)
    .execute(&mut *tx)
    .await?;
    if tagged.rows_affected() != entry.tags.len() as u64 {
        return Err(AppError::field(FieldError::new(Field::Tags, Problem::NotAllowed)));
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM portfolio_images WHERE item_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    check_image_count(kept as usize, images.len()).map_err(AppError::field)?;
    for image in images {
        sqlx::query(
            "INSERT INTO portfolio_images (id, item_id, content_type, size_bytes, sha256, bytes)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(image.kind.content_type())
        .bind(image.bytes.len() as i32)
        .bind(hex::encode(Sha256::digest(&image.bytes)))
        .bind(&image.bytes)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Makes the developer's finished task `task` an item at the end of their portfolio: titled and
/// tagged like the task, to be described further by its owner. Returns the item's id.
pub async fn pin(pool: &PgPool, developer: Uuid, task: Uuid) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    lock_portfolio(&mut tx, developer).await?;
    let found: Option<(Option<Uuid>, String, String, bool)> = sqlx::query_as(
        "SELECT t.developer_id, t.status, t.title, EXISTS (SELECT 1 FROM portfolio_items p WHERE p.task_id = t.id)
         FROM tasks t WHERE t.id = $1",
    )
    .bind(task)
    .fetch_optional(&mut *tx)
    .await?;
    // A task that does not exist is nobody's finished task: the same answer as someone else's.
    let (finisher, status, title, pinned) = found.unwrap_or((None, String::new(), String::new(), false));
    let status = TaskStatus::parse(&status).unwrap_or(TaskStatus::Draft);
    check_pin(developer, finisher, status, pinned).map_err(AppError::field)?;
    check_room(item_count(&mut tx, developer).await?).map_err(AppError::field)?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO portfolio_items (id, developer_id, position, title, task_id)
         VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM portfolio_items WHERE developer_id = $2), $3, $4)",
    )
    .bind(id)
    .bind(developer)
    .bind(pinned_title(&title))
    .bind(task)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO portfolio_item_tags (item_id, tag_id)
         SELECT $1, tt.tag_id FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
         WHERE tt.task_id = $2 ORDER BY s.slug LIMIT $3",
    )
    .bind(id)
    .bind(task)
    .bind(crate::domain::portfolio::MAX_TAGS as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes the developer's own item with its images; anyone else's is "not found".
pub async fn delete(pool: &PgPool, developer: Uuid, item: Uuid) -> Result<(), AppError> {
    let deleted = sqlx::query("DELETE FROM portfolio_items WHERE id = $1 AND developer_id = $2")
        .bind(item)
        .bind(developer)
        .execute(pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Moves the developer's own item one place up or down (`domain::portfolio::moved`), renumbering
/// the whole order so positions stay 1, 2, 3 …
pub async fn move_item(pool: &PgPool, developer: Uuid, item: Uuid, direction: Direction) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    lock_portfolio(&mut tx, developer).await?;
    let order: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM portfolio_items WHERE developer_id = $1 ORDER BY position, id")
            .bind(developer)
            .fetch_all(&mut *tx)
            .await?;
    let order = moved(&order, item, direction).ok_or(AppError::NotFound)?;
    sqlx::query(
        "UPDATE portfolio_items p SET position = o.n::int4
         FROM UNNEST($1::uuid[]) WITH ORDINALITY AS o(id, n) WHERE p.id = o.id",
    )
    .bind(&order)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
