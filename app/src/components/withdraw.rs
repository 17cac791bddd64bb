//! Withdrawing one's own application (撤回投递), from the task page and from "my tasks".

use crate::{
    api::invitations::WithdrawApplicationFn,
    components::{errors::FormAlert, style::DANGER},
    i18n::*,
};
use leptos::prelude::*;
use uuid::Uuid;

/// The button that withdraws the signed-in developer's application to `task`. The caller shows it
/// where `domain::lifecycle::may_withdraw_application` allows; `hint` adds what withdrawing means.
#[component]
pub fn WithdrawApplication(task: Uuid, #[prop(default = true)] hint: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<WithdrawApplicationFn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="space-y-1">
            <input type="hidden" name="task" value=task.to_string() />
            <button type="submit" class=format!("{DANGER} whitespace-nowrap") data-testid="withdraw-application">
                {t!(i18n, action_withdraw_application)}
            </button>
            {hint.then(|| view! { <p class="text-xs text-slate-500">{t!(i18n, withdraw_hint)}</p> })}
            <FormAlert error />
        </ActionForm>
    }
}
