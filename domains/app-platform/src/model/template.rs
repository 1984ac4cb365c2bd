//! Templates: a body with `{{ variable }}` placeholders and the typed variables it declares.
//! A placeholder is `{{`, optional spaces, a lower-case name, optionally `| json`, `}}`; any
//! other `{{` is plain text (so Go templates such as `{{.Names}}` in a script pass through).

use std::collections::BTreeSet;

use ingot_contracts::app_platform::{TemplateRequest, TemplateVariable, UserDataKind, VariableKind};
use serde_json::{Map, Value};

use super::user_data::{USER_DATA_BYTES_MAX, user_data_check};

/// What the platform fills in for a cluster's nodes; templates may use them undeclared.
pub const CONTEXT_VARIABLES: [&str; 5] = [
    "ingot_cluster_name",
    "ingot_role",
    "ingot_node_index",
    "ingot_head_address",
    "ingot_cluster_token",
];
/// Names of the built-in templates start with this; project templates may not.
pub const BUILTIN_PREFIX: &str = "ingot-";
const VARIABLES_MAX: usize = 32;
const CHOICES_MAX: usize = 64;
const TEXT_CHARS_MAX: usize = 1_024;
const DESCRIPTION_CHARS_MAX: usize = 500;

type FieldErrors = Vec<(String, String)>;

/// One piece of a parsed body.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder { name: &'a str, json: bool },
}

