//! The one place the app reads the time. Debug builds accept `CASEFILE_NOW` (RFC 3339) so the
//! end-to-end tests can move the clock forward; release builds always use the system clock.

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    if cfg!(debug_assertions)
        && let Some(fixed) =
            std::env::var("CASEFILE_NOW").ok().and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
    {
        return fixed.with_timezone(&Utc);
    }
    Utc::now()
}
