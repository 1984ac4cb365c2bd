//! Tenants' cloud-init: user-data as given (`#cloud-config` YAML or a `#!` script), and templates
//! with variables (a JSON `{"template": …, "values": …}`): checked and rendered without panicking,
//! and whatever renders is user-data the check accepts.
#![no_main]

use ingot_app_platform::model::template::{template_check, template_render};
use ingot_app_platform::model::user_data::user_data_check;
use ingot_contracts::app_platform::TemplateRequest;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

#[derive(serde::Deserialize)]
struct Rendering {
    template: TemplateRequest,
    #[serde(default)]
    values: Map<String, Value>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = user_data_check(text);
    let Ok(rendering) = serde_json::from_str::<Rendering>(text) else {
        return;
    };
    if !template_check(&rendering.template, false).is_empty() {
        return;
    }
    if let Ok((rendered, kind)) = template_render(&rendering.template, &rendering.values, &Map::new()) {
        assert_eq!(
            user_data_check(&rendered),
            Ok(kind),
            "a render is user-data the check accepts"
        );
    }
});
