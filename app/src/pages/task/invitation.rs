//! The invited developer's banner: the merchant's invitation and note, with 投递 and 婉拒 in one click.

use super::{error_of, Actions};
use crate::{
    api::invitations::DeclineInvitationFn,
    components::{
        errors::FormAlert,
        style::{PRIMARY, SECONDARY},
    },
    domain::{invitations::InvitationStatus, lifecycle::TaskOffers},
    i18n::*,
    views::tasks::TaskDetail,
};
use leptos::prelude::*;

/// Shown while the invitation waits for an answer (`InvitationView::answerable`), and a line once
/// it was declined. 投递 is the usual application with an empty pitch (the apply form beside it
/// takes one); it is offered where the apply form is: the viewer may apply and has not.
#[component]
pub(super) fn InvitationBanner(task: TaskDetail, offers: TaskOffers) -> impl IntoView {
    let i18n = use_i18n();
    let Some(invitation) = task.my_invitation else { return ().into_any() };
    if invitation.status == InvitationStatus::Declined {
        return view! {
            <p class="rounded-lg bg-slate-100 px-3 py-2 text-sm text-slate-600" data-testid="invitation-declined">
                {t!(i18n, invitation_declined_banner)}
            </p>
        }
        .into_any();
    }
    if !invitation.answerable {
        return ().into_any();
    }
    let actions = expect_context::<Actions>();
    let decline = ServerAction::<DeclineInvitationFn>::new();
    let unlocked = task.viewer_level.is_none_or(|mine| mine.unlocks(task.min_level));
    let apply_offered = offers.apply && task.my_application.is_none() && task.viewer_restriction.is_none() && unlocked;
    let merchant = invitation.merchant_name.clone();
    let note = invitation.note.clone();
    view! {
        <section class="rounded-xl border border-blue-200 bg-blue-50 p-4" data-testid="invitation-banner">
            <p class="text-sm font-semibold text-blue-900">
                {move || t_string!(i18n, invitation_banner_title, merchant = merchant.clone())}
            </p>
            {(!note.is_empty()).then(|| view! {
                <p class="mt-1 whitespace-pre-wrap break-words text-sm text-slate-700" data-testid="invitation-note">{note}</p>
            })}
            {apply_offered.then(|| view! { <p class="mt-1 text-xs text-blue-800">{t!(i18n, invitation_banner_hint)}</p> })}
            <div class="mt-3 flex flex-wrap gap-2">
                {apply_offered.then(|| view! {
                    <ActionForm action=actions.apply>
                        <input type="hidden" name="task" value=task.id.to_string() />
                        <input type="hidden" name="pitch" value="" />
                        <button type="submit" class=format!("{PRIMARY} whitespace-nowrap") data-testid="invitation-apply">
                            {t!(i18n, action_apply)}
                        </button>
                    </ActionForm>
                })}
                <ActionForm action=decline>
                    <input type="hidden" name="invitation" value=invitation.id.to_string() />
                    <button type="submit" class=format!("{SECONDARY} whitespace-nowrap") data-testid="invitation-decline">
                        {t!(i18n, action_decline_invitation)}
                    </button>
                </ActionForm>
            </div>
            <FormAlert error=error_of(decline) />
        </section>
    }
    .into_any()
}
