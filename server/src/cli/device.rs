//! `truyxuat device --journal PATH …`: a command-line phone. It uses exactly
//! the core journal and sync client that the phone apps use, so it is how
//! people test a server from the field and how the end-to-end tests drive one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use truyxuat_core::gs1;
use truyxuat_core::journal::{
    ComplaintReport, EventBody, FarmDiary, GeoPoint, Harvest, Inspection, InspectionResult, Journal, Scan,
    Transfer, complaint_tracking_code,
};
use truyxuat_core::sync::{Client, HttpTransport, meta_keys};

#[derive(Args, Debug)]
pub struct DeviceArgs {
    /// The journal file (created if missing).
    #[arg(long)]
    journal: PathBuf,
    #[command(subcommand)]
    command: DeviceCommand,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Verdict {
    Conformant,
    NonConformant,
}

#[derive(Subcommand, Debug)]
enum DeviceCommand {
    /// Tạo nhật ký và chọn máy chủ — create the journal and set the server URL.
    Init {
        #[arg(long)]
        server: String,
    },
    /// Đăng nhập — log in (password from --password or TRUYXUAT_PASSWORD) and register this device.
    Login {
        #[arg(long)]
        user: String,
        #[arg(long, env = "TRUYXUAT_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Ghi một lần quét — record a scan of CODE (any text a scanner gives).
    Scan {
        code: String,
        /// Record it N times (load tests); prints one line per saved event.
        #[arg(long, default_value_t = 1)]
        repeat: u32,
        #[arg(long, requires = "lon")]
        lat: Option<f64>,
        #[arg(long, requires = "lat")]
        lon: Option<f64>,
    },
    /// Ghi thu hoạch — record a harvest (commissioning of a lot).
    Harvest {
        #[arg(long)]
        product: String,
        #[arg(long)]
        lot: String,
        #[arg(long)]
        quantity: f64,
        #[arg(long, default_value = "kg")]
        unit: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        gtin: Option<String>,
        #[arg(long)]
        gln: Option<String>,
        #[arg(long)]
        certification: Option<String>,
        #[arg(long, requires = "lon")]
        lat: Option<f64>,
        #[arg(long, requires = "lat")]
        lon: Option<f64>,
    },
    /// Ghi nhật ký đồng ruộng — record an input applied (fertiliser, pesticide).
    Diary {
        #[arg(long)]
        input: String,
        #[arg(long)]
        dose: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Pre-harvest interval in days.
        #[arg(long)]
        phi: Option<u32>,
        #[arg(long)]
        gln: Option<String>,
        #[arg(long)]
        lot: Option<String>,
    },
    /// Ghi kiểm tra — record an inspection of a code or lot.
    Inspect {
        #[arg(long)]
        code: String,
        #[arg(long, value_enum)]
        result: Verdict,
        #[arg(long = "reason")]
        reasons: Vec<String>,
        #[arg(long)]
        market_gln: Option<String>,
        #[arg(long)]
        sample: bool,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Ghi xuất hàng — record a shipment (enterprise).
    Ship(TransferArgs),
    /// Ghi nhận hàng — record goods received (enterprise).
    Receive(TransferArgs),
    /// Phản ánh — file a complaint about a code (kept offline, sent on the next sync);
    /// prints its tracking code.
    #[command(alias = "complain")]
    Complaint {
        #[arg(long)]
        code: String,
        /// counterfeit, quality_safety, labelling, expired or other.
        #[arg(long)]
        category: String,
        #[arg(long)]
        description: String,
        /// Province code where it happened.
        #[arg(long)]
        province: String,
        #[arg(long)]
        contact: Option<String>,
        /// SHA-256 of a photo (sent with `POST /v1/photos`); repeat for more.
        #[arg(long = "photo")]
        photos: Vec<String>,
    },
    /// Chụp ảnh — keep a photo (JPEG, PNG, WebP file) for an event; prints its name
    /// (SHA-256) for `--photo`. It is sent before the events on the next sync.
    Photo { file: PathBuf },
    /// Đồng bộ — push pending events, pull updates; prints a JSON report.
    Sync,
    /// Lần quét hàng bị thu hồi — past scans of lots recalled since (JSON lines; works offline).
    Recalls,
    /// Gói thu hồi — bring the signed offline recall pack up to date (inspectors); prints a report.
    RecallPack {
        /// Province code; default: the account's.
        #[arg(long)]
        province: Option<String>,
    },
    /// Tra cứu — what is known of CODE: the server's answer, or offline the saved answer,
    /// the synced catalog and the recalls the phone holds (JSON).
    Resolve { code: String },
    /// Trạng thái — JSON with pending/acked/rejected/total.
    Status,
    /// Kiểm tra chuỗi băm — verify the journal's hash chain.
    Verify,
    /// Liệt kê sự kiện — list events as JSON lines.
    List {
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

#[derive(Args, Debug)]
struct TransferArgs {
    #[arg(long)]
    gtin: String,
    #[arg(long)]
    lot: Option<String>,
    #[arg(long)]
    quantity: f64,
    #[arg(long, default_value = "kg")]
    unit: String,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
}

impl TransferArgs {
    fn into_transfer(self) -> Transfer {
        Transfer {
            gtin: self.gtin,
            lot: self.lot,
            quantity: self.quantity,
            unit: self.unit,
            from_gln: self.from,
            to_gln: self.to,
        }
    }
}

fn point(lat: Option<f64>, lon: Option<f64>) -> Option<GeoPoint> {
    Some(GeoPoint { lat: lat?, lon: lon? })
}

fn client(journal: &Journal, path: &Path) -> anyhow::Result<Client<HttpTransport>> {
    let url = journal.meta(meta_keys::SERVER_URL)?.with_context(|| {
        format!("no server set; run `truyxuat device --journal {} init --server URL`", path.display())
    })?;
    Ok(Client::new(HttpTransport::new(&url)))
}

fn save(journal: &mut Journal, body: &EventBody) -> anyhow::Result<()> {
    let e = journal.append(body)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", json!({"saved": e.seq, "id": e.id, "kind": e.body.kind()}))?;
    out.flush()?;
    Ok(())
}

pub fn run(args: DeviceArgs) -> anyhow::Result<ExitCode> {
    let path = &args.journal;
    let mut journal = Journal::open(path).with_context(|| format!("opening journal {}", path.display()))?;
    match args.command {
        DeviceCommand::Init { server } => {
            journal.set_meta(meta_keys::SERVER_URL, server.trim_end_matches('/'))?;
            println!("{}", json!({"device_id": journal.device_id(), "server": server}));
        }
        DeviceCommand::Login { user, password } => {
            let login = client(&journal, path)?.login(&mut journal, &user, &password)?;
            println!("{}", serde_json::to_string(&login)?);
        }
        DeviceCommand::Scan { code, repeat, lat, lon } => {
            let parsed = gs1::parse_any(&code, &gs1::Options::default()).ok();
            let body = EventBody::Scan(Scan {
                raw_text: code,
                symbology_id: None,
                element_string: parsed.and_then(|m| m.element_string()),
                location: point(lat, lon),
                answer_shown: None,
            });
            for _ in 0..repeat {
                save(&mut journal, &body)?;
            }
        }
        DeviceCommand::Harvest { product, lot, quantity, unit, date, gtin, gln, certification, lat, lon } => {
            let body = EventBody::Harvest(Harvest {
                product,
                gtin,
                lot,
                quantity,
                unit,
                harvest_date: date,
                gln,
                location: point(lat, lon),
                certification,
                photos: Vec::new(),
            });
            save(&mut journal, &body)?;
        }
        DeviceCommand::Diary { input, dose, date, phi, gln, lot } => {
            let body = EventBody::FarmDiary(FarmDiary {
                input_name: input,
                dose,
                applied_on: date,
                pre_harvest_interval_days: phi,
                gln,
                lot,
                photos: Vec::new(),
            });
            save(&mut journal, &body)?;
        }
        DeviceCommand::Inspect { code, result, reasons, market_gln, sample, notes } => {
            let body = EventBody::Inspection(Inspection {
                code,
                market_gln,
                location: None,
                result: match result {
                    Verdict::Conformant => InspectionResult::Conformant,
                    Verdict::NonConformant => InspectionResult::NonConformant,
                },
                reasons,
                sample_taken: sample,
                notes,
                photos: Vec::new(),
            });
            save(&mut journal, &body)?;
        }
        DeviceCommand::Complaint { code, category, description, province, contact, photos } => {
            let body = EventBody::Complaint(ComplaintReport {
                code,
                category,
                description,
                province,
                contact,
                photos,
            });
            let e = journal.append(&body)?;
            let tracking_code = complaint_tracking_code(&e.id);
            println!(
                "{}",
                json!({"saved": e.seq, "id": e.id, "kind": "complaint", "tracking_code": tracking_code})
            );
        }
        DeviceCommand::Ship(t) => save(&mut journal, &EventBody::Shipping(t.into_transfer()))?,
        DeviceCommand::Receive(t) => save(&mut journal, &EventBody::Receiving(t.into_transfer()))?,
        DeviceCommand::Photo { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let hash = journal.add_photo(&bytes)?;
            println!("{}", json!({"photo": hash}));
        }
        DeviceCommand::Sync => {
            let report = client(&journal, path)?.sync(&mut journal)?;
            println!("{}", serde_json::to_string(&report)?);
        }
        DeviceCommand::Status => {
            let counts = journal.counts()?;
            let cache: serde_json::Map<String, serde_json::Value> =
                journal.cache_counts()?.into_iter().map(|(k, n)| (k, json!(n))).collect();
            println!(
                "{}",
                json!({
                    "device_id": journal.device_id(),
                    "server": journal.meta(meta_keys::SERVER_URL)?,
                    "user": journal.meta(meta_keys::USER)?,
                    "role": journal.meta(meta_keys::ROLE)?,
                    "pending": counts.pending,
                    "acked": counts.acked,
                    "rejected": counts.rejected,
                    "total": counts.total,
                    "last_sync": journal.meta(meta_keys::LAST_SYNC)?,
                    "recalled_scans": truyxuat_core::recall::recalled_scans(&journal)?.len(),
                    "cache": cache,
                })
            );
        }
        DeviceCommand::Verify => {
            let report = journal.verify()?;
            let (seq, problem) = report.first_problem.clone().unzip();
            println!(
                "{}",
                json!({"events": report.events, "ok": report.ok(), "bad_seq": seq, "problem": problem})
            );
            if !report.ok() {
                return Ok(ExitCode::FAILURE);
            }
        }
        DeviceCommand::RecallPack { province } => {
            let report = client(&journal, path)?.update_recall_pack(&mut journal, province.as_deref())?;
            println!("{}", serde_json::to_string(&report)?);
        }
        DeviceCommand::Resolve { code } => {
            let answer = client(&journal, path)?.resolve(&mut journal, &code)?;
            println!("{}", serde_json::to_string(&answer)?);
        }
        DeviceCommand::Recalls => {
            let mut out = std::io::stdout().lock();
            for r in truyxuat_core::recall::recalled_scans(&journal)? {
                writeln!(out, "{}", serde_json::to_string(&r)?)?;
            }
        }
        DeviceCommand::List { after, limit } => {
            let mut out = std::io::stdout().lock();
            for e in journal.list(after, limit)? {
                writeln!(out, "{}", serde_json::to_string(&e)?)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
