//! GEN01 (work in progress).

use super::{GenRequest, TableData};

pub fn gen01(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN01 is not supported by rhapsody (yet)".into())
}
