//! What cloud-init user-data this cloud deploys: `#cloud-config` YAML whose document is a
//! mapping, or a script with an interpreter line, at most [`USER_DATA_BYTES_MAX`].

use ingot_contracts::app_platform::UserDataKind;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The most user-data a deploy carries (MAAS and most clouds accept 16 KiB comfortably).
pub const USER_DATA_BYTES_MAX: usize = 16 * 1024;
/// Deeper YAML is refused: nothing in cloud-config needs it, and parsers pay for depth.
const YAML_DEPTH_MAX: usize = 32;

/// Checks user-data as a deploy would receive it; why not, in words a tenant can act on.
pub fn user_data_check(text: &str) -> Result<UserDataKind, String> {
    if text.len() > USER_DATA_BYTES_MAX {
        return Err(format!(
            "at most {USER_DATA_BYTES_MAX} bytes (this is {})",
            text.len()
        ));
    }
    if text.contains('\0') {
        return Err("no NUL characters".into());
    }
    let first = text.lines().next().unwrap_or_default().trim_end();
    if first == "#cloud-config" {
        yaml_check(text)?;
        return Ok(UserDataKind::CloudConfig);
    }
    if let Some(interpreter) = first.strip_prefix("#!") {
        if interpreter.trim_start().starts_with('/') {
            return Ok(UserDataKind::Script);
        }
        return Err("a script's first line names its interpreter: #!/bin/sh".into());
    }
    Err("must start with #cloud-config (YAML) or #! (a script such as #!/bin/bash)".into())
}

/// Reads the YAML as events, never building it: aliases are refused rather than expanded (a
/// few kilobytes of nested aliases expand to gigabytes), and so is anything but one mapping.
fn yaml_check(text: &str) -> Result<(), String> {
    #[derive(Default)]
    struct Shape {
        documents: usize,
        depth: usize,
        deepest: usize,
        aliases: usize,
        /// The first node of the first document: a mapping, or a plain empty scalar (empty).
        top: Option<&'static str>,
    }
    impl MarkedEventReceiver for Shape {
        fn on_event(&mut self, event: Event, _mark: Marker) {
            let first_node = self.depth == 0 && self.top.is_none();
            match event {
                Event::DocumentStart => self.documents += 1,
                Event::Alias(_) => self.aliases += 1,
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if first_node {
                        self.top = Some(if matches!(event, Event::MappingStart(..)) {
                            "mapping"
                        } else {
                            "list"
                        });
                    }
                    self.depth += 1;
                    self.deepest = self.deepest.max(self.depth);
                }
                Event::MappingEnd | Event::SequenceEnd => self.depth = self.depth.saturating_sub(1),
                Event::Scalar(value, ..) if first_node => {
                    self.top = Some(if value.is_empty() { "empty" } else { "scalar" });
                }
                _ => {}
            }
        }
    }
    let mut shape = Shape::default();
    Parser::new_from_str(text).load(&mut shape, true).map_err(|err| {
        format!(
            "not valid YAML: {} (line {}, column {})",
            err.info(),
            err.marker().line(),
            err.marker().col() + 1
        )
    })?;
    if shape.documents > 1 {
        return Err("one YAML document (no ---  separators)".into());
    }
    if shape.aliases > 0 {
        return Err("YAML aliases (*name) are not accepted: write the value out".into());
    }
    if shape.deepest > YAML_DEPTH_MAX {
        return Err(format!("nested at most {YAML_DEPTH_MAX} deep"));
    }
    match shape.top {
        None | Some("mapping" | "empty") => Ok(()),
        Some(other) => Err(format!(
            "a #cloud-config is a mapping (key: value lines), not a {other}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_config_mappings_and_scripts_pass() {
        assert_eq!(
            user_data_check("#cloud-config\npackages: [htop]\nruncmd:\n  - [echo, hi]\n"),
            Ok(UserDataKind::CloudConfig)
        );
        assert_eq!(user_data_check("#cloud-config\n"), Ok(UserDataKind::CloudConfig));
        assert_eq!(
            user_data_check("#!/bin/bash\necho hi\n"),
            Ok(UserDataKind::Script)
        );
        assert_eq!(
            user_data_check("#! /usr/bin/env python3\n"),
            Ok(UserDataKind::Script)
        );
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        let refused = |text: &str| user_data_check(text).unwrap_err();
        assert!(refused("packages: [htop]\n").contains("#cloud-config"));
        assert!(refused("#!bash\n").contains("interpreter"));
        let broken = refused("#cloud-config\npackages: [htop\nruncmd: x\n");
        assert!(
            broken.starts_with("not valid YAML") && broken.contains("line"),
            "{broken}"
        );
        assert!(refused("#cloud-config\n- a\n- b\n").contains("not a list"));
        assert!(refused("#cloud-config\njust words\n").contains("not a scalar"));
        assert!(refused("#cloud-config\na: 1\n---\nb: 2\n").contains("one YAML document"));
        let laughs = "#cloud-config\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n";
        assert!(refused(laughs).contains("aliases"));
        let deep = format!("#cloud-config\na: {}{}\n", "[".repeat(40), "]".repeat(40));
        assert!(refused(&deep).contains("nested"));
        let big = format!("#!/bin/sh\n{}", "#".repeat(USER_DATA_BYTES_MAX));
        assert!(refused(&big).contains("16384 bytes"));
        assert!(refused("#!/bin/sh\n\0").contains("NUL"));
    }
}
