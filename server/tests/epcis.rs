//! EPCIS 2.0 interop over real HTTP: GS1's example documents captured and
//! read back without loss, capture all or nothing, duplicates by event hash,
//! the standard query with paging, and who may capture.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{Server, demo, login};

/// `../shared/epcis` beside the checkout; absent: skipped, unless in CI.
fn shared_epcis() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/epcis");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").is_err(), "../shared/epcis is missing (CI must have it)");
    eprintln!("note: ../shared/epcis is absent; EPCIS example documents not checked");
    None
}

fn examples(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("JSON")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "jsonld") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// (status, body, headers) of a request with a JSON body of `media` type.
fn send(
    method: &str,
    url: &str,
    token: &str,
    media: &str,
    body: Option<&Value>,
) -> (u16, Value, ureq::http::HeaderMap) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let auth = format!("Bearer {token}");
    let mut response = match body {
        Some(b) => agent
            .post(url)
            .header("Authorization", &auth)
            .header("Content-Type", media)
            .send(b.to_string())
            .unwrap(),
        None if method == "OPTIONS" => agent.options(url).header("Authorization", &auth).call().unwrap(),
        None => agent.get(url).header("Authorization", &auth).call().unwrap(),
    };
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), headers)
}

fn capture(url: &str, token: &str, doc: &Value) -> (u16, Value, ureq::http::HeaderMap) {
    send("POST", &format!("{url}/epcis/capture"), token, "application/ld+json", Some(doc))
}

/// Every event the query answers, following `Link: rel="next"`.
fn all_events(url: &str, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(format!("/epcis/events?{query}"));
    while let Some(path) = next.take() {
        let (status, doc, headers) = send("GET", &format!("{url}{path}"), token, "", None);
        assert_eq!(status, 200, "{doc}");
        assert!(
            truyxuat_server::domain::epcis::schema_errors(&doc).is_empty(),
            "the answer is valid EPCIS: {doc}"
        );
        out.extend(
            doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().iter().cloned(),
        );
        next = headers.get("link").map(|l| {
            let l = l.to_str().unwrap();
            l[l.find('<').unwrap() + 1..l.find('>').unwrap()].to_owned()
        });
    }
    out
}

/// An event as read back, without what the server may add (`eventID` when
/// none was sent, the document's prefixes as `@context`).
fn as_sent(mut event: Value, original: &Value) -> Value {
    let map = event.as_object_mut().unwrap();
    if original.get("eventID").is_none() {
        map.remove("eventID");
    }
    if original.get("@context").is_none() {
        map.remove("@context");
    }
    event
}

#[test]
fn gs1_example_documents_are_captured_and_read_back_without_loss() {
    let Some(dir) = shared_epcis() else { return };
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    // The demo phones' events are there already (exported as EPCIS).
    let already = all_events(url, &authority, "perPage=1000").len();
    let (mut originals, mut stored_count) = (Vec::new(), already);
    let files = examples(&dir);
    assert!(files.len() >= 40, "GS1's examples are there: {}", files.len());
    for f in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let (status, job, headers) = capture(url, &authority, &doc);
        assert_eq!(status, 202, "{}: {job}", f.display());
        assert_eq!(headers.get("gs1-epcis-version").unwrap(), "2.0.0");
        let location = headers.get("location").unwrap().to_str().unwrap().to_owned();
        let events = truyxuat_server::domain::epcis::event_list(&doc).unwrap();
        assert_eq!(job["events"].as_u64(), Some(events.len() as u64));
        assert_eq!(
            job["stored"].as_u64().unwrap() + job["duplicates"].as_u64().unwrap(),
            events.len() as u64
        );
        stored_count += job["stored"].as_u64().unwrap() as usize;
        let (status, again, _) = send("GET", &format!("{url}{location}"), &authority, "", None);
        assert_eq!((status, &again["captureID"]), (200, &job["captureID"]));
        originals.extend(events.iter().map(|e| (e.clone(), doc["@context"].clone())));
    }
    let stored = all_events(url, &authority, "perPage=25");
    assert_eq!(stored.len(), stored_count);
    // Each event is read back exactly as sent, or was the same event (by its
    // CBV hash) as one captured before, written another way.
    let hash = |e: &Value, ctx: &Value| truyxuat_server::domain::epcis::hash::event_hash(e, ctx);
    let mut duplicates = 0; // written another way than the copy kept
    for (original, ctx) in &originals {
        if stored.iter().any(|e| as_sent(e.clone(), original) == *original) {
            continue;
        }
        duplicates += 1;
        let h = hash(original, ctx);
        let twin = stored.iter().find(|e| hash(e, e.get("@context").unwrap_or(&Value::Null)) == h);
        assert!(twin.is_some(), "neither read back nor a duplicate: {original}");
    }
    assert!(duplicates <= originals.len() + already - stored.len(), "{duplicates} rewritten duplicates");
    // An event that came without an eventID has the hash as its ID.
    let assigned = stored
        .iter()
        .filter(|e| e["eventID"].as_str().is_some_and(|i| i.starts_with("ni:///sha-256;")))
        .count();
    assert!(assigned >= 7, "{assigned}");
}

