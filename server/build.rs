//! `sqlx::migrate!` embeds the migration files when the server compiles; this makes a changed or
//! added migration rebuild the server instead of running the copy embedded before.
fn main() {
    println!("cargo::rerun-if-changed=../migrations");
}
