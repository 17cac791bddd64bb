//! Double-entry movements, built only through constructors that balance by construction. The
//! database layer writes a `Movement` as given; the database re-checks the sum at commit.

use super::{fees::PayoutSplit, money::Money};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A ledger account, named by what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Account {
    /// A user's spendable balance.
    Available(Uuid),
    /// A user's money on its way out in a withdrawal, until the provider confirms or fails it.
    Withdrawing(Uuid),
    /// A task's escrow: the reward of its unpaid milestones.
    Escrow(Uuid),
    /// A mentor challenge's prize, from funding until it is awarded or refunded.
    Prize(Uuid),
    /// The platform's commission revenue.
    Commission,
    /// The platform's revenue from memberships and task promotion.
    Sales,
    /// Banks and payment providers: the only account allowed below zero.
    World,
}

impl Account {
    /// The account's stable name in `ledger_accounts.code`.
    pub fn code(self) -> String {
        match self {
            Account::Available(user) => format!("available:{user}"),
            Account::Withdrawing(user) => format!("withdrawing:{user}"),
            Account::Escrow(task) => format!("escrow:{task}"),
            Account::Prize(contest) => format!("prize:{contest}"),
            Account::Commission => "commission".into(),
            Account::Sales => "sales".into(),
            Account::World => "world".into(),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Account::Available(_) => "available",
            Account::Withdrawing(_) => "withdrawing",
            Account::Escrow(_) => "escrow",
            Account::Prize(_) => "prize",
            Account::Commission => "commission",
            Account::Sales => "sales",
            Account::World => "world",
        }
    }

    pub fn user(self) -> Option<Uuid> {
        match self {
            Account::Available(user) | Account::Withdrawing(user) => Some(user),
            _ => None,
        }
    }

    pub fn task(self) -> Option<Uuid> {
        match self {
            Account::Escrow(task) => Some(task),
            _ => None,
        }
    }

    /// The platform's own accounts, which keep no running balance (see `db::ledger`).
    pub fn is_system(self) -> bool {
        matches!(self, Account::Commission | Account::Sales | Account::World)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Deposit,
    EscrowFund,
    EscrowRelease,
    EscrowRefund,
    DisputeSplit,
    WithdrawalHold,
    WithdrawalPaid,
    WithdrawalReturned,
    /// A membership or a task promotion, paid from the buyer's balance.
    Purchase,
    /// Money back for the unused part of a purchase.
    PurchaseRefund,
    /// A mentor sets a challenge's prize aside.
    PrizeFund,
    /// The prize goes to the winner, in full.
    PrizeAward,
    /// A challenge called off before anyone submitted: the prize goes back to the mentor.
    PrizeRefund,
}

impl MovementKind {
    /// Every kind, so a new one cannot be left out of `parse` or of the wallet's groups' test.
    pub const ALL: [MovementKind; 13] = [
        MovementKind::Deposit,
        MovementKind::EscrowFund,
        MovementKind::EscrowRelease,
        MovementKind::EscrowRefund,
        MovementKind::DisputeSplit,
        MovementKind::WithdrawalHold,
        MovementKind::WithdrawalPaid,
        MovementKind::WithdrawalReturned,
        MovementKind::Purchase,
        MovementKind::PurchaseRefund,
        MovementKind::PrizeFund,
        MovementKind::PrizeAward,
        MovementKind::PrizeRefund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Deposit => "deposit",
            MovementKind::EscrowFund => "escrow_fund",
            MovementKind::EscrowRelease => "escrow_release",
            MovementKind::EscrowRefund => "escrow_refund",
            MovementKind::DisputeSplit => "dispute_split",
            MovementKind::WithdrawalHold => "withdrawal_hold",
            MovementKind::WithdrawalPaid => "withdrawal_paid",
            MovementKind::WithdrawalReturned => "withdrawal_returned",
            MovementKind::Purchase => "purchase",
            MovementKind::PurchaseRefund => "purchase_refund",
            MovementKind::PrizeFund => "prize_fund",
            MovementKind::PrizeAward => "prize_award",
            MovementKind::PrizeRefund => "prize_refund",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }
}

/// A balanced set of entries with the key that makes it happen at most once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub kind: MovementKind,
    /// Unique per real-world event ("release:<milestone>", "deposit:<order>"): a retry reuses it.
    pub idempotency_key: String,
    pub task: Option<Uuid>,
    pub milestone: Option<Uuid>,
    /// Non-zero amounts in fen, one per account, summing to zero.
    pub entries: Vec<(Account, i64)>,
}

