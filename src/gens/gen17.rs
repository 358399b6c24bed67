//! GEN17 (work in progress).

use super::{GenRequest, TableData};

pub fn gen17(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN17 is not supported by rhapsody (yet)".into())
}
