//! A user's statement (资金流水), the way a bank app shows one: newest first, filtered by what the
//! money was for and by China-time dates, paged by a cursor in the URL (`?before=<movement>` for
//! older lines, `?after=<movement>` for newer ones), so every view has an address and works with
//! JavaScript off. The lines themselves (running balance, payout figures) come from the ledger's
//! entries in SQL (`db::ledger::statement`); this module holds what is decided without I/O.

use super::{
    fees::{percent_label, CommissionRate, PayoutSplit},
    ledger::MovementKind,
    money::Money,
    tasks::is_calendar_date,
    url_query::{query_string, UrlQuery},
    validation::{Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// Lines on one page of the wallet.
pub const STATEMENT_PAGE_SIZE: i64 = 20;

/// What a movement was for, as the filter offers it. A dispute settlement is income for the task's
/// developer and a refund for its merchant, so it belongs to the group of the side reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindGroup {
    /// 充值
    Deposit,
    /// 提现: the request, the payout and a failed payout's return.
    Withdrawal,
    /// 托管: a task's reward (or a challenge's prize) set aside from the balance.
    Escrow,
    /// 收入: task payouts, a dispute's share for the developer, challenge prizes.
    Income,
    /// 退款: escrow, purchase and prize money coming back, a dispute's remainder for the merchant.
    Refund,
    /// 会员/购买: memberships and task promotion paid from the balance.
    Purchase,
}

impl KindGroup {
    pub const ALL: [KindGroup; 6] = [
        KindGroup::Deposit,
        KindGroup::Withdrawal,
        KindGroup::Escrow,
        KindGroup::Income,
        KindGroup::Refund,
        KindGroup::Purchase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KindGroup::Deposit => "deposit",
            KindGroup::Withdrawal => "withdrawal",
            KindGroup::Escrow => "escrow",
            KindGroup::Income => "income",
            KindGroup::Refund => "refund",
            KindGroup::Purchase => "purchase",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        KindGroup::ALL.into_iter().find(|group| group.as_str() == text)
    }

    /// The movement kinds the group lists (a dispute settlement only on the side given by
    /// `dispute_payee`).
    pub fn kinds(self) -> &'static [MovementKind] {
        use MovementKind::*;
        match self {
            KindGroup::Deposit => &[Deposit],
            KindGroup::Withdrawal => &[WithdrawalHold, WithdrawalPaid, WithdrawalReturned],
            KindGroup::Escrow => &[EscrowFund, PrizeFund],
            KindGroup::Income => &[EscrowRelease, DisputeSplit, PrizeAward],
            KindGroup::Refund => &[EscrowRefund, DisputeSplit, PurchaseRefund, PrizeRefund],
            KindGroup::Purchase => &[Purchase],
        }
    }

    /// For a dispute settlement in this group: whether the reader must be the task's developer
    /// (its payee) or must not be. None when the group has no dispute settlements.
    pub fn dispute_payee(self) -> Option<bool> {
        match self {
            KindGroup::Income => Some(true),
            KindGroup::Refund => Some(false),
            _ => None,
        }
    }

    /// The group of one line: its kind, and whether the reader was paid as the task's developer.
    pub fn of(kind: MovementKind, payee: bool) -> Self {
        use MovementKind::*;
        match kind {
            Deposit => KindGroup::Deposit,
            WithdrawalHold | WithdrawalPaid | WithdrawalReturned => KindGroup::Withdrawal,
            EscrowFund | PrizeFund => KindGroup::Escrow,
            EscrowRelease | PrizeAward => KindGroup::Income,
            DisputeSplit if payee => KindGroup::Income,
            DisputeSplit | EscrowRefund | PurchaseRefund | PrizeRefund => KindGroup::Refund,
            Purchase => KindGroup::Purchase,
        }
    }
}

/// Which page of the statement: the newest, the lines older than a movement, or newer than one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Seek {
    #[default]
    Newest,
    Before(i64),
    After(i64),
}

