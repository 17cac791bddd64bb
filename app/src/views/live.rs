//! What the live regions (`components::live`) and the server both need to know.

/// Marks the requests that read a page again for one of its regions (such a read is not a page
/// view: outcomes waiting to be shown once stay for the real one).
pub const REGION_REFRESH_HEADER: &str = "x-codelink-region";
