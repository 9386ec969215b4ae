//! Changing groups, for both front ends: a new group (always of virtual portraits, `AIGC`: a
//! real person's is made by a liveness check) and a new name or description, each checked
//! against the name rules before anything is sent.
//!
//! A new group's name is looked up first: a second group of a name makes every later use of
//! the name ambiguous, so it is refused unless asked for. The look-up and the create are done
//! by one live run at a time (the ledger's hold `group:<name>`; another run waits for it,
//! boundedly, and then finds the group), and the name is looked up again after the create: a
//! group of that name made beside it (another machine) is an error, so neither is filled. A
//! create whose answer was lost is looked up by name too, as asset creates are (see
//! [`super::create`]): the one group of that name made since it was sent is the group it made.

use chrono::Utc;

use super::Catalog;
use super::create::{CLOCK_SLACK, WaitedOut, Waiting};
use crate::api::model::{AssetGroup, CreateAssetGroup, GroupType, UpdateAssetGroup};
use crate::api::{ApiError, AssetsApi, ErrorKind};
use crate::ledger::{Ledger, LedgerError};
use crate::text::visible;
use crate::validate::{self, Invalid};

/// Why a group was not created or changed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GroupError {
    /// A value breaks a rule; nothing was sent.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The service refused or failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Groups of that name exist already (their ids); nothing was sent.
    #[error(
        "a group named \"{}\" exists already ({}), and another of that name would make the \
         name ambiguous wherever a group is named; nothing was sent",
        visible(.name),
        .ids.join(", ")
    )]
    Exists {
        /// The name.
        name: String,
        /// The groups that have it.
        ids: Vec<String>,
    },
    /// Whether a group of that name exists could not be told (why); nothing was sent.
    #[error(
        "whether a group named \"{}\" exists could not be told ({}); nothing was sent",
        visible(.name),
        visible(.why)
    )]
    Unchecked {
        /// The name.
        name: String,
        /// Why the groups could not be listed.
        why: String,
    },
    /// The group was made, and another of its name was made beside it, or whether one was could
    /// not be told; nothing was put in it.
    #[error(
        "group \"{}\" was made ({}), but {}; nothing was put in it: groups list shows them, \
         delete the one not wanted and run again",
        visible(.name),
        visible(.id),
        visible(.why)
    )]
    NotAlone {
        /// The name.
        name: String,
        /// The group made.
        id: String,
        /// What the look-up after it found.
        why: String,
    },
    /// Another run was still creating a group of the name when the wait's bound was reached;
    /// nothing was sent.
    #[error(
        "another run of ark-assets ({owner}) was still creating group \"{}\" after {} s; this \
         run did not create it: try again once that run is done (--other-run-wait sets the wait)",
        visible(.name),
        .waited.as_secs()
    )]
    HeldElsewhere {
        /// The other run.
        owner: String,
        /// The name.
        name: String,
        /// How long this run waited.
        waited: std::time::Duration,
    },
    /// The ledger, which holds the create for this run, failed; nothing was sent.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl From<WaitedOut> for GroupError {
    fn from(w: WaitedOut) -> Self {
        GroupError::HeldElsewhere {
            owner: w.owner,
            name: w.name,
            waited: w.waited,
        }
    }
}

/// This run's hold on creating the group of a name: let go however the create ends.
struct NameHeld<'a> {
    ledger: &'a Ledger,
    key: String,
}

impl Drop for NameHeld<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.ledger.let_go(&self.key) {
            tracing::warn!(%e, "could not let go of the ledger's hold on a group's name");
        }
    }
}

impl Catalog {
    /// Creates a group of virtual portraits named `name`, unless a group has that name
    /// already ([`GroupError::Exists`]); returns its id.
    pub async fn create_group(
        &self,
        name: String,
        description: Option<String>,
    ) -> Result<String, GroupError> {
        self.new_group(name, description, false).await
    }

    /// Creates a group of virtual portraits named `name`, whether or not a group has that
    /// name already; returns its id.
    pub(crate) async fn create_group_named_again(
        &self,
        name: String,
        description: Option<String>,
    ) -> Result<String, GroupError> {
        self.new_group(name, description, true).await
    }

    /// The group named `name`, made unless a group has that name: its id and whether this run
    /// made it. One live run of this ledger at a time makes it; a run that waited for another
    /// finds the group that one made. Several groups of the name are [`GroupError::Exists`].
    pub(crate) async fn group_made_once(
        &self,
        name: &str,
        description: Option<String>,
    ) -> Result<(String, bool), GroupError> {
        match self.new_group(name.to_owned(), description, false).await {
            Ok(id) => Ok((id, true)),
            Err(GroupError::Exists { mut ids, .. }) if ids.len() == 1 => Ok((ids.remove(0), false)),
            Err(e) => Err(e),
        }
    }

