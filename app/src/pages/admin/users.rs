//! The users screen: search, suspend, adjust points, invite mentors.

use super::{loading, moderation::SuspendForm, AdminShell};
use crate::{
    api::{
        console::{admin_users, AdjustPointsFn},
        moderation::SuspendUserFn,
        trust::LiftRestrictionFn,
    },
    components::{
        errors::{field_message, restriction_text, ErrorPanel, FormAlert},
        style::{CARD, INPUT, SECONDARY},
    },
    domain::validation::Field,
    i18n::*,
    views::console::AdminUser,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Form, A},
    hooks::use_query_map,
};

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let suspend = ServerAction::<SuspendUserFn>::new();
    let adjust = ServerAction::<AdjustPointsFn>::new();
    let lift = ServerAction::<LiftRestrictionFn>::new();
    let invite = ServerAction::<crate::api::contests::InviteMentorFn>::new();
    let users = Resource::new(move || query.read().get("q").unwrap_or_default(), admin_users);
    let errors = Signal::derive(move || {
        suspend.value().get().and_then(Result::err).or_else(|| adjust.value().get().and_then(Result::err))
    });
    view! {
        <AdminShell active="users">
            <Form method="GET" action="" attr:class="mb-4 flex gap-2">
                <input name="q" class=INPUT value=move || query.read().get("q").unwrap_or_default() placeholder=move || t_string!(i18n, admin_user_search) aria-label=move || t_string!(i18n, admin_user_search) />
                <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap")>{t!(i18n, action_search)}</button>
            </Form>
            <FormAlert error=errors />
            <p class="mb-2 text-xs text-red-600">{move || field_message(i18n, errors.get().as_ref(), Field::Points)}{move || field_message(i18n, errors.get().as_ref(), Field::Reason)}</p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) if list.is_empty() => view! { <p class=format!("{CARD} text-sm text-slate-500")>{t!(i18n, admin_users_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="space-y-3" data-testid="admin-users">
                                {list.into_iter().map(|user| view! { <UserRow user suspend adjust lift invite /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

#[component]
fn UserRow(
    user: AdminUser,
    suspend: ServerAction<SuspendUserFn>,
    adjust: ServerAction<AdjustPointsFn>,
    lift: ServerAction<LiftRestrictionFn>,
    invite: ServerAction<crate::api::contests::InviteMentorFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.to_string();
    let invited = user.invited_mentor;
    let invite_id = id.clone();
    let is_developer = user.role == "developer";
    let restriction = user.restriction.clone();
    view! {
        <li class=CARD data-testid="admin-user">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                    <span class="font-medium text-slate-900">{user.display_name.clone()}</span>
                    <span class="ml-2 text-xs text-slate-500">{format!("{} · {} · {}", user.email, user.role, user.joined)}</span>
                </div>
                <div class="text-sm tabular-nums text-slate-700">
                    {user.level.clone().map(|l| format!("{l} · "))}
                    {is_developer.then(|| format!("{} · ", t_string!(i18n, admin_points_label, points = user.growth_points)))}
                    {user.available.display_yuan()}
                </div>
            </div>
            {user.handle.clone().map(|h| view! { <A href=format!("/u/{h}") attr:class="text-xs text-blue-700">{format!("/u/{h}")}</A> })}
            {restriction.map(|r| {
                let user_id = id.clone();
                view! {
                    <div class="mt-2 flex flex-wrap items-center gap-2 rounded-lg bg-amber-50 p-2 text-sm text-amber-800" data-testid="user-restricted">
                        <span>{move || restriction_text(i18n, r.reason, &r.until)}</span>
                        <ActionForm action=lift>
                            <input type="hidden" name="user" value=user_id />
                            <button type="submit" class=SECONDARY>{t!(i18n, action_lift_restriction)}</button>
                        </ActionForm>
                    </div>
                }
            })}
            <div class="mt-3 flex flex-col gap-2 sm:flex-row">
                {(user.role != "admin").then(|| view! { <SuspendForm user=id.clone() suspend /> })}
                {is_developer.then(|| view! {
                    <ActionForm action=adjust attr:class="flex flex-wrap gap-2">
                        <input type="hidden" name="user" value=id.clone() />
                        <input name="points" inputmode="numeric" class=format!("{INPUT} w-24") placeholder="+50" aria-label=move || t_string!(i18n, admin_adjust_points) />
                        <input name="reason" class=format!("{INPUT} min-w-[10rem] flex-1") placeholder=move || t_string!(i18n, admin_adjust_reason) aria-label=move || t_string!(i18n, admin_adjust_reason) />
                        <button type="submit" class=SECONDARY>{t!(i18n, action_adjust_points)}</button>
                    </ActionForm>
                })}
                {(user.role != "admin").then(|| view! {
                    <ActionForm action=invite>
                        <input type="hidden" name="user" value=invite_id />
                        <input type="hidden" name="invited" value=(!invited).to_string() />
                        <button type="submit" class=SECONDARY data-testid="invite-mentor">
                            {move || if invited { t_string!(i18n, admin_uninvite_mentor) } else { t_string!(i18n, admin_invite_mentor) }}
                        </button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
