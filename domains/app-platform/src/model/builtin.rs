//! The templates every project sees. Their names start with `ingot-`; they are versioned with
//! the code (a change bumps [`BUILTIN_VERSION`]).

use ingot_contracts::app_platform::{TemplateRequest, TemplateVariable, VariableKind};
use serde_json::Value;

/// The built-ins' version, shown on each.
pub const BUILTIN_VERSION: u32 = 1;

fn variable(
    name: &str,
    kind: VariableKind,
    description: &str,
    default: Value,
    choices: &[&str],
) -> TemplateVariable {
    TemplateVariable {
        name: name.into(),
        kind,
        description: description.into(),
        default: Some(default),
        choices: choices.iter().map(|c| (*c).to_string()).collect(),
    }
}

const NVIDIA_CUDA: &str = r#"#cloud-config
# The NVIDIA server driver from Ubuntu's archive, the CUDA toolkit from NVIDIA's repository, then
# a check that the driver sees at least the GPUs expected: if not, cloud-init reports an error
# (`cloud-init status` says so) and /var/log/ingot-gpu-check.log says why.
package_update: true
packages:
  - build-essential
  - ubuntu-drivers-common
  - wget
runcmd:
  - [sh, -c, "ubuntu-drivers install --gpgpu nvidia:{{ driver_branch }}-server"]
  - [sh, -c, ". /etc/os-release && repo=ubuntu$(echo $VERSION_ID | tr -d .) && wget -q -O /tmp/cuda-keyring.deb https://developer.download.nvidia.com/compute/cuda/repos/$repo/x86_64/cuda-keyring_1.1-1_all.deb && dpkg -i /tmp/cuda-keyring.deb && apt-get update && apt-get install -y cuda-toolkit-{{ cuda_version }}"]
  - [sh, -c, "modprobe nvidia && nvidia-smi -L > /var/log/ingot-gpu-check.log 2>&1; test $(grep -c '^GPU ' /var/log/ingot-gpu-check.log) -ge {{ expected_gpus }}"]
"#;

const DOCKER_HOST: &str = r#"#cloud-config
# Docker Engine and Compose from Ubuntu's archive, started at boot; the login user may run
# containers; a first container proves it (/var/log/ingot-docker-check.log).
package_update: true
packages:
  - docker.io
  - docker-compose-v2
runcmd:
  - [systemctl, enable, --now, docker]
  - [usermod, -aG, docker, {{ user | json }}]
  - [sh, -c, "docker run --rm hello-world > /var/log/ingot-docker-check.log 2>&1"]
"#;

const K3S_CLUSTER: &str = r#"#!/bin/sh
# A k3s cluster for `ingot clusters create`: the head node runs the server, every other node
# joins it as an agent with the cluster's token.
set -eu
export INSTALL_K3S_CHANNEL={{ channel }}
export K3S_TOKEN={{ ingot_cluster_token }}
case {{ ingot_role }} in
  head)
    curl -sfL https://get.k3s.io | sh -s - server --node-name {{ ingot_cluster_name }}-head
    ;;
  *)
    curl -sfL https://get.k3s.io | K3S_URL=https://{{ ingot_head_address }}:6443 \
      sh -s - agent --node-name {{ ingot_cluster_name }}-{{ ingot_role }}-{{ ingot_node_index }}
    ;;
esac
"#;

/// The built-in templates, by name.
pub fn builtins() -> Vec<TemplateRequest> {
    vec![
        TemplateRequest {
            name: "ingot-docker-host".into(),
            description: "Docker Engine and Compose, started at boot, usable by the login user.".into(),
            variables: vec![variable(
                "user",
                VariableKind::String,
                "The login user added to the docker group.",
                Value::from("ubuntu"),
                &[],
            )],
            body: DOCKER_HOST.into(),
        },
        TemplateRequest {
            name: "ingot-k3s-cluster".into(),
            description:
                "A k3s Kubernetes cluster: a head node running the server, workers joining it. For clusters."
                    .into(),
            variables: vec![variable(
                "channel",
                VariableKind::Choice,
                "The k3s release channel.",
                Value::from("stable"),
                &["stable", "latest"],
            )],
            body: K3S_CLUSTER.into(),
        },
        TemplateRequest {
            name: "ingot-nvidia-cuda".into(),
            description:
                "NVIDIA server driver and CUDA toolkit, with a boot-time check that every GPU is seen.".into(),
            variables: vec![
                variable(
                    "driver_branch",
                    VariableKind::Choice,
                    "The NVIDIA server driver branch.",
                    Value::from("550"),
                    &["535", "550", "570"],
                ),
                variable(
                    "cuda_version",
                    VariableKind::Choice,
                    "The CUDA toolkit release.",
                    Value::from("12-6"),
                    &["12-4", "12-6", "12-8"],
                ),
                variable(
                    "expected_gpus",
                    VariableKind::Integer,
                    "The boot fails its check when the driver sees fewer GPUs.",
                    Value::from(1),
                    &[],
                ),
            ],
            body: NVIDIA_CUDA.into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::*;
    use crate::model::template::{BUILTIN_PREFIX, template_check, template_render};

    #[test]
    fn every_builtin_is_a_sound_template_that_renders_with_its_defaults() {
        let all = builtins();
        assert_eq!(all.len(), 3);
        for template in &all {
            assert!(template.name.starts_with(BUILTIN_PREFIX));
            assert_eq!(template_check(template, true), Vec::new(), "{}", template.name);
        }
        let cuda = all.iter().find(|t| t.name == "ingot-nvidia-cuda").unwrap();
        let values: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"expected_gpus": 8})).unwrap();
        let (text, _) = template_render(cuda, &values, &Map::new()).unwrap();
        assert!(
            text.contains("nvidia:550-server")
                && text.contains("cuda-toolkit-12-6")
                && text.contains("-ge 8")
        );
        let k3s = all.iter().find(|t| t.name == "ingot-k3s-cluster").unwrap();
        let context: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "ingot_cluster_name": "lab", "ingot_role": "worker", "ingot_node_index": "2",
            "ingot_head_address": "10.0.0.5", "ingot_cluster_token": "abc123"}))
        .unwrap();
        let (text, _) = template_render(k3s, &Map::new(), &context).unwrap();
        assert!(
            text.contains("K3S_URL=https://10.0.0.5:6443") && text.contains("--node-name lab-worker-2"),
            "{text}"
        );
    }
}
