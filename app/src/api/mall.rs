//! The points mall (积分商城): a developer spends growth points on resume card themes and draw
//! tickets (rules in `domain::mall`, purchases in `db::mall`).

#[cfg(feature = "ssr")]
use crate::domain::resume_card::CardTheme;
use crate::{domain::mall::MallItem, error::AppError, views::mall::MallOverview};
use leptos::prelude::*;
use uuid::Uuid;

/// The session key holding what was just bought, until the mall page shows it.
#[cfg(feature = "ssr")]
const BOUGHT_TO_SHOW: &str = "mall_bought";

#[cfg(feature = "ssr")]
fn parse_item(slug: &str) -> Result<MallItem, AppError> {
    use crate::domain::validation::{Field, FieldError, Problem};
    MallItem::parse(slug).ok_or_else(|| AppError::field(FieldError::new(Field::Item, Problem::NotAllowed)))
}

#[server(name = MallPageFn, endpoint = "mall")]
pub async fn mall_page() -> Result<MallOverview, AppError> {
    use crate::{
        api::access::{authorize_user, take_shown_once},
        db,
        state::app_state,
    };
    let user = authorize_user::<MallPageFn>().await?;
    let page = db::mall::page(&app_state()?.pool, user.id).await?;
    Ok(MallOverview { bought: take_shown_once(BOUGHT_TO_SHOW).await?, ..page })
}

/// Buys `item` (its slug) with growth points; `key` comes from the page that offered it.
#[server(name = BuyMallItemFn, endpoint = "mall/buy")]
pub async fn buy_mall_item(item: String, key: Uuid) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize_user, show_once},
        db,
        state::app_state,
    };
    let user = authorize_user::<BuyMallItemFn>().await?;
    let item = parse_item(&item)?;
    db::mall::buy(&app_state()?.pool, user.id, item, &format!("mall:{}:{key}:{}", user.id, item.slug())).await?;
    show_once(BOUGHT_TO_SHOW, &item).await
}

/// Dresses the developer's resume card in `theme` ("light", "dark", or one they bought).
#[server(name = ChooseCardThemeFn, endpoint = "mall/theme")]
pub async fn choose_card_theme(theme: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::validation::{Field, FieldError, Problem},
        state::app_state,
    };
    let user = authorize_user::<ChooseCardThemeFn>().await?;
    let theme = CardTheme::from_stored(&theme)
        .ok_or_else(|| AppError::field(FieldError::new(Field::Theme, Problem::NotAllowed)))?;
    let state = app_state()?;
    db::mall::choose_theme(&state.pool, user.id, theme).await?;
    // The public card wears it now.
    state.public_pages_changed();
    Ok(())
}

/// The catalogue with its terms, for the admins' editor.
#[server(name = AdminMallPricesFn, endpoint = "admin/mall")]
pub async fn admin_mall_prices() -> Result<Vec<(MallItem, crate::domain::mall::Terms)>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    authorize_user::<AdminMallPricesFn>().await?;
    Ok(db::mall::catalogue(&mut *app_state()?.pool.acquire().await?).await?)
}

/// Prices `item` in points and puts it on or off sale (a change for the audit log, with its reason).
#[server(name = SetMallPriceFn, endpoint = "admin/mall/set")]
pub async fn set_mall_price(
    item: String,
    price: String,
    on_sale: Option<String>,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            mall::{parse_price, Terms},
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = authorize_user::<SetMallPriceFn>().await?;
    let item = parse_item(&item)?;
    let price = parse_price(&price).map_err(|problem| AppError::field(FieldError::new(Field::Points, problem)))?;
    if reason.chars().count() > 500 {
        return Err(AppError::field(FieldError::new(Field::Reason, Problem::TooLong { max: 500 })));
    }
    let terms = Terms { price, on_sale: on_sale.is_some() };
    db::mall::set_terms(&app_state()?.pool, admin.id, item, terms, reason.trim()).await
}
