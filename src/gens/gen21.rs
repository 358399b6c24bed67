//! GEN21 (work in progress).

use super::{GenRequest, TableData};

pub fn gen21(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN21 is not supported by rhapsody (yet)".into())
}
