//! GEN20 (work in progress).

use super::{GenRequest, TableData};

pub fn gen20(_req: &GenRequest) -> Result<TableData, String> {
    Err("GEN20 is not supported by rhapsody (yet)".into())
}
