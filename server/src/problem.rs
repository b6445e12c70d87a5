//! Every error the HTTP API returns: an RFC 9457 `application/problem+json`
//! body with a stable `code`. Handlers return [`ApiError`]; this is the only
//! place that turns errors into responses.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use truyxuat_core::sync::wire::{Problem, PushResult};

use crate::actions;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// A well-formed code that nobody registered (itself a warning sign).
    #[error("{0}")]
    NotRegistered(String),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{0}")]
    TooLarge(String),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    #[error("send JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("too many requests; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// A whole push refused: the per-event answers ride along.
    #[error("{detail}")]
    PushRefused { status: u16, code: String, detail: String, results: Vec<PushResult> },
    /// An EPCIS 2.0 exception (`type` `epcisException:<exception>`).
    #[error("{detail}")]
    Epcis { status: StatusCode, exception: &'static str, detail: String },
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::BadRequest { code, detail: detail.into() }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    fn parts(&self) -> (StatusCode, &str, &'static str) {
        match self {
            ApiError::Epcis { status, exception, .. } => (*status, epcis_code(exception), *exception),
            ApiError::BadRequest { code, .. } => {
                (StatusCode::BAD_REQUEST, code, "Yêu cầu không hợp lệ / Bad request")
            }
            ApiError::Unauthorized(_) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "Chưa đăng nhập hoặc phiên hết hạn / Unauthorized")
            }
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Không có quyền / Forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "Không tìm thấy / Not found"),
            ApiError::NotRegistered(_) => {
                (StatusCode::NOT_FOUND, "not_registered", "Mã chưa được đăng ký / Code not registered")
            }
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code, "Xung đột dữ liệu / Conflict"),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Phương thức không hỗ trợ / Method not allowed",
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Kiểu dữ liệu không hỗ trợ / Unsupported media type",
            ),
            ApiError::TooLarge(_) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Dữ liệu quá lớn / Payload too large")
            }
            ApiError::Unprocessable { code, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, code, "Dữ liệu không hợp lệ / Unprocessable content")
            }
            ApiError::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Quá nhiều yêu cầu / Too many requests")
            }
            ApiError::PushRefused { status, code, .. } => (
                StatusCode::from_u16(*status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
                code,
                "Mọi sự kiện đều bị từ chối / Every event was refused",
            ),
            ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Lỗi máy chủ / Internal server error")
            }
        }
    }
}

/// Our stable code for an EPCIS exception.
fn epcis_code(exception: &str) -> &'static str {
    match exception {
        "ValidationException" => "epcis_validation",
        "CaptureLimitExceededException" => "epcis_capture_limit",
        "SecurityException" => "epcis_security",
        "UnsupportedMediaTypeException" => "epcis_media_type",
        "QueryParameterException" => "epcis_query_parameter",
        "QueryTooLargeException" => "epcis_query_too_large",
        "NoSuchResourceException" => "epcis_no_such_resource",
        _ => "epcis_error",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title) = self.parts();
        let detail = match &self {
            ApiError::Internal(why) => {
                tracing::error!(error = %why, "internal error");
                None
            }
            other => Some(other.to_string()),
        };
        let type_uri = match &self {
            ApiError::Epcis { exception, .. } => format!("epcisException:{exception}"),
            _ => format!("urn:truyxuat:problem:{code}"),
        };
        let body = Problem {
            type_uri,
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code: code.to_owned(),
            results: match &self {
                ApiError::PushRefused { results, .. } => Some(results.clone()),
                _ => None,
            },
        };
        let mut response = (status, serde_json::to_vec(&body).unwrap_or_default()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let ApiError::RateLimited { retry_after } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"truyxuat\""));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::bad_request(
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::TooLarge(format!("the request body is over the limit ({})", b.body_text()))
            }
            JsonRejection::JsonDataError(e) => {
                ApiError::Unprocessable { code: "invalid_body", detail: e.body_text() }
            }
            other => ApiError::bad_request("invalid_json", other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request("invalid_query", r.body_text())
    }
}

impl From<actions::Error> for ApiError {
    fn from(e: actions::Error) -> ApiError {
        use actions::{EpcisException as X, Error};
        match e {
            Error::Forbidden(why) => ApiError::Forbidden(why),
            Error::BadRequest { code, detail } => ApiError::BadRequest { code, detail },
            Error::Invalid { code, detail } => ApiError::Unprocessable { code, detail },
            Error::NotFound(what) => ApiError::NotFound(what),
            Error::NotRegistered(what) => ApiError::NotRegistered(what),
            Error::Conflict { code, detail } => ApiError::Conflict { code, detail },
            Error::TooLarge(why) => ApiError::TooLarge(why),
            Error::Epcis { exception, detail } => {
                let status = match exception {
                    X::Validation | X::QueryParameter => StatusCode::BAD_REQUEST,
                    X::CaptureLimitExceeded | X::QueryTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    X::Security => StatusCode::FORBIDDEN,
                    X::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    X::NoSuchResource => StatusCode::NOT_FOUND,
                };
                ApiError::Epcis { status, exception: exception.name(), detail }
            }
            Error::Store(e) => e.into(),
            Error::Internal(why) => ApiError::Internal(why),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Conflict(detail) => ApiError::Conflict { code: "conflict", detail },
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::TooNew { .. } | StoreError::Backend(_) => ApiError::Internal(e.to_string()),
        }
    }
}
