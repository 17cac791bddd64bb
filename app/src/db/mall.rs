//! The points mall's purchases. A purchase runs under the developer's growth lock (the same row
//! lock every award takes), so two purchases at once cannot spend the same points, and an award
//! arriving meanwhile is counted before or after, never lost.

use crate::{
    db::{growth::points::lock_growth, THIS_MONTH},
    domain::{
        mall::{may_buy, MallItem, Terms, Wallet},
        resume_card::CardTheme,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::mall::{MallOffer, MallOverview},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Points earned and spent, the items owned, and this month's tickets.
async fn holdings(conn: &mut PgConnection, developer: Uuid) -> Result<(i64, i64, Vec<String>, i64), sqlx::Error> {
    let (earned, spent): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(max(growth_points), 0)::int8, coalesce(max(points_spent), 0)::int8
         FROM developer_growth WHERE developer_id = $1",
    )
    .bind(developer)
    .fetch_one(&mut *conn)
    .await?;
    let owned: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT item FROM point_purchases WHERE developer_id = $1 AND item LIKE 'theme-%'")
            .bind(developer)
            .fetch_all(&mut *conn)
            .await?;
    let tickets = tickets_this_month(conn, developer).await?;
    Ok((earned, spent, owned, tickets))
}

/// Draw tickets bought this month, China time (each is an entry in the month's draw).
pub(crate) async fn tickets_this_month(conn: &mut PgConnection, developer: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM point_purchases WHERE developer_id = $1 AND item = $2 AND bought_at >= {THIS_MONTH}"
    ))
    .bind(developer)
    .bind(MallItem::DrawTicket.slug())
    .fetch_one(conn)
    .await
}

/// One item's terms of sale: an admin's, or the launch terms.
async fn terms_of(conn: &mut PgConnection, item: MallItem) -> Result<Terms, sqlx::Error> {
    let set: Option<(i32, bool)> = sqlx::query_as("SELECT points, on_sale FROM mall_prices WHERE item = $1")
        .bind(item.slug())
        .fetch_optional(conn)
        .await?;
    Ok(set.map_or(item.launch_terms(), |(price, on_sale)| Terms { price: i64::from(price), on_sale }))
}

/// Every item with its terms of sale: the launch terms, or an admin's.
pub async fn catalogue(conn: &mut PgConnection) -> Result<Vec<(MallItem, Terms)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct PriceRow {
        item: String,
        points: i32,
        on_sale: bool,
    }
    let set: Vec<PriceRow> =
        sqlx::query_as("SELECT item, points, on_sale FROM mall_prices").fetch_all(&mut *conn).await?;
    Ok(MallItem::ALL
        .into_iter()
        .map(|item| {
            let terms = set
                .iter()
                .find(|row| row.item == item.slug())
                .map_or(item.launch_terms(), |row| Terms { price: i64::from(row.points), on_sale: row.on_sale });
            (item, terms)
        })
        .collect())
}

/// An admin's change to an item's terms, in the audit log with the terms before.
pub async fn set_terms(pool: &PgPool, admin: Uuid, item: MallItem, terms: Terms, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let before = terms_of(&mut tx, item).await?;
    sqlx::query(
        "INSERT INTO mall_prices (item, points, on_sale) VALUES ($1, $2, $3)
         ON CONFLICT (item) DO UPDATE SET points = EXCLUDED.points, on_sale = EXCLUDED.on_sale, updated_at = app_now()",
    )
    .bind(item.slug())
    .bind(terms.price as i32)
    .bind(terms.on_sale)
    .execute(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "mall.price",
            subject: format!("mall:{}", item.slug()),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(terms)),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The mall as `developer` sees it (the purchase key and the just-bought note are the caller's).
pub async fn page(pool: &PgPool, developer: Uuid) -> Result<MallOverview, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let (earned, spent, owned, tickets_this_month) = holdings(&mut conn, developer).await?;
    let (handle, theme): (String, Option<String>) =
        sqlx::query_as("SELECT handle, card_theme FROM users WHERE id = $1")
            .bind(developer)
            .fetch_one(&mut *conn)
            .await?;
    let offers = catalogue(&mut conn)
        .await?
        .into_iter()
        .map(|(item, terms)| MallOffer {
            item,
            price: terms.price,
            on_sale: terms.on_sale,
            owned: owned.contains(&item.slug()),
        })
        .collect();
    Ok(MallOverview {
        balance: earned - spent,
        earned,
        offers,
        theme: CardTheme::chosen(theme.as_deref()),
        tickets_this_month,
        handle,
        purchase_key: Uuid::now_v7(),
        bought: None,
    })
}

/// Buys `item` for `developer` with growth points. `key` identifies this purchase (the page's key
/// and the item): sent again (a double-click, a retry), it buys nothing more and succeeds.
pub async fn buy(pool: &PgPool, developer: Uuid, item: MallItem, key: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    lock_growth(&mut tx, developer).await?;
    let done: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM point_purchases WHERE purchase_key = $1)")
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
    if done {
        return Ok(());
    }
    let (earned, spent, owned, tickets_this_month) = holdings(&mut tx, developer).await?;
    let wallet = Wallet { balance: earned - spent, owns_item: owned.contains(&item.slug()), tickets_this_month };
    let terms = terms_of(&mut tx, item).await?;
    may_buy(item, terms, wallet).map_err(|problem| AppError::field(FieldError::new(Field::Item, problem)))?;
    sqlx::query("INSERT INTO point_purchases (developer_id, item, points, purchase_key) VALUES ($1, $2, $3, $4)")
        .bind(developer)
        .bind(item.slug())
        .bind(terms.price as i32)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE developer_growth SET points_spent = points_spent + $2, updated_at = app_now() WHERE developer_id = $1",
    )
    .bind(developer)
    .bind(terms.price)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts `theme` on the developer's card: a free one, or one they bought.
pub async fn choose_theme(pool: &PgPool, developer: Uuid, theme: CardTheme) -> Result<(), AppError> {
    let owned = match theme {
        CardTheme::Light | CardTheme::Dark => true,
        bought => {
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM point_purchases WHERE developer_id = $1 AND item = $2)")
                .bind(developer)
                .bind(MallItem::Theme(bought).slug())
                .fetch_one(pool)
                .await?
        }
    };
    if !owned {
        return Err(AppError::field(FieldError::new(Field::Theme, Problem::NotAllowed)));
    }
    sqlx::query("UPDATE users SET card_theme = $2 WHERE id = $1")
        .bind(developer)
        .bind((theme != CardTheme::Light).then_some(theme.as_str()))
        .execute(pool)
        .await?;
    Ok(())
}
