//! Payment providers (server only). Real providers (WeChat Pay, Alipay) share one protocol shape, and
//! so does this trait: the app creates an order, the user confirms on the provider's page, and the
//! provider calls back with a signed notification. The verified callback is the only thing that
//! credits a balance; withdrawals are requested here and confirmed or failed the same way.
//!
//! `SandboxProvider` implements it locally for the demo and the tests: its checkout page is served by
//! the app (`/sandbox/pay/{order}`), its notifications are signed with HMAC-SHA256 exactly as a real
//! callback would be, and they go through the same `db::payments::receive` as an HTTP callback.
//!
//! Callbacks can be lost (a process killed before it read one), so the provider also answers queries
//! ("query a transfer", "query an order"): reconciliation (`db::payouts::reconcile`) settles from them.
//! Payouts are requested under our withdrawal id as the idempotency key (Alipay's and WeChat Pay's
//! `out_biz_no`): sending one twice pays once.

use crate::domain::{money::Money, payouts::ProviderAnswer};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::PgPool;
use std::{future::Future, pin::Pin, sync::Arc};
use tokio::sync::mpsc;
use uuid::Uuid;

/// The header a provider's callback carries its signature in (hex HMAC-SHA256 of the body).
pub const SIGNATURE_HEADER: &str = "x-codelink-signature";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A payment order (a deposit) was paid or abandoned.
    Payment,
    /// A withdrawal was paid out or failed.
    Payout,
}

/// A provider's callback, once its signature is verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub kind: NotificationKind,
    /// Our order or withdrawal id.
    pub reference: Uuid,
    pub amount_fen: i64,
    pub succeeded: bool,
    /// The provider's own transaction id, kept for reconciliation.
    pub provider_txn: String,
    /// For a payment: the payer's account at the provider (the anti-farming check compares them).
    #[serde(default)]
    pub payer_account: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("callback signature or body is not valid")]
pub struct BadCallback;

pub trait PaymentProvider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Where the user goes to confirm a payment order.
    fn checkout_url(&self, order: Uuid) -> String;
    /// Checks a callback's signature over its exact body bytes, then decodes it.
    fn verify(&self, body: &[u8], signature: &str) -> Result<Notification, BadCallback>;
    /// Asks the provider to pay a withdrawal out under `out_biz_no` (our withdrawal id). `Ok` means the
    /// provider acknowledged it (a repeat of an id it knows is acknowledged again, never paid twice);
    /// the result arrives later as a `Payout` callback, or by `query_transfer`.
    fn request_payout(&self, out_biz_no: Uuid, amount: Money) -> ProviderFuture<'_, Result<(), ProviderError>>;
    /// What the provider knows of the transfer under `out_biz_no`.
    fn query_transfer(&self, out_biz_no: Uuid) -> ProviderFuture<'_, Result<ProviderAnswer, ProviderError>>;
    /// What the provider knows of the payment order `order`.
    fn query_order(&self, order: Uuid) -> ProviderFuture<'_, Result<ProviderAnswer, ProviderError>>;
}

/// Provider calls are network calls; the trait stays object-safe (`Arc<dyn PaymentProvider>`).
pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The provider could not be reached or did not answer: try again later.
#[derive(Debug, thiserror::Error)]
#[error("payment provider unavailable: {0}")]
pub struct ProviderError(pub String);

/// A signed callback as it travels: the exact body bytes and their signature.
pub type SignedCallback = (Vec<u8>, String);

pub struct SandboxProvider {
    secret: Vec<u8>,
    /// Where the sandbox "bank" sends its payout callbacks (the app's own receiver).
    callbacks: mpsc::UnboundedSender<SignedCallback>,
    /// The bank's own books (`sandbox_bank`); without them (a signer only, in tests) it knows nothing.
    bank: Option<PgPool>,
}

impl SandboxProvider {
    /// The sandbox refuses single payouts above this, like a bank's transfer limit, so the demo can
    /// show a failed withdrawal returning to the balance.
    pub const PAYOUT_LIMIT: Money = Money::from_fen(5_000_000);