/// A statement request as the URL carries it. The dates stay as typed, so a bad one can be shown
/// back in its field with the problem under it; `validate` turns it into a `StatementFilter`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct StatementQuery {
    pub kind: Option<KindGroup>,
    /// First day, China time, "YYYY-MM-DD" (empty: from the start).
    pub from: String,
    /// Last day included, China time (empty: up to now).
    pub to: String,
    /// The page: lines older than this movement (wins over `after`), or newer than this one.
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// The longest date text kept from a URL; anything longer is not a date anyway.
const MAX_DATE_CHARS: usize = 20;

impl UrlQuery for StatementQuery {
    const SINGLE_KEYS: &'static [&'static str] = &["kind", "from", "to", "before", "after"];

    /// An unknown kind or a cursor that is not a number is no filter (a hand-edited URL is not an
    /// error); dates are kept as typed.
    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = StatementQuery::default();
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "kind" => query.kind = KindGroup::parse(value),
                "from" => query.from = value.chars().take(MAX_DATE_CHARS).collect(),
                "to" => query.to = value.chars().take(MAX_DATE_CHARS).collect(),
                "before" => query.before = value.parse::<i64>().ok().filter(|id| *id > 0),
                "after" => query.after = value.parse::<i64>().ok().filter(|id| *id > 0),
                _ => {}
            }
        }
        query.with_seek(query.seek())
    }

    fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(kind) = self.kind {
            pairs.push(("kind", kind.as_str().to_string()));
        }
        if !self.from.is_empty() {
            pairs.push(("from", self.from.clone()));
        }
        if !self.to.is_empty() {
            pairs.push(("to", self.to.clone()));
        }
        match self.seek() {
            Seek::Newest => {}
            Seek::Before(id) => pairs.push(("before", id.to_string())),
            Seek::After(id) => pairs.push(("after", id.to_string())),
        }
        query_string(&pairs)
    }
}

impl StatementQuery {
    /// Which page: older than `before`, else newer than `after`, else the newest.
    pub fn seek(&self) -> Seek {
        match (self.before, self.after) {
            (Some(id), _) => Seek::Before(id),
            (None, Some(id)) => Seek::After(id),
            (None, None) => Seek::Newest,
        }
    }

    /// The same filters at another page.
    pub fn with_seek(&self, seek: Seek) -> Self {
        let (before, after) = match seek {
            Seek::Newest => (None, None),
            Seek::Before(id) => (Some(id), None),
            Seek::After(id) => (None, Some(id)),
        };
        StatementQuery { before, after, ..self.clone() }
    }

    /// Whether a kind or a date narrows the statement.
    pub fn has_filters(&self) -> bool {
        self.kind.is_some() || !self.from.is_empty() || !self.to.is_empty()
    }

    /// The checked filter: each date a real day ("2026-03-01"; "2026/3/1" is read the same), and the
    /// first day not after the last. Field errors: `EffectiveFrom` (from) and `EndDate` (to) with
    /// `InvalidDate`, and `EndDate` with `NotAllowed` when the range is reversed.
    pub fn validate(&self) -> Result<StatementFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut day = |field: Field, text: &str| match text.trim() {
            "" => None,
            text => {
                let day = canonical_day(text);
                if day.is_none() {
                    errors.push(FieldError::new(field, Problem::InvalidDate));
                }
                day
            }
        };
        let from = day(Field::EffectiveFrom, &self.from);
        let to = day(Field::EndDate, &self.to);
        if let (Some(from), Some(to)) = (&from, &to) {
            // Canonical "YYYY-MM-DD" texts order like the days they name.
            if from > to {
                errors.push(FieldError::new(Field::EndDate, Problem::NotAllowed));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(StatementFilter { kind: self.kind, from, to, seek: self.seek() })
    }
}

/// A checked statement request: dates are canonical "YYYY-MM-DD" days in China time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementFilter {
    pub kind: Option<KindGroup>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub seek: Seek,
}

impl StatementFilter {
    /// The movement kinds listed (None: all).
    pub fn kind_names(&self) -> Option<Vec<&'static str>> {
        self.kind.map(|group| group.kinds().iter().map(|kind| kind.as_str()).collect())
    }
}

