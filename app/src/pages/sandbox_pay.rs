//! The sandbox payment provider's checkout page. A real provider (WeChat Pay, Alipay) shows its own;
//! this one is served by the app so the demo and the tests can pay without leaving it. It is marked
//! clearly as a sandbox: nothing here moves real money.

use crate::{
    api::wallet::{sandbox_order, SandboxPayFn},
    components::{
        errors::{ErrorPanel, FormAlert},
        style::{CARD, PRIMARY, SECONDARY},
    },
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn SandboxPayPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order_id = move || params.read().get("order").and_then(|s| Uuid::parse_str(&s).ok());
    let order = Resource::new(order_id, |id| async move {
        match id {
            Some(id) => sandbox_order(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let pay = ServerAction::<SandboxPayFn>::new();
    let error = Signal::derive(move || pay.value().get().and_then(Result::err));
    view! {
        <div class="mx-auto max-w-sm">
            <Suspense fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(order) => {
                            let (confirm_id, abandon_id) = (order.id.to_string(), order.id.to_string());
                            view! {
                                <div class=format!("{CARD} space-y-4 text-center")>
                                    <div class="inline-flex rounded-full bg-amber-50 px-3 py-1 text-xs font-medium text-amber-800">
                                        {t!(i18n, sandbox_badge)}
                                    </div>
                                    <div class="text-sm text-slate-500">{t!(i18n, sandbox_pay_to)}</div>
                                    <div class="text-4xl font-bold tabular-nums text-slate-900" data-testid="sandbox-amount">
                                        {order.amount.display_yuan()}
                                    </div>
                                    {if order.paid {
                                        view! { <p class="text-sm text-emerald-700">{t!(i18n, sandbox_already_paid)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=pay>
                                                <input type="hidden" name="order" value=confirm_id />
                                                <input type="hidden" name="confirm" value="true" />
                                                <button type="submit" class=format!("{PRIMARY} w-full bg-emerald-600 hover:bg-emerald-700") data-testid="sandbox-confirm">
                                                    {t!(i18n, sandbox_confirm)}
                                                </button>
                                            </ActionForm>
                                            <ActionForm action=pay>
                                                <input type="hidden" name="order" value=abandon_id />
                                                <input type="hidden" name="confirm" value="false" />
                                                <button type="submit" class=format!("{SECONDARY} w-full")>
                                                    {t!(i18n, sandbox_abandon)}
                                                </button>
                                            </ActionForm>
                                        }
                                            .into_any()
                                    }}
                                    <FormAlert error />
                                    <p class="text-xs text-slate-500">{t!(i18n, sandbox_explainer)}</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
