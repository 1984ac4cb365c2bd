//! The catalog: every SKU on sale with its sites, hourly price and how many machines are free
//! right now (Inventory's offers), refreshed while the page is open.

use axum::http::HeaderMap;
use axum::response::Response;
use ingot_contracts::iam::Actor;
use ingot_contracts::inventory::{OfferView, SkuView};
use ingot_kernel::problem::Problem;
use maud::{Markup, html};

use crate::Web;
use crate::page::{self, Reply};
use crate::viewer::Viewer;

fn offers_table(skus: &[SkuView], offers: &[OfferView]) -> Markup {
    if offers.is_empty() {
        return page::empty(
            "Nothing is on sale yet: machines appear here once an operator has onboarded them.",
            None,
        );
    }
    page::table(
        "Offers",
        &["SKU", "Hardware", "Site", "Price per hour", "Available now", ""],
        offers
            .iter()
            .map(|offer| {
                let sku = skus.iter().find(|sku| sku.id == offer.sku_id);
                html! {
                    tr {
                        td { strong { (offer.sku) } }
                        td { (sku.map(|sku| sku.description.as_str()).unwrap_or_default()) }
                        td { (offer.site) }
                        td.num { (page::money(&offer.hourly_price)) }
                        td.num { (offer.available) }
                        td {
                            @if offer.available > 0 {
                                a href=(format!("/allocations/new?sku={}&site={}", offer.sku, offer.site))
                                    aria-label=(format!("Allocate {} at {}", offer.sku, offer.site)) { "Allocate" }
                            } @else {
                                "Sold out"
                            }
                        }
                    }
                }
            })
            .collect(),
    )
}

async fn offers_markup(web: &Web, viewer: &Viewer) -> Result<Markup, Response> {
    let skus = web
        .inventory
        .catalog_skus()
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let offers = web
        .inventory
        .catalog_offers()
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    Ok(offers_table(&skus, &offers))
}

pub async fn catalog_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/catalog").await?;
    let offers = offers_markup(&web, &viewer).await?;
    Ok(viewer.page(
        "Catalog",
        html! {
            p { "Whole machines, billed per second while allocated. Availability updates live." }
            div #offers data-poll="/catalog/offers" data-poll-ms="10000" aria-live="polite" { (offers) }
        },
    ))
}

/// The offers table alone, for the page's live refresh.
pub async fn offers_fragment(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/catalog").await?;
    let offers = offers_markup(&web, &viewer).await?;
    Ok(page::respond(axum::http::StatusCode::OK, offers))
}
