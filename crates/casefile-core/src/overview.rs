//! Small read-only facts about the data folder that the app's first screen and About line show.

use serde::Serialize;
use ts_rs::TS;

use crate::demo;
use crate::error::CoreResult;
use crate::home::DataHome;
use crate::storage::Store;

/// What the home screen needs to decide between the case list and the first-launch welcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Welcome {
    pub offer_demo: bool,
    pub case_count: i64,
}

/// Where the data lives and which versions wrote it, for the About line and bug reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_folder: String,
    pub schema_version: u32,
}

pub fn welcome(store: &Store) -> CoreResult<Welcome> {
    Ok(Welcome { offer_demo: demo::should_offer_demo(store)?, case_count: store.count_cases()? })
}

pub fn app_info(store: &Store, home: &DataHome) -> CoreResult<AppInfo> {
    Ok(AppInfo {
        version: crate::VERSION.to_owned(),
        data_folder: home.root().display().to_string(),
        schema_version: store.schema_version()?,
    })
}
