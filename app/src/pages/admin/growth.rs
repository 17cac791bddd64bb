//! The growth configuration screen: level thresholds and weights (with a preview), challenges,
//! badges and the points mall's prices.

use super::{challenges::ChallengesSection, AdminShell};
use crate::{
    api::{
        admin::{admin_badges, growth_rules_editor, CreateBadgeFn, SaveGrowthRulesFn},
        console::{admin_challenges, CreateChallengeFn, SetChallengeActiveFn},
    },
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, ErrorLine, LabelAround, LabelOver, SMALL_LABEL, SMALL_LABEL_AROUND},
        style::{CARD, INPUT, PRIMARY, SECONDARY},
    },
    domain::{
        badges::{BadgeRule, RULE_KINDS},
        growth::Level,
        validation::Field,
    },
    error::AppError,
    i18n::*,
    views::admin::{AdminBadge, GrowthRulesEditor as GrowthRulesEditorData},
};
use leptos::prelude::*;

/// Growth configuration: level thresholds and weights (with a preview), challenges, badges. Each
/// form posts and the page is rendered again, so its three lists are read once per render.
#[component]
pub fn GrowthConfigPage() -> impl IntoView {
    let i18n = use_i18n();
    let create_challenge = ServerAction::<CreateChallengeFn>::new();
    let toggle_challenge = ServerAction::<SetChallengeActiveFn>::new();
    let create_badge = ServerAction::<CreateBadgeFn>::new();
    let config = Resource::new(
        || (),
        |_| async {
            Ok::<_, AppError>((growth_rules_editor().await?, admin_challenges().await?, admin_badges().await?))
        },
    );
    view! {
        <AdminShell active="growth">
            <Transition fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-slate-100"></div> }>
                {move || Suspend::new(async move {
                    match config.await {
                        Ok((editor, challenges, badges)) => view! {
                            <section class=CARD data-testid="admin-growth-rules">
                                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_growth_rules_title)}</h2>
                                <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_growth_rules_hint)}</p>
                                <GrowthRulesEditor editor />
                            </section>
                            <ChallengesSection list=challenges create=create_challenge toggle=toggle_challenge />
                            <BadgesSection badges create=create_badge />
                            <MallPrices />
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

/// The points mall's catalogue: each item's price in growth points and whether it is on sale.
#[component]
fn MallPrices() -> impl IntoView {
    use crate::{
        api::mall::{admin_mall_prices, SetMallPriceFn},
        pages::mall::item_name,
    };
    let i18n = use_i18n();
    let set = ServerAction::<SetMallPriceFn>::new();
    let catalogue = Resource::new(|| (), |_| admin_mall_prices());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let price_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Points));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-mall">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_mall_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_mall_hint)}</p>
            <FormAlert error />
            <ErrorLine message=price_message />
            <Transition fallback=|| view! { <div class="mt-3 h-32 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    catalogue.await.ok().map(|items| view! {
                        <div class="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                            {items.into_iter().map(|(item, terms)| view! {
                                <ActionForm action=set attr:class="space-y-2 rounded-lg border border-slate-200 p-3" attr:novalidate=true attr:data-testid=format!("mall-price-{}", item.slug())>
                                    <h3 class="text-sm font-semibold text-slate-900">{move || item_name(i18n, item)}</h3>
                                    <input type="hidden" name="item" value=item.slug() />
                                    <LabelAround label=label_text(|i| t_string!(i, admin_mall_price)) class=SMALL_LABEL_AROUND>
                                        <input name="price" inputmode="numeric" value=terms.price.to_string() class=format!("{INPUT} mt-1") />
                                    </LabelAround>
                                    <label class="flex items-center gap-2 text-xs text-slate-600">
                                        <input type="checkbox" name="on_sale" value="true" checked=terms.on_sale class="h-4 w-4 rounded border-slate-300" />
                                        {t!(i18n, admin_mall_on_sale)}
                                    </label>
                                    <LabelAround label=label_text(|i| t_string!(i, admin_change_reason)) class=SMALL_LABEL_AROUND>
                                        <input name="reason" class=format!("{INPUT} mt-1") />
                                    </LabelAround>
                                    <button type="submit" class=format!("{SECONDARY} w-full")>{t!(i18n, admin_mall_save)}</button>
                                </ActionForm>
                            }).collect_view()}
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

