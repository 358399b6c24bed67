//! MIDI from outside the engine: Standard MIDI Files ([`file`], `-F`) and
//! live input ports ([`live`], `-M`). Both end in the engine's MIDI path
//! (`engine::midi`): the file's messages are played by score time, the
//! ports' through the injected-message queue.

pub mod file;
pub mod live;
