//! Keeps the sound libraries quiet: ALSA (and JACK, which ALSA's plugins
//! load) print their own complaints on stderr when there is no sound card,
//! eight lines before rhapsody's one clear line of what it opened and why.

/// Route ALSA's error messages to nowhere, once per process. rhapsody
/// reports every failure itself (the device it fell back from, and why).
pub(crate) fn silence_alsa() {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::{c_char, c_int};
        use std::sync::Once;

        // ALSA's handler type is variadic; a handler that reads none of the
        // variable arguments is called correctly through the fixed ones.
        type Handler =
            unsafe extern "C" fn(*const c_char, c_int, *const c_char, c_int, *const c_char);
        unsafe extern "C" {
            // libasound is linked through cpal's alsa-sys.
            fn snd_lib_error_set_handler(handler: Option<Handler>) -> c_int;
        }
        unsafe extern "C" fn ignore(
            _file: *const c_char,
            _line: c_int,
            _function: *const c_char,
            _err: c_int,
            _fmt: *const c_char,
        ) {
        }
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            // SAFETY: sets a process-wide function pointer in libasound; the
            // handler touches nothing.
            unsafe {
                snd_lib_error_set_handler(Some(ignore));
            }
        });
    }
}

/// Run `f` with the process's stderr sent to /dev/null: for walking every
/// device, where JACK's library (loaded by ALSA's jack plugin) prints
/// straight to stderr, past ALSA's handler. Other threads' stderr is lost
/// meanwhile, so this is for short, one-off calls.
pub(crate) fn without_stderr<T>(f: impl FnOnce() -> T) -> T {
    silence_alsa();
    #[cfg(unix)]
    {
        use std::io::Write;
        let _ = std::io::stderr().flush();
        // SAFETY: plain descriptor calls; fd 2 is restored before returning.
        let saved = unsafe { libc::dup(2) };
        let null = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY) };
        if saved < 0 || null < 0 {
            unsafe {
                if saved >= 0 {
                    libc::close(saved);
                }
                if null >= 0 {
                    libc::close(null);
                }
            }
            return f();
        }
        unsafe {
            libc::dup2(null, 2);
            libc::close(null);
        }
        let out = f();
        unsafe {
            libc::dup2(saved, 2);
            libc::close(saved);
        }
        out
    }
    #[cfg(not(unix))]
    {
        f()
    }
}
