//! What a person at a terminal gets beyond plain text: colour on state words and a spinner on
//! long waits — only when the stream is a terminal, `TERM` is not `dumb` and `NO_COLOR` is unset,
//! so pipes, files and scripts always get plain text.

use std::io::{IsTerminal as _, Write as _};

fn decorated(tty: bool) -> bool {
    tty && std::env::var_os("NO_COLOR").is_none() && std::env::var("TERM").map_or(true, |term| term != "dumb")
}

/// Whether standard output may carry colour.
pub fn stdout_decorated() -> bool {
    decorated(std::io::stdout().is_terminal())
}

/// Whether standard error may carry colour and redraw a line (the spinner).
pub fn stderr_decorated() -> bool {
    decorated(std::io::stderr().is_terminal())
}

/// A state word coloured by what it means: green done, yellow under way, red failed or ended
/// against the user's wish; anything else as is.
pub fn state(word: &str, colour: bool) -> String {
    if !colour {
        return word.to_string();
    }
    let code = match word {
        "active" | "ok" | "verified" | "available" | "succeeded" | "paid" => "32",
        "pending" | "provisioning" | "releasing" | "submitted" | "commissioning" | "maintenance" => "33",
        "failed" | "rejected" | "revoked" | "denied" | "failing" | "quarantined" => "31",
        _ => return word.to_string(),
    };
    format!("\x1b[{code}m{word}\x1b[0m")
}

const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// One line on standard error that redraws itself: a spinner and the latest progress.
pub struct Spinner {
    frame: usize,
}

impl Spinner {
    pub fn new() -> Spinner {
        Spinner { frame: 0 }
    }

    pub fn show(&mut self, text: &str) {
        self.frame = (self.frame + 1) % FRAMES.len();
        let mut err = std::io::stderr();
        let _ = write!(err, "\r\x1b[2K{} {text}", FRAMES[self.frame]);
        let _ = err.flush();
    }

    /// Clears the line, leaving the terminal as it was.
    pub fn done(self) {
        let mut err = std::io::stderr();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// Runs `work`, showing a spinner with `text` on standard error meanwhile when it is a terminal.
pub async fn while_waiting<T>(text: &str, work: impl std::future::Future<Output = T>) -> T {
    if !stderr_decorated() {
        return work.await;
    }
    tokio::pin!(work);
    let mut spinner = Spinner::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    loop {
        tokio::select! {
            out = &mut work => {
                spinner.done();
                return out;
            }
            _ = tick.tick() => spinner.show(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_words_are_coloured_only_when_asked() {
        assert_eq!(state("active", false), "active");
        assert_eq!(state("active", true), "\x1b[32mactive\x1b[0m");
        assert_eq!(state("failed", true), "\x1b[31mfailed\x1b[0m");
        assert_eq!(state("something-else", true), "something-else");
    }
}