impl Movement {
    fn new(kind: MovementKind, key: String, entries: Vec<(Account, i64)>) -> Self {
        let mut merged: Vec<(Account, i64)> = Vec::with_capacity(entries.len());
        for (account, fen) in entries {
            match merged.iter_mut().find(|(a, _)| *a == account) {
                Some((_, total)) => *total += fen,
                None => merged.push((account, fen)),
            }
        }
        merged.retain(|(_, fen)| *fen != 0);
        let movement = Movement { kind, idempotency_key: key, task: None, milestone: None, entries: merged };
        debug_assert!(movement.is_balanced());
        movement
    }

    fn for_task(mut self, task: Uuid, milestone: Option<Uuid>) -> Self {
        self.task = Some(task);
        self.milestone = milestone;
        self
    }

    pub fn is_balanced(&self) -> bool {
        self.entries.iter().map(|(_, fen)| *fen as i128).sum::<i128>() == 0
    }

    /// A verified payment-provider callback: money arrives from outside.
    pub fn deposit(order: Uuid, user: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(
            MovementKind::Deposit,
            format!("deposit:{order}"),
            vec![(Account::World, -fen), (Account::Available(user), fen)],
        )
    }

    /// Publishing: the reward leaves the merchant's balance for the task's escrow.
    pub fn fund_escrow(task: Uuid, merchant: Uuid, reward: Money) -> Self {
        let fen = reward.fen();
        Movement::new(
            MovementKind::EscrowFund,
            format!("fund:{task}"),
            vec![(Account::Available(merchant), -fen), (Account::Escrow(task), fen)],
        )
        .for_task(task, None)
    }

    /// A published milestone's amount raised from `from` to `to`: the merchant adds the difference to
    /// the escrow. Keyed by the new amount and whether the developer was chosen (`after_choice`), so a
    /// retried raise moves nothing twice: before the choice and after it an amount only rises, so the
    /// key is unique within each; the choice itself may lower it (an agreed quote), and a later raise
    /// back to an amount reached before the choice is a new movement.
    pub fn raise_escrow(
        task: Uuid,
        milestone: Uuid,
        merchant: Uuid,
        from: Money,
        to: Money,
        after_choice: bool,
    ) -> Self {
        let fen = to.fen() - from.fen();
        let phase = if after_choice { ":chosen" } else { "" };
        Movement::new(
            MovementKind::EscrowFund,
            format!("raise:{milestone}:{}{phase}", to.fen()),
            vec![(Account::Available(merchant), -fen), (Account::Escrow(task), fen)],
        )
        .for_task(task, Some(milestone))
    }

    /// A quote agreed as its developer is chosen (`domain::quotes`): the escrow moves from the
    /// milestones' amounts before (`from`) to the agreed ones (`to`), topped up from the merchant's
    /// balance or refunded to it. None when they add up to the same. Keyed by the task, which is
    /// chosen for once, so a retried choice moves nothing twice.
    pub fn agreed_terms(task: Uuid, merchant: Uuid, from: Money, to: Money) -> Option<Self> {
        let fen = to.fen() - from.fen();
        let kind = match fen.cmp(&0) {
            std::cmp::Ordering::Greater => MovementKind::EscrowFund,
            std::cmp::Ordering::Less => MovementKind::EscrowRefund,
            std::cmp::Ordering::Equal => return None,
        };
        let entries = vec![(Account::Available(merchant), -fen), (Account::Escrow(task), fen)];
        Some(Movement::new(kind, format!("terms:{task}"), entries).for_task(task, None))
    }

    /// An accepted milestone: the developer receives the split, the platform its commission.
    pub fn release(task: Uuid, milestone: Uuid, developer: Uuid, split: PayoutSplit) -> Self {
        Movement::new(
            MovementKind::EscrowRelease,
            format!("release:{milestone}"),
            vec![
                (Account::Escrow(task), -split.reward.fen()),
                (Account::Available(developer), split.developer_receives.fen()),
                (Account::Commission, split.commission.fen()),
            ],
        )
        .for_task(task, Some(milestone))
    }