#[test]
fn a_document_with_one_bad_event_stores_nothing() {
    let Some(dir) = shared_epcis() else { return };
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("JSON/Example_9.6.1-ObjectEvent.jsonld")).unwrap(),
    )
    .unwrap();
    let count = || all_events(url, &authority, "perPage=1000").len();
    let before = count();

    let mut bad = doc.clone();
    bad["epcisBody"]["eventList"][1].as_object_mut().unwrap().remove("eventTimeZoneOffset");
    let (status, problem, _) = capture(url, &authority, &bad);
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["type"], "epcisException:ValidationException");
    assert!(problem["detail"].as_str().unwrap().contains("/epcisBody/eventList/1"), "{problem}");
    assert_eq!(count(), before, "the valid first event was not kept either");

    let (status, first, _) = capture(url, &authority, &doc);
    assert_eq!(
        (status, first["stored"].as_u64()),
        (202, Some(doc["epcisBody"]["eventList"].as_array().unwrap().len() as u64))
    );
    let n = count();
    // The same document again: duplicates by event hash, nothing new.
    let (status, second, _) = capture(url, &authority, &doc);
    assert_eq!(
        (status, second["stored"].as_u64(), second["duplicates"].as_u64()),
        (202, Some(0), first["stored"].as_u64())
    );
    assert_eq!(count(), n);

    // A different event under a known eventID (GS1's own examples do this)
    // is a new event: the hash, not the ID, says what is a duplicate.
    let mut reused = doc.clone();
    let id = reused["epcisBody"]["eventList"][0]["eventID"].clone();
    reused["epcisBody"]["eventList"][0]["bizStep"] = json!("receiving");
    let (status, job, _) = capture(url, &authority, &reused);
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    assert_eq!(count(), n + 1);
    let same_id =
        all_events(url, &authority, &format!("EQ_eventID={}", support::urlencode(id.as_str().unwrap())));
    assert_eq!(same_id.len(), 2);
}

/// A small document of our own: a shipment and its receipt, an EPC written
/// as a URN in one and as a Digital Link in the other.
fn shipment() -> Value {
    let event = |step: &str, time: &str, epc: &str, place: &str| {
        json!({"type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+07:00",
               "epcList": [epc], "action": "OBSERVE", "bizStep": step, "disposition": "in_transit",
               "readPoint": {"id": place}, "bizLocation": {"id": place}})
    };
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-27T01:00:00+07:00",
        "epcisBody": {"eventList": [
            event("shipping", "2024-06-20T08:00:00+07:00", "urn:epc:id:sgtin:8936120.010011.7", "urn:epc:id:sgln:8936120.00010.0"),
            event("receiving", "2024-06-21T09:30:00+07:00", "https://id.gs1.org/01/08936120100110/21/7", "https://id.gs1.org/414/8936904000117"),
            event("https://ref.gs1.org/cbv/BizStep-receiving", "2024-06-22T10:00:00+07:00", "urn:epc:id:sgtin:8936120.010011.8", "https://id.gs1.org/414/8936904000124"),
        ]}
    })
}

