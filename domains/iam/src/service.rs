//! IAM service: the contracts `Authorizer` and `Authenticator` other domains and `ingotd` call.

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{
    Action, Actor, AuthenticationError, Authenticator, Authorizer, Decision, PresentedCredential, Resource,
};

use crate::model;

/// The authorizer every domain's service layer asks.
#[derive(Debug, Default, Clone, Copy)]
pub struct IamAuthorizer;

impl Authorizer for IamAuthorizer {
    fn authorize(&self, actor: &Actor, action: Action, resource: Resource) -> Decision {
        model::authorize(actor, action, resource)
    }
}

/// Checks presented credentials. No credential can be issued yet (sessions and API tokens arrive
/// with issue #3), so every presented credential is refused: fail closed, never open.
#[derive(Debug, Default, Clone, Copy)]
pub struct IamAuthenticator;

impl Authenticator for IamAuthenticator {
    fn authenticate<'a>(
        &'a self,
        _credential: &'a PresentedCredential,
    ) -> BoxFuture<'a, Result<Actor, AuthenticationError>> {
        Box::pin(async { Err(AuthenticationError::InvalidCredential) })
    }
}