    /// Creates group `name` (refused while one has the name, unless `again`); an answer lost
    /// is looked up before it is reported. Where groups are listed, and unless `again`, the
    /// look-up and the create hold the name in the ledger, and a group of the name made beside
    /// it is [`GroupError::NotAlone`].
    async fn new_group(
        &self,
        name: String,
        description: Option<String>,
        again: bool,
    ) -> Result<String, GroupError> {
        validate::name(&name, true)?;
        if let Some(d) = &description {
            validate::description(d)?;
        }
        let req = CreateAssetGroup {
            name,
            description: description.filter(|d| !d.is_empty()),
            group_type: Some(GroupType::Aigc),
        };
        if !self.dialect().can_list() {
            return Ok(self.client().create_asset_group(&req).await?.id);
        }
        if again {
            return self.send_group(&req).await;
        }
        let name = req.name.clone();
        let _held = self.hold_group_name(&name).await?;
        let ids: Vec<String> = match self.named(&name).await {
            Ok(named) => named.into_iter().map(|g| g.id).collect(),
            Err(why) => return Err(GroupError::Unchecked { name, why }),
        };
        if !ids.is_empty() {
            return Err(GroupError::Exists { name, ids });
        }
        let id = self.send_group(&req).await?;
        self.made_alone(name, id).await
    }

    /// Waits (boundedly, saying so) while another live run holds the creating of a group named
    /// `name`, then holds it for this run.
    async fn hold_group_name(&self, name: &str) -> Result<NameHeld<'_>, GroupError> {
        let key = format!("group:{name}");
        let mut waiting = Waiting::new(self.other_run_wait);
        while let Some(owner) = self.ledger().hold(&key)? {
            waiting
                .again(self.client(), &owner, name, "creating group")
                .await?;
        }
        Ok(NameHeld {
            ledger: self.ledger(),
            key,
        })
    }

    /// Sends `req`; a lost answer is looked up by name.
    async fn send_group(&self, req: &CreateAssetGroup) -> Result<String, GroupError> {
        let sent = Utc::now();
        match self.client().create_asset_group(req).await {
            Ok(created) => Ok(created.id),
            Err(lost) if lost.kind == ErrorKind::Ambiguous => {
                self.made_by_lost_create(&req.name, sent, lost).await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Group `id`, just made as `name`, when no other group has the name (as a look-up now
    /// shows): else [`GroupError::NotAlone`].
    async fn made_alone(&self, name: String, id: String) -> Result<String, GroupError> {
        let why = match self.named(&name).await {
            Ok(named) => {
                let others: Vec<String> = named
                    .into_iter()
                    .map(|g| g.id)
                    .filter(|other| *other != id)
                    .collect();
                if others.is_empty() {
                    return Ok(id);
                }
                format!(
                    "another group of that name was made beside it ({})",
                    others.join(", ")
                )
            }
            Err(why) => format!("whether another group has that name could not be told ({why})"),
        };
        Err(GroupError::NotAlone { name, id, why })
    }

    /// The groups (of both kinds) named exactly `name`, listed whole; why not, when they
    /// could not be.
    async fn named(&self, name: &str) -> Result<Vec<AssetGroup>, String> {
        let listing = self
            .groups_named(Some(name))
            .await
            .map_err(|e| e.to_string())?;
        match listing.stopped {
            Some(why) => Err(why),
            None => Ok(listing
                .items
                .into_iter()
                .filter(|g| g.name == name)
                .collect()),
        }
    }

    /// After the answer to creating group `name` (sent at `sent`, on this machine's clock) was
    /// lost: the one group of that name made since is the one it made; none (the listing
    /// complete) is the lost answer's error, as is a look-up that fails or finds several.
    async fn made_by_lost_create(
        &self,
        name: &str,
        sent: chrono::DateTime<Utc>,
        lost: ApiError,
    ) -> Result<String, GroupError> {
        let since = sent + self.client().clock_offset().unwrap_or_default() - CLOCK_SLACK;
        let noted = |note: String| {
            GroupError::Api(ApiError {
                message: format!("{}; {note}", lost.message),
                ..lost.clone()
            })
        };
        let found: Vec<AssetGroup> = match self.named(name).await {
            Ok(groups) => groups
                .into_iter()
                .filter(|g| g.create_time.is_none_or(|t| t >= since))
                .collect(),
            Err(why) => return Err(noted(format!("looking it up failed too ({why})"))),
        };
        match found.as_slice() {
            [] => Err(lost.into()),
            [made] => {
                self.client().notice(&format!(
                    "the answer to creating group \"{}\" was lost; the group it made is {}",
                    visible(name),
                    visible(&made.id)
                ));
                Ok(made.id.clone())
            }
            many => {
                let ids: Vec<&str> = many.iter().map(|g| g.id.as_str()).collect();
                Err(noted(format!(
                    "{} groups of that name were made since it was sent ({}): groups list \
                     shows them",
                    many.len(),
                    ids.join(", ")
                )))
            }
        }
    }

    /// Gives group `id` a new name and/or description (`None`: kept).
    pub(crate) async fn change_group(
        &self,
        id: &str,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<(), GroupError> {
        if let Some(n) = &name {
            validate::name(n, true)?;
        }
        if let Some(d) = &description {
            validate::description(d)?;
        }
        let req = UpdateAssetGroup {
            id: id.to_owned(),
            name,
            description,
        };
        Ok(self.client().update_asset_group(&req).await?)
    }
}
