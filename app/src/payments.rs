//! Payment providers (server only). Real providers (WeChat Pay, Alipay) share one protocol shape, and
//! so does this trait: the app creates an order, the user confirms on the provider's page, and the
//! provider calls back with a signed notification. The verified callback is the only thing that
//! credits a balance; withdrawals are requested here and confirmed or failed the same way.
//!
//! `SandboxProvider` implements it locally for the demo and the tests: its checkout page is served by
//! the app (`/sandbox/pay/{order}`), its notifications are signed with HMAC-SHA256 exactly as a real
//! callback would be, and they go through the same `db::payments::receive` as an HTTP callback.

use crate::domain::money::Money;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::sync::Arc;
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
    /// Asks the provider to pay a withdrawal out; the result arrives later as a `Payout` callback.
    fn request_payout(&self, withdrawal: Uuid, amount: Money);
}

/// A signed callback as it travels: the exact body bytes and their signature.
pub type SignedCallback = (Vec<u8>, String);

pub struct SandboxProvider {
    secret: Vec<u8>,
    /// Where the sandbox "bank" sends its payout callbacks (the app's own receiver).
    callbacks: mpsc::UnboundedSender<SignedCallback>,
}

impl SandboxProvider {
    /// The sandbox refuses single payouts above this, like a bank's transfer limit, so the demo can
    /// show a failed withdrawal returning to the balance.
    pub const PAYOUT_LIMIT: Money = Money::from_fen(5_000_000);

    pub fn new(secret: &[u8]) -> (Arc<Self>, mpsc::UnboundedReceiver<SignedCallback>) {
        let (callbacks, receiver) = mpsc::unbounded_channel();
        (Arc::new(SandboxProvider { secret: secret.to_vec(), callbacks }), receiver)
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

    fn request_payout(&self, withdrawal: Uuid, amount: Money) {
        let callback = self.sign(&Notification {
            kind: NotificationKind::Payout,
            reference: withdrawal,
            amount_fen: amount.fen(),
            succeeded: amount <= Self::PAYOUT_LIMIT,
            provider_txn: format!("sandbox-payout-{}", Uuid::now_v7().simple()),
            payer_account: None,
        });
        // The receiver lives as long as the server; if it is gone the server is shutting down and
        // the withdrawal stays pending, to be confirmed by the provider's retry.
        let _ = self.callbacks.send(callback);
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
