//! Checks the GEN routines against tables computed by Csound 6.18 (stored in
//! `tests/data/gens/`, made by `make.sh` there) and checks the size, guard
//! point, rescaling and error rules.

use rhapsody::gens::{GenRequest, TableData, generate, table_shape};
use rhapsody::score::PValue;
use std::path::Path;

const TOLERANCE: f64 = 1e-9;

fn no_tables(_: i32) -> Option<Vec<f64>> {
    None
}

/// Splits a statement's arguments, keeping "quoted strings" as strings.
fn parse_args(text: &str) -> Vec<PValue> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('"') {
            let end = stripped.find('"').expect("closing quote");
            out.push(PValue::Str(stripped[..end].to_string()));
            rest = stripped[end + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(PValue::Num(rest[..end].parse().expect("number")));
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// Runs a GEN as written in an `f` statement: size, GEN number, arguments.
fn run(size: i32, gen_number: i32, args: &[PValue]) -> Result<TableData, String> {
    let req = GenRequest {
        table: 1,
        size,
        args,
        sr: 44100.0,
        lookup: &no_tables,
        dir: None,
        zero_dbfs: 1.0,
    };
    generate(gen_number, &req)
}

fn run_nums(size: i32, gen_number: i32, args: &[f64]) -> Result<TableData, String> {
    let args: Vec<PValue> = args.iter().map(|x| PValue::Num(*x)).collect();
    run(size, gen_number, &args)
}

/// Compares one stored Csound table with ours; returns a description of the
/// first mismatch.
fn check_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty file")?;
    let statement = header.strip_prefix("# f 1 0 ").ok_or("bad header")?;
    let mut parts = statement.splitn(3, ' ');
    let size: i32 = parts.next().unwrap().parse().map_err(|_| "bad size")?;
    let gen_number: i32 = parts.next().unwrap().parse().map_err(|_| "bad gen")?;
    let args = parse_args(parts.next().unwrap_or(""));
    let len: usize = lines
        .next()
        .and_then(|l| l.strip_prefix("len "))
        .and_then(|l| l.parse().ok())
        .ok_or("bad len line")?;
    let table = run(size, gen_number, &args)?;
    if path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("stat_")
    {
        return check_statistics(&table, len, lines);
    }
    let expected: Vec<f64> = lines.map(|l| l.trim().parse().unwrap()).collect();
    if table.len != len {
        return Err(format!("len {} but csound has {len}", table.len));
    }
    if table.data.len() != expected.len() {
        return Err(format!(
            "{} points but csound has {}",
            table.data.len(),
            expected.len()
        ));
    }
    for (i, (ours, theirs)) in table.data.iter().zip(&expected).enumerate() {
        if (ours - theirs).abs() > TOLERANCE * theirs.abs().max(1.0) {
            return Err(format!("point {i}: {ours} but csound has {theirs}"));
        }
    }
    Ok(())
}

/// For random tables: the mean and standard deviation of the points (guard
/// point excluded) must agree with Csound's within sampling error, and a
/// distribution Csound keeps non-negative must stay so.
fn check_statistics<'a>(
    table: &TableData,
    len: usize,
    lines: impl Iterator<Item = &'a str>,
) -> Result<(), String> {
    let mut want = std::collections::HashMap::new();
    for line in lines {
        let (key, value) = line.split_once(' ').ok_or("bad statistics line")?;
        want.insert(
            key.to_string(),
            value.parse::<f64>().map_err(|e| e.to_string())?,
        );
    }
    if table.len != len {
        return Err(format!("len {} but csound has {len}", table.len));
    }
    let points = &table.data[..len];
    let n = len as f64;
    let mean = points.iter().sum::<f64>() / n;
    let sd = (points.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    let min = points.iter().copied().fold(f64::INFINITY, f64::min);
    let (cs_mean, cs_sd, cs_min) = (want["mean"], want["sd"], want["min"]);
    // Six standard errors of the difference of two sample means.
    if (mean - cs_mean).abs() > 6.0 * cs_sd * (2.0 / n).sqrt() {
        return Err(format!("mean {mean} but csound has {cs_mean}"));
    }
    if (sd - cs_sd).abs() > 0.1 * cs_sd {
        return Err(format!("standard deviation {sd} but csound has {cs_sd}"));
    }
    if cs_min >= 0.0 && min < 0.0 {
        return Err(format!("minimum {min} but csound's values are all >= 0"));
    }
    Ok(())
}

#[test]
fn tables_match_csound() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gens");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.ends_with("cases.txt"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name.starts_with("input_") {
            continue;
        }
        count += 1;
        if let Err(e) = check_case(&path) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(count >= 30, "only {count} stored cases found");
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn power_of_two_size_has_wraparound_guard_point() {
    assert_eq!(table_shape(1024), Some(Ok((1024, true))));
    let t = run_nums(16, -7, &[0.0, 16.0, 16.0]).unwrap();
    assert_eq!(t.len, 16);
    assert_eq!(t.data.len(), 17);
    assert_eq!(t.data[16], t.data[0]);
}

