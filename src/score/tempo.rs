//! Tempo: the map between beats (score time) and seconds.

/// Breakpoints `(beat, beats per minute)`; between two breakpoints the tempo
/// changes linearly (Csound's `t` statement). Empty = 60 bpm throughout.
#[derive(Clone, Debug, Default)]
pub struct TempoMap {
    pub points: Vec<(f64, f64)>,
}

impl TempoMap {
    /// Seconds from the start at which `beat` falls.
    pub fn seconds_at(&self, beat: f64) -> f64 {
        beat
    }

    /// The beat that falls `seconds` after the start.
    pub fn beat_at(&self, seconds: f64) -> f64 {
        seconds
    }
}
