//! A developer's portfolio (作品集) on `/profile`: reading it, adding or changing an item (with its
//! images), pinning a finished task, deleting and reordering. Developers only, each on their own
//! portfolio (`db::portfolio` matches every item to its owner). A change made from the page's plain
//! forms comes back to the portfolio section.

use crate::{error::AppError, views::portfolio::MyPortfolio};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};
use uuid::Uuid;

/// Where the page's forms land after a change: the portfolio section of the profile page.
#[cfg(feature = "ssr")]
const BACK_TO_PORTFOLIO: &str = "/profile#portfolio";

#[server(name = MyPortfolioFn, endpoint = "portfolio")]
pub async fn my_portfolio() -> Result<MyPortfolio, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyPortfolioFn>().await?;
    let pool = app_state()?.pool;
    Ok(MyPortfolio {
        items: db::portfolio::items_of(&pool, user.id).await?,
        pinnable: db::portfolio::pinnable_tasks(&pool, user.id).await?,
        tags: db::users::skill_tree(&pool).await?,
    })
}

/// An item as multipart form data: `item` (empty for a new one), `title`, `role`, `description`,
/// `link`, one `tags` per chosen skill tag, one `remove_images` per image to take away, and up to
/// three image `files`. Images are checked while they stream in (by their content, at most 5 MB
/// each); any problem answers the field's error and writes nothing.
#[server(name = SavePortfolioItemFn, endpoint = "portfolio/save", input = MultipartFormData)]
pub async fn save_portfolio_item(data: MultipartData) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SavePortfolioItemFn>().await?;
    let upload = read_upload(data).await?;
    let entry = upload.form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    db::portfolio::save(&state.pool, user.id, upload.item, &entry, &upload.remove, &upload.images).await?;
    state.public_pages_changed();
    leptos_axum::redirect(BACK_TO_PORTFOLIO);
    Ok(())
}

#[cfg(feature = "ssr")]
#[derive(Default)]
struct PortfolioUpload {
    item: Option<Uuid>,
    form: crate::domain::portfolio::PortfolioForm,
    remove: Vec<Uuid>,
    images: Vec<crate::db::portfolio::NewImage>,
}

#[cfg(feature = "ssr")]
async fn read_upload(data: MultipartData) -> Result<PortfolioUpload, AppError> {
    use crate::{
        db::portfolio::NewImage,
        domain::portfolio::{check_image, check_image_count, check_image_size},
    };
    let malformed = AppError::unreadable_body;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut upload = PortfolioUpload::default();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            // A file input left empty still sends one part, with no file name and no bytes.
            if field.file_name().unwrap_or_default().is_empty() {
                continue;
            }
            check_image_count(0, upload.images.len() + 1).map_err(AppError::field)?;
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                bytes.extend_from_slice(&chunk);
                check_image_size(bytes.len()).map_err(AppError::field)?;
            }
            let kind = check_image(&bytes).map_err(AppError::field)?;
            upload.images.push(NewImage { kind, bytes });
            continue;
        }
        let text = field.text().await.map_err(malformed)?;
        let form = &mut upload.form;
        match name.as_str() {
            "item" if !text.trim().is_empty() => {
                upload.item = Some(Uuid::parse_str(text.trim()).map_err(|_| AppError::NotFound)?)
            }
            "title" => form.title = text,
            "role" => form.role = text,
            "description" => form.description = text,
            "link" => form.link = text,
            "tags" => form.tags.push(text),
            "remove_images" => upload.remove.extend(Uuid::parse_str(text.trim()).ok()),
            _ => {}
        }
    }
    Ok(upload)
}

/// Adds the developer's finished task to their portfolio, marked as verified, and opens the new
/// item's form so they can describe it.
#[server(name = PinTaskFn, endpoint = "portfolio/pin")]
pub async fn pin_task(task: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<PinTaskFn>().await?;
    let state = app_state()?;
    let item = db::portfolio::pin(&state.pool, user.id, task).await?;
    state.public_pages_changed();
    leptos_axum::redirect(&format!("/profile?edit={item}#portfolio-form"));
    Ok(())
}

#[server(name = DeletePortfolioItemFn, endpoint = "portfolio/delete")]
pub async fn delete_portfolio_item(item: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<DeletePortfolioItemFn>().await?;
    let state = app_state()?;
    db::portfolio::delete(&state.pool, user.id, item).await?;
    state.public_pages_changed();
    leptos_axum::redirect(BACK_TO_PORTFOLIO);
    Ok(())
}

/// Moves an item one place `up` or `down` in the developer's order.
#[server(name = MovePortfolioItemFn, endpoint = "portfolio/move")]
pub async fn move_portfolio_item(item: Uuid, direction: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            portfolio::Direction,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let user = authorize_user::<MovePortfolioItemFn>().await?;
    let direction = Direction::parse(&direction)
        .ok_or_else(|| AppError::field(FieldError::new(Field::Portfolio, Problem::NotAllowed)))?;
    let state = app_state()?;
    db::portfolio::move_item(&state.pool, user.id, item, direction).await?;
    state.public_pages_changed();
    leptos_axum::redirect(BACK_TO_PORTFOLIO);
    Ok(())
}
