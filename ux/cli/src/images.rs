//! `ingot images`: the OS images you may deploy, per site.

use ingot_sdk::Client;

use crate::OutputFormat;
use crate::output::emit;

pub async fn images_run(client: &Client, format: OutputFormat, site: Option<String>) -> anyhow::Result<()> {
    let images = client.images_list(site.as_deref()).await?;
    emit(format, &images, || {
        let rows = images
            .iter()
            .map(|i| {
                vec![
                    i.site.clone(),
                    if i.default {
                        format!("{} (default)", i.name)
                    } else {
                        i.name.clone()
                    },
                    i.title.clone(),
                    i.architectures.join(","),
                ]
            })
            .collect();
        (
            String::new(),
            vec!["SITE", "IMAGE", "TITLE", "ARCHITECTURES"],
            rows,
        )
    })
}
