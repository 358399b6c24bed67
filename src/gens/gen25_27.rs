//! GEN25 and GEN27 (work in progress).

use super::{GenRequest, TableData};

pub fn gen25(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN25 is not supported by rhapsody (yet)".into())
}

pub fn gen27(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN27 is not supported by rhapsody (yet)".into())
}
