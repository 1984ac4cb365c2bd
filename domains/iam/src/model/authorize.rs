//! (actor, action, resource) → allow | deny(reason): the single source of authorization truth,
//! asked by every domain's service layer through `contracts::iam::Authorizer`.

use ingot_contracts::iam::{
    Action, Actor, Decision, DenyReason, PlatformRole, ProjectRole, Resource, TenantRole,
};

/// Platform roles that may take `action` on any resource.
fn platform_grants(action: Action) -> &'static [PlatformRole] {
    use PlatformRole::*;
    match action {
        Action::OwnershipRead | Action::PlatformRolesManage | Action::NotificationRead => &[PlatformAdmin],
        Action::AuditVerify => &[PlatformAdmin, Security],
        Action::TenantRead | Action::ProjectRead | Action::MemberRead => &[PlatformAdmin, Support, Security],
        Action::AuditRead | Action::PostureRead => &[PlatformAdmin, Security],
        Action::KycRead => &[PlatformAdmin, Security, Support],
        Action::KycDecide => &[Security, Support],
        Action::TenantUpdate | Action::ProjectCreate | Action::MemberManage | Action::ProjectManage => {
            &[PlatformAdmin]
        }
        Action::TenantCreate | Action::KycSubmit | Action::CredentialManage => &[],
        Action::CapacityRead | Action::NodeRead => &[PlatformAdmin, Operator, Support, Finance],
        Action::CatalogManage
        | Action::NodeOperate
        | Action::QuotaManage
        | Action::AllocationForceRelease => &[PlatformAdmin, Operator],
        Action::AllocationRead => &[PlatformAdmin, Operator, Support],
        // Staff never allocate on a tenant's behalf; they may end allocations (force-release).
        Action::AllocationManage => &[],
        Action::PriceSet => &[PlatformAdmin, Finance],
        Action::BalanceRead => &[PlatformAdmin, Finance, Support],
        Action::CreditGrant => &[Finance],
        Action::LedgerVerify => &[PlatformAdmin, Finance, Security],
        // Staff never pay on a tenant's behalf.
        Action::TopUp => &[],
        Action::OverviewRead => &[PlatformAdmin, Finance, Support],
        Action::OpsDashboardRead => &[PlatformAdmin, Operator, Support],
        Action::RevenueRead => &[PlatformAdmin, Finance],
        Action::ReadModelManage => &[PlatformAdmin, Operator],
        Action::SshKeyRead | Action::TemplateRead | Action::WebhookRead | Action::ClusterRead => {
            &[PlatformAdmin, Support]
        }
        // Staff never install keys on, deploy to, or send events from a tenant's project.
        Action::SshKeyManage | Action::TemplateManage | Action::WebhookManage | Action::ClusterManage => &[],
        Action::IncidentRead => &[PlatformAdmin, Operator, Security, Finance, Support],
        Action::IncidentManage => &[PlatformAdmin, Operator, Security],
    }
}

/// Tenant roles that may take `action` inside their tenant.
fn tenant_grants(action: Action) -> &'static [TenantRole] {
    use TenantRole::*;
    match action {
        Action::TenantRead | Action::MemberRead | Action::ProjectRead => {
            &[Owner, Admin, Member, Viewer, Billing]
        }
        Action::TenantUpdate | Action::ProjectCreate | Action::MemberManage | Action::ProjectManage => {
            &[Owner, Admin]
        }
        Action::AuditRead | Action::PostureRead => &[Owner, Admin],
        Action::BalanceRead => &[Owner, Admin, Billing],
        Action::TopUp => &[Owner, Billing],
        Action::KycRead => &[Owner, Admin, Billing],
        Action::KycSubmit => &[Owner],
        Action::AllocationRead => &[Owner, Admin, Member, Viewer],
        Action::AllocationManage => &[Owner, Admin, Member],
        // The overview shows money: the roles that see the balance.
        Action::OverviewRead => &[Owner, Admin, Billing],
        Action::SshKeyRead | Action::TemplateRead | Action::ClusterRead => &[Owner, Admin, Member, Viewer],
        Action::SshKeyManage | Action::TemplateManage | Action::ClusterManage => &[Owner, Admin, Member],
        // A subscription sends the project's events out of the cloud: the tenant's admins decide.
        Action::WebhookRead | Action::WebhookManage => &[Owner, Admin],
        Action::OwnershipRead
        | Action::AuditVerify
        | Action::KycDecide
        | Action::TenantCreate
        | Action::CredentialManage
        | Action::PlatformRolesManage
        | Action::NotificationRead
        | Action::CapacityRead
        | Action::CatalogManage
        | Action::PriceSet
        | Action::NodeRead
        | Action::NodeOperate
        | Action::CreditGrant
        | Action::LedgerVerify
        | Action::QuotaManage
        | Action::AllocationForceRelease
        | Action::OpsDashboardRead
        | Action::RevenueRead
        | Action::ReadModelManage
        | Action::IncidentRead
        | Action::IncidentManage => &[],
    }
}

