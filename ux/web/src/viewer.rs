//! Who is looking: the logged-in user as IAM sees them (the edge already turned the session
//! cookie into an `Actor`), the tenant and project the pages act in, and the frame around their
//! pages. Whether they may do a thing is never decided here; the domain answers each call.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ingot_contracts::iam::{Actor, MeView, MembershipView, ProjectView};
use ingot_kernel::id::TenantId;
use ingot_kernel::problem::Problem;
use maud::{Markup, html};

use crate::WebDeps;
use crate::csrf::{self, CsrfToken};
use crate::page::{self, NavItem};

pub struct Viewer {
    pub actor: Actor,
    pub me: MeView,
    /// The tenant the pages act in (the first membership); none for an operator without one.
    pub tenant: Option<MembershipView>,
    /// That tenant's first project, where allocations, keys and webhooks live.
    pub project: Option<ProjectView>,
    pub csrf: CsrfToken,
    /// Holds a platform role: the operator pages are linked (and each call still authorised).
    pub operator: bool,
    here: String,
}

/// The tenant the pages act in, for users in several (not a credential; checked on every page).
pub const TENANT_COOKIE: &str = "ingot_tenant";

const TENANT_NAV: &[NavItem] = &[
    NavItem {
        href: "/overview",
        label: "Overview",
    },
    NavItem {
        href: "/catalog",
        label: "Catalog",
    },
    NavItem {
        href: "/allocations",
        label: "Allocations",
    },
    NavItem {
        href: "/billing",
        label: "Billing",
    },
    NavItem {
        href: "/ssh-keys",
        label: "SSH keys",
    },
    NavItem {
        href: "/webhooks",
        label: "Webhooks",
    },
    NavItem {
        href: "/members",
        label: "Members",
    },
    NavItem {
        href: "/kyc",
        label: "Verification",
    },
    NavItem {
        href: "/account",
        label: "Account",
    },
];

const OPERATOR_NAV: &[NavItem] = &[
    NavItem {
        href: "/admin",
        label: "Dashboards",
    },
    NavItem {
        href: "/admin/incidents",
        label: "Incidents",
    },
    NavItem {
        href: "/admin/sites",
        label: "Sites",
    },
    NavItem {
        href: "/admin/nodes",
        label: "Nodes",
    },
    NavItem {
        href: "/admin/allocations",
        label: "All allocations",
    },
    NavItem {
        href: "/admin/kyc",
        label: "KYC review",
    },
    NavItem {
        href: "/admin/ledger",
        label: "Ledger",
    },
    NavItem {
        href: "/admin/audit",
        label: "Audit",
    },
    NavItem {
        href: "/account",
        label: "Account",
    },
];

impl Viewer {
    /// The viewer of the page at `here`, or the login page (with the way back) for a visitor.
    pub async fn load(
        web: &WebDeps,
        actor: Actor,
        headers: &HeaderMap,
        here: &str,
    ) -> Result<Viewer, Response> {
        if actor.user_id.is_none() {
            let next = if here == "/" {
                String::new()
            } else {
                format!("?next={here}")
            };
            return Err(page::see_other(&format!("/login{next}")));
        }
        if actor.mfa_enrolment_required && !here.starts_with("/account") {
            return Err(page::see_other("/account?mfa=required"));
        }
        let me = web.iam.me_get(&actor).await.map_err(|err| {
            page::respond(
                StatusCode::from_u16(Problem::from(err.clone()).status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                html! { p { (page::problem_text(&Problem::from(err))) } },
            )
        })?;
        // The tenant chosen in the header (a preference cookie, honoured only for a tenant the
        // user belongs to), else the first.
        let chosen = csrf::cookie_get(headers, TENANT_COOKIE).and_then(|id| id.parse::<TenantId>().ok());
        let tenant = chosen
            .and_then(|id| me.memberships.iter().find(|m| m.tenant_id == id))
            .or(me.memberships.first())
            .cloned();
        let project = match &tenant {
            Some(tenant) => web
                .iam
                .project_list(&actor, tenant.tenant_id)
                .await
                .ok()
                .and_then(|projects| projects.into_iter().next()),
            None => None,
        };
        let operator = !me.user.platform_roles.is_empty();
        Ok(Viewer {
            csrf: csrf::token_for(&web.secrets, headers),
            actor,
            me,
            tenant,
            project,
            operator,
            here: here.to_string(),
        })
    }

    fn nav(&self) -> Vec<&'static NavItem> {
        let mut nav: Vec<&NavItem> = Vec::new();
        if self.tenant.is_some() {
            nav.extend(TENANT_NAV.iter());
        }
        if self.operator {
            nav.extend(
                OPERATOR_NAV
                    .iter()
                    .filter(|item| self.tenant.is_none() || item.href != "/account"),
            );
        }
        if nav.is_empty() {
            nav.push(&TENANT_NAV[TENANT_NAV.len() - 1]);
        }
        nav
    }

    fn account(&self) -> Markup {
        let current = self
            .tenant
            .as_ref()
            .map(|t| t.tenant_id.to_string())
            .unwrap_or_default();
        html! {
            span.who {
                (self.me.user.display_name)
                @if let Some(tenant) = &self.tenant { " · " (tenant.tenant_name) }
            }
            @if self.me.memberships.len() > 1 {
                form.inline method="post" action="/tenant" {
                    (page::csrf_field(&self.csrf.token))
                    label.visually-hidden for="tenant-switch" { "Tenant" }
                    select #tenant-switch name="tenant_id" {
                        @for membership in &self.me.memberships {
                            @let id = membership.tenant_id.to_string();
                            option value=(id) selected[id == current] { (membership.tenant_name) }
                        }
                    }
                    " "
                    button.secondary type="submit" { "Switch" }
                }
            }
            form.inline method="post" action="/logout" {
                (page::csrf_field(&self.csrf.token))
                button.link type="submit" { "Log out" }
            }
        }
    }

    /// The page titled `title` around `body`, 200.
    pub fn page(&self, title: &str, body: Markup) -> Response {
        self.page_status(StatusCode::OK, title, body)
    }

    pub fn page_status(&self, status: StatusCode, title: &str, body: Markup) -> Response {
        let nav: Vec<NavItem> = self
            .nav()
            .into_iter()
            .map(|item| NavItem {
                href: item.href,
                label: item.label,
            })
            .collect();
        let mut response = page::respond(
            status,
            page::document(title, &self.here, &nav, self.account(), body),
        );
        if let Some(cookie) = &self.csrf.set_cookie
            && let Ok(value) = HeaderValue::from_str(cookie)
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }

    /// A page saying what the domain refused, with its status (404 for another tenant's ids).
    pub fn fail(&self, problem: Problem) -> Response {
        let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let title = if status == StatusCode::NOT_FOUND {
            "Not found"
        } else {
            "That did not work"
        };
        self.page_status(
            status,
            title,
            html! {
                div.alert role="alert" { p { (page::problem_text(&problem)) } }
                p { a href="/" { "Home" } }
            },
        )
    }

    /// The tenant and project the page needs, or a page explaining there is none.
    pub fn workspace(&self) -> Result<(&MembershipView, &ProjectView), Response> {
        match (&self.tenant, &self.project) {
            (Some(tenant), Some(project)) => Ok((tenant, project)),
            _ => Err(self.page(
                "No tenant yet",
                html! {
                    (page::empty("This account belongs to no tenant, so it has nothing to show here.", None))
                },
            )),
        }
    }
}