    /// A signer only: it signs and verifies, but keeps no books (tests forge callbacks with it).
    pub fn new(secret: &[u8]) -> (Arc<Self>, mpsc::UnboundedReceiver<SignedCallback>) {
        let (callbacks, receiver) = mpsc::unbounded_channel();
        (Arc::new(SandboxProvider { secret: secret.to_vec(), callbacks, bank: None }), receiver)
    }

    /// The sandbox as the demo runs it: its books in `sandbox_bank`, which outlive our process as an
    /// outside bank's would.
    pub fn with_bank(secret: &[u8], pool: PgPool) -> (Arc<Self>, mpsc::UnboundedReceiver<SignedCallback>) {
        let (callbacks, receiver) = mpsc::unbounded_channel();
        (Arc::new(SandboxProvider { secret: secret.to_vec(), callbacks, bank: Some(pool) }), receiver)
    }

    /// The user paid (or abandoned) the order on the sandbox page: the bank books it first, then
    /// signs the callback. A payment after an abandonment is booked too (a real payer can pay an
    /// order they once cancelled); a payment is never un-booked.
    pub async fn pay(
        &self,
        order: Uuid,
        amount: Money,
        succeeded: bool,
        payer_account: &str,
    ) -> Result<SignedCallback, ProviderError> {
        let pool = self.bank.as_ref().ok_or_else(|| ProviderError("the sandbox keeps no books".into()))?;
        sqlx::query(
            "INSERT INTO sandbox_bank (kind, reference, amount_fen, succeeded, provider_txn, payer_account)
             VALUES ('payment', $1, $2, $3, $4, $5)
             ON CONFLICT (kind, reference) DO UPDATE SET succeeded = true, provider_txn = EXCLUDED.provider_txn,
                 payer_account = EXCLUDED.payer_account
               WHERE EXCLUDED.succeeded AND NOT sandbox_bank.succeeded",
        )
        .bind(order)
        .bind(amount.fen())
        .bind(succeeded)
        .bind(format!("sandbox-pay-{}", Uuid::now_v7().simple()))
        .bind(payer_account)
        .execute(pool)
        .await
        .map_err(|e| ProviderError(e.to_string()))?;
        // The callback tells what the bank booked, which a repeated click does not change.
        let (succeeded, provider_txn, payer) = match self.query("payment", order).await? {
            ProviderAnswer::Succeeded { provider_txn, payer_account, .. } => (true, provider_txn, payer_account),
            ProviderAnswer::Failed { provider_txn, .. } => (false, provider_txn, Some(payer_account.to_string())),
            _ => return Err(ProviderError("the booking vanished".into())),
        };
        Ok(self.sign(&Notification {
            kind: NotificationKind::Payment,
            reference: order,
            amount_fen: amount.fen(),
            succeeded,
            provider_txn,
            payer_account: payer,
        }))
    }

    async fn book_transfer(&self, out_biz_no: Uuid, amount: Money) -> Result<(), ProviderError> {
        let pool = self.bank.as_ref().ok_or_else(|| ProviderError("the sandbox keeps no books".into()))?;
        // Idempotent under out_biz_no: a repeat finds the first booking and gets its result again.
        sqlx::query(
            "INSERT INTO sandbox_bank (kind, reference, amount_fen, succeeded, provider_txn)
             VALUES ('transfer', $1, $2, $3, $4) ON CONFLICT (kind, reference) DO NOTHING",
        )
        .bind(out_biz_no)
        .bind(amount.fen())
        .bind(amount <= Self::PAYOUT_LIMIT)
        .bind(format!("sandbox-payout-{}", Uuid::now_v7().simple()))
        .execute(pool)
        .await
        .map_err(|e| ProviderError(e.to_string()))?;
        let answer = self.query("transfer", out_biz_no).await?;
        let (succeeded, amount_fen, provider_txn) = match answer {
            ProviderAnswer::Succeeded { amount_fen, provider_txn, .. } => (true, amount_fen, provider_txn),
            ProviderAnswer::Failed { amount_fen, provider_txn } => (false, amount_fen, provider_txn),
            _ => return Ok(()),
        };
        let callback = self.sign(&Notification {
            kind: NotificationKind::Payout,
            reference: out_biz_no,
            amount_fen,
            succeeded,
            provider_txn,
            payer_account: None,
        });
        // The receiver lives as long as the server; a callback lost with it is found by reconciliation.
        let _ = self.callbacks.send(callback);
        Ok(())
    }

