//! Delivery files: written with their delivery (see `lifecycle::deliver`), read back for download
//! only by the task's two parties and admins.

use crate::domain::account::Role;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A file as it arrived in an upload, already within the limits of `domain::delivery`.
#[derive(Debug)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub(crate) async fn insert(conn: &mut PgConnection, delivery: Uuid, files: &[NewFile]) -> Result<(), sqlx::Error> {
    for file in files {
        sqlx::query(
            "INSERT INTO delivery_files (id, delivery_id, name, content_type, size_bytes, sha256, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(delivery)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(file.bytes.len() as i32)
        .bind(hex::encode(Sha256::digest(&file.bytes)))
        .bind(&file.bytes)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The file, if `viewer` may read it: the task's merchant, its chosen developer, or an admin.
/// Anyone else gets None, the same answer as for a file that does not exist.
pub async fn readable_by(pool: &PgPool, id: Uuid, viewer: (Uuid, Role)) -> Result<Option<StoredFile>, sqlx::Error> {
    let (user, role) = viewer;
    sqlx::query_as(
        "SELECT f.name, f.content_type, f.bytes
         FROM delivery_files f
         JOIN deliveries d ON d.id = f.delivery_id
         JOIN milestones m ON m.id = d.milestone_id
         JOIN tasks t ON t.id = m.task_id
         WHERE f.id = $1 AND ($3 OR t.merchant_id = $2 OR t.developer_id = $2)",
    )
    .bind(id)
    .bind(user)
    .bind(role == Role::Admin)
    .fetch_optional(pool)
    .await
}