#[test]
fn the_standard_query_filters_and_pages() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    let (status, job, _) = capture(url, &authority, &shipment());
    assert_eq!(status, 202, "{job}");
    // The demo phones' events are there too: look in June 2024, where only these are.
    let ids = |q: &str| -> Vec<String> {
        let q = format!("{q}&GE_eventTime=2024-06-01T00:00:00Z&LT_eventTime=2024-07-01T00:00:00Z");
        all_events(url, &authority, &q)
            .iter()
            .map(|e| e["eventTime"].as_str().unwrap()[..10].to_owned())
            .collect()
    };
    assert_eq!(ids("EQ_bizStep=receiving"), ["2024-06-21", "2024-06-22"]);
    assert_eq!(ids("EQ_bizStep=https%3A%2F%2Fref.gs1.org%2Fcbv%2FBizStep-shipping"), ["2024-06-20"]);
    assert_eq!(ids("EQ_bizStep=shipping%7Creceiving&EQ_disposition=in_transit").len(), 3);
    // One item, written as a URN or a Digital Link.
    assert_eq!(
        ids("MATCH_epc=https%3A%2F%2Fid.gs1.org%2F01%2F08936120100110%2F21%2F7"),
        ["2024-06-20", "2024-06-21"]
    );
    assert_eq!(ids("MATCH_epc=urn:epc:id:sgtin:8936120.010011.7"), ["2024-06-20", "2024-06-21"]);
    assert_eq!(ids("MATCH_anyEPC=urn:epc:idpat:sgtin:8936120.010011.*").len(), 3);
    assert_eq!(ids("EQ_bizLocation=urn:epc:id:sgln:8936904.00011.0"), ["2024-06-21"]);
    assert_eq!(
        ids(
            "GE_recordTime=2000-01-01T00:00:00Z&EQ_bizStep=receiving&EQ_readPoint=https%3A%2F%2Fid.gs1.org%2F414%2F8936904000117"
        ),
        ["2024-06-21"]
    );
    // One per page: three pages linked one to the next.
    let (_, first, headers) =
        send("GET", &format!("{url}/epcis/events?perPage=1&EQ_disposition=in_transit"), &authority, "", None);
    assert_eq!(first["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len(), 1);
    assert!(headers.get("link").unwrap().to_str().unwrap().contains("rel=\"next\""));
    assert_eq!(ids("perPage=1&EQ_disposition=in_transit"), ["2024-06-20", "2024-06-21", "2024-06-22"]);
    // One event by its ID, and the events of one EPC, as resources.
    let shipped = all_events(url, &authority, "EQ_bizStep=shipping&GE_eventTime=2024-06-01T00:00:00Z");
    let id = shipped[0]["eventID"].as_str().unwrap();
    let encoded =
        |v: &str| percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
    let (status, doc, headers) =
        send("GET", &format!("{url}/epcis/events/{}", encoded(id)), &authority, "", None);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(headers.get("gs1-epcis-version").unwrap(), "2.0.0");
    assert!(truyxuat_server::domain::epcis::schema_errors(&doc).is_empty(), "{doc}");
    let list = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap();
    assert_eq!((list.len(), list[0]["eventID"].as_str()), (1, Some(id)));
    let (status, problem, _) = send(
        "GET",
        &format!("{url}/epcis/events/{}", encoded("urn:uuid:00000000-0000-0000-0000-000000000000")),
        &authority,
        "",
        None,
    );
    assert_eq!((status, problem["type"].as_str()), (404, Some("epcisException:NoSuchResourceException")));
    for epc in ["urn:epc:id:sgtin:8936120.010011.7", "https://id.gs1.org/01/08936120100110/21/7"] {
        let (status, doc, _) = send(
            "GET",
            &format!(
                "{url}/epcis/epcs/{}/events?GE_eventTime=2024-06-01T00:00:00Z&LT_eventTime=2024-07-01T00:00:00Z",
                encoded(epc)
            ),
            &authority,
            "",
            None,
        );
        assert_eq!(status, 200, "{epc}: {doc}");
        let days: Vec<&str> = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["eventTime"].as_str().unwrap()[..10])
            .collect();
        assert_eq!(days, ["2024-06-20", "2024-06-21"], "{epc}");
    }
    // Paging through an EPC's events follows its own path.
    let (_, _, headers) = send(
        "GET",
        &format!(
            "{url}/epcis/epcs/{}/events?perPage=1&GE_eventTime=2024-06-01T00:00:00Z",
            encoded("urn:epc:id:sgtin:8936120.010011.7")
        ),
        &authority,
        "",
        None,
    );
    let link = headers.get("link").unwrap().to_str().unwrap();
    assert!(
        link.starts_with("</epcis/epcs/urn%3Aepc%3Aid%3Asgtin%3A8936120%2E010011%2E7/events?perPage=1&"),
        "{link}"
    );
    let next = &link[1..link.find('>').unwrap()];
    let (status, doc, _) = send("GET", &format!("{url}{next}"), &authority, "", None);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(
        doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["eventTime"].as_str().unwrap()[..10],
        *"2024-06-21"
    );
    for bad in ["EQ_colour=red", "perPage=0", "GE_eventTime=yesterday", "nextPageToken=xyz"] {
        let (status, problem, _) = send("GET", &format!("{url}/epcis/events?{bad}"), &authority, "", None);
        assert_eq!(
            (status, problem["type"].as_str()),
            (400, Some("epcisException:QueryParameterException")),
            "{bad}"
        );
    }
}

