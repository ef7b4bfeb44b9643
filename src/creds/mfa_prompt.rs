//! Asking for an MFA code on the terminal itself (`/dev/tty`), not on
//! stdin and stdout: under `credential_process` the SDK reads xacct's
//! stdout and the user never sees it, and `eval $(xacct creds ...)`
//! captures it. Without a terminal the question fails at once, saying how
//! to pass the code, instead of hanging where nobody can answer.

use std::fs::OpenOptions;
use std::io::{BufRead as _, BufReader, Write as _};

use crate::validate;

/// The terminal device.
const TTY: &str = "/dev/tty";

/// How many answers that are not six digits are allowed before giving up.
const TRIES: usize = 3;

/// Why no code was had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PromptError {
    /// What happened and what to do.
    pub message: String,
}

/// Asks for the six-digit code of `serial` on the terminal; only the
/// question and the code the user types (a one-time code, not a secret
/// that outlives the minute) appear there.
/// `elsewhere` says how else the code can be given, when no terminal is
/// there to ask on.
pub(super) fn ask_code(serial: &str, elsewhere: &str) -> Result<String, PromptError> {
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open(TTY)
        .map_err(|e| PromptError {
            message: format!(
                "an MFA code is needed for {serial} and there is no terminal to ask on ({TTY}: {e}); {elsewhere}"
            ),
        })?;
    let mut writer = &tty;
    let mut reader = BufReader::new(&tty);
    for attempt in 1..=TRIES {
        let _ = write!(writer, "MFA code for {serial}: ");
        let _ = writer.flush();
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => {
                return Err(PromptError {
                    message: format!(
                        "no MFA code was typed for {serial} (the terminal closed); {elsewhere}"
                    ),
                });
            }
            Ok(_) => {}
        }
        let code = line.trim().to_owned();
        if validate::mfa_code(&code).is_ok() {
            return Ok(code);
        }
        if attempt < TRIES {
            let _ = writeln!(writer, "that is not six digits; try again");
        }
    }
    Err(PromptError {
        message: format!("no six-digit MFA code for {serial} after {TRIES} tries; {elsewhere}"),
    })
}