/// "YYYY-MM-DD" for a typed day: dashes, slashes or dots between the parts, one- or two-digit
/// month and day. None unless it names a real day (2000–2100).
pub fn canonical_day(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let [year, month, day] = parts.as_slice() else { return None };
    let number = |s: &str, max_len: usize| -> Option<u32> {
        let digits = !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit());
        if digits {
            s.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
    let canonical = format!("{year:04}-{month:02}-{day:02}");
    is_calendar_date(&canonical).then_some(canonical)
}

/// A payout line itemised: what the work paid (gross), the platform's commission and at what rate,
/// and what reached the balance. Every figure comes from the payout movement's own entries: the
/// developer's credit and the commission account's, posted together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutItems {
    pub gross: Money,
    pub commission: Money,
    pub received: Money,
    /// commission / gross in basis points (1000 = 10 %).
    pub rate_bps: u32,
}

impl PayoutItems {
    /// From a payout movement's entries: `received` (the developer's available account) and
    /// `commission` (the commission account). `recorded_bps` is the rate stored with the milestone
    /// when it was paid; it is the rate shown when it reproduces this commission (the commission is
    /// rounded down to the fen, so commission / gross alone reads 9.68 % for 10 % of ¥1.55).
    /// Otherwise the rate is commission / gross, to the nearest basis point.
    pub fn from_entries(received: Money, commission: Money, recorded_bps: Option<u32>) -> Self {
        let gross = Money::from_fen(received.fen() + commission.fen());
        let recorded = recorded_bps
            .and_then(CommissionRate::from_bps)
            .filter(|rate| PayoutSplit::of(gross, *rate).commission == commission)
            .map(CommissionRate::bps);
        let rate_bps = recorded.unwrap_or_else(|| {
            if gross.fen() <= 0 {
                0
            } else {
                let (c, g) = (commission.fen() as i128, gross.fen() as i128);
                ((c * 10_000 * 2 + g) / (2 * g)) as u32
            }
        });
        PayoutItems { gross, commission, received, rate_bps }
    }

    /// "10%", "12.5%", "8.75%".
    pub fn rate_label(&self) -> String {
        percent_label(self.rate_bps)
    }
}

