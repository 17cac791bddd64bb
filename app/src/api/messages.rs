//! A task's conversations between its merchant and each applicant (or the chosen developer). New
//! messages arrive live through the server's event stream (`/tasks/{id}/messages/live`), which only
//! says that something arrived; the page then asks for what is new with `task_messages`.

use crate::{error::AppError, views::messages::Conversation};
use leptos::{prelude::*, server_fn::codec::MultipartData};
use uuid::Uuid;

/// The conversation with `developer` (a developer always gets their own; the merchant gets the
/// chosen developer's, else the first applicant's, when none is named).
#[server(name = TaskMessagesFn, endpoint = "task/messages")]
pub async fn task_messages(task: Uuid, developer: Option<Uuid>) -> Result<Option<Conversation>, AppError> {
    use crate::{api::access::authorize_user, db, domain::account::Role, domain::messages, state::app_state};
    let user = authorize_user::<TaskMessagesFn>().await?;
    let pool = &app_state()?.pool;
    let (developer, partners) = if user.role == Role::Developer {
        (Some(user.id), Vec::new())
    } else {
        let partners = db::messages::partners(pool, task).await?;
        (developer.or_else(|| partners.first().map(|(id, _)| *id)), partners)
    };
    let Some(developer) = developer else { return Ok(None) };
    let messages = match db::messages::conversation(pool, (user.id, user.role), task, developer, 0).await {
        Ok(messages) => messages,
        // A developer who has not applied simply has no conversation yet.
        Err(AppError::Forbidden) if user.role == Role::Developer => return Ok(None),
        Err(error) => return Err(error),
    };
    let chosen = db::messages::chosen_developer(pool, task).await?;
    Ok(Some(Conversation {
        developer,
        partners,
        messages,
        masking: messages::masks_contacts(chosen, developer),
        can_write: user.role != Role::Admin,
    }))
}

/// Sends a message (text, and at most one file): a multipart form with `task`, `developer`, `body`
/// and `file`.
#[server(name = SendMessageFn, endpoint = "task/messages/send", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn send_message(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db::{self, messages::NewAttachment},
        domain::{
            delivery::clean_file_name,
            messages::{check_body, MAX_FILE_BYTES},
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let user = authorize_user::<SendMessageFn>().await?;
    let malformed = AppError::unreadable_body;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let (mut task, mut developer, mut body, mut file) = (None, None, String::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or_default() {
            "task" => task = Uuid::parse_str(field.text().await.map_err(malformed)?.trim()).ok(),
            "developer" => developer = Uuid::parse_str(field.text().await.map_err(malformed)?.trim()).ok(),
            "body" => body = field.text().await.map_err(malformed)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                if name.is_empty() {
                    continue;
                }
                let content_type = field.content_type().map_or("application/octet-stream".into(), |m| m.to_string());
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_FILE_BYTES {
                        let max_mb = (MAX_FILE_BYTES / (1024 * 1024)) as u32;
                        let problem = Problem::FileTooLarge { max_mb, total_mb: max_mb };
                        return Err(AppError::field(FieldError::new(Field::Files, problem)));
                    }
                }
                file = Some(NewAttachment {
                    name: clean_file_name(&name),
                    content_type: content_type.chars().take(100).collect(),
                    bytes,
                });
            }
            _ => {}
        }
    }
    let task = task.ok_or(AppError::NotFound)?;
    let developer = match user.role {
        crate::domain::account::Role::Developer => user.id,
        _ => developer.ok_or(AppError::NotFound)?,
    };
    let body = check_body(&body, file.is_some()).map_err(AppError::field)?.to_string();
    db::messages::post(&app_state()?.pool, (user.id, user.role), task, developer, &body, file).await?;
    Ok(())
}
