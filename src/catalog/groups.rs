//! Changing groups, for both front ends: a new group (always of virtual portraits, `AIGC`: a
//! real person's is made by a liveness check) and a new name or description, each checked
//! against the name rules before anything is sent.
//!
//! A new group's name is looked up first: a second group of a name makes every later use of
//! the name ambiguous, so it is refused unless asked for. A create whose answer was lost is
//! looked up by name too, as asset creates are (see [`super::create`]): the one group of that
//! name made since it was sent is the group it made.

use chrono::Utc;

use super::Catalog;
use super::create::CLOCK_SLACK;
use crate::api::model::{AssetGroup, CreateAssetGroup, GroupType, UpdateAssetGroup};
use crate::api::{ApiError, AssetsApi, ErrorKind};
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

    /// Creates group `name` (refused while one has the name, unless `again`); an answer lost
    /// is looked up before it is reported.
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
        let listed = self.dialect().can_list();
        if listed && !again {
            let ids: Vec<String> = match self.named(&name).await {
                Ok(named) => named.into_iter().map(|g| g.id).collect(),
                Err(why) => return Err(GroupError::Unchecked { name, why }),
            };
            if !ids.is_empty() {
                return Err(GroupError::Exists { name, ids });
            }
        }
        let req = CreateAssetGroup {
            name,
            description: description.filter(|d| !d.is_empty()),
            group_type: Some(GroupType::Aigc),
        };
        let sent = Utc::now();
        match self.client().create_asset_group(&req).await {
            Ok(created) => Ok(created.id),
            Err(lost) if listed && lost.kind == ErrorKind::Ambiguous => {
                self.made_by_lost_create(&req.name, sent, lost).await
            }
            Err(e) => Err(e.into()),
        }
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