#[test]
fn gen10_sine_has_wraparound_guard_point() {
    let t = run_nums(8, 10, &[1.0]).unwrap();
    assert_eq!(t.data[8], t.data[0]);
    assert!((t.data[2] - 1.0).abs() < 1e-12);
}

#[test]
fn power_of_two_plus_one_size_has_extended_guard_point() {
    assert_eq!(table_shape(1025), Some(Ok((1024, false))));
    assert_eq!(table_shape(3), Some(Ok((2, false))));
    let t = run_nums(9, -7, &[0.0, 8.0, 8.0]).unwrap();
    assert_eq!(t.len, 8);
    assert_eq!(t.data[8], 8.0);
}

#[test]
fn other_sizes_are_kept_with_extended_guard_point() {
    assert_eq!(table_shape(1000), Some(Ok((1000, false))));
    assert_eq!(table_shape(1001), Some(Ok((1001, false))));
    assert_eq!(table_shape(7), Some(Ok((7, false))));
    assert_eq!(table_shape(1), Some(Ok((1, false))));
    let t = run_nums(1000, -7, &[0.0, 2000.0, 2000.0]).unwrap();
    assert_eq!(t.len, 1000);
    assert!((t.data[1000] - 1000.0).abs() < 1e-9);
}

#[test]
fn negative_size_is_exact_with_extended_guard_point() {
    assert_eq!(table_shape(-8), Some(Ok((8, false))));
    let t = run_nums(-8, -7, &[0.0, 8.0, 8.0]).unwrap();
    assert_eq!(t.len, 8);
    assert_eq!(t.data[8], 8.0);
}

#[test]
fn zero_size_is_refused_for_gens_that_need_one() {
    let e = run_nums(0, 10, &[1.0]).unwrap_err();
    assert!(e.contains("needs a table size"), "{e}");
}

#[test]
fn positive_gen_number_rescales_to_peak_one_including_guard_point() {
    let t = run_nums(9, 7, &[0.0, 8.0, 4.0]).unwrap();
    assert_eq!(t.data[8], 1.0);
    assert_eq!(t.data[4], 0.5);
}

#[test]
fn negative_gen_number_skips_rescaling() {
    let t = run_nums(8, -10, &[3.0]).unwrap();
    assert!((t.data[2] - 3.0).abs() < 1e-12);
    let t = run_nums(8, -2, &[5.0, -7.0]).unwrap();
    assert_eq!(&t.data[..3], &[5.0, -7.0, 0.0]);
}

#[test]
fn gen02_rescales_when_positive() {
    let t = run_nums(8, 2, &[1.0, -4.0, 2.0]).unwrap();
    assert_eq!(&t.data[..3], &[0.25, -1.0, 0.5]);
}

#[test]
fn all_zero_table_is_left_alone() {
    let t = run_nums(8, 10, &[0.0]).unwrap();
    assert!(t.data.iter().all(|x| *x == 0.0));
}

