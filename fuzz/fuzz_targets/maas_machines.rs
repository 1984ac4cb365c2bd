//! A MAAS region's machine and device lists, as its API answers them (`GET /MAAS/api/2.0/machines/`,
//! `…/devices/`): whatever parses is read for hardware facts, placement, registration, the site's
//! admission policy and MAAS's timestamps without panicking.
#![no_main]

use ingot_provisioning_baremetal_maas::client::wire::{Device, Machine};
use ingot_provisioning_baremetal_maas::model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte splits the input: machines first, then devices.
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let at = (split as usize * rest.len()) / 255;
    let (machines, devices) = rest.split_at(at.min(rest.len()));
    let Ok(machines) = serde_json::from_slice::<Vec<Machine>>(machines) else {
        return;
    };
    let devices: Vec<Device> = serde_json::from_slice(devices).unwrap_or_default();
    let site = ingot_kernel::id::SiteId::generate();
    for machine in &machines {
        let _ = model::hardware_facts(machine, &devices);
        let _ = model::placement(machine);
        let _ = model::registration(site, machine, &devices);
        let _ = model::site_admits(&Default::default(), machine);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = model::maas_time_parse(text);
    }
});
