//! GEN11 (work in progress).

use super::{GenRequest, TableData};

pub fn gen11(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN11 is not supported by rhapsody (yet)".into())
}