/// Badges are rules stored as data: the list with how many developers hold each, and a form that
/// makes a new one from a rule kind.
#[component]
fn BadgesSection(badges: Vec<AdminBadge>, create: ServerAction<CreateBadgeFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(()))));
    let input = move |name: &'static str, id: &'static str, label: String, field: Field, placeholder: &'static str| {
        let message = Signal::derive(move || field_message(i18n, error.get().as_ref(), field));
        view! {
            <LabelOver label id message error_testid=format!("{id}-error")>
                <input id=id name=name class=INPUT placeholder=placeholder />
            </LabelOver>
        }
    };
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-badges">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_badges_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_badges_hint)}</p>
            <div class="mt-4 grid gap-5 md:grid-cols-[1fr_20rem]">
                <ul class="divide-y divide-slate-100 text-sm" data-testid="badge-list">
                    {badges.into_iter().map(|badge| view! { <BadgeRow badge /> }).collect_view()}
                </ul>
                <ActionForm action=create attr:class="space-y-2" attr:novalidate=true>
                    {input("form[slug]", "badge-slug", t_string!(i18n, field_slug).to_string(), Field::Slug, "polyglot")}
                    <div class="grid grid-cols-2 gap-2">
                        {input("form[name_zh]", "badge-name-zh", t_string!(i18n, field_name_zh).to_string(), Field::NameZh, "多面手")}
                        {input("form[name_en]", "badge-name-en", t_string!(i18n, field_name_en).to_string(), Field::NameEn, "Polyglot")}
                    </div>
                    {input("form[description_zh]", "badge-description-zh", t_string!(i18n, field_description_zh).to_string(), Field::DescriptionZh, "")}
                    {input("form[description_en]", "badge-description-en", t_string!(i18n, field_description_en).to_string(), Field::DescriptionEn, "")}
                    <LabelOver label=label_text(|i| t_string!(i, field_rule_kind)) id="badge-kind">
                        <select id="badge-kind" name="form[kind]" class=INPUT>
                            {RULE_KINDS
                                .into_iter()
                                .map(|kind| view! { <option value=kind>{move || rule_kind_label(i18n, kind)}</option> })
                                .collect_view()}
                        </select>
                    </LabelOver>
                    <div class="grid grid-cols-3 gap-2">
                        {input("form[count]", "badge-count", t_string!(i18n, field_rule_count).to_string(), Field::Rule, "3")}
                        {input("form[threshold]", "badge-threshold", t_string!(i18n, field_rule_threshold).to_string(), Field::Rule, "")}
                        {input("form[growth_points]", "badge-points", t_string!(i18n, growth_points).to_string(), Field::Points, "50")}
                    </div>
                    <p class="text-xs text-slate-500">{t!(i18n, field_rule_hint)}</p>
                    <FormAlert error />
                    {move || created.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_badge_created)}</p> })}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="create-badge" disabled=move || create.pending().get()>
                        {t!(i18n, action_create_badge)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The growth engine's numbers: weights per difficulty and each level's thresholds, in a form
/// filled with the rules in force (or those just previewed), and what the last save or preview did.
#[component]
fn GrowthRulesEditor(editor: GrowthRulesEditorData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveGrowthRulesFn>::new();
    let GrowthRulesEditorData { form, outcome } = editor;
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move |field| Signal::derive(move || field_message(i18n, error.get().as_ref(), field));
    let number = move |name: String, id: String, value: String, label: Signal<String>| {
        view! {
            <LabelOver label id=id.clone() label_class=SMALL_LABEL>
                <input id=id name=name value=value inputmode="decimal" class=format!("{INPUT} tabular-nums") />
            </LabelOver>
        }
    };
    let weights = [
        ("skill_points_per_difficulty", form.skill_points_per_difficulty.clone(), Field::SkillPointsWeight),
        ("xp_per_difficulty", form.xp_per_difficulty.clone(), Field::XpWeight),
        ("check_in_points", form.check_in_points.clone(), Field::CheckInPoints),
    ];
    let levels = [
        (Level::B, "b", form.b.clone(), Field::LevelB),
        (Level::A, "a", form.a.clone(), Field::LevelA),
        (Level::S, "s", form.s.clone(), Field::LevelS),
    ];
    view! {
        <ActionForm action=save attr:class="mt-4 space-y-4" attr:novalidate=true>
            <div class="grid gap-3 sm:grid-cols-3">
                {weights
                    .into_iter()
                    .map(|(name, value, field)| {
                        let label = Signal::derive(move || match field {
                            Field::SkillPointsWeight => t_string!(i18n, field_skill_points_weight).to_string(),
                            Field::XpWeight => t_string!(i18n, field_xp_weight).to_string(),
                            _ => t_string!(i18n, field_check_in_points).to_string(),
                        });
                        view! {
                            <div>
                                {number(format!("form[{name}]"), format!("rules-{name}"), value, label)}
                                <ErrorLine message=message(field) testid=format!("rules-{name}-error") class="mt-1 text-xs text-red-600" />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="space-y-3">
                {levels
                    .into_iter()
                    .map(|(level, key, need, field)| {
                        view! {
                            <div class="rounded-lg border border-slate-100 p-3" data-testid=format!("rules-level-{key}")>
                                <div class="text-sm font-semibold text-slate-900">{level.as_str()}</div>
                                <div class="mt-2 grid grid-cols-3 gap-2">
                                    {number(format!("form[{key}][finished_tasks]"), format!("rules-{key}-tasks"), need.finished_tasks, Signal::derive(move || t_string!(i18n, field_level_tasks).to_string()))}
                                    {number(format!("form[{key}][average_rating]"), format!("rules-{key}-rating"), need.average_rating, Signal::derive(move || t_string!(i18n, field_level_rating).to_string()))}
                                    {number(format!("form[{key}][skill_breadth]"), format!("rules-{key}-skills"), need.skill_breadth, Signal::derive(move || t_string!(i18n, field_level_skills).to_string()))}
                                </div>
                                <ErrorLine message=message(field) testid=format!("rules-{key}-error") class="mt-1 text-xs text-red-600" />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="grid gap-3 sm:grid-cols-2 sm:items-end">
                <LabelOver label=label_text(|i| t_string!(i, admin_growth_rules_from)) id="rules-from" message=message(Field::EffectiveFrom) label_class=SMALL_LABEL>
                    <input id="rules-from" name="from" type="date" class=INPUT />
                </LabelOver>
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="preview" value="true" class="h-4 w-4 rounded border-slate-300" data-testid="rules-preview-only" />
                    {t!(i18n, admin_growth_rules_preview_only)}
                </label>
            </div>
            <FormAlert error />
            {outcome.map(|outcome| {
                let shift = outcome.shift.clone();
                view! {
                    <div class="rounded-lg bg-slate-50 p-3 text-sm text-slate-700" role="status" data-testid="rules-outcome">
                        <p class="font-medium">
                            {move || if outcome.saved {
                                t_string!(i18n, admin_growth_rules_saved, count = outcome.changed).to_string()
                            } else {
                                t_string!(i18n, admin_growth_rules_previewed).to_string()
                            }}
                        </p>
                        <p class="mt-1 whitespace-normal tabular-nums" data-testid="rules-shift">
                            {move || t_string!(i18n, admin_growth_rules_shift, up = shift.up, down = shift.down).to_string()}
                        </p>
                        <p class="mt-1 whitespace-normal text-xs tabular-nums text-slate-500">
                            {Level::ALL.into_iter().map(|level| format!("{} {} → {}", level.as_str(), shift.before[level as usize], shift.after[level as usize])).collect::<Vec<_>>().join(" · ")}
                        </p>
                    </div>
                }
            })}
            <button type="submit" class=PRIMARY data-testid="save-growth-rules">
                {t!(i18n, action_save_growth_rules)}
            </button>
        </ActionForm>
    }
}

#[component]
fn BadgeRow(badge: AdminBadge) -> impl IntoView {
    let i18n = use_i18n();
    let AdminBadge { slug, name_zh, name_en, rule, growth_points, holders } = badge;
    view! {
        <li class="flex items-start justify-between gap-3 py-2" data-testid=format!("admin-badge-{slug}")>
            <div class="min-w-0">
                <div class="font-medium text-slate-900">
                    {move || if i18n.get_locale() == Locale::zh_CN { name_zh.clone() } else { name_en.clone() }}
                </div>
                <div class="text-xs text-slate-500">{move || rule_text(i18n, rule)}</div>
            </div>
            <div class="shrink-0 text-right text-xs tabular-nums text-slate-500">
                <div>{format!("+{growth_points}")}</div>
                <div>{move || t_string!(i18n, admin_badge_holders, count = holders)}</div>
            </div>
        </li>
    }
}

fn rule_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "finished_tasks" => t_string!(i18n, rule_kind_finished_tasks),
        "average_rating" => t_string!(i18n, rule_kind_average_rating),
        "weekly_streak" => t_string!(i18n, rule_kind_weekly_streak),
        "daily_streak" => t_string!(i18n, rule_kind_daily_streak),
        _ => t_string!(i18n, rule_kind_skill_breadth),
    }
}

fn rule_text(i18n: leptos_i18n::I18nContext<Locale>, rule: BadgeRule) -> String {
    match rule {
        BadgeRule::FinishedTasks { count, min_difficulty } => {
            t_string!(i18n, rule_finished_tasks, count = count, difficulty = min_difficulty).to_string()
        }
        BadgeRule::AverageRating { min_stars_x100, over_last } => t_string!(
            i18n,
            rule_average_rating,
            count = over_last,
            stars = format!("{}.{}", min_stars_x100 / 100, min_stars_x100 % 100 / 10)
        )
        .to_string(),
        BadgeRule::WeeklyStreak { weeks } => t_string!(i18n, rule_weekly_streak, count = weeks).to_string(),
        BadgeRule::DailyStreak { days } => t_string!(i18n, rule_daily_streak, count = days).to_string(),
        BadgeRule::SkillBreadth { count } => t_string!(i18n, rule_skill_breadth, count = count).to_string(),
        BadgeRule::ByChallenge => t_string!(i18n, rule_by_challenge).to_string(),
    }
}