    /// Unpaid milestones go back to the merchant in full when the task is cancelled.
    pub fn refund(task: Uuid, merchant: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(
            MovementKind::EscrowRefund,
            format!("refund:{task}"),
            vec![(Account::Escrow(task), -fen), (Account::Available(merchant), fen)],
        )
        .for_task(task, None)
    }

    /// An admin's decision on a disputed milestone: the developer's share is paid like a release
    /// (commission on that share only), the rest returns to the merchant.
    pub fn dispute_split(
        task: Uuid,
        milestone: Uuid,
        developer: Uuid,
        merchant: Uuid,
        amount: Money,
        developer_share: PayoutSplit,
    ) -> Self {
        let refund = amount.fen() - developer_share.reward.fen();
        Movement::new(
            MovementKind::DisputeSplit,
            format!("settle:{milestone}"),
            vec![
                (Account::Escrow(task), -amount.fen()),
                (Account::Available(developer), developer_share.developer_receives.fen()),
                (Account::Commission, developer_share.commission.fen()),
                (Account::Available(merchant), refund),
            ],
        )
        .for_task(task, Some(milestone))
    }

    pub fn withdrawal_hold(withdrawal: Uuid, user: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(
            MovementKind::WithdrawalHold,
            format!("withdraw:{withdrawal}"),
            vec![(Account::Available(user), -fen), (Account::Withdrawing(user), fen)],
        )
    }

    pub fn withdrawal_paid(withdrawal: Uuid, user: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(
            MovementKind::WithdrawalPaid,
            format!("withdraw-done:{withdrawal}"),
            vec![(Account::Withdrawing(user), -fen), (Account::World, fen)],
        )
    }

    /// The provider could not pay out: the money returns to the user's balance.
    pub fn withdrawal_returned(withdrawal: Uuid, user: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(
            MovementKind::WithdrawalReturned,
            format!("withdraw-done:{withdrawal}"),
            vec![(Account::Withdrawing(user), -fen), (Account::Available(user), fen)],
        )
    }

    /// A membership period or a promotion bought from the buyer's balance. `key` names the purchase
    /// ("membership:<id>"), so a repeated request pays once.
    pub fn purchase(key: String, buyer: Uuid, price: Money) -> Self {
        let fen = price.fen();
        Movement::new(MovementKind::Purchase, key, vec![(Account::Available(buyer), -fen), (Account::Sales, fen)])
    }

    /// A mentor funds a challenge's prize from their balance.
    pub fn prize_fund(contest: Uuid, mentor: Uuid, prize: Money) -> Self {
        let fen = prize.fen();
        Movement::new(
            MovementKind::PrizeFund,
            format!("prize-fund:{contest}"),
            vec![(Account::Available(mentor), -fen), (Account::Prize(contest), fen)],
        )
    }

    /// The winner receives the whole prize; the platform takes no commission on prizes.
    pub fn prize_award(contest: Uuid, winner: Uuid, prize: Money) -> Self {
        let fen = prize.fen();
        Movement::new(
            MovementKind::PrizeAward,
            format!("prize-end:{contest}"),
            vec![(Account::Prize(contest), -fen), (Account::Available(winner), fen)],
        )
    }

    /// Called off before any submission: the prize returns to the mentor. Shares the award's key,
    /// so a prize can end only one way.
    pub fn prize_refund(contest: Uuid, mentor: Uuid, prize: Money) -> Self {
        let fen = prize.fen();
        Movement::new(
            MovementKind::PrizeRefund,
            format!("prize-end:{contest}"),
            vec![(Account::Prize(contest), -fen), (Account::Available(mentor), fen)],
        )
    }

