//! The owner's paid promotion of an open task.

use super::{error_of, Actions};
use crate::{
    components::{
        errors::FormAlert,
        style::{CARD, PRIMARY},
    },
    domain::membership::{PromotionKind, PROMOTION_OFFERS},
    i18n::*,
    views::membership::PromotionView,
};
use leptos::prelude::*;
use uuid::Uuid;

/// The owner's paid promotion of an open task: what runs now, and the offers, each labelled in the
/// hall as paid placement. Ending early (the task leaves the hall) refunds the unused whole days.
#[component]
pub(super) fn PromotionPanel(task: Uuid, promotions: Vec<PromotionView>, key: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let error = error_of(actions.promote);
    let kind_label = move |kind: PromotionKind| match kind {
        PromotionKind::Pin => t_string!(i18n, promotion_pin),
        PromotionKind::Urgent => t_string!(i18n, promotion_urgent),
    };
    view! {
        <section class=CARD data-testid="promotion">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, promotion_title)}</h2>
            <ul class="mt-2 space-y-1 text-sm">
                {promotions
                    .into_iter()
                    .map(|p| view! {
                        <li class="flex justify-between gap-2 rounded-md bg-amber-50 px-2 py-1 text-amber-900" data-testid="promotion-running">
                            <span>{move || kind_label(p.kind)}</span>
                            <span class="text-xs tabular-nums">{t_string!(i18n, promotion_until, date = p.ends_at.clone())}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {key.map(|key| view! {
                <ActionForm action=actions.promote attr:class="mt-3 space-y-2">
                    <input type="hidden" name="task" value=task.to_string() />
                    <input type="hidden" name="key" value=key.to_string() />
                    {PROMOTION_OFFERS
                        .into_iter()
                        .enumerate()
                        .map(|(n, offer)| {
                            let value = format!("{}:{}", offer.kind.as_str(), offer.days);
                            view! {
                                <label class="flex cursor-pointer items-center justify-between gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50">
                                    <span class="flex items-center gap-2">
                                        <input type="radio" name="offer" value=value checked=n == 0 class="h-4 w-4" />
                                        {move || kind_label(offer.kind)} " · "
                                        {move || t_string!(i18n, promotion_days, n = offer.days)}
                                    </span>
                                    <span class="font-medium tabular-nums text-orange-700">{offer.price.display_yuan()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="promote">{t!(i18n, promotion_buy)}</button>
                    <FormAlert error />
                    <p class="text-xs text-slate-500">{t!(i18n, promotion_rule)}</p>
                </ActionForm>
            })}
        </section>
    }
}
