//! GEN23 (work in progress).

use super::{GenRequest, TableData};

pub fn gen23(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN23 is not supported by rhapsody (yet)".into())
}
