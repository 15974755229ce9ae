//! Who acts: a signed-in operator, or a visitor through his widget; and the role-checked
//! wrappers, so that a use case which needs a role says so in its signature (`&Admin`,
//! `&Manager`) and cannot be called without the check.

use crate::error::CoreError;
use frontline_domain::{ChannelId, DialogId, Operator, Role, Site, Visitor, WorkspaceId};

/// A signed-in operator: what every console use case takes.
#[derive(Debug, Clone)]
pub struct OperatorActor {
    pub operator: Operator,
}

impl OperatorActor {
    pub fn workspace(&self) -> WorkspaceId {
        self.operator.workspace_id
    }

    /// This operator as the actor of the events his changes write.
    pub fn event_actor(&self) -> frontline_domain::Actor {
        frontline_domain::Actor::operator(self.operator.id)
    }

    /// This operator as an admin; `Forbidden` unless he is one.
    pub fn admin(&self) -> Result<Admin<'_>, CoreError> {
        if self.operator.role == Role::Admin { Ok(Admin(self)) } else { Err(CoreError::Forbidden) }
    }

    /// This operator as one who oversees every channel (an admin or a supervisor: dictionaries,
    /// shared replies, proactive messages); `Forbidden` otherwise.
    pub fn manager(&self) -> Result<Manager<'_>, CoreError> {
        if self.operator.role.sees_all_channels() { Ok(Manager(self)) } else { Err(CoreError::Forbidden) }
    }
}

/// An operator checked to be an admin (see [`OperatorActor::admin`]).
#[derive(Debug, Clone, Copy)]
pub struct Admin<'a>(&'a OperatorActor);

/// An operator checked to be an admin or a supervisor (see [`OperatorActor::manager`]).
#[derive(Debug, Clone, Copy)]
pub struct Manager<'a>(&'a OperatorActor);

impl std::ops::Deref for Admin<'_> {
    type Target = OperatorActor;
    fn deref(&self) -> &OperatorActor {
        self.0
    }
}

impl std::ops::Deref for Manager<'_> {
    type Target = OperatorActor;
    fn deref(&self) -> &OperatorActor {
        self.0
    }
}

/// A visitor authenticated by his widget token.
#[derive(Debug, Clone)]
pub struct VisitorActor {
    pub visitor: Visitor,
    /// His site: its channel takes his new dialogs, its origins bound where he may write from.
    pub site: Site,
    /// His open dialog as his last message on this socket left it.
    pub open: OpenDialogHint,
}

impl VisitorActor {
    pub fn new(visitor: Visitor, site: Site) -> Self {
        Self { visitor, site, open: OpenDialogHint::default() }
    }
}

/// The visitor's open dialog and its channel, as the last message he wrote on one socket left
/// them (the socket's copies of his actor share it). His next message there is posted to that
/// dialog without reading his latest dialog first; the store writes it only if that still
/// stands, in the same transaction, and otherwise he takes the reading path
/// (`frontline_core::widget`). A hint, never the truth: nothing else reads it.
#[derive(Debug, Clone, Default)]
pub struct OpenDialogHint(std::sync::Arc<std::sync::Mutex<Option<(DialogId, ChannelId)>>>);

impl OpenDialogHint {
    pub fn get(&self) -> Option<(DialogId, ChannelId)> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn set(&self, open: Option<(DialogId, ChannelId)>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = open;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_domain::{DisplayName, Email, OperatorId, Presence, Timestamp};

    fn with(role: Role) -> OperatorActor {
        OperatorActor {
            operator: Operator {
                id: OperatorId::new(),
                workspace_id: WorkspaceId::new(),
                email: Email::parse("a@example.com").expect("email"),
                display_name: DisplayName::parse("A").expect("name"),
                role,
                password_hash: String::new(),
                created_at: Timestamp(0),
                capacity: Default::default(),
                presence: Presence::Offline,
                deactivated_at: None,
            },
        }
    }

    #[test]
    fn roles_are_checked_once_and_carried_in_the_type() {
        assert!(with(Role::Admin).admin().is_ok());
        assert!(with(Role::Admin).manager().is_ok());
        assert!(with(Role::Supervisor).manager().is_ok());
        assert!(matches!(with(Role::Supervisor).admin(), Err(CoreError::Forbidden)));
        assert!(matches!(with(Role::Operator).manager(), Err(CoreError::Forbidden)));
        let admin = with(Role::Admin);
        let checked = admin.admin().expect("admin");
        assert_eq!(checked.workspace(), admin.workspace(), "an Admin is the operator he was");
    }
}
