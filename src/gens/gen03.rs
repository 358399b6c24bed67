//! GEN03 (work in progress).

use super::{GenRequest, TableData};

pub fn gen03(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN03 is not supported by rhapsody (yet)".into())
}
