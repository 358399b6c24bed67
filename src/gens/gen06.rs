//! GEN06 (work in progress).

use super::{GenRequest, TableData};

pub fn gen06(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN06 is not supported by rhapsody (yet)".into())
}