/// Project roles that may take `action` on their project.
fn project_grants(action: Action) -> &'static [ProjectRole] {
    match action {
        Action::ProjectRead => &[ProjectRole::Admin, ProjectRole::Member, ProjectRole::Viewer],
        Action::ProjectManage => &[ProjectRole::Admin],
        Action::AllocationRead => &[ProjectRole::Admin, ProjectRole::Member, ProjectRole::Viewer],
        Action::AllocationManage => &[ProjectRole::Admin, ProjectRole::Member],
        Action::SshKeyRead | Action::TemplateRead | Action::ClusterRead => {
            &[ProjectRole::Admin, ProjectRole::Member, ProjectRole::Viewer]
        }
        Action::SshKeyManage | Action::TemplateManage | Action::ClusterManage => {
            &[ProjectRole::Admin, ProjectRole::Member]
        }
        Action::WebhookRead | Action::WebhookManage => &[ProjectRole::Admin],
        _ => &[],
    }
}

pub fn authorize(actor: &Actor, action: Action, resource: Resource) -> Decision {
    let Some(user_id) = actor.user_id else {
        return Decision::Deny(DenyReason::Unauthenticated);
    };
    if platform_grants(action)
        .iter()
        .any(|role| actor.has_platform_role(*role))
    {
        return Decision::Allow;
    }
    let tenant_allows = |tenant_id| match actor.tenant_role(tenant_id) {
        None => Decision::Deny(DenyReason::NotVisible),
        Some(_) if actor.mfa_enrolment_required => Decision::Deny(DenyReason::MfaEnrolmentRequired),
        Some(role) if tenant_grants(action).contains(&role) => Decision::Allow,
        Some(_) => Decision::Deny(DenyReason::MissingRole),
    };
    match (action, resource) {
        (Action::TenantCreate, _) if actor.mfa_enrolment_required => {
            Decision::Deny(DenyReason::MfaEnrolmentRequired)
        }
        // Any signed-in person may open a tenant of their own; a tenant-scoped token may not.
        (Action::TenantCreate, _) if actor.project_scope.is_none() && is_session(actor) => Decision::Allow,
        (Action::CredentialManage, Resource::User(owner)) if owner == user_id && is_session(actor) => {
            Decision::Allow
        }
        (_, Resource::Tenant(tenant_id)) if actor.project_scope.is_some() => {
            // A project-scoped token reads its tenant but changes nothing at tenant level.
            match action {
                Action::TenantRead => tenant_allows(tenant_id),
                _ => Decision::Deny(DenyReason::MissingRole),
            }
        }
        (_, Resource::Tenant(tenant_id)) => tenant_allows(tenant_id),
        (
            _,
            Resource::Project {
                tenant_id,
                project_id,
            },
        ) => match actor.project_scope {
            Some(scope) if scope != project_id => Decision::Deny(DenyReason::NotVisible),
            _ => match tenant_allows(tenant_id) {
                // A project role adds to the tenant role on that one project.
                Decision::Deny(DenyReason::MissingRole)
                    if actor
                        .project_roles
                        .get(&project_id)
                        .is_some_and(|role| project_grants(action).contains(role)) =>
                {
                    Decision::Allow
                }
                decision => decision,
            },
        },
        _ => Decision::Deny(DenyReason::MissingRole),
    }
}