#[test]
fn who_may_capture_and_the_limits() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (status, problem, _) = capture(url, &login(url, "consumer"), &shipment());
    assert_eq!((status, problem["type"].as_str()), (403, Some("epcisException:SecurityException")));

    // An enterprise captures at its own places only (the shop chain's account).
    let shop = login(url, "supermarket");
    let own: Vec<String> = support::demo_glns("supermarket");
    assert!(own.contains(&"8936904000117".to_owned()), "{own:?}");
    let (status, problem, _) = capture(url, &shop, &shipment());
    assert_eq!(
        (status, problem["type"].as_str()),
        (403, Some("epcisException:SecurityException")),
        "{problem}"
    );
    let mut mine = shipment();
    let receipt = mine["epcisBody"]["eventList"][1].clone();
    mine["epcisBody"]["eventList"] = json!([receipt]);
    let (shop_before, all_before) = (
        all_events(url, &shop, "perPage=1000").len(),
        all_events(url, &login(url, "authority"), "perPage=1000").len(),
    );
    let (status, job, _) = capture(url, &shop, &mine);
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    // It reads back its own captures only; the authority sees everything.
    let (status, _, _) = capture(url, &login(url, "authority"), &shipment());
    assert_eq!(status, 202);
    assert_eq!(all_events(url, &shop, "perPage=1000").len(), shop_before + 1);
    assert_eq!(all_events(url, &login(url, "authority"), "perPage=1000").len(), all_before + 3);

    // Limits, announced and enforced.
    let authority = login(url, "authority");
    let (status, _, headers) = send("OPTIONS", &format!("{url}/epcis/capture"), &authority, "", None);
    assert_eq!(status, 204);
    assert_eq!(headers.get("gs1-epcis-capture-limit").unwrap(), "1000");
    let mut big = shipment();
    let one = big["epcisBody"]["eventList"][0].clone();
    big["epcisBody"]["eventList"] = Value::Array(vec![one; 1001]);
    let (status, problem, headers) = capture(url, &authority, &big);
    assert_eq!(
        (status, problem["type"].as_str()),
        (413, Some("epcisException:CaptureLimitExceededException"))
    );
    assert!(headers.get("gs1-epcis-capture-file-size-limit").is_some());
    let (status, problem, _) =
        send("POST", &format!("{url}/epcis/capture"), &authority, "application/xml", Some(&shipment()));
    assert_eq!(
        (status, problem["type"].as_str()),
        (415, Some("epcisException:UnsupportedMediaTypeException"))
    );
}

