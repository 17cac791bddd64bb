use crate::domain::account::NewAccount;
use sqlx::PgExecutor;
use uuid::Uuid;

pub enum InsertUserError {
    EmailTaken,
    Database(sqlx::Error),
}

/// Creates an account. A duplicate email (in any letter case) is reported as `EmailTaken`, decided by
/// the unique index rather than a prior SELECT, so two simultaneous sign-ups cannot both succeed.
pub async fn insert(
    db: impl PgExecutor<'_>,
    account: &NewAccount,
    password_hash: &str,
) -> Result<Uuid, InsertUserError> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(account.email.as_str())
    .bind(&account.display_name)
    .bind(password_hash)
    .bind(account.role.role().as_str())
    .bind(account.role.merchant_kind().map(|k| k.as_str()))
    .execute(db)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db_error) if db_error.constraint() == Some("users_email_key") => {
            InsertUserError::EmailTaken
        }
        _ => InsertUserError::Database(error),
    })?;
    Ok(id)
}

#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct UserCounts {
    pub users: i64,
    pub developers: i64,
    pub merchants: i64,
}

pub async fn counts(db: impl PgExecutor<'_>) -> Result<UserCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) AS users,
                count(*) FILTER (WHERE role = 'developer') AS developers,
                count(*) FILTER (WHERE role = 'merchant') AS merchants
         FROM users",
    )
    .fetch_one(db)
    .await
}
