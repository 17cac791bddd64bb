//! Withdrawing an application (撤回申请): the developer takes it back while the merchant has not
//! answered. Afterwards it no longer waits for an answer, so it leaves the developer's
//! open-application cap and the merchant's 48-hour response rate.

use super::{ApplicationStatus, Party, Refusal, Viewer};

/// What withdrawing makes of an application `by` someone: only its own developer, only while it
/// waits. Once the merchant chose, declined or let it expire, the answer stands.
pub fn withdraw(status: ApplicationStatus, by: Party) -> Result<ApplicationStatus, Refusal> {
    if by != Party::Developer {
        return Err(Refusal::NotYourTurn);
    }
    match status {
        ApplicationStatus::Pending => Ok(ApplicationStatus::Withdrawn),
        _ => Err(Refusal::NotWithdrawable),
    }
}

/// Whether the page offers `viewer` to withdraw their own application (`my_application` is only
/// ever the viewer's own). The chosen developer's application is accepted, so never offered.
pub fn may_withdraw_application(viewer: Viewer, application: ApplicationStatus) -> bool {
    matches!(viewer, Viewer::OtherDeveloper | Viewer::Developer) && withdraw(application, Party::Developer).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as A;

    const STATUSES: [A; 5] = [A::Pending, A::Accepted, A::Declined, A::Expired, A::Withdrawn];

    #[test]
    fn only_a_waiting_application_is_withdrawn_and_only_by_its_developer() {
        for status in STATUSES {
            let expected = if status == A::Pending { Ok(A::Withdrawn) } else { Err(Refusal::NotWithdrawable) };
            assert_eq!(withdraw(status, Party::Developer), expected, "{status:?}");
            for other in [Party::Merchant, Party::Admin, Party::System] {
                assert_eq!(withdraw(status, other), Err(Refusal::NotYourTurn), "{status:?} by {other:?}");
            }
        }
    }

    #[test]
    fn the_page_offers_withdrawing_exactly_when_the_server_allows_it() {
        let viewers = [
            Viewer::Anonymous,
            Viewer::Owner,
            Viewer::Developer,
            Viewer::OtherDeveloper,
            Viewer::OtherMerchant,
            Viewer::Admin,
        ];
        for viewer in viewers {
            for status in STATUSES {
                let developer = matches!(viewer, Viewer::Developer | Viewer::OtherDeveloper);
                assert_eq!(
                    may_withdraw_application(viewer, status),
                    developer && status == A::Pending,
                    "{viewer:?} {status:?}"
                );
            }
        }
    }

    #[test]
    fn a_withdrawn_application_is_not_answered_by_the_merchant() {
        use super::super::{may_answer_application, TaskStatus};
        assert!(!may_answer_application(Viewer::Owner, TaskStatus::Open, A::Withdrawn));
        assert_eq!(A::parse(A::Withdrawn.as_str()), Some(A::Withdrawn));
    }
}
