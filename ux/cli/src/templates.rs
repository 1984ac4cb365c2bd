//! `ingot templates list|show|create|replace|delete|render`: cloud-init templates. Values given
//! as `--var NAME=VALUE` are typed by the template's own declarations (so `--var port=80` is a
//! number where the template says integer, and text where it says string).

use anyhow::Context as _;
use clap::Subcommand;
use ingot_kernel::id::ProjectId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::app_platform::{TemplateRequest, TemplateValues, TemplateView};
use serde_json::{Map, Value};

use crate::OutputFormat;
use crate::output::{emit, json_or_id, word};

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// The built-ins and the project's own templates.
    List {
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// One template: its variables and body.
    Show {
        /// Id or name.
        template: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Keep a template: a body file (#cloud-config YAML or a #! script with {{ variable }}
    /// placeholders) and its variables as a JSON list.
    Create {
        name: String,
        #[arg(long, value_name = "FILE")]
        body: std::path::PathBuf,
        /// A JSON file: [{"name": "port", "kind": "integer", "default": 8080}, …]
        #[arg(long, value_name = "FILE")]
        variables: Option<std::path::PathBuf>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Replace a template whole (its version goes up by one).
    Replace {
        /// Id or name of the template replaced.
        template: String,
        /// Its name from now on [default: unchanged].
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "FILE")]
        body: std::path::PathBuf,
        #[arg(long, value_name = "FILE")]
        variables: Option<std::path::PathBuf>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    Delete {
        template: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Render with values and check the result as a deploy would; prints the user-data.
    Render {
        template: String,
        /// NAME=VALUE (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE")]
        vars: Vec<String>,
        #[arg(long)]
        project: Option<ProjectId>,
    },
}

/// `NAME=VALUE` pairs typed by the template's declarations; names it does not declare (and the
/// platform's `ingot_…` names) are sent as text, for the server to judge.
pub(crate) fn values_typed(template: &TemplateView, vars: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut values = Map::new();
    for pair in vars {
        let (name, text) = pair
            .split_once('=')
            .with_context(|| format!("--var {pair}: expected NAME=VALUE"))?;
        let value = template
            .value_typed(name, text)
            .map_err(|why| anyhow::anyhow!("--var {why}"))?;
        values.insert(name.to_string(), value);
    }
    Ok(values)
}

fn request_read(
    name: String,
    body: &std::path::Path,
    variables: Option<&std::path::Path>,
    description: String,
) -> anyhow::Result<TemplateRequest> {
    let body = std::fs::read_to_string(body).with_context(|| format!("reading {}", body.display()))?;
    let variables = match variables {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{}: a JSON list of variables", path.display()))?
        }
        None => Vec::new(),
    };
    Ok(TemplateRequest {
        name,
        description,
        variables,
        body,
    })
}

fn list_print(format: OutputFormat, templates: &[TemplateView]) -> anyhow::Result<()> {
    emit(format, &templates, || {
        let rows = templates
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    if t.builtin {
                        "built-in".into()
                    } else {
                        format!("v{}", t.version)
                    },
                    t.variables
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    t.description.clone(),
                ]
            })
            .collect();
        (
            String::new(),
            vec!["NAME", "VERSION", "VARIABLES", "DESCRIPTION"],
            rows,
        )
    })
}

fn show_print(format: OutputFormat, template: &TemplateView) -> anyhow::Result<()> {
    if format.is_data() {
        return crate::output::data_print(format, template);
    }
    println!(
        "{} ({})",
        template.name,
        if template.builtin {
            "built-in".to_string()
        } else {
            format!("v{}", template.version)
        }
    );
    if !template.description.is_empty() {
        println!("{}", template.description);
    }
    for v in &template.variables {
        let default = v
            .default
            .as_ref()
            .map_or_else(|| "required".to_string(), |d| format!("default {d}"));
        let choices = if v.choices.is_empty() {
            String::new()
        } else {
            format!(" [{}]", v.choices.join("|"))
        };
        println!(
            "  {} {}{choices} ({default}) {}",
            v.name,
            word(&v.kind),
            v.description
        );
    }
    println!("---\n{}", template.body);
    Ok(())
}

pub async fn templates_run(
    client: &Client,
    format: OutputFormat,
    command: TemplatesCommand,
) -> anyhow::Result<()> {
    match command {
        TemplatesCommand::List { project } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            list_print(format, &client.templates_list(project).await?)
        }
        TemplatesCommand::Show { template, project } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            show_print(format, &client.template_get(project, &template).await?)
        }
        TemplatesCommand::Create {
            name,
            body,
            variables,
            description,
            project,
        } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            let request = request_read(name, &body, variables.as_deref(), description)?;
            let created = client.template_create(project, &request).await?;
            json_or_id(format, &created, |t| {
                format!("template {} created (v{})", t.name, t.version)
            })
        }
        TemplatesCommand::Replace {
            template,
            name,
            body,
            variables,
            description,
            project,
        } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            let name = match name {
                Some(name) => name,
                None => client.template_get(project, &template).await?.name,
            };
            let request = request_read(name, &body, variables.as_deref(), description)?;
            let replaced = client.template_replace(project, &template, &request).await?;
            json_or_id(format, &replaced, |t| {
                format!("template {} replaced (v{})", t.name, t.version)
            })
        }
        TemplatesCommand::Delete { template, project } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            client.template_delete(project, &template).await?;
            eprintln!("template {template} deleted");
            Ok(())
        }
        TemplatesCommand::Render {
            template,
            vars,
            project,
        } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            let found = client.template_get(project, &template).await?;
            let values = TemplateValues {
                variables: values_typed(&found, &vars)?,
            };
            let rendered = client.template_render(project, &template, &values).await?;
            json_or_id(format, &rendered, |r| r.user_data.clone())
        }
    }
}