#[test]
fn the_phones_events_are_epcis_events() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    // The demo phones' events, one business step at a time (every answer is
    // checked against the EPCIS schema by `all_events`).
    let d = demo();
    let count = |kind: &str| d["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).count();
    for (step, kind) in [
        ("commissioning", "harvest"),
        ("urn:truyxuat:epcis:bizstep:treating", "farm_diary"),
        ("inspecting", "inspection"),
        ("shipping", "shipping"),
        ("receiving", "receiving"),
    ] {
        let q = format!("EQ_bizStep={}&eventType=ObjectEvent&perPage=1000", support::urlencode(step));
        assert_eq!(all_events(url, &authority, &q).len(), count(kind), "{kind}");
    }
    let made = all_events(url, &authority, "eventType=TransformationEvent&perPage=1000");
    assert_eq!(made.len(), count("transformation"));
    assert!(made.iter().all(|e| e["inputQuantityList"].as_array().is_some_and(|l| !l.is_empty())));

    // A farmer's harvest, recorded now, is queryable by its lot's Digital Link.
    let dir = tempfile::tempdir().unwrap();
    let phone = support::journal_path(&dir, "farmer");
    support::device_ok(&phone, &["init", "--server", url]);
    support::device_ok(&phone, &["login", "--user", "farmer", "--password", "demo"]);
    let glns = support::demo_glns("farmer");
    let saved = support::device_ok(
        &phone,
        &[
            "harvest",
            "--product",
            "Cà phê Robusta",
            "--lot",
            "HP/09",
            "--quantity",
            "410",
            "--date",
            "2026-11-26",
            "--gtin",
            "08936120900017",
            "--gln",
            &glns[0],
        ],
    );
    support::device_ok(&phone, &["sync"]);
    let id = format!("urn:uuid:{}", saved["id"].as_str().unwrap());
    let found = all_events(
        url,
        &authority,
        "MATCH_epcClass=https%3A%2F%2Fid.gs1.org%2F01%2F08936120900017%2F10%2FHP%252F09",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    let e = &found[0];
    assert_eq!(
        (e["eventID"].as_str(), e["action"].as_str(), e["bizStep"].as_str()),
        (Some(id.as_str()), Some("ADD"), Some("commissioning"))
    );
    assert_eq!(
        e["quantityList"][0],
        json!({"epcClass": "https://id.gs1.org/01/08936120900017/10/HP%2F09", "quantity": 410.0, "uom": "KGM"})
    );
    assert_eq!(e["bizLocation"]["id"], json!(format!("https://id.gs1.org/414/{}", glns[0])));
    assert_eq!(e["tx:lot"], "HP/09");
    assert_eq!(e["@context"], json!([{"tx": "urn:truyxuat:epcis:"}]));
    // The farmer reads back their own events; another account's are not theirs.
    assert!(
        all_events(url, &login(url, "farmer"), "perPage=1000").iter().any(|x| x["eventID"] == id.as_str())
    );
    assert!(
        !all_events(url, &login(url, "farmer2"), "perPage=1000").iter().any(|x| x["eventID"] == id.as_str())
    );
}

#[test]
fn captured_events_join_the_provenance_chain() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    let doc = coffee_chain();
    let retail = "08936120100110";
    let (status, job, _) = capture(url, &authority, &doc);
    assert_eq!((status, job["stored"].as_u64()), (202, Some(6)), "{job}");
    let (status, answer, _) =
        support::call("GET", &format!("{url}/v1/resolve?code=(01){retail}(10)EPR-2611"), None, None);
    assert_eq!(status, 200, "{answer}");
    let kinds: Vec<&str> =
        answer["journey"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    for kind in ["harvest", "shipping", "receiving", "transformation"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(answer["chain"]["complete"], true, "{}", answer["chain"]);
    // Captured again: duplicates, and the journey is not doubled.
    let (_, again, _) = capture(url, &authority, &doc);
    assert_eq!(again["duplicates"].as_u64(), Some(6));
    let (_, same, _) =
        support::call("GET", &format!("{url}/v1/resolve?code=(01){retail}(10)EPR-2611"), None, None);
    assert_eq!(same["journey"].as_array().unwrap().len(), kinds.len());
}

#[test]
fn quantities_order_and_how_many() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    // Captured in this order; their event times are in another.
    let event = |time: &str, quantity: f64| {
        json!({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": time, "eventTimeZoneOffset": "+07:00",
               "epcList": [], "bizStep": "storing",
               "quantityList": [{"epcClass": "urn:epc:class:lgtin:8936120.010011.L7", "quantity": quantity, "uom": "KGM"}]})
    };
    let doc = json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-27T01:00:00+07:00",
        "epcisBody": {"eventList": [
            event("2023-03-02T08:00:00+07:00", 10.0),
            event("2023-03-01T08:00:00+07:00", 5.0),
            event("2023-03-03T08:00:00+07:00", 20.5),
        ]}
    });
    let (status, job, _) = capture(url, &authority, &doc);
    assert_eq!(status, 202, "{job}");
    let window = "GE_eventTime=2023-03-01T00:00:00Z&LT_eventTime=2023-04-01T00:00:00Z";
    let days = |q: &str| -> Vec<String> {
        all_events(url, &authority, &format!("{q}&{window}"))
            .iter()
            .map(|e| e["eventTime"].as_str().unwrap()[8..10].to_owned())
            .collect()
    };
    assert_eq!(days("EQ_bizStep=storing"), ["02", "01", "03"], "record order by default");
    assert_eq!(days("GE_quantity=10"), ["02", "03"]);
    assert_eq!(days("GT_quantity=10"), ["03"]);
    assert_eq!(days("LT_quantity=10"), ["01"]);
    assert_eq!(days("LE_quantity=10"), ["02", "01"]);
    assert_eq!(days("EQ_quantity=20.5"), ["03"]);
    assert_eq!(days("GT_quantity=5&LT_quantity=20"), ["02"], "every comparison holds");
    assert_eq!(days("orderBy=eventTime"), ["01", "02", "03"]);
    assert_eq!(days("orderBy=eventTime&orderDirection=DESC"), ["03", "02", "01"]);
    assert_eq!(days("orderBy=recordTime&orderDirection=DESC"), ["03", "01", "02"]);
    // Event time order holds from page to page.
    assert_eq!(days("orderBy=eventTime&orderDirection=DESC&perPage=1"), ["03", "02", "01"]);
    // eventCountLimit: the first N in that order, over every page.
    assert_eq!(days("orderBy=eventTime&eventCountLimit=2"), ["01", "02"]);
    assert_eq!(days("orderBy=eventTime&eventCountLimit=2&perPage=1"), ["01", "02"]);
    // maxEventCount: more than that many is an error, not a cut answer.
    assert_eq!(days("maxEventCount=3"), ["02", "01", "03"]);
    let (status, problem, headers) =
        send("GET", &format!("{url}/epcis/events?maxEventCount=2&{window}"), &authority, "", None);
    assert_eq!((status, problem["type"].as_str()), (413, Some("epcisException:QueryTooLargeException")));
    assert_eq!(headers.get("content-type").unwrap(), "application/problem+json");
    for bad in [
        "GE_quantity=many",
        "EQ_quantity=NaN",
        "orderBy=colour",
        "orderDirection=UP",
        "eventCountLimit=2",
        "orderBy=eventTime&eventCountLimit=2&maxEventCount=2",
        "eventCountLimit=0&orderBy=eventTime",
        "eventType=Event",
        "EQ_action=MOVE",
    ] {
        let (status, problem, _) =
            send("GET", &format!("{url}/epcis/events?{bad}&{window}"), &authority, "", None);
        assert_eq!(
            (status, problem["type"].as_str()),
            (400, Some("epcisException:QueryParameterException")),
            "{bad}: {problem}"
        );
    }
}

