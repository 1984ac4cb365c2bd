//! Provisioning.BareMetal.MAAS store: SQL for the `maas_*` tables only; converts rows to model values and back.
