//! Real-time scheduling for the thread that renders audio, where the system allows it.
//!
//! A callback that needs a fifth of its period can still miss it when the OS
//! runs something else on its core at the wrong moment: the peaks of the
//! callback load are scheduling, not work. Audio threads therefore ask for
//! a real-time policy, as JACK and PipeWire clients do. Without permission
//! (an ordinary user with no real-time limit in `ulimit -r`) the request
//! fails and nothing changes.

/// The priority asked for: low among real-time ones, so that the sound
/// server and the kernel's own threads still come first.
#[cfg(target_os = "linux")]
const PRIORITY: libc::c_int = 10;

/// Ask for first-in-first-out real-time scheduling of the calling thread;
/// whether it was granted. One system call, no allocation: safe to make
/// from an audio callback, once.
pub(crate) fn promote_current_thread() -> bool {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param {
            sched_priority: PRIORITY,
        };
        // SAFETY: `pthread_self` names the calling thread, and `param` is a
        // valid, initialised `sched_param` that outlives the call.
        unsafe { libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}
