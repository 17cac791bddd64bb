//! The learning section: courses (实战课程) and articles (项目经验), free for registered users. A
//! reader marks one finished, which challenges can count. Admins publish from the same page.

use crate::{
    api::learning::{course, courses, FinishCourseFn, SaveCourseFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, LabelAround},
        layout::use_session,
        style::{CARD, INPUT, PRIMARY},
    },
    domain::{account::Role, learning::CourseKind, validation::Field},
    i18n::*,
    views::learning::{CourseDetail, CourseSummary},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: CourseKind) -> &'static str {
    match kind {
        CourseKind::Course => t_string!(i18n, learn_kind_course),
        CourseKind::Article => t_string!(i18n, learn_kind_article),
    }
}

#[component]
pub fn LearnPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| courses());
    let session = use_session();
    view! {
        <section class="mb-5">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{t!(i18n, learn_title)}</h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, learn_subtitle)}</p>
            <A href="/contests" attr:class="mt-2 inline-block text-sm font-medium text-blue-700 hover:underline" attr:data-testid="contests-link">
                {t!(i18n, learn_contests_link)}
            </A>
        </section>
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                let is_admin = matches!(session.user.await, Ok(Some(user)) if user.role == Role::Admin);
                match list.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-500">
                            {t!(i18n, learn_empty)}
                        </p>
                        {is_admin.then(|| view! { <CourseEditor /> })}
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="grid gap-3 md:grid-cols-2" data-testid="course-list">
                            {list.into_iter().map(|course| view! { <CourseCard course /> }).collect_view()}
                        </ul>
                        {is_admin.then(|| view! { <CourseEditor /> })}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CourseCard(course: CourseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let CourseSummary { slug, kind, title, summary, minutes, published, finished } = course;
    view! {
        <li class="relative rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-blue-200 hover:shadow-md" data-testid="course-card">
            <div class="flex items-center gap-2 text-xs">
                <span class="rounded bg-blue-50 px-1.5 py-0.5 font-medium text-blue-700">{move || kind_label(i18n, kind)}</span>
                <span class="text-slate-500">{move || t_string!(i18n, learn_minutes, n = minutes)}</span>
                {(!published).then(|| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-slate-600">{t!(i18n, learn_draft)}</span> })}
                {finished.then(|| view! { <span class="ml-auto font-medium text-emerald-700">{t!(i18n, learn_finished)}</span> })}
            </div>
            <h2 class="mt-2 text-base font-semibold text-slate-900">
                <A href=format!("/learn/{slug}") attr:class="after:absolute after:inset-0 hover:text-blue-700">{title}</A>
            </h2>
            <p class="mt-1 text-sm text-slate-600">{summary}</p>
        </li>
    }
}

/// Admins publish a course, or edit one by typing its slug again.
#[component]
fn CourseEditor() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCourseFn>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <ActionForm action=save attr:class=format!("{CARD} mt-6 space-y-3") attr:novalidate=true attr:data-testid="course-editor">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, learn_publish_title)}</h2>
            <div class="grid gap-3 sm:grid-cols-3">
                <LabelAround label=label_text(|i| t_string!(i, learn_field_slug)) message=message(Field::Slug)>
                    <input name="form[slug]" class=format!("{INPUT} mt-1") />
                </LabelAround>
                <LabelAround label=label_text(|i| t_string!(i, learn_field_kind))>
                    <select name="form[kind]" class=format!("{INPUT} mt-1")>
                        <option value="course">{t!(i18n, learn_kind_course)}</option>
                        <option value="article">{t!(i18n, learn_kind_article)}</option>
                    </select>
                </LabelAround>
                <LabelAround label=label_text(|i| t_string!(i, learn_field_minutes)) message=message(Field::Days)>
                    <input name="form[minutes]" inputmode="numeric" class=format!("{INPUT} mt-1") />
                </LabelAround>
            </div>
            <LabelAround label=label_text(|i| t_string!(i, learn_field_title)) message=message(Field::Title)>
                <input name="form[title]" class=format!("{INPUT} mt-1") />
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, learn_field_summary)) message=message(Field::Headline)>
                <input name="form[summary]" class=format!("{INPUT} mt-1") />
            </LabelAround>
            <LabelAround label=label_text(|i| t_string!(i, learn_field_body)) message=message(Field::Description)>
                <textarea name="form[body]" rows="8" class=format!("{INPUT} mt-1")></textarea>
            </LabelAround>
            <label class="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="form[published]" value="true" checked=true class="h-4 w-4 rounded border-slate-300" />
                {t!(i18n, learn_field_published)}
            </label>
            <button type="submit" class=PRIMARY data-testid="save-course">{t!(i18n, learn_publish)}</button>
            <FormAlert error />
        </ActionForm>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let finish = ServerAction::<FinishCourseFn>::new();
    let detail = Resource::new(move || params.read().get("slug").unwrap_or_default(), course);
    view! {
        <A href="/learn" attr:class="text-sm text-blue-700 hover:underline">{t!(i18n, learn_back)}</A>
        <Transition fallback=|| view! { <div class="mt-4 h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <CourseView detail finish /> }.into_any(),
                    Err(error) => view! { <div class="mt-4"><ErrorPanel error /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CourseView(detail: CourseDetail, finish: ServerAction<FinishCourseFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || finish.value().get().and_then(Result::err));
    let CourseDetail { course, body_html, can_finish, .. } = detail;
    let kind = course.kind;
    let minutes = course.minutes;
    let path = format!("/learn/{}", course.slug);
    view! {
        <leptos_meta::Title text=course.title.clone() />
        <crate::components::seo::PageMeta description=course.summary.clone() path />
        <article class=format!("{CARD} mt-4") data-testid="course">
            <div class="flex items-center gap-2 text-xs">
                <span class="rounded bg-blue-50 px-1.5 py-0.5 font-medium text-blue-700">{move || kind_label(i18n, kind)}</span>
                <span class="text-slate-500">{move || t_string!(i18n, learn_minutes, n = minutes)}</span>
            </div>
            <h1 class="mt-2 text-xl font-bold text-slate-900 sm:text-2xl">{course.title.clone()}</h1>
            <p class="mt-1 text-sm text-slate-600">{course.summary.clone()}</p>
            {match body_html {
                Some(html) => view! {
                    <div class="prose-task mt-4 border-t border-slate-100 pt-4 text-sm leading-relaxed text-slate-700" data-testid="course-body" inner_html=html></div>
                }
                .into_any(),
                None => view! {
                    <p class="mt-4 rounded-lg bg-blue-50 px-4 py-3 text-sm text-blue-900" data-testid="course-login">
                        <A href="/login" attr:class="font-medium underline">{t!(i18n, learn_login_to_read)}</A>
                    </p>
                }
                .into_any(),
            }}
            <div class="mt-5 border-t border-slate-100 pt-4">
                {if course.finished {
                    view! { <p class="text-sm font-medium text-emerald-700" data-testid="course-finished">{t!(i18n, learn_finished)}</p> }.into_any()
                } else if can_finish {
                    view! {
                        <ActionForm action=finish>
                            <input type="hidden" name="slug" value=course.slug.clone() />
                            <button type="submit" class=PRIMARY data-testid="finish-course">{t!(i18n, learn_mark_finished)}</button>
                        </ActionForm>
                        <FormAlert error />
                    }
                    .into_any()
                } else {
                    ().into_any()
                }}
            </div>
        </article>
    }
}
