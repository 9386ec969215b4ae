//! [`Endpoint`]: where requests go and how they are authenticated, and the [`Dialect`] it
//! speaks.

use super::{Domestic, Global, sign, wire};

/// Where requests go and how they are authenticated.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// Volcengine Ark, AK/SK signed.
    Domestic(Domestic),
    /// BytePlus proxy, Bearer token.
    Global(Global),
}

/// Which API dialect an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Volcengine Ark (and BytePlus ModelArk): AK/SK signed, every action.
    #[default]
    Domestic,
    /// The BytePlus proxy: Bearer token, CreateAsset/GetAsset only, so no listing.
    Global,
}

impl Dialect {
    /// `domestic` or `global`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Domestic => "domestic",
            Dialect::Global => "global",
        }
    }

    /// Whether the service can list groups and assets (else the ledger stands in).
    pub(crate) fn can_list(self) -> bool {
        self == Dialect::Domestic
    }

    /// Whether the service can rename and delete assets (the global dialect creates and reads
    /// only).
    pub(crate) fn can_change(self) -> bool {
        self == Dialect::Domestic
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Endpoint {
    /// The dialect this endpoint speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            Endpoint::Domestic(_) => Dialect::Domestic,
            Endpoint::Global(_) => Dialect::Global,
        }
    }

    /// Who this endpoint speaks for, as 16 hex digits: a hash of the dialect, the host and the
    /// access key id (domestic) or the API key (global). Local records (the ledger) are kept per
    /// account identity, so two profiles or dialects never share one by accident.
    pub fn account_identity(&self) -> String {
        use secrecy::ExposeSecret;
        let (who, base) = match self {
            Endpoint::Domestic(d) => (d.credentials.access_key_id.clone(), &d.base),
            Endpoint::Global(g) => (
                sign::sha256_hex(g.api_key.expose_secret().as_bytes()),
                &g.base,
            ),
        };
        let text = format!("{}\n{}\n{who}", self.dialect(), wire::host_header(base));
        sign::sha256_hex(text.as_bytes())[..16].to_owned()
    }

    /// The base URL.
    pub fn base(&self) -> &url::Url {
        match self {
            Endpoint::Domestic(d) => &d.base,
            Endpoint::Global(g) => &g.base,
        }
    }
}
