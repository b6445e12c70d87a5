//! The conformance contract: one JSON request in, one JSON answer out, with
//! the field names of GS1's reference test corpus (`truyxuat gs1 batch`).

use serde::{Deserialize, Serialize};

use super::{DL_STEM, Gs1Message, Options};

/// How the input is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Bracketed element string.
    Ai,
    /// `^` data string, Digital Link URI or plain data.
    Data,
    /// Scanner output with a symbology identifier.
    Scan,
}

/// One line of `truyxuat gs1 batch` input.
#[derive(Clone, Debug, Deserialize)]
pub struct Request {
    pub mode: Mode,
    #[serde(default)]
    pub flags: Vec<String>,
    pub input: String,
}

/// One line of `truyxuat gs1 batch` output.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Response {
    pub valid: bool,
    pub error: Option<String>,
    pub error_markup: Option<String>,
    pub is_ai_data: bool,
    pub ais: Vec<(String, String)>,
    pub ai_element_string: Option<String>,
    pub data_str: Option<String>,
    pub dl_uri: Option<String>,
    pub dl_error: Option<String>,
    pub dl_ignored_query_params: Vec<String>,
    pub hri: Vec<String>,
    pub hri_with_titles: Vec<String>,
}

/// Options from the corpus's flags: `unknown`, `noreq`, `zs`.
pub fn options(flags: &[String]) -> Result<Options, String> {
    let mut opts = Options::default();
    for flag in flags {
        match flag.as_str() {
            "unknown" => opts.permit_unknown_ais = true,
            "noreq" => opts.check_associations = false,
            "zs" => opts.permit_zero_suppressed_gtin = true,
            other => return Err(format!("unknown flag {other:?} (expected unknown, noreq, zs)")),
        }
    }
    Ok(opts)
}

/// Process one request.
pub fn process(req: &Request) -> Response {
    let opts = match options(&req.flags) {
        Ok(opts) => opts,
        Err(error) => return Response { error: Some(error), ..Response::default() },
    };
    let parsed = match req.mode {
        Mode::Ai => super::parse_bracketed(&req.input, &opts),
        Mode::Data => super::parse_data(&req.input, &opts),
        Mode::Scan => super::parse_scan(&req.input, &opts),
    };
    match parsed {
        Ok(msg) => respond(&msg),
        Err(e) => Response {
            error: Some(e.to_string()),
            error_markup: e.markup().map(str::to_owned),
            ..Response::default()
        },
    }
}

fn respond(msg: &Gs1Message) -> Response {
    let dl = msg.digital_link(DL_STEM);
    Response {
        valid: true,
        error: None,
        error_markup: None,
        is_ai_data: msg.is_ai_data(),
        ais: msg.elements.iter().map(|e| (e.ai.clone(), e.value.clone())).collect(),
        ai_element_string: msg.element_string(),
        data_str: Some(msg.data.clone()),
        dl_error: dl.as_ref().err().map(ToString::to_string),
        dl_uri: dl.ok(),
        dl_ignored_query_params: msg.dl_ignored_params.clone(),
        hri: msg.hri(),
        hri_with_titles: msg.hri_with_titles(),
    }
}
