//! GEN08 (work in progress).

use super::{GenRequest, TableData};

pub fn gen08(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN08 is not supported by rhapsody (yet)".into())
}