    async fn query(&self, kind: &str, reference: Uuid) -> Result<ProviderAnswer, ProviderError> {
        let Some(pool) = self.bank.as_ref() else {
            return Ok(ProviderAnswer::NotFound);
        };
        let row: Option<(i64, bool, String, Option<String>)> = sqlx::query_as(
            "SELECT amount_fen, succeeded, provider_txn, payer_account FROM sandbox_bank WHERE kind = $1 AND reference = $2",
        )
        .bind(kind)
        .bind(reference)
        .fetch_optional(pool)
        .await
        .map_err(|e| ProviderError(e.to_string()))?;
        Ok(match row {
            None => ProviderAnswer::NotFound,
            Some((amount_fen, true, provider_txn, payer_account)) => {
                ProviderAnswer::Succeeded { amount_fen, provider_txn, payer_account }
            }
            Some((amount_fen, false, provider_txn, _)) => ProviderAnswer::Failed { amount_fen, provider_txn },
        })
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts keys of any length")
    }

    /// Signs a notification the way the provider does: hex HMAC-SHA256 over the JSON body.
    pub fn sign(&self, notification: &Notification) -> SignedCallback {
        let body = serde_json::to_vec(notification).expect("a notification always serialises");
        let mut mac = self.mac();
        mac.update(&body);
        let signature = hex::encode(mac.finalize().into_bytes());
        (body, signature)
    }

    /// The user pressed "pay" (or "cancel") on the sandbox checkout page.
    pub fn confirm_payment(&self, order: Uuid, amount: Money, succeeded: bool, payer_account: &str) -> SignedCallback {
        self.sign(&Notification {
            kind: NotificationKind::Payment,
            reference: order,
            amount_fen: amount.fen(),
            succeeded,
            provider_txn: format!("sandbox-pay-{}", Uuid::now_v7().simple()),
            payer_account: Some(payer_account.to_string()),
        })
    }
}

impl PaymentProvider for SandboxProvider {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn checkout_url(&self, order: Uuid) -> String {
        format!("/sandbox/pay/{order}")
    }

    fn verify(&self, body: &[u8], signature: &str) -> Result<Notification, BadCallback> {
        let signature = hex::decode(signature.trim()).map_err(|_| BadCallback)?;
        let mut mac = self.mac();
        mac.update(body);
        // Constant-time comparison: timing must not reveal how much of a forged signature matched.
        mac.verify_slice(&signature).map_err(|_| BadCallback)?;
        serde_json::from_slice(body).map_err(|_| BadCallback)
    }

    fn request_payout(&self, out_biz_no: Uuid, amount: Money) -> ProviderFuture<'_, Result<(), ProviderError>> {
        Box::pin(self.book_transfer(out_biz_no, amount))
    }

    fn query_transfer(&self, out_biz_no: Uuid) -> ProviderFuture<'_, Result<ProviderAnswer, ProviderError>> {
        Box::pin(self.query("transfer", out_biz_no))
    }

    fn query_order(&self, order: Uuid) -> ProviderFuture<'_, Result<ProviderAnswer, ProviderError>> {
        Box::pin(self.query("payment", order))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_forgeries_do_not() {
        let (sandbox, _rx) = SandboxProvider::new(b"test-secret");
        let (body, signature) = sandbox.confirm_payment(Uuid::nil(), Money::from_fen(100), true, "sandbox-test");
        let notification = sandbox.verify(&body, &signature).unwrap();
        assert_eq!(notification.amount_fen, 100);

        let mut tampered = body.clone();
        let at = tampered.iter().position(|b| *b == b'1').unwrap();
        tampered[at] = b'9';
        assert_eq!(sandbox.verify(&tampered, &signature), Err(BadCallback));
        assert_eq!(sandbox.verify(&body, "00"), Err(BadCallback));
        assert_eq!(sandbox.verify(&body, "not hex"), Err(BadCallback));

        let (other, _rx) = SandboxProvider::new(b"another-secret");
        assert_eq!(other.verify(&body, &signature), Err(BadCallback));
    }
}
