//! `/invitations`: a developer's invitations to apply, newest first, each applied to or declined in
//! one click while it waits. Applying is the usual application (the merchant answers within 48 hours).

use crate::{
    api::{
        invitations::{my_invitations, DeclineInvitationFn},
        tasks::ApplyFn,
    },
    components::{
        errors::{ErrorPanel, FormAlert},
        invite::invitation_status,
        money::StatusBadge,
        style::{CARD, PRIMARY, SECONDARY},
    },
    i18n::*,
    views::invitations::InvitationView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let apply = ServerAction::<ApplyFn>::new();
    let decline = ServerAction::<DeclineInvitationFn>::new();
    let invitations = Resource::new(|| (), |_| my_invitations());
    // A plain string: leptos_axum reads the title after the page's owner may be gone.
    let title = td_string!(i18n.get_locale_untracked(), invitations_title).to_string();
    view! {
        <Title text=title />
        <div class="mx-auto max-w-3xl">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, invitations_title)}</h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, invitations_hint)}</p>
            <div class="mt-3 space-y-2">
                <FormAlert error=Signal::derive(move || apply.value().get().and_then(Result::err)) />
                <FormAlert error=Signal::derive(move || decline.value().get().and_then(Result::err)) />
            </div>
            <Transition fallback=|| view! { <div class="mt-4 h-48 animate-pulse rounded-xl bg-white"></div> }>
                {move || Suspend::new(async move {
                    match invitations.await {
                        Ok(list) if list.is_empty() => view! {
                            <div class="mt-4 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center text-sm text-slate-500" data-testid="invitations-empty">
                                {t!(i18n, invitations_empty)}
                            </div>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class=format!("{CARD} mt-4 divide-y divide-slate-100 !py-1") data-testid="invitations">
                                {list.into_iter().map(|invitation| view! { <InvitationLine invitation apply decline /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn InvitationLine(
    invitation: InvitationView,
    apply: ServerAction<ApplyFn>,
    decline: ServerAction<DeclineInvitationFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let InvitationView { id, task_id, task_title, reward, merchant_name, note, status, created_at, answerable, .. } =
        invitation;
    let (_, tone) = invitation_status(i18n, status);
    view! {
        <li class="py-3" data-testid="invitation">
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="min-w-0">
                    <A href=format!("/tasks/{task_id}") attr:class="font-medium text-slate-900 hover:text-blue-700">{task_title}</A>
                    <div class="mt-0.5 text-xs text-slate-500">
                        {move || t_string!(i18n, invitation_from, merchant = merchant_name.clone(), date = created_at.clone())}
                        " · "
                        <span class="font-medium text-orange-700">{reward.display_yuan()}</span>
                    </div>
                </div>
                <StatusBadge label=Signal::derive(move || invitation_status(i18n, status).0.to_string()) tone />
            </div>
            {(!note.is_empty()).then(|| view! {
                <p class="mt-1 whitespace-pre-wrap break-words text-sm text-slate-700">{note}</p>
            })}
            {answerable.then(|| view! {
                <div class="mt-2 flex flex-wrap gap-2">
                    <ActionForm action=apply>
                        <input type="hidden" name="task" value=task_id.to_string() />
                        <input type="hidden" name="pitch" value="" />
                        <button type="submit" class=format!("{PRIMARY} whitespace-nowrap") data-testid="invitation-apply">
                            {t!(i18n, action_apply)}
                        </button>
                    </ActionForm>
                    <ActionForm action=decline>
                        <input type="hidden" name="invitation" value=id.to_string() />
                        <button type="submit" class=format!("{SECONDARY} whitespace-nowrap") data-testid="invitation-decline">
                            {t!(i18n, action_decline_invitation)}
                        </button>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}