/// Sessions act for the person; API tokens only within their scope.
fn is_session(actor: &Actor) -> bool {
    matches!(
        actor.credential,
        Some(ingot_contracts::iam::CredentialRef::Session(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use ingot_contracts::iam::CredentialRef;
    use ingot_kernel::id::{ApiTokenId, ProjectId, SessionId, TenantId, UserId};
    use std::fmt::Write as _;

    struct World {
        me: UserId,
        other_user: UserId,
        mine: TenantId,
        theirs: TenantId,
        project: ProjectId,
        other_project: ProjectId,
    }

    fn world() -> World {
        World {
            me: UserId::generate(),
            other_user: UserId::generate(),
            mine: TenantId::generate(),
            theirs: TenantId::generate(),
            project: ProjectId::generate(),
            other_project: ProjectId::generate(),
        }
    }

    fn session_actor(w: &World, role: Option<TenantRole>, platform: Option<PlatformRole>) -> Actor {
        let mut actor = Actor::anonymous();
        actor.user_id = Some(w.me);
        actor.credential = Some(CredentialRef::Session(SessionId::generate()));
        actor.platform_roles.extend(platform);
        if let Some(role) = role {
            actor.tenant_roles.insert(w.mine, role);
        }
        actor
    }

    fn letter(decision: Decision) -> char {
        match decision {
            Decision::Allow => 'A',
            Decision::Deny(DenyReason::Unauthenticated) => 'u',
            Decision::Deny(DenyReason::MissingRole) => '-',
            Decision::Deny(DenyReason::NotVisible) => 'n',
            Decision::Deny(DenyReason::MfaEnrolmentRequired) => 'm',
        }
    }

    /// The whole role × action matrix on the actor's own tenant (T), its project (P), another
    /// tenant (X), another tenant's project (Y), the platform (_), the actor itself (U) and
    /// another user (V). A = allow, - = missing role, n = not visible, u = unauthenticated.
    #[test]
    fn role_action_matrix() {
        let w = world();
        let resources = [
            ('T', Resource::Tenant(w.mine)),
            (
                'P',
                Resource::Project {
                    tenant_id: w.mine,
                    project_id: w.project,
                },
            ),
            ('X', Resource::Tenant(w.theirs)),
            (
                'Y',
                Resource::Project {
                    tenant_id: w.theirs,
                    project_id: w.other_project,
                },
            ),
            ('_', Resource::Platform),
            ('U', Resource::User(w.me)),
            ('V', Resource::User(w.other_user)),
        ];
        let mut actors: Vec<(String, Actor)> = vec![("anonymous".into(), Actor::anonymous())];
        for role in TenantRole::ALL {
            actors.push((
                format!("tenant {}", role.as_str()),
                session_actor(&w, Some(role), None),
            ));
        }
        for role in PlatformRole::ALL {
            actors.push((
                format!("platform {}", role.as_str()),
                session_actor(&w, None, Some(role)),
            ));
        }
        let mut table = String::from("                          TPXY_UV\n");
        for action in Action::ALL {
            writeln!(table, "{action:?}").unwrap();
            for (name, actor) in &actors {
                let cells: String = resources
                    .iter()
                    .map(|(_, r)| letter(authorize(actor, action, *r)))
                    .collect();
                writeln!(table, "  {name:<24}{cells}").unwrap();
            }
        }
        expect![[r#"
                                      TPXY_UV
            OwnershipRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            AuditVerify
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        nnnn---
            TenantCreate
              anonymous               uuuuuuu
              tenant owner            AAAAAAA
              tenant admin            AAAAAAA
              tenant member           AAAAAAA
              tenant viewer           AAAAAAA
              tenant billing          AAAAAAA
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        AAAAAAA
              platform security       AAAAAAA
              platform support        AAAAAAA
            TenantRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        AAAAAAA
            TenantUpdate
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            ProjectCreate
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            ProjectRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        AAAAAAA
            MemberRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        AAAAAAA
            MemberManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            AuditRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        nnnn---
            PostureRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        nnnn---
            KycRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        AAAAAAA
            KycSubmit
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            KycDecide
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        AAAAAAA
            CredentialManage
              anonymous               uuuuuuu
              tenant owner            --nn-A-
              tenant admin            --nn-A-
              tenant member           --nn-A-
              tenant viewer           --nn-A-
              tenant billing          --nn-A-
              platform platform_admin nnnn-A-
              platform operator       nnnn-A-
              platform finance        nnnn-A-
              platform security       nnnn-A-
              platform support        nnnn-A-
            PlatformRolesManage
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            NotificationRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            ProjectManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            CapacityRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        AAAAAAA
            CatalogManage
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            PriceSet
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        nnnn---
            NodeRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        AAAAAAA
            NodeOperate
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            BalanceRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        AAAAAAA
            TopUp
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          AAnn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            CreditGrant
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        nnnn---
            LedgerVerify
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       AAAAAAA
              platform support        nnnn---
            QuotaManage
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            AllocationRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            AllocationManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            AllocationForceRelease
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            OverviewRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          AAnn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        AAAAAAA
            OpsDashboardRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            RevenueRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        AAAAAAA
              platform security       nnnn---
              platform support        nnnn---
            ReadModelManage
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            SshKeyRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            SshKeyManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            TemplateRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            TemplateManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            WebhookRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            WebhookManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            ClusterRead
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           AAnn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        AAAAAAA
            ClusterManage
              anonymous               uuuuuuu
              tenant owner            AAnn---
              tenant admin            AAnn---
              tenant member           AAnn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin nnnn---
              platform operator       nnnn---
              platform finance        nnnn---
              platform security       nnnn---
              platform support        nnnn---
            IncidentRead
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        AAAAAAA
              platform security       AAAAAAA
              platform support        AAAAAAA
            IncidentManage
              anonymous               uuuuuuu
              tenant owner            --nn---
              tenant admin            --nn---
              tenant member           --nn---
              tenant viewer           --nn---
              tenant billing          --nn---
              platform platform_admin AAAAAAA
              platform operator       AAAAAAA
              platform finance        nnnn---
              platform security       AAAAAAA
              platform support        nnnn---
        "#]]
        .assert_eq(&table);
    }

    #[test]
    fn tokens_act_within_their_scope_only() {
        let w = world();
        let mut token = session_actor(&w, Some(TenantRole::Admin), None);
        token.credential = Some(CredentialRef::ApiToken(ApiTokenId::generate()));
        assert_eq!(
            authorize(&token, Action::CredentialManage, Resource::User(w.me)),
            Decision::Deny(DenyReason::MissingRole)
        );
        assert_eq!(
            authorize(&token, Action::TenantCreate, Resource::Platform),
            Decision::Deny(DenyReason::MissingRole)
        );
        assert_eq!(
            authorize(&token, Action::ProjectCreate, Resource::Tenant(w.mine)),
            Decision::Allow
        );
        token.project_scope = Some(w.project);
        let own = Resource::Project {
            tenant_id: w.mine,
            project_id: w.project,
        };
        let sibling = Resource::Project {
            tenant_id: w.mine,
            project_id: w.other_project,
        };
        assert_eq!(authorize(&token, Action::ProjectRead, own), Decision::Allow);
        assert_eq!(
            authorize(&token, Action::ProjectRead, sibling),
            Decision::Deny(DenyReason::NotVisible)
        );
        assert_eq!(
            authorize(&token, Action::TenantRead, Resource::Tenant(w.mine)),
            Decision::Allow
        );
        assert_eq!(
            authorize(&token, Action::MemberManage, Resource::Tenant(w.mine)),
            Decision::Deny(DenyReason::MissingRole)
        );
    }

    #[test]
    fn project_roles_add_to_the_tenant_role_on_their_project_only() {
        let w = world();
        let mut viewer = session_actor(&w, Some(TenantRole::Viewer), None);
        let own = Resource::Project {
            tenant_id: w.mine,
            project_id: w.project,
        };
        let sibling = Resource::Project {
            tenant_id: w.mine,
            project_id: w.other_project,
        };
        assert_eq!(
            authorize(&viewer, Action::ProjectManage, own),
            Decision::Deny(DenyReason::MissingRole)
        );
        viewer.project_roles.insert(w.project, ProjectRole::Admin);
        assert_eq!(authorize(&viewer, Action::ProjectManage, own), Decision::Allow);
        assert_eq!(
            authorize(&viewer, Action::ProjectManage, sibling),
            Decision::Deny(DenyReason::MissingRole)
        );
        assert_eq!(
            authorize(&viewer, Action::MemberManage, Resource::Tenant(w.mine)),
            Decision::Deny(DenyReason::MissingRole)
        );
        // A project role in someone else's tenant reaches nothing.
        let mut stranger = session_actor(&w, None, None);
        stranger.project_roles.insert(w.other_project, ProjectRole::Admin);
        let theirs = Resource::Project {
            tenant_id: w.theirs,
            project_id: w.other_project,
        };
        assert_eq!(
            authorize(&stranger, Action::ProjectManage, theirs),
            Decision::Deny(DenyReason::NotVisible)
        );
    }

    #[test]
    fn members_without_required_mfa_may_only_enrol() {
        let w = world();
        let mut actor = session_actor(&w, Some(TenantRole::Owner), None);
        actor.mfa_enrolment_required = true;
        assert_eq!(
            authorize(&actor, Action::TenantRead, Resource::Tenant(w.mine)),
            Decision::Deny(DenyReason::MfaEnrolmentRequired)
        );
        assert_eq!(
            authorize(&actor, Action::TenantCreate, Resource::Platform),
            Decision::Deny(DenyReason::MfaEnrolmentRequired)
        );
        assert_eq!(
            authorize(&actor, Action::CredentialManage, Resource::User(w.me)),
            Decision::Allow
        );
    }
}
