//! GEN02: the arguments themselves become the table.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// `table[i] = arg[i]` for as many arguments as fit in `len + 1` points (the
/// last one may fill the guard point); the rest stays 0.
pub fn gen02(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 2)?;
    let args = numeric_args(req, 2)?;
    if args.is_empty() {
        return Err("GEN02 needs at least one value".into());
    }
    let mut data = zeroed(len);
    for (slot, v) in data.iter_mut().zip(args.iter()) {
        *slot = *v;
    }
    Ok(TableData::from_points(data))
}