#[test]
fn segments_shorter_than_table_leave_zeros() {
    let t = run_nums(16, -7, &[1.0, 4.0, 2.0]).unwrap();
    assert_eq!(t.data[3], 1.75);
    assert!(t.data[4..16].iter().all(|x| *x == 0.0));
    // The guard point of a power-of-two table still wraps around.
    assert_eq!(t.data[16], 1.0);
}

#[test]
fn segments_longer_than_table_are_cut() {
    let t = run_nums(-8, -7, &[0.0, 16.0, 16.0]).unwrap();
    assert_eq!(t.data, (0..9).map(f64::from).collect::<Vec<_>>());
}

#[test]
fn gen05_rejects_zero_value() {
    let e = run_nums(16, 5, &[1.0, 8.0, 0.0]).unwrap_err();
    assert_eq!(
        e,
        "GEN05: values must be non-zero and of one sign (got 0 at argument 3)"
    );
    let e = run_nums(16, 5, &[0.0, 8.0, 1.0]).unwrap_err();
    assert!(e.contains("got 0 at argument 1"), "{e}");
}

#[test]
fn gen05_rejects_sign_change() {
    let e = run_nums(16, 5, &[1.0, 8.0, 2.0, 8.0, -1.0]).unwrap_err();
    assert_eq!(
        e,
        "GEN05: values must be non-zero and of one sign (got -1 at argument 5)"
    );
}

#[test]
fn negative_segment_length_is_an_error() {
    let e = run_nums(16, 7, &[0.0, -2.0, 1.0]).unwrap_err();
    assert!(e.contains("must not be negative"), "{e}");
    assert!(run_nums(16, 5, &[1.0, -2.0, 2.0]).is_err());
}

#[test]
fn gen10_without_strengths_is_an_error() {
    assert_eq!(
        run_nums(16, 10, &[]).unwrap_err(),
        "GEN10 needs at least one partial strength"
    );
}

#[test]
fn incomplete_sinusoid_groups_are_errors() {
    assert!(run_nums(16, 9, &[1.0, 1.0]).is_err());
    assert!(run_nums(16, 19, &[1.0, 1.0, 0.0]).is_err());
}

#[test]
fn unknown_gen_number_is_an_error() {
    assert!(run_nums(16, 99, &[1.0]).unwrap_err().contains("GEN99"));
    assert!(run_nums(16, 0, &[1.0]).is_err());
}

#[test]
fn string_where_number_needed_is_an_error() {
    let e = run(16, 10, &[PValue::Str("x".into())]).unwrap_err();
    assert!(e.contains("must be a number"), "{e}");
}

#[test]
fn huge_size_is_an_error_not_a_crash() {
    assert!(run_nums(i32::MAX, 10, &[1.0]).is_err());
    assert!(run_nums(i32::MIN, 10, &[1.0]).is_err());
}

#[test]
fn hostile_arguments_give_tables_or_errors_quickly() {
    let big = 1.0e300;
    for (gen_number, args) in [
        (5, vec![1.0, big, 2.0]),
        (7, vec![0.0, big, 1.0]),
        (7, vec![0.0, f64::NAN, 1.0]),
        (3, vec![big, big * 2.0, 1.0, 2.0]),
        (6, vec![0.0, big, 1.0]),
        (8, vec![0.0, big, 1.0, big, 2.0]),
        (9, vec![big, big, big]),
        (10, vec![big]),
        (11, vec![big, big, 0.5]),
        (11, vec![big]),
        (16, vec![0.0, big, 0.0, 1.0, big, 2.0, 0.0]),
        (17, vec![0.0, 1.0, big, 2.0]),
        (19, vec![big, 1.0, 0.0, big]),
        (20, vec![7.0, 1.0, big]),
        (21, vec![11.0, big]),
        (21, vec![9.0, 1.0, 0.0, 0.0]),
        (25, vec![0.0, 1.0, 16.0, f64::NAN]),
        (27, vec![0.0, 1.0, 0.5, 2.0]),
    ] {
        for size in [1, 2, 16, 17, -5] {
            let _ = run_nums(size, gen_number, &args);
            let _ = run_nums(size, -gen_number, &args);
        }
    }
}

