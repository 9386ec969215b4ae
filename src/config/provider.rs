//! Who runs the service a profile talks to, and the defaults that follow from it.

use crate::api::{Dialect, global};

/// Who runs the service a profile talks to; it sets the endpoint, region and dialect defaults
/// (spec section 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Volcengine Ark: `https://ark.<region>.volcengineapi.com`, AK/SK, region `cn-beijing`.
    Volcengine,
    /// BytePlus ModelArk: `https://ark.<region>.byteplusapi.com`, AK/SK, region `ap-southeast-1`.
    Byteplus,
    /// The Agentsflare BytePlus proxy: Bearer API key, CreateAsset/GetAsset only.
    Agentsflare,
}

impl Provider {
    /// The dialect the provider speaks.
    pub fn dialect(self) -> Dialect {
        match self {
            Provider::Volcengine | Provider::Byteplus => Dialect::Domestic,
            Provider::Agentsflare => Dialect::Global,
        }
    }

    /// The region when the profile names none.
    pub(crate) fn default_region(self) -> &'static str {
        match self {
            Provider::Volcengine | Provider::Agentsflare => "cn-beijing",
            Provider::Byteplus => "ap-southeast-1",
        }
    }

    /// The service's endpoint in `region`.
    pub fn endpoint(self, region: &str) -> String {
        match self {
            Provider::Volcengine => format!("https://ark.{region}.volcengineapi.com"),
            Provider::Byteplus => format!("https://ark.{region}.byteplusapi.com"),
            Provider::Agentsflare => global::DEFAULT_ENDPOINT.to_owned(),
        }
    }

    /// The Seedance data plane's base URL (spec section 14); the Agentsflare gateway
    /// publishes none (the profile's `data_endpoint` says).
    pub(crate) fn data_endpoint(self) -> Option<&'static str> {
        match self {
            Provider::Volcengine => Some("https://ark.cn-beijing.volces.com/api/v3"),
            Provider::Byteplus => Some("https://ark.ap-southeast.bytepluses.com/api/v3"),
            Provider::Agentsflare => None,
        }
    }

    /// The Seedance model `tasks create` uses when neither it nor the profile names one.
    pub(crate) fn default_model(self) -> &'static str {
        match self {
            Provider::Byteplus => "dreamina-seedance-2-0-260128",
            Provider::Volcengine | Provider::Agentsflare => "doubao-seedance-2-0-260128",
        }
    }

    /// The provider's TOS endpoint (S3-compatible) in `region`.
    pub(crate) fn storage_endpoint(self, region: &str) -> String {
        match self {
            Provider::Byteplus => format!("https://tos-s3-{region}.bytepluses.com"),
            Provider::Volcengine | Provider::Agentsflare => {
                crate::storage::config::volcengine_endpoint(region)
            }
        }
    }
}
