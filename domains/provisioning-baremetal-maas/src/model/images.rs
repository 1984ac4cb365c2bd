//! Which operating systems a region can deploy, read off its boot resources.

use ingot_contracts::maas::{SiteImage, SitePolicy};

use crate::client::BootResource;

/// One deployable OS series a region has synchronised or been given, all its architectures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionImage {
    /// `ubuntu`, `centos`, `custom`…
    pub os: String,
    /// What a deploy names: `jammy`, `noble`, or a custom image's name.
    pub series: String,
    /// `Ubuntu 22.04 LTS`; the series when the region gives no title.
    pub title: String,
    /// `amd64`, `arm64`…, sorted.
    pub architectures: Vec<String>,
}

/// Boot resources that only start machines, never deployed: their names' first part.
const BOOTLOADERS: &[&str] = &[
    "grub-efi-signed",
    "grub-efi",
    "grub-ieee1275",
    "pxelinux",
    "uboot",
];

/// The deployable images among a region's boot resources, by (os, series), one entry per
/// series with every architecture it comes in.
pub fn region_images(resources: &[BootResource]) -> Vec<RegionImage> {
    let mut images: Vec<RegionImage> = Vec::new();
    for resource in resources {
        if !matches!(resource.kind.as_str(), "Synced" | "Uploaded") {
            continue;
        }
        let Some((os, series)) = resource.name.split_once('/') else {
            continue;
        };
        if os.is_empty() || series.is_empty() || BOOTLOADERS.contains(&os) {
            continue;
        }
        let arch = resource
            .architecture
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        match images.iter_mut().find(|i| i.os == os && i.series == series) {
            Some(image) => {
                if !arch.is_empty() && !image.architectures.contains(&arch) {
                    image.architectures.push(arch);
                    image.architectures.sort();
                }
                if image.title == image.series && !resource.title.is_empty() {
                    image.title.clone_from(&resource.title);
                }
            }
            None => images.push(RegionImage {
                os: os.to_string(),
                series: series.to_string(),
                title: if resource.title.is_empty() {
                    series.to_string()
                } else {
                    resource.title.clone()
                },
                architectures: if arch.is_empty() { Vec::new() } else { vec![arch] },
            }),
        }
    }
    images.sort_by(|a, b| (&a.os, &a.series).cmp(&(&b.os, &b.series)));
    images
}

/// The images a policy lets tenants deploy among those a region offers, in the policy's order,
/// named as the policy names them (`jammy` or `ubuntu/jammy`); the first is the default.
pub fn images_allowed(policy: &SitePolicy, offered: &[RegionImage]) -> Vec<SiteImage> {
    let mut allowed: Vec<SiteImage> = Vec::new();
    for name in &policy.allowed_images {
        let found = offered
            .iter()
            .find(|i| *name == i.series || *name == format!("{}/{}", i.os, i.series));
        if let Some(image) = found
            && !allowed.iter().any(|a| a.name == *name)
        {
            allowed.push(SiteImage {
                name: name.clone(),
                os: image.os.clone(),
                title: image.title.clone(),
                architectures: image.architectures.clone(),
                default: allowed.is_empty(),
            });
        }
    }
    allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(kind: &str, name: &str, architecture: &str, title: &str) -> BootResource {
        BootResource {
            id: 1,
            kind: kind.into(),
            name: name.into(),
            architecture: architecture.into(),
            title: title.into(),
        }
    }

    #[test]
    fn one_image_per_series_with_all_its_architectures_and_no_bootloaders() {
        let images = region_images(&[
            resource("Synced", "grub-efi-signed/uefi", "amd64/generic", ""),
            resource("Synced", "pxelinux/pxe", "i386/generic", ""),
            resource("Synced", "ubuntu/noble", "arm64/ga-24.04", ""),
            resource("Synced", "ubuntu/noble", "amd64/ga-24.04", "Ubuntu 24.04 LTS"),
            resource("Synced", "ubuntu/jammy", "amd64/hwe-22.04", "Ubuntu 22.04 LTS"),
            resource("Synced", "ubuntu/jammy", "amd64/ga-22.04", "Ubuntu 22.04 LTS"),
            resource("Uploaded", "custom/cuda-base", "amd64/generic", ""),
            resource("Generated", "ubuntu/focal", "amd64/ga-20.04", ""),
            resource("Synced", "broken", "amd64/generic", ""),
        ]);
        let summary: Vec<_> = images
            .iter()
            .map(|i| {
                (
                    i.os.as_str(),
                    i.series.as_str(),
                    i.title.as_str(),
                    i.architectures.join(","),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("custom", "cuda-base", "cuda-base", "amd64".to_string()),
                ("ubuntu", "jammy", "Ubuntu 22.04 LTS", "amd64".to_string()),
                ("ubuntu", "noble", "Ubuntu 24.04 LTS", "amd64,arm64".to_string()),
            ]
        );
    }

    #[test]
    fn a_policy_keeps_what_it_allows_and_the_region_offers_in_its_own_order() {
        let offered = region_images(&[
            resource("Synced", "ubuntu/jammy", "amd64/ga-22.04", "Ubuntu 22.04 LTS"),
            resource("Synced", "ubuntu/noble", "amd64/ga-24.04", "Ubuntu 24.04 LTS"),
        ]);
        let policy = SitePolicy {
            allowed_images: vec![
                "focal".into(),
                "ubuntu/noble".into(),
                "jammy".into(),
                "noble".into(),
            ],
            ..SitePolicy::default()
        };
        let allowed = images_allowed(&policy, &offered);
        let names: Vec<_> = allowed.iter().map(|i| (i.name.as_str(), i.default)).collect();
        // focal is allowed but not offered; noble is named twice and listed under both names.
        assert_eq!(
            names,
            [("ubuntu/noble", true), ("jammy", false), ("noble", false)]
        );
        assert!(
            images_allowed(
                &SitePolicy {
                    allowed_images: vec!["focal".into()],
                    ..policy
                },
                &offered
            )
            .is_empty()
        );
    }
}
