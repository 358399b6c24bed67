//! The host's side of tables and channels: live views of the engine's
//! tables (read and edited while they sound), `f` statements and host data
//! sent as new tables, and the named channels shared with the orchestra.

use std::sync::Arc;

use anyhow::{Result, anyhow, bail};

use super::Session;
use super::pipeline::{self, MAX_TABLE_NUMBER};
use super::relay::lock;
use crate::engine::driver::Command;
use crate::engine::table::Table;
use crate::score::PValue;

impl Session {
    fn table_arc(&self, n: i64) -> Option<Arc<Table>> {
        lock(&self.perf.as_ref()?.relay.book)
            .tables
            .get(&n)
            .cloned()
    }

    /// A live view of table `n`: reads and writes reach the engine at once.
    pub fn table(&self, n: i64) -> Option<Arc<Table>> {
        self.table_arc(n)
    }

    /// Length of table `n` (without the guard point), or -1 if it does not exist.
    pub fn table_length(&self, n: i64) -> i64 {
        self.table_arc(n).map(|t| t.len() as i64).unwrap_or(-1)
    }

    /// Point `i` of table `n` (0..=length: the guard point is readable).
    pub fn table_get(&self, n: i64, i: i64) -> Result<f64> {
        let t = self
            .table_arc(n)
            .ok_or_else(|| anyhow!("table {n} does not exist"))?;
        if i < 0 || i as usize >= t.stored() {
            bail!("index {i} is outside table {n} (0 to {})", t.len());
        }
        Ok(t.get(i as usize))
    }

    /// Write point `i` of table `n`, heard at once.
    pub fn table_set(&self, n: i64, i: i64, value: f64) -> Result<()> {
        let t = self
            .table_arc(n)
            .ok_or_else(|| anyhow!("table {n} does not exist"))?;
        if i < 0 || i as usize >= t.stored() {
            bail!("index {i} is outside table {n} (0 to {})", t.len());
        }
        if !value.is_finite() {
            bail!("table values must be finite numbers");
        }
        t.edit(i as usize, value);
        Ok(())
    }

    /// Numbers of the tables that exist, ascending.
    pub fn table_numbers(&self) -> Vec<i64> {
        let Some(p) = &self.perf else {
            return Vec::new();
        };
        let mut v: Vec<i64> = lock(&p.relay.book).tables.keys().copied().collect();
        v.sort();
        v
    }

    /// An `f` statement sent live: the table is generated here, installed
    /// by the engine at its time.
    pub(super) fn send_table(&mut self, pfields: &[f64], absolute: bool) -> Result<()> {
        let perf = self.perf_mut()?;
        if pfields.len() < 4 && !(pfields.len() >= 2 && pfields[0] < 0.0) {
            bail!(
                "f needs p1 (number), p2 (time), p3 (size) and p4 (GEN), then the GEN's arguments"
            );
        }
        let number = pfields[0] as i64;
        if number == 0 || number.abs() > MAX_TABLE_NUMBER {
            bail!("table number must be between 1 and {MAX_TABLE_NUMBER} (or negative to delete)");
        }
        let p2 = pfields[1];
        let table = if number < 0 {
            None
        } else {
            let known = lock(&perf.relay.book).tables.clone();
            let p: Vec<PValue> = pfields.iter().map(|v| PValue::Num(*v)).collect();
            Some(Arc::new(
                pipeline::make_table(&perf.orchestra, number, &p, &known)
                    .map_err(|e| anyhow!("f {number}: {e}"))?,
            ))
        };
        if number.abs() >= 4096 {
            bail!("table numbers up to 4095 can be made live");
        }
        if let Some(t) = &table {
            perf.relay.remember_statement(t, pfields.to_vec());
        }
        perf.send(Command::Table {
            number: number.abs(),
            table,
            p2,
            absolute,
        })
    }

    /// Make table `number` from data computed by the host (e.g. the
    /// utility library's waveforms), at once.
    pub fn set_table_data(&mut self, number: i64, points: &[f64]) -> Result<()> {
        let perf = self.perf_mut()?;
        if !(1..4096).contains(&number) {
            bail!("table numbers 1 to 4095 can be made live (got {number})");
        }
        if points.len() < 2 {
            bail!("a table needs at least 2 points");
        }
        let len = points.len() - 1;
        let data = crate::gens::TableData {
            data: points.to_vec(),
            len,
            sample_rate: None,
            channels: 1,
            loops: [None; 2],
        };
        let table = Arc::new(Table::new(&data));
        // Recorded as GEN -2: the points themselves, not rescaled.
        let mut statement = vec![number as f64, 0.0, len as f64, -2.0];
        statement.extend_from_slice(&points[..len]);
        perf.relay.remember_statement(&table, statement);
        perf.send(Command::Table {
            number,
            table: Some(table),
            p2: 0.0,
            absolute: false,
        })
    }

    // ------------------------------------------------------------ channels

    pub fn chnset(&self, name: &str, value: f64) -> Result<()> {
        // Instruments read channels: a NaN here would reach them all.
        if !value.is_finite() {
            bail!("chnset: channel values must be finite numbers");
        }
        let i = self
            .channels
            .index(name)
            .ok_or_else(|| anyhow!("too many channels"))?;
        self.channels.set(i, value);
        Ok(())
    }

    pub fn chnget(&self, name: &str) -> f64 {
        self.channels
            .find(name)
            .map(|i| self.channels.get(i))
            .unwrap_or(0.0)
    }
}