/// Another system's record of a coffee lot: harvested at the farm, shipped
/// to the roastery, received, roasted into a retail lot (EPR-2611), shipped
/// to a shop and received there.
fn coffee_chain() -> Value {
    let (farm, factory, shop) = ("8936120000014", "8936120000106", "8936904000117");
    let (green, retail) = ("08936120900017", "08936120100110");
    let place = |g: &str| json!({"id": format!("https://id.gs1.org/414/{g}")});
    let class = |gtin: &str, lot: &str| format!("https://id.gs1.org/01/{gtin}/10/{lot}");
    let object = |time: &str, step: &str, action: &str, gtin: &str, lot: &str, at: &str, extra: Value| {
        let mut e = json!({"type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+07:00", "epcList": [],
            "quantityList": [{"epcClass": class(gtin, lot), "quantity": 500, "uom": "KGM"}],
            "action": action, "bizStep": step, "readPoint": place(at), "bizLocation": place(at)});
        for (k, v) in extra.as_object().unwrap() {
            e[k] = v.clone();
        }
        e
    };
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-27T00:00:00Z",
        "epcisBody": {"eventList": [
            object("2026-11-01T07:00:00+07:00", "commissioning", "ADD", green, "EP-2611", farm, json!({"disposition": "active"})),
            object("2026-11-03T07:00:00+07:00", "shipping", "OBSERVE", green, "EP-2611", farm,
                   json!({"destinationList": [{"type": "location", "destination": format!("https://id.gs1.org/414/{factory}")}]})),
            object("2026-11-04T07:00:00+07:00", "receiving", "OBSERVE", green, "EP-2611", factory,
                   json!({"sourceList": [{"type": "location", "source": format!("https://id.gs1.org/414/{farm}")}]})),
            {"type": "TransformationEvent", "eventTime": "2026-11-06T07:00:00+07:00", "eventTimeZoneOffset": "+07:00",
             "inputQuantityList": [{"epcClass": class(green, "EP-2611"), "quantity": 500, "uom": "KGM"}],
             "outputQuantityList": [{"epcClass": class(retail, "EPR-2611"), "quantity": 800}],
             "bizStep": "commissioning", "bizLocation": place(factory)},
            object("2026-11-08T07:00:00+07:00", "shipping", "OBSERVE", retail, "EPR-2611", factory,
                   json!({"destinationList": [{"type": "location", "destination": format!("https://id.gs1.org/414/{shop}")}]})),
            object("2026-11-09T07:00:00+07:00", "receiving", "OBSERVE", retail, "EPR-2611", shop,
                   json!({"sourceList": [{"type": "location", "source": format!("https://id.gs1.org/414/{factory}")}]})),
        ]}
    })
}

fn document(events: Vec<Value>) -> Value {
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-28T00:00:00Z",
        "epcisBody": {"eventList": events}
    })
}

/// The same event, declared in error.
fn declared(event: &Value, reason: &str) -> Value {
    let mut e = event.clone();
    e["errorDeclaration"] = json!({"declarationTime": "2026-11-28T09:00:00+07:00", "reason": reason,
                                   "correctiveEventIDs": ["urn:uuid:0b5e8a52-7c1f-4d07-9a11-00000000c0de"]});
    e
}

