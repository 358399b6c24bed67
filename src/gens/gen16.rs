//! GEN16 (work in progress).

use super::{GenRequest, TableData};

pub fn gen16(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN16 is not supported by rhapsody (yet)".into())
}