fn name_is_variable(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits a body into text and placeholders; an opened placeholder never closed is an error.
fn pieces(body: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        let inner_start = open + 2;
        let after = &rest[inner_start..];
        let looks_like = after
            .trim_start_matches(' ')
            .starts_with(|c: char| c.is_ascii_lowercase());
        if !looks_like {
            out.push(Piece::Text(&rest[..inner_start]));
            offset += inner_start;
            rest = after;
            continue;
        }
        let Some(close) = after.find("}}") else {
            let line = body[..offset + open].lines().count().max(1);
            return Err(format!("a {{{{ on line {line} is never closed with }}}}"));
        };
        let inner = after[..close].trim();
        let (name, json) = match inner.split_once('|') {
            Some((name, filter)) if filter.trim() == "json" => (name.trim(), true),
            Some((_, filter)) => {
                return Err(format!(
                    "unknown filter `{}` in {{{{ {inner} }}}}: the only filter is json",
                    filter.trim()
                ));
            }
            None => (inner, false),
        };
        if !name_is_variable(name) {
            return Err(format!("`{name}` in {{{{ {inner} }}}} is not a variable name"));
        }
        out.push(Piece::Text(&rest[..open]));
        out.push(Piece::Placeholder { name, json });
        offset += inner_start + close + 2;
        rest = &after[close + 2..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

fn one_line_printable(text: &str) -> bool {
    text.chars().count() <= TEXT_CHARS_MAX && !text.chars().any(char::is_control)
}

/// Why `value` is not a value of `variable`, if it is not.
fn value_problem(variable: &TemplateVariable, value: &Value) -> Option<String> {
    match (variable.kind, value) {
        (VariableKind::String, Value::String(text)) if one_line_printable(text) => None,
        (VariableKind::String, _) => Some(format!(
            "a string of at most {TEXT_CHARS_MAX} characters on one line"
        )),
        (VariableKind::Integer, Value::Number(n)) if n.is_i64() => None,
        (VariableKind::Integer, _) => Some("an integer".into()),
        (VariableKind::Boolean, Value::Bool(_)) => None,
        (VariableKind::Boolean, _) => Some("true or false".into()),
        (VariableKind::Choice, Value::String(text)) if variable.choices.contains(text) => None,
        (VariableKind::Choice, _) => Some(format!("one of {}", variable.choices.join(", "))),
    }
}

/// A stand-in value of each kind, to try a template's body before anyone renders it.
fn sample(variable: &TemplateVariable) -> Value {
    match variable.kind {
        VariableKind::String => Value::String("sample".into()),
        VariableKind::Integer => Value::from(1),
        VariableKind::Boolean => Value::Bool(true),
        VariableKind::Choice => Value::String(variable.choices.first().cloned().unwrap_or_default()),
    }
}

/// Field errors of a template as given (`reserved_ok` for the built-ins, which use the
/// reserved prefix), empty when it can be kept. The body is tried with stand-in values, so a
/// template that could never render to valid user-data is refused when it is written.
pub fn template_check(request: &TemplateRequest, reserved_ok: bool) -> FieldErrors {
    let mut errors: FieldErrors = Vec::new();
    let name = &request.name;
    let name_ok = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !name_ok {
        errors.push((
            "name".into(),
            "1 to 64 of a-z, 0-9, '-', starting with a letter".into(),
        ));
    } else if name.starts_with(BUILTIN_PREFIX) && !reserved_ok {
        errors.push((
            "name".into(),
            format!("names starting with {BUILTIN_PREFIX} are the built-ins'"),
        ));
    }
    if request.description.chars().count() > DESCRIPTION_CHARS_MAX {
        errors.push((
            "description".into(),
            format!("at most {DESCRIPTION_CHARS_MAX} characters"),
        ));
    }
    if request.variables.len() > VARIABLES_MAX {
        errors.push(("variables".into(), format!("at most {VARIABLES_MAX}")));
    }
    let mut seen = BTreeSet::new();
    for (i, variable) in request.variables.iter().enumerate() {
        let field = |what: &str| format!("variables[{i}].{what}");
        if !name_is_variable(&variable.name) || variable.name.starts_with("ingot_") {
            errors.push((
                field("name"),
                "a-z, 0-9, '_', starting with a letter; not ingot_…".into(),
            ));
        } else if !seen.insert(variable.name.as_str()) {
            errors.push((field("name"), format!("{} is declared twice", variable.name)));
        }
        if variable.description.chars().count() > DESCRIPTION_CHARS_MAX {
            errors.push((
                field("description"),
                format!("at most {DESCRIPTION_CHARS_MAX} characters"),
            ));
        }
        let choices_ok = !variable.choices.is_empty()
            && variable.choices.len() <= CHOICES_MAX
            && variable
                .choices
                .iter()
                .all(|c| !c.is_empty() && one_line_printable(c));
        match variable.kind {
            VariableKind::Choice if !choices_ok => {
                errors.push((field("choices"), format!("1 to {CHOICES_MAX} one-line values")));
            }
            VariableKind::String | VariableKind::Integer | VariableKind::Boolean
                if !variable.choices.is_empty() =>
            {
                errors.push((field("choices"), "only a choice has choices".into()));
            }
            _ => {}
        }
        if let Some(default) = &variable.default
            && let Some(problem) = value_problem(variable, default)
        {
            errors.push((field("default"), problem));
        }
    }
    if request.body.len() > USER_DATA_BYTES_MAX {
        errors.push(("body".into(), format!("at most {USER_DATA_BYTES_MAX} bytes")));
        return errors;
    }
    match pieces(&request.body) {
        Err(problem) => errors.push(("body".into(), problem)),
        Ok(parsed) => {
            for piece in &parsed {
                if let Piece::Placeholder { name, .. } = piece
                    && !seen.contains(name)
                    && !CONTEXT_VARIABLES.contains(name)
                {
                    errors.push((
                        "body".into(),
                        format!("{{{{ {name} }}}} is not a declared variable"),
                    ));
                }
            }
            if errors.is_empty() {
                let values: Map<String, Value> = request
                    .variables
                    .iter()
                    .map(|v| (v.name.clone(), sample(v)))
                    .collect();
                let context: Map<String, Value> = CONTEXT_VARIABLES
                    .iter()
                    .map(|name| ((*name).to_string(), Value::String("sample".into())))
                    .collect();
                if let Err(problems) = template_render(request, &values, &context) {
                    errors.extend(problems.into_iter().map(|(_, p)| ("body".to_string(), p)));
                }
            }
        }
    }
    errors
}

/// Renders a (checked) template with a caller's `values` and the platform's `context`
/// (`ingot_…` names), then checks the result as any user-data; errors by field
/// (`variables.NAME`, or `user_data` for the rendered text).
pub fn template_render(
    template: &TemplateRequest,
    values: &Map<String, Value>,
    context: &Map<String, Value>,
) -> Result<(String, UserDataKind), FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    for key in values.keys() {
        if !template.variables.iter().any(|v| &v.name == key) {
            errors.push((
                format!("variables.{key}"),
                "not a variable of this template".into(),
            ));
        }
    }
    let mut resolved: Map<String, Value> = Map::new();
    for variable in &template.variables {
        match values.get(&variable.name).or(variable.default.as_ref()) {
            None => errors.push((format!("variables.{}", variable.name), "required".into())),
            Some(value) => match value_problem(variable, value) {
                Some(problem) => errors.push((format!("variables.{}", variable.name), problem)),
                None => {
                    resolved.insert(variable.name.clone(), value.clone());
                }
            },
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let parsed = pieces(&template.body).map_err(|p| vec![("body".to_string(), p)])?;
    let mut out = String::with_capacity(template.body.len());
    for piece in parsed {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder { name, json } => {
                let Some(value) = resolved.get(name).or_else(|| context.get(name)) else {
                    return Err(vec![(
                        "template".into(),
                        format!("{{{{ {name} }}}} is filled in by clusters: use this template in a cluster"),
                    )]);
                };
                match (value, json) {
                    (Value::String(text), false) => out.push_str(text),
                    (other, _) => out.push_str(&other.to_string()),
                }
            }
        }
    }
    let kind = user_data_check(&out).map_err(|problem| vec![("user_data".to_string(), problem)])?;
    Ok((out, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(
        name: &str,
        kind: VariableKind,
        default: Option<Value>,
        choices: &[&str],
    ) -> TemplateVariable {
        TemplateVariable {
            name: name.into(),
            kind,
            description: String::new(),
            default,
            choices: choices.iter().map(|c| (*c).to_string()).collect(),
        }
    }

    fn web() -> TemplateRequest {
        TemplateRequest {
            name: "web".into(),
            description: "a web server".into(),
            variables: vec![
                variable("greeting", VariableKind::String, None, &[]),
                variable("port", VariableKind::Integer, Some(Value::from(8080)), &[]),
                variable("tls", VariableKind::Boolean, Some(Value::Bool(false)), &[]),
                variable("size", VariableKind::Choice, Some(Value::from("s")), &["s", "m"]),
            ],
            body: "#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: {{ greeting | json }}\n\
                   runcmd:\n  - [sh, -c, \"echo {{port}} {{ tls }} {{ size }}; docker ps --format '{{.Names}}'\"]\n"
                .into(),
        }
    }

    #[test]
    fn a_template_renders_typed_values_and_defaults() {
        assert!(
            template_check(&web(), false).is_empty(),
            "{:?}",
            template_check(&web(), false)
        );
        let values: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"greeting": "hi: \"you\"", "size": "m"})).unwrap();
        let (text, kind) = template_render(&web(), &values, &Map::new()).unwrap();
        assert_eq!(kind, UserDataKind::CloudConfig);
        assert!(text.contains(r#"content: "hi: \"you\"""#), "{text}");
        assert!(
            text.contains("echo 8080 false m; docker ps --format '{{.Names}}'"),
            "{text}"
        );
    }

    #[test]
    fn bad_values_are_refused_by_variable() {
        let values: Map<String, Value> = serde_json::from_value(
            serde_json::json!({"port": "80", "tls": 1, "size": "xl", "colour": "red"}),
        )
        .unwrap();
        let errors = template_render(&web(), &values, &Map::new()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "variables.colour",
                "variables.greeting",
                "variables.port",
                "variables.tls",
                "variables.size"
            ]
        );
        // A string value that would add YAML lines is refused, not rendered.
        let values: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"greeting": "x\nruncmd: [rm -rf /]"})).unwrap();
        assert_eq!(
            template_render(&web(), &values, &Map::new()).unwrap_err()[0].0,
            "variables.greeting"
        );
        // A raw value that breaks the YAML is caught by the check of the rendered text.
        let mut raw = web();
        raw.body = "#cloud-config\nmotd: {{ greeting }}\n".into();
        let values: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"greeting": "a: b: c"})).unwrap();
        assert_eq!(
            template_render(&raw, &values, &Map::new()).unwrap_err()[0].0,
            "user_data"
        );
    }

    #[test]
    fn broken_templates_are_refused_when_written() {
        let fields = |t: &TemplateRequest| -> Vec<String> {
            template_check(t, false).into_iter().map(|(f, _)| f).collect()
        };
        let mut t = web();
        t.name = "ingot-web".into();
        t.variables[1].default = Some(Value::from("eighty"));
        t.variables[3].choices.clear();
        t.variables
            .push(variable("port", VariableKind::Integer, None, &[]));
        assert_eq!(
            fields(&t),
            [
                "name",
                "variables[1].default",
                "variables[3].choices",
                "variables[3].default",
                "variables[4].name"
            ]
        );
        let mut t = web();
        t.body = "#cloud-config\nmotd: {{ missing }}\n".into();
        assert_eq!(fields(&t), ["body"]);
        t.body = "#cloud-config\nmotd: {{ greeting \n".into();
        assert!(template_check(&t, false)[0].1.contains("never closed"));
        t.body = "#cloud-config\nmotd: {{ greeting | upper }}\n".into();
        assert!(template_check(&t, false)[0].1.contains("unknown filter"));
        // Valid placeholders in a body that can never be valid YAML.
        t.body = "#cloud-config\n- {{ greeting }}\n".into();
        assert_eq!(fields(&t), ["body"]);
        t.body = "echo {{ greeting }}\n".into();
        assert!(template_check(&t, false)[0].1.contains("#cloud-config"));
    }

    #[test]
    fn cluster_variables_come_from_the_platform() {
        let mut t = web();
        t.body = "#!/bin/sh\necho {{ ingot_role }} {{ ingot_head_address }}\n".into();
        assert!(template_check(&t, false).is_empty());
        let values: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"greeting": "hi"})).unwrap();
        let errors = template_render(&t, &values, &Map::new()).unwrap_err();
        assert!(errors[0].1.contains("cluster"), "{errors:?}");
        let context: Map<String, Value> = serde_json::from_value(
            serde_json::json!({"ingot_role": "worker", "ingot_head_address": "10.0.0.5"}),
        )
        .unwrap();
        let (text, kind) = template_render(&t, &values, &context).unwrap();
        assert_eq!(
            (text.as_str(), kind),
            ("#!/bin/sh\necho worker 10.0.0.5\n", UserDataKind::Script)
        );
    }
}
