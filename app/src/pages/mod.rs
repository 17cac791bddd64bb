pub mod admin;
pub mod hall;
pub mod login;
pub mod not_found;
pub mod register;
