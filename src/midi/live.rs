//! Live MIDI input through `midir`: the ports `--list-devices` shows, and
//! the connections `-M DEVICE` / `-Ma` open. Each port's callback (on
//! midir's own thread, never the audio thread) parses the bytes and pushes
//! channel messages into the engine's injected-message queue; a full queue
//! drops and counts (see [`MidiSender`]).
//!
//! A machine without a MIDI system (no ALSA sequencer) gives one clear
//! error line; the session plays on without MIDI.

use std::sync::{Arc, Mutex};

use midir::{Ignore, MidiInput, MidiInputConnection};

use crate::engine::midi::{MidiMessage, MidiSender};

/// Which inputs `-M` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// `-Ma`: every input port.
    All,
    /// `-M N`: the port of that number in `--list-devices`.
    Number(usize),
    /// `-M NAME`: the first port whose name contains NAME.
    Name(String),
}

impl Wanted {
    /// `-M`'s value as csound spells it (`a`, a number, or a name).
    pub fn parse(value: &str) -> Wanted {
        match value {
            "a" => Wanted::All,
            v => v
                .parse()
                .map(Wanted::Number)
                .unwrap_or_else(|_| Wanted::Name(v.to_string())),
        }
    }
}

/// The MIDI system, opened quietly: ALSA's own complaints about a missing
/// sequencer are silenced, and the error says it in one line.
fn open(client: &str) -> Result<MidiInput, String> {
    crate::audio::quiet::silence_alsa();
    let mut input = MidiInput::new(client)
        .map_err(|e| format!("no MIDI input available ({e}); playing without MIDI"))?;
    input.ignore(Ignore::All);
    Ok(input)
}

/// The names of the MIDI input ports, numbered as `-M N` takes them.
pub fn port_names() -> Result<Vec<String>, String> {
    let input = open("rhapsody list")?;
    Ok(input
        .ports()
        .iter()
        .map(|p| input.port_name(p).unwrap_or_else(|_| "(unnamed)".into()))
        .collect())
}

/// Open connections stay open while this lives.
pub struct Connections {
    _open: Vec<MidiInputConnection<()>>,
    /// The names of the ports connected.
    pub names: Vec<String>,
}

/// Connect the ports `wanted` names to `sender`. Errors (no MIDI system,
/// no such port) are one line each.
pub fn connect(wanted: &Wanted, sender: Arc<Mutex<MidiSender>>) -> Result<Connections, String> {
    let probe = open("rhapsody")?;
    let ports = probe.ports();
    let names: Vec<String> = ports
        .iter()
        .map(|p| probe.port_name(p).unwrap_or_default())
        .collect();
    let chosen: Vec<usize> = match wanted {
        Wanted::All => (0..ports.len()).collect(),
        Wanted::Number(n) if *n < ports.len() => vec![*n],
        Wanted::Number(n) => {
            return Err(format!(
                "no MIDI input {n}: there are {} (see --list-devices)",
                ports.len()
            ));
        }
        Wanted::Name(name) => match names.iter().position(|p| p.contains(name.as_str())) {
            Some(i) => vec![i],
            None => return Err(format!("no MIDI input named '{name}' (see --list-devices)")),
        },
    };
    if chosen.is_empty() {
        return Err("no MIDI input ports to connect to".into());
    }
    let mut open_connections = Vec::new();
    let mut connected = Vec::new();
    for i in chosen {
        // midir's connect consumes its MidiInput: one per port.
        let input = open("rhapsody")?;
        let Some(port) = input.ports().get(i).cloned() else {
            continue;
        };
        let sender = sender.clone();
        let mut running = 0u8;
        let connection = input
            .connect(
                &port,
                "rhapsody-in",
                move |_stamp, bytes, _| {
                    // Running status: a message without a status byte
                    // repeats the last one's.
                    let mut buf = [0u8; 3];
                    let message = if bytes.first().is_some_and(|b| *b < 0x80) && running != 0 {
                        buf[0] = running;
                        for (d, b) in buf[1..].iter_mut().zip(bytes) {
                            *d = *b;
                        }
                        MidiMessage::from_bytes(&buf)
                    } else {
                        MidiMessage::from_bytes(bytes)
                    };
                    if let Some(m) = message {
                        running = m.status;
                        if let Ok(mut s) = sender.lock() {
                            s.send(m);
                        }
                    }
                },
                (),
            )
            .map_err(|e| format!("cannot open MIDI input '{}': {e}", names[i]))?;
        open_connections.push(connection);
        connected.push(names[i].clone());
    }
    Ok(Connections {
        _open: open_connections,
        names: connected,
    })
}