/// Signed yuan with two decimals and no grouping, the way a spreadsheet reads a number:
/// "-0.50", "1234.00". (`Money::plain_yuan` drops the sign of amounts under one yuan.)
pub fn signed_plain_yuan(amount: Money) -> String {
    let sign = if amount.fen() < 0 { "-" } else { "" };
    let abs = amount.fen().unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> StatementQuery {
        StatementQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn every_kind_is_in_exactly_the_group_it_is_shown_under() {
        use MovementKind::*;
        for kind in MovementKind::ALL {
            for payee in [true, false] {
                let group = KindGroup::of(kind, payee);
                let listed_in: Vec<KindGroup> = KindGroup::ALL
                    .into_iter()
                    .filter(|g| g.kinds().contains(&kind) && (kind != DisputeSplit || g.dispute_payee() == Some(payee)))
                    .collect();
                assert_eq!(listed_in, vec![group], "{kind:?} payee={payee}");
            }
        }
        assert_eq!(KindGroup::of(DisputeSplit, true), KindGroup::Income);
        assert_eq!(KindGroup::of(DisputeSplit, false), KindGroup::Refund);
    }

    #[test]
    fn the_url_round_trips_and_bad_values_are_no_filter() {
        let q = query(&[("kind", "income"), ("from", "2026-01-01"), ("to", " 2026-03-31 "), ("before", "42")]);
        assert_eq!(q.kind, Some(KindGroup::Income));
        assert_eq!(q.seek(), Seek::Before(42));
        assert_eq!(q.to_query_string(), "kind=income&from=2026-01-01&to=2026-03-31&before=42");
        let again = StatementQuery::from_pairs(
            q.to_query_string().split('&').map(|pair| pair.split_once('=').unwrap()).collect::<Vec<_>>(),
        );
        assert_eq!(again, q);
        let odd = query(&[("kind", "bitcoin"), ("before", "abc"), ("after", "-3")]);
        assert_eq!(odd, StatementQuery::default());
        assert_eq!(odd.to_query_string(), "");
        assert_eq!(query(&[("after", "7")]).seek(), Seek::After(7));
        let both = query(&[("after", "7"), ("before", "9")]);
        assert_eq!((both.seek(), both.after), (Seek::Before(9), None), "older wins");
        assert_eq!(q.with_seek(Seek::After(3)).to_query_string(), "kind=income&from=2026-01-01&to=2026-03-31&after=3");
    }

    #[test]
    fn dates_are_real_days_in_order() {
        let ok = query(&[("from", "2026/3/1"), ("to", "2026-03-31")]).validate().unwrap();
        assert_eq!((ok.from.as_deref(), ok.to.as_deref()), (Some("2026-03-01"), Some("2026-03-31")));
        assert_eq!(query(&[("from", "2026-03-31"), ("to", "2026-03-31")]).validate().unwrap().seek, Seek::Newest);
        assert_eq!(query(&[]).validate().unwrap(), StatementFilter::default());
        assert_eq!(
            query(&[("from", "2026-02-30")]).validate(),
            Err(vec![FieldError::new(Field::EffectiveFrom, Problem::InvalidDate)])
        );
        assert_eq!(
            query(&[("from", "yesterday"), ("to", "2026-13-01")]).validate(),
            Err(vec![
                FieldError::new(Field::EffectiveFrom, Problem::InvalidDate),
                FieldError::new(Field::EndDate, Problem::InvalidDate)
            ])
        );
        assert_eq!(
            query(&[("from", "2026-04-01"), ("to", "2026-03-31")]).validate(),
            Err(vec![FieldError::new(Field::EndDate, Problem::NotAllowed)])
        );
        for bad in ["2026-1", "20260101", "2026-01-01-01", "２０２６-01-01", "2026-001-01", "1999-12-31"] {
            assert_eq!(canonical_day(bad), None, "{bad}");
        }
        assert_eq!(canonical_day("2028-2-29").as_deref(), Some("2028-02-29"));
    }

    #[test]
    fn filters_name_their_movement_kinds() {
        let filter = query(&[("kind", "withdrawal")]).validate().unwrap();
        assert_eq!(filter.kind_names(), Some(vec!["withdrawal_hold", "withdrawal_paid", "withdrawal_returned"]));
        assert_eq!(StatementFilter::default().kind_names(), None);
    }

    #[test]
    fn payouts_itemise_from_their_entries() {
        let items = PayoutItems::from_entries(Money::from_fen(90_000), Money::from_fen(10_000), Some(1_000));
        assert_eq!((items.gross.fen(), items.rate_bps, items.rate_label()), (100_000, 1_000, "10%".to_string()));
        assert_eq!(items.gross.fen(), items.received.fen() + items.commission.fen());
        // 10 % of ¥1.55 is 15.5 fen, rounded down: the recorded rate explains it.
        let small = PayoutItems::from_entries(Money::from_fen(140), Money::from_fen(15), Some(1_000));
        assert_eq!(small.rate_label(), "10%");
        // Without a recorded rate (or one the figures contradict), commission / gross.
        let derived = PayoutItems::from_entries(Money::from_fen(140), Money::from_fen(15), None);
        assert_eq!((derived.rate_bps, derived.rate_label()), (968, "9.68%".to_string()));
        let contradicted = PayoutItems::from_entries(Money::from_fen(8_750), Money::from_fen(1_250), Some(1_000));
        assert_eq!(contradicted.rate_label(), "12.5%");
        let nothing = PayoutItems::from_entries(Money::from_fen(0), Money::from_fen(0), None);
        assert_eq!(nothing.rate_bps, 0);
    }

    #[test]
    fn amounts_for_spreadsheets_keep_their_sign() {
        assert_eq!(signed_plain_yuan(Money::from_fen(-50)), "-0.50");
        assert_eq!(signed_plain_yuan(Money::from_fen(123_456)), "1234.56");
        assert_eq!(signed_plain_yuan(Money::from_fen(0)), "0.00");
        assert_eq!(signed_plain_yuan(Money::from_fen(-100_000)), "-1000.00");
        assert_eq!(percent_label(875), "8.75%");
    }
}
