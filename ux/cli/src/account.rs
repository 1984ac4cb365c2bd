//! Your own account from the terminal: sign-up, log-out, password, two-factor, sessions, and
//! approving another device's `ingot login`. Secrets are read from a prompt, or from standard
//! input (one per line) when it is not a terminal; they are never arguments.

use std::io::{BufRead as _, IsTerminal as _};

use anyhow::Context as _;
use clap::Subcommand;
use ingot_kernel::id::SessionId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::iam::{
    DeviceDecisionRequest, PasswordChangeRequest, PasswordResetConfirm, PasswordResetRequest, SignupRequest,
    TotpCodeRequest,
};

use crate::OutputFormat;
use crate::config;
use crate::output::{self, emit};

#[derive(Debug, Subcommand)]
pub enum PasswordCommand {
    /// Change your password (asks for the current one, then the new one); your other sessions end.
    Change,
    /// Ask for a reset token by email (answers the same whether or not the account exists).
    ResetRequest {
        #[arg(long)]
        email: String,
    },
    /// Set a new password with a reset token (asks for the token, then the new password).
    Reset,
}

#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Start two-factor enrolment: prints the secret and an otpauth:// address for your app.
    Enrol,
    /// Finish enrolment with a code from your app; prints recovery codes, once.
    Confirm { code: String },
    /// Turn two-factor off (a current code or a recovery code).
    Disable { code: String },
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Your live sessions (browsers, CLIs); the one in use is marked.
    List,
    /// End one of them.
    Revoke { id: SessionId },
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// What is asking with this code (another terminal's `ingot login`).
    Show {
        code: String,
    },
    /// Let it in: it gets a session of yours.
    Approve {
        code: String,
    },
    Deny {
        code: String,
    },
}

/// One secret: prompted on a terminal, else the next line of standard input.
fn secret_read(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).context("cannot read it from the terminal");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read it from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn signup_run(
    client: &Client,
    settings: &config::Settings,
    format: OutputFormat,
    request: SignupRequest,
) -> anyhow::Result<()> {
    let created = client.signup(&request).await?;
    let path = config::login_save(&settings.profile, &settings.server, &created.session_token)?;
    output::json_or_id(format, &created.user, |user| user.id.to_string())?;
    eprintln!(
        "signed up as {}; tenant {}; session kept in {}",
        created.user.email,
        created
            .tenant
            .as_ref()
            .map(|t| t.id.to_string())
            .unwrap_or_default(),
        path.display()
    );
    Ok(())
}

pub async fn logout_run(client: &Client, profile: &str) -> anyhow::Result<()> {
    client.logout().await?;
    let forgotten = config::token_forget(profile)?;
    eprintln!(
        "logged out{}",
        if forgotten {
            "; the session is gone from the config file"
        } else {
            ""
        }
    );
    Ok(())
}

pub async fn password_run(client: &Client, command: PasswordCommand) -> anyhow::Result<()> {
    match command {
        PasswordCommand::Change => {
            let current_password = secret_read("Current password: ")?;
            let new_password = secret_read("New password: ")?;
            client
                .password_change(&PasswordChangeRequest {
                    current_password,
                    new_password,
                })
                .await?;
            eprintln!("password changed; your other sessions ended");
        }
        PasswordCommand::ResetRequest { email } => {
            client
                .password_reset_request(&PasswordResetRequest { email })
                .await?;
            eprintln!("if the account exists, a reset token is on its way (it lasts an hour)");
        }
        PasswordCommand::Reset => {
            let token = secret_read("Reset token: ")?;
            let new_password = secret_read("New password: ")?;
            client
                .password_reset_confirm(&PasswordResetConfirm { token, new_password })
                .await?;
            eprintln!("password set; every session of the account ended: log in again");
        }
    }
    Ok(())
}

pub async fn mfa_run(client: &Client, format: OutputFormat, command: MfaCommand) -> anyhow::Result<()> {
    match command {
        MfaCommand::Enrol => {
            let enrolment = client.mfa_totp_enrol().await?;
            output::json_or_id(format, &enrolment, |e| {
                format!(
                    "secret {}\n{}\nAdd it to your authenticator app, then: ingot mfa confirm CODE",
                    e.secret, e.otpauth_uri
                )
            })?;
        }
        MfaCommand::Confirm { code } => {
            let codes = client.mfa_totp_confirm(&TotpCodeRequest { code }).await?;
            eprintln!(
                "two-factor is on; keep these recovery codes somewhere safe, they are shown this once:"
            );
            output::json_or_id(format, &codes, |c| c.recovery_codes.join("\n"))?;
        }
        MfaCommand::Disable { code } => {
            client.mfa_totp_disable(&TotpCodeRequest { code }).await?;
            eprintln!("two-factor is off");
        }
    }
    Ok(())
}

pub async fn sessions_run(
    client: &Client,
    format: OutputFormat,
    command: SessionsCommand,
) -> anyhow::Result<()> {
    match command {
        SessionsCommand::List => {
            let sessions = client.session_list().await?;
            emit(format, &sessions, || {
                let rows = sessions
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.created_at.to_string(),
                            s.last_seen_at.to_string(),
                            s.source_ip.clone().unwrap_or_default(),
                            if s.current { "this one" } else { "" }.into(),
                        ]
                    })
                    .collect();
                (
                    String::new(),
                    vec!["ID", "CREATED", "LAST SEEN", "FROM", ""],
                    rows,
                )
            })?;
        }
        SessionsCommand::Revoke { id } => {
            client.session_revoke(id).await?;
            eprintln!("session {id} ended");
        }
    }
    Ok(())
}

pub async fn device_run(client: &Client, format: OutputFormat, command: DeviceCommand) -> anyhow::Result<()> {
    let (user_code, approve) = match command {
        DeviceCommand::Show { code } => {
            let grant = client.device_grant_get(&code).await?;
            return output::json_or_id(format, &grant, |g| {
                format!(
                    "{} · {} · asked from {} at {} · {}",
                    g.user_code,
                    g.client_name,
                    g.requested_from.as_deref().unwrap_or("an unknown address"),
                    g.requested_at,
                    output::word(&g.state)
                )
            });
        }
        DeviceCommand::Approve { code } => (code, true),
        DeviceCommand::Deny { code } => (code, false),
    };
    let grant = client
        .device_decide(&DeviceDecisionRequest { user_code, approve })
        .await?;
    output::json_or_id(format, &grant, |g| {
        format!("{} {}: {}", g.user_code, output::word(&g.state), g.client_name)
    })
}