    /// The unused part of a purchase, back to the buyer's balance. Keyed once per purchase.
    pub fn purchase_refund(key: String, buyer: Uuid, amount: Money) -> Self {
        let fen = amount.fen();
        Movement::new(MovementKind::PurchaseRefund, key, vec![(Account::Sales, -fen), (Account::Available(buyer), fen)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fees::CommissionRate;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn every_constructor_balances() {
        let split = PayoutSplit::of(Money::from_fen(10_001), CommissionRate::DEFAULT);
        let share = PayoutSplit::of(Money::from_fen(7_000), CommissionRate::DEFAULT);
        let movements = [
            Movement::deposit(id(1), id(2), Money::from_fen(500)),
            Movement::fund_escrow(id(3), id(2), Money::from_fen(10_001)),
            Movement::release(id(3), id(4), id(5), split),
            Movement::refund(id(3), id(2), Money::from_fen(10_001)),
            Movement::dispute_split(id(3), id(4), id(5), id(2), Money::from_fen(10_000), share),
            Movement::withdrawal_hold(id(6), id(5), Money::from_fen(900)),
            Movement::withdrawal_paid(id(6), id(5), Money::from_fen(900)),
            Movement::withdrawal_returned(id(6), id(5), Money::from_fen(900)),
        ];
        for movement in movements {
            assert!(movement.is_balanced(), "{movement:?}");
            assert!(movement.entries.iter().all(|(_, fen)| *fen != 0), "{movement:?}");
        }
    }

    #[test]
    fn release_pays_developer_and_platform_from_escrow() {
        let split = PayoutSplit::of(Money::from_fen(10_000), CommissionRate::DEFAULT);
        let movement = Movement::release(id(3), id(4), id(5), split);
        assert_eq!(
            movement.entries,
            vec![(Account::Escrow(id(3)), -10_000), (Account::Available(id(5)), 9_000), (Account::Commission, 1_000),]
        );
        assert_eq!(movement.idempotency_key, format!("release:{}", id(4)));
    }

    #[test]
    fn a_dispute_awarding_nothing_to_the_developer_refunds_everything() {
        let nothing = PayoutSplit::of(Money::from_fen(0), CommissionRate::DEFAULT);
        let movement = Movement::dispute_split(id(3), id(4), id(5), id(2), Money::from_fen(800), nothing);
        assert_eq!(movement.entries, vec![(Account::Escrow(id(3)), -800), (Account::Available(id(2)), 800)]);
    }

    #[test]
    fn paid_and_returned_withdrawals_share_a_key_so_only_one_can_happen() {
        let paid = Movement::withdrawal_paid(id(6), id(5), Money::from_fen(1));
        let returned = Movement::withdrawal_returned(id(6), id(5), Money::from_fen(1));
        assert_eq!(paid.idempotency_key, returned.idempotency_key);
    }

    #[test]
    fn agreed_terms_top_up_or_refund_the_difference_once_per_task() {
        let higher = Movement::agreed_terms(id(3), id(2), Money::from_fen(100_000), Money::from_fen(120_000)).unwrap();
        assert_eq!(higher.kind, MovementKind::EscrowFund);
        assert_eq!(higher.entries, vec![(Account::Available(id(2)), -20_000), (Account::Escrow(id(3)), 20_000)]);
        let lower = Movement::agreed_terms(id(3), id(2), Money::from_fen(100_000), Money::from_fen(50_000)).unwrap();
        assert_eq!(lower.kind, MovementKind::EscrowRefund);
        assert_eq!(lower.entries, vec![(Account::Available(id(2)), 50_000), (Account::Escrow(id(3)), -50_000)]);
        assert!(higher.is_balanced() && lower.is_balanced());
        assert_eq!(higher.idempotency_key, lower.idempotency_key, "one agreement per task");
        assert_eq!((higher.task, higher.milestone), (Some(id(3)), None));
        assert_eq!(Movement::agreed_terms(id(3), id(2), Money::from_fen(7), Money::from_fen(7)), None);
    }

    #[test]
    fn a_raise_after_the_choice_is_keyed_apart_from_one_before() {
        let (from, to) = (Money::from_fen(10_000), Money::from_fen(12_000));
        let before = Movement::raise_escrow(id(3), id(4), id(2), from, to, false);
        let after = Movement::raise_escrow(id(3), id(4), id(2), from, to, true);
        assert_ne!(before.idempotency_key, after.idempotency_key);
        assert_eq!(before.entries, after.entries);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [MovementKind::Deposit, MovementKind::DisputeSplit, MovementKind::WithdrawalReturned] {
            assert_eq!(MovementKind::parse(kind.as_str()), Some(kind));
        }
    }
}
