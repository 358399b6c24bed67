//! The one conversion of the engine's `f64` samples for output: to the `f32`
//! that devices, float WAV files and the recent-output ring take, and to the
//! 16- and 24-bit integers of integer WAV files.

/// `x` in the orchestra's units, times `scale` (`1 / 0dbfs`, so that 0dbfs
/// is full scale 1), as an `f32`.
#[inline]
pub fn to_f32(x: f64, scale: f64) -> f32 {
    (x * scale) as f32
}

/// `x` (times `scale`) as a 16-bit sample: full scale is 32768, rounded
/// half away from zero and clamped.
#[inline]
pub fn to_i16(x: f64, scale: f64) -> i16 {
    to_int(x * scale * 32768.0, 32767) as i16
}

/// `x` (times `scale`) as a 24-bit sample (in an `i32`), as [`to_i16`].
#[inline]
pub fn to_i24(x: f64, scale: f64) -> i32 {
    to_int(x * scale * 8_388_608.0, 8_388_607)
}

/// `y` rounded half away from zero and clamped to `-max - 1 ..= max`, as
/// `y.round().clamp(..)` gives it, without `round` (a library call on
/// baseline x86-64, once per sample): clamping first changes nothing, as
/// every value beyond the range rounds to its end, and within it the
/// truncating conversion and the fraction left give the rounding exactly.
/// NaN gives 0.
#[inline]
fn to_int(y: f64, max: i32) -> i32 {
    let y = y.clamp(-f64::from(max) - 1.0, f64::from(max));
    let t = y as i32;
    let frac = y - f64::from(t);
    // Without branches: which way a sample rounds is a coin toss, and a
    // mispredicted branch per sample cost more than the library call.
    t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_int_rounds_and_clamps_as_round_then_clamp() {
        let mut y: f64 = -40_000.0;
        while y < 40_000.0 {
            for v in [y, y + 0.5, y - 0.5, y + 0.499_999_999_999, y + 1e-9] {
                let expected = v.round().clamp(-32768.0, 32767.0) as i32;
                assert_eq!(to_int(v, 32767), expected, "{v}");
            }
            y += 0.37;
        }
        assert_eq!(to_int(f64::NAN, 32767), 0);
        assert_eq!(to_int(f64::INFINITY, 32767), 32767);
        assert_eq!(to_int(f64::NEG_INFINITY, 8_388_607), -8_388_608);
        assert_eq!(to_int(-0.5, 32767), -1);
        assert_eq!(to_int(0.5, 32767), 1);
    }

    #[test]
    fn full_scale_is_zero_dbfs() {
        assert_eq!(to_f32(0.5, 1.0 / 0.5), 1.0);
        assert_eq!(to_i16(1.0, 1.0), 32767);
        assert_eq!(to_i16(-1.0, 1.0), -32768);
        assert_eq!(to_i24(-2.0, 0.5), -8_388_608);
        // A recorded f32 sample passes through unchanged.
        let x = 0.123_456_79_f32;
        assert_eq!(to_f32(f64::from(x), 1.0), x);
    }
}