fn journey_of(url: &str, code: &str) -> (Vec<String>, Vec<String>) {
    let (status, answer, _) =
        support::call("GET", &format!("{url}/v1/resolve?code={}", support::urlencode(code)), None, None);
    assert_eq!(status, 200, "{answer}");
    let kinds = |field: &str| -> Vec<String> {
        answer[field]
            .as_array()
            .map(|a| a.iter().map(|s| s["kind"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    (kinds("journey"), kinds("corrected"))
}

#[test]
fn corrections_retract_what_their_sender_may_correct_and_event_ids_stay_their_owners() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    let shop = login(url, "supermarket");

    // The shop's receipt, under an eventID of its own.
    let mut receipt = shipment()["epcisBody"]["eventList"][1].clone();
    let id = "urn:uuid:5d1c0c2e-6a53-4c1e-9a55-000000000001";
    receipt["eventID"] = json!(id);
    let (status, job, _) = capture(url, &shop, &document(vec![receipt.clone()]));
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    // Another account's event may not take that ID, not even the national
    // authority's; nothing of the document is stored.
    let mut other = shipment()["epcisBody"]["eventList"][0].clone();
    other["eventID"] = json!(id);
    let before = all_events(url, &authority, "perPage=1000").len();
    let (status, problem, _) =
        capture(url, &authority, &document(vec![shipment()["epcisBody"]["eventList"][2].clone(), other]));
    assert_eq!(
        (status, problem["type"].as_str()),
        (403, Some("epcisException:SecurityException")),
        "{problem}"
    );
    assert_eq!(all_events(url, &authority, "perPage=1000").len(), before);
    // A provincial authority may not correct the shop's event.
    let (status, problem, _) =
        capture(url, &login(url, "authority_hn"), &document(vec![declared(&receipt, "incorrect_data")]));
    assert_eq!(
        (status, problem["type"].as_str()),
        (403, Some("epcisException:SecurityException")),
        "{problem}"
    );
    // The shop may (this answered 500 before: the correction has the
    // event's own hash); sent again, it is a duplicate.
    let correction = document(vec![declared(&receipt, "incorrect_data")]);
    let (status, job, _) = capture(url, &shop, &correction);
    assert_eq!(
        (status, job["stored"].as_u64(), job["duplicates"].as_u64()),
        (202, Some(1), Some(0)),
        "{job}"
    );
    let (status, job, _) = capture(url, &shop, &correction);
    assert_eq!(
        (status, job["stored"].as_u64(), job["duplicates"].as_u64()),
        (202, Some(0), Some(1)),
        "{job}"
    );
    // In queries: the event and its correction under one ID, the
    // correction by the standard's error filters.
    let encoded = support::urlencode(id);
    let both = all_events(url, &shop, &format!("EQ_eventID={encoded}"));
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both[0].get("errorDeclaration").is_none() && both[1].get("errorDeclaration").is_some());
    for q in [
        "EXISTS_errorDeclaration=true",
        "EQ_errorReason=incorrect_data",
        "EQ_errorReason=https%3A%2F%2Fref.gs1.org%2Fcbv%2FER-incorrect_data",
        "EQ_correctiveEventID=urn:uuid:0b5e8a52-7c1f-4d07-9a11-00000000c0de",
    ] {
        let found = all_events(url, &shop, q);
        assert_eq!(found.len(), 1, "{q}: {found:?}");
        assert_eq!(found[0]["eventID"], id, "{q}");
    }
    assert!(all_events(url, &shop, "EQ_errorReason=did_not_occur").is_empty());

    // In the story: a captured chain, one step corrected by its sender.
    let chain = coffee_chain();
    let (status, _, _) = capture(url, &authority, &chain);
    assert_eq!(status, 202);
    let code = "(01)08936120100110(10)EPR-2611";
    let (journey, corrected) = journey_of(url, code);
    assert_eq!(journey.iter().filter(|k| *k == "receiving").count(), 2, "{journey:?}");
    assert!(corrected.is_empty());
    let last = chain["epcisBody"]["eventList"][5].clone();
    let (status, job, _) = capture(url, &authority, &document(vec![declared(&last, "did_not_occur")]));
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    let (after, corrected) = journey_of(url, code);
    assert_eq!(after.len(), journey.len() - 1, "{after:?}");
    assert_eq!(corrected, ["receiving"]);
    let page = ureq::get(&format!("{url}/01/08936120100110/10/EPR-2611"))
        .header("Accept", "text/html")
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("class=\"corrected\"") && page.contains("đính chính"), "{page}");
    // A correction that came before its event (from the same sender): the
    // event is corrected on arrival.
    let mut later = chain["epcisBody"]["eventList"][4].clone();
    later["eventTime"] = json!("2026-11-10T07:00:00+07:00");
    let (status, _, _) = capture(url, &authority, &document(vec![declared(&later, "incorrect_data")]));
    assert_eq!(status, 202);
    let (status, _, _) = capture(url, &authority, &document(vec![later]));
    assert_eq!(status, 202);
    let (_, corrected) = journey_of(url, code);
    assert_eq!(corrected, ["receiving", "shipping"], "by date, as the journey");

    // A phone's event, corrected by the national authority: the farmer's
    // harvest leaves the lot's story and the farmer's phone is told.
    let farmer = login(url, "farmer");
    let harvests = all_events(url, &farmer, "EQ_bizStep=commissioning&eventType=ObjectEvent&perPage=1000");
    let harvest = harvests.iter().find(|e| e["tx:lot"].is_string()).unwrap().clone();
    let class = harvest["quantityList"][0]["epcClass"].as_str().unwrap().to_owned();
    let gtin = &class["https://id.gs1.org/01/".len()..][..14];
    let code = format!("(01){gtin}(10){}", harvest["tx:lot"].as_str().unwrap());
    assert!(journey_of(url, &code).0.contains(&"harvest".to_owned()));
    let (status, problem, _) = capture(url, &shop, &document(vec![declared(&harvest, "incorrect_data")]));
    assert_eq!(status, 403, "{problem}");
    let mut doc = document(vec![declared(&harvest, "incorrect_data")]);
    doc["@context"] = json!(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"tx": "urn:truyxuat:epcis:"}]);
    let (status, job, _) = capture(url, &authority, &doc);
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    let (journey, corrected) = journey_of(url, &code);
    assert!(
        !journey.contains(&"harvest".to_owned()) && corrected.contains(&"harvest".to_owned()),
        "{journey:?} {corrected:?}"
    );
    let (mut told, mut cursor) = (false, String::new());
    loop {
        let (status, page, _) =
            support::call("GET", &format!("{url}/v1/sync/pull?cursor={cursor}"), Some(&farmer), None);
        assert_eq!(status, 200, "{page}");
        told |= page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "event_status" && c["data"]["error"]["code"] == "corrected");
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if page["has_more"] != true {
            break;
        }
    }
    assert!(told, "the farmer's phone hears of the correction");
}

