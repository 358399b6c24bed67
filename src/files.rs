//! Reading the files a performer names (`.csd` files, scripts run, loaded or
//! watched, `#include`d orchestra text, GEN sound files): regular files only,
//! below a size limit, checked before anything is read. `/dev/zero` or a
//! fifo named by mistake is refused at once instead of being read for ever,
//! and a message never quotes what the file holds.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Largest text file read (scripts, `.csd` files, included orchestra text).
pub const MAX_TEXT_BYTES: u64 = 64 << 20;
/// Largest sound file read by GEN01 or the sound-file opcodes.
pub const MAX_SOUND_BYTES: u64 = 2 << 30;

/// Open `path` for reading if it is a regular file of at most `limit` bytes;
/// the error says which rule it broke, never what the file holds.
pub fn open_regular(path: &Path, limit: u64) -> Result<(File, u64), String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Checked on the open handle: the file cannot be swapped in between.
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "cannot read {}: not a regular file",
            path.display()
        ));
    }
    if meta.len() > limit {
        return Err(format!(
            "cannot read {}: {} bytes, more than the limit of {limit}",
            path.display(),
            meta.len()
        ));
    }
    Ok((file, meta.len()))
}

/// The text of a regular file of at most [`MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, String> {
    let (file, len) = open_regular(path, MAX_TEXT_BYTES)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while it is read stops at the limit all the same.
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(format!(
            "cannot read {}: more than the limit of {MAX_TEXT_BYTES} bytes",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("cannot read {}: not UTF-8 text", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_without_reading() {
        for p in ["/dev/zero", "/dev/null", "/tmp"] {
            let e = read_text(Path::new(p)).unwrap_err();
            assert!(e.contains("not a regular file"), "{p}: {e}");
        }
    }

    #[test]
    fn a_binary_file_is_refused_without_quoting_it() {
        let dir = std::env::temp_dir().join(format!("rhapsody-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("secret.bin");
        std::fs::write(&p, b"SECRET\xff\xfe line").unwrap();
        let e = read_text(&p).unwrap_err();
        assert!(e.contains("not UTF-8") && !e.contains("SECRET"), "{e}");
        let t = dir.join("ok.txt");
        std::fs::write(&t, "hello").unwrap();
        assert_eq!(read_text(&t).unwrap(), "hello");
    }
}
