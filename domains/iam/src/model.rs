//! IAM model: the authorization rules as one pure function, and the types they speak of.
//! No IO, no clock, no sqlx/axum/tokio here.

use ingot_contracts::iam::{Action, Actor, Decision, DenyReason, PlatformRole, Resource};

/// The platform roles that may take `action`. Tenant and project roles join with the IAM issue.
fn platform_roles_for(action: Action) -> &'static [PlatformRole] {
    match action {
        Action::OwnershipRead => &[PlatformRole::PlatformAdmin],
    }
}

/// (actor, action, resource) → allow | deny(reason). The single source of authorization truth.
pub fn authorize(actor: &Actor, action: Action, _resource: Resource) -> Decision {
    if !actor.is_authenticated() {
        return Decision::Deny(DenyReason::Unauthenticated);
    }
    if platform_roles_for(action)
        .iter()
        .any(|role| actor.has_platform_role(*role))
    {
        Decision::Allow
    } else {
        Decision::Deny(DenyReason::MissingRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use ingot_contracts::iam::CredentialRef;
    use ingot_kernel::id::{ApiTokenId, UserId};

    fn actor_with(roles: &[PlatformRole]) -> Actor {
        Actor {
            user_id: Some(UserId::generate()),
            credential: Some(CredentialRef::ApiToken(ApiTokenId::generate())),
            platform_roles: roles.iter().copied().collect(),
        }
    }

    /// The whole platform-role × action matrix, one line per cell.
    #[test]
    fn platform_role_matrix() {
        let roles = [
            PlatformRole::PlatformAdmin,
            PlatformRole::Operator,
            PlatformRole::Finance,
            PlatformRole::Security,
            PlatformRole::Support,
        ];
        let mut table = String::new();
        for action in [Action::OwnershipRead] {
            table.push_str(&format!(
                "{action:?} anonymous: {:?}\n",
                authorize(&Actor::anonymous(), action, Resource::Platform)
            ));
            table.push_str(&format!(
                "{action:?} no role: {:?}\n",
                authorize(&actor_with(&[]), action, Resource::Platform)
            ));
            for role in roles {
                let decision = authorize(&actor_with(&[role]), action, Resource::Platform);
                table.push_str(&format!("{action:?} {role:?}: {decision:?}\n"));
            }
        }
        expect![[r#"
            OwnershipRead anonymous: Deny(Unauthenticated)
            OwnershipRead no role: Deny(MissingRole)
            OwnershipRead PlatformAdmin: Allow
            OwnershipRead Operator: Deny(MissingRole)
            OwnershipRead Finance: Deny(MissingRole)
            OwnershipRead Security: Deny(MissingRole)
            OwnershipRead Support: Deny(MissingRole)
        "#]]
        .assert_eq(&table);
    }
}