#[test]
fn gen01_deferred_size_reads_whole_file_and_keeps_metadata() {
    let args = [
        PValue::Str("tests/data/gens/input_stereo16.wav".into()),
        PValue::Num(0.0),
        PValue::Num(0.0),
        PValue::Num(0.0),
    ];
    let t = run(0, -1, &args).unwrap();
    // Csound's count for several channels: (frames + 1) * channels - 1.
    assert_eq!(t.len, 43);
    assert_eq!(t.channels, 2);
    assert_eq!(t.sample_rate, Some(22050.0));
    assert_eq!(t.data[t.len], t.data[0]);
}

#[test]
fn gen01_missing_file_is_an_error() {
    let e = run(0, 1, &[PValue::Str("no/such/file.wav".into())]).unwrap_err();
    assert!(
        e.starts_with("GEN01 cannot read \"no/such/file.wav\""),
        "{e}"
    );
}

#[test]
fn gen01_channel_beyond_file_is_an_error() {
    let args = [
        PValue::Str("tests/data/gens/input_mono16.wav".into()),
        PValue::Num(0.0),
        PValue::Num(0.0),
        PValue::Num(2.0),
    ];
    assert!(run(0, 1, &args).unwrap_err().contains("channel 2"));
}

#[test]
fn deferred_size_works_only_for_file_gens() {
    let args = [PValue::Str("tests/data/gens/input_numbers.txt".into())];
    assert_eq!(run(0, -23, &args).unwrap().len, 8);
    assert!(run_nums(0, 7, &[0.0, 8.0, 1.0]).is_err());
}

#[test]
fn gen23_reads_numbers_like_csound() {
    use rhapsody::gens::parse_numbers;
    assert_eq!(
        parse_numbers("1 2.5,-3e1\n# 99\n4;5 6\n.5 x 8 <a 9>\n7<8 9\n1.5e"),
        vec![1.0, 2.5, -30.0, 4.0, 0.5, 8.0, 7.0, 8.0, 9.0, 1.5]
    );
}

#[test]
fn gen17_needs_index_zero_first_and_increasing() {
    assert!(
        run_nums(16, 17, &[1.0, 1.0])
            .unwrap_err()
            .contains("first index")
    );
    assert!(
        run_nums(16, 17, &[0.0, 1.0, 0.0, 2.0])
            .unwrap_err()
            .contains("increase")
    );
}

#[test]
fn gen20_unknown_window_is_an_error() {
    assert!(
        run_nums(16, 20, &[12.0])
            .unwrap_err()
            .contains("unknown window")
    );
}

#[test]
fn gen21_unknown_distribution_is_an_error() {
    assert!(
        run_nums(16, 21, &[0.0])
            .unwrap_err()
            .contains("unknown distribution")
    );
}

#[test]
fn gen25_needs_positive_y_and_increasing_x() {
    assert!(
        run_nums(16, 25, &[0.0, 1.0, 16.0, 0.0])
            .unwrap_err()
            .contains("greater than 0")
    );
    assert!(
        run_nums(16, 25, &[8.0, 1.0, 4.0, 2.0])
            .unwrap_err()
            .contains("increase")
    );
    assert!(
        run_nums(16, 27, &[0.0, 1.0, 40.0, 2.0])
            .unwrap_err()
            .contains("beyond")
    );
}

#[test]
fn every_gen_has_a_one_line_doc() {
    for spec in rhapsody::gens::GENS {
        assert!(
            !spec.doc.is_empty() && !spec.doc.contains('\n'),
            "GEN{}",
            spec.number
        );
    }
}

#[test]
fn gen_numbers_are_listed_once() {
    let mut numbers: Vec<u32> = rhapsody::gens::GENS.iter().map(|s| s.number).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), rhapsody::gens::GENS.len());
}