#[test]
fn one_event_is_captured_alone_and_capture_jobs_are_listed() {
    let server = Server::start(&[]);
    let url = &server.url;
    let shop = login(url, "supermarket");
    // One event, with its own @context, at its own resource.
    let mut receipt = shipment()["epcisBody"]["eventList"][1].clone();
    receipt["@context"] = json!(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]);
    let (status, job, headers) =
        send("POST", &format!("{url}/epcis/events"), &shop, "application/ld+json", Some(&receipt));
    assert_eq!((status, job["stored"].as_u64()), (201, Some(1)), "{job}");
    let location = headers.get("location").unwrap().to_str().unwrap().to_owned();
    assert!(location.starts_with("/epcis/events/ni%3A%2F%2F%2Fsha%2D256%3B"), "{location}");
    let (status, doc, _) = send("GET", &format!("{url}{location}"), &shop, "", None);
    assert_eq!(status, 200, "{doc}");
    let list = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap();
    assert_eq!((list.len(), &list[0]["bizStep"]), (1, &json!("receiving")));
    // The same again: a duplicate, still created (nothing new stored).
    let (status, job, _) =
        send("POST", &format!("{url}/epcis/events"), &shop, "application/ld+json", Some(&receipt));
    assert_eq!((status, job["duplicates"].as_u64()), (201, Some(1)), "{job}");
    // Not a document, not an event of another's place, not a consumer's.
    for (token, body, want) in [
        (&shop, shipment(), "epcisException:ValidationException"),
        (&shop, shipment()["epcisBody"]["eventList"][0].clone(), "epcisException:SecurityException"),
        (&login(url, "consumer"), receipt.clone(), "epcisException:SecurityException"),
    ] {
        let (status, problem, _) =
            send("POST", &format!("{url}/epcis/events"), token, "application/ld+json", Some(&body));
        assert_eq!(problem["type"].as_str(), Some(want), "{status} {problem}");
    }

    // Capture jobs: the account's own, newest first, page by page.
    for _ in 0..2 {
        let (status, _, _) = capture(url, &shop, &document(vec![receipt.clone()]));
        assert_eq!(status, 202);
    }
    let (status, jobs, headers) = send("GET", &format!("{url}/epcis/capture?perPage=3"), &shop, "", None);
    assert_eq!(status, 200, "{jobs}");
    let jobs = jobs.as_array().unwrap().clone();
    assert_eq!(jobs.len(), 3);
    assert!(jobs.windows(2).all(|w| w[0]["captureID"].as_str() > w[1]["captureID"].as_str()), "newest first");
    assert_eq!((jobs[0]["events"].as_u64(), jobs[0]["duplicates"].as_u64()), (Some(1), Some(1)));
    let link = headers.get("link").unwrap().to_str().unwrap();
    let next = &link[1..link.find('>').unwrap()];
    let (status, rest, headers) = send("GET", &format!("{url}{next}"), &shop, "", None);
    assert_eq!((status, rest.as_array().unwrap().len()), (200, 1), "{rest}");
    assert!(headers.get("link").is_none());
    // Another enterprise sees none of them; the national authority all.
    let (_, none, _) = send("GET", &format!("{url}/epcis/capture"), &login(url, "market"), "", None);
    assert_eq!(none, json!([]));
    let (_, all, _) = send("GET", &format!("{url}/epcis/capture"), &login(url, "authority"), "", None);
    assert!(all.as_array().unwrap().len() >= 4);
    for bad in ["perPage=0", "perPage=1001", "nextPageToken=xyz", "colour=red"] {
        let (status, problem, _) = send("GET", &format!("{url}/epcis/capture?{bad}"), &shop, "", None);
        assert_eq!(
            (status, problem["type"].as_str()),
            (400, Some("epcisException:QueryParameterException")),
            "{bad}"
        );
    }
}
