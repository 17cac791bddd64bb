//! Checking an Open Badges credential someone shows you, and revoking one (admins). Credentials
//! themselves are downloaded as files from `/u/{handle}/credentials/{achievement}.json`.

use crate::{error::AppError, views::credentials::CredentialVerdict};
use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};

/// A credential arrives as multipart form data: an uploaded `file`, or pasted as `document`, or a
/// `link` to one of ours (`…/credentials/{id}`). Links elsewhere are not fetched: the server does
/// not request arbitrary addresses on a visitor's behalf.
#[server(name = CheckCredentialFn, endpoint = "credentials/check", input = MultipartFormData)]
pub async fn check_credential(data: MultipartData) -> Result<CredentialVerdict, AppError> {
    use crate::{
        api::access::authorize,
        db,
        domain::validation::{Field, FieldError, Problem},
        state::app_state,
    };
    authorize::<CheckCredentialFn>().await?;
    let state = app_state()?;
    let too_long =
        || AppError::field(FieldError::new(Field::Credential, Problem::TooLong { max: MAX_CREDENTIAL_BYTES as u32 }));
    let malformed = AppError::unreadable_body;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let (mut document, mut link) = (Vec::new(), String::new());
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "link" => link = field.text().await.map_err(malformed)?,
            // The file wins over the text box when both are given.
            name @ ("document" | "file") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_CREDENTIAL_BYTES {
                        return Err(too_long());
                    }
                }
                if !bytes.iter().all(u8::is_ascii_whitespace) && (name == "file" || document.is_empty()) {
                    document = bytes;
                }
            }
            _ => {}
        }
    }
    let link = link.trim();
    let parsed: serde_json::Value = if !document.is_empty() {
        match crate::credentials::parse_strict(&document) {
            Ok(value) => value,
            Err(_) => return Ok(CredentialVerdict::Malformed),
        }
    } else if !link.is_empty() {
        let id = crate::credentials::credential_id(link)
            .ok_or_else(|| AppError::field(FieldError::new(Field::Link, Problem::NotAllowed)))?;
        db::credentials::by_id(&state.pool, id).await?.ok_or(AppError::NotFound)?
    } else {
        return Err(AppError::field(FieldError::new(Field::Credential, Problem::Required)));
    };
    db::credentials::check(&state.pool, state.issuer().await?, &parsed).await
}

/// A credential is a few kilobytes; anything far larger is not one of ours.
pub const MAX_CREDENTIAL_BYTES: usize = 64 * 1024;

#[server(name = RevokeCredentialFn, endpoint = "admin/credentials/revoke")]
pub async fn revoke_credential(id: uuid::Uuid, reason: String) -> Result<bool, AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::validation::{Field, FieldError, Problem},
        state::app_state,
    };
    let admin = authorize_user::<RevokeCredentialFn>().await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(FieldError::new(Field::Reason, Problem::Required)));
    }
    Ok(db::credentials::revoke(&app_state()?.pool, admin.id, id, reason).await?)
}
