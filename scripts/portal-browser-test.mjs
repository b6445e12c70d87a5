#!/usr/bin/env node
// The portal's web pages in a real browser: puppeteer-core drives the system
// Chromium through the journeys of an authority (dashboard, a complaint
// resolved), an enterprise (a recall declared, then seen on the consumer
// page), a consumer (turned away with 403) and a citizen on a phone (a
// problem reported with a photo from the report page).
//
//   CHROMIUM=/usr/bin/chromium node scripts/portal-browser-test.mjs BASE_URL
//
// BASE_URL is a `truyxuat serve --demo` server on a fresh database: the
// journeys change its data (a complaint is resolved, a demo lot recalled, an
// anonymous complaint with a photo filed).
// Prints `ok - NAME` / `not ok - NAME: reason` per check, then
// `N passed, M failed`; exits 1 on any failure. Screenshots go to
// target/browser/dashboard.png and dashboard-phone.png.
//
// puppeteer-core comes from scripts/browser (npm ci --prefix scripts/browser).

import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(ROOT, "scripts", "browser", "package.json"));

const WAIT_MS = 15_000; // every wait, navigation and protocol call
const LAUNCH_MS = 30_000; // a cold Chromium start on a busy CI machine
const RUN_MS = Number(process.env.PORTAL_TEST_TIMEOUT_S || 240) * 1000; // the whole run
const PASSWORD = "demo";
const VI = { "Accept-Language": "vi-VN,vi" };

let passed = 0;
let failed = 0;
let browser = null;

function summary() {
  console.log(`${passed} passed, ${failed} failed`);
}

function oneLine(s, max = 300) {
  const t = String(s).replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Runs one check: `fn` throws (or returns a string) to fail it. Returns whether it passed. */
async function check(name, fn) {
  try {
    const r = await fn();
    if (typeof r === "string") {
      failed++;
      console.log(`not ok - ${name}: ${oneLine(r)}`);
      return false;
    }
    passed++;
    console.log(`ok - ${name}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${oneLine(e && e.message ? e.message : e)}`);
    return false;
  }
}

function expect(cond, why) {
  if (!cond) throw new Error(why);
}

const usage = "usage: CHROMIUM=/path/to/chromium node scripts/portal-browser-test.mjs BASE_URL";
const BASE = (process.argv[2] || "").replace(/\/+$/, "");
if (!/^https?:\/\//.test(BASE)) {
  console.error(usage);
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "";
if (!CHROMIUM) {
  console.error(`error: CHROMIUM is not set\n${usage}`);
  process.exit(2);
}

// The whole run is bounded: a hung browser or server fails the run, never stalls it.
const guard = setTimeout(() => {
  failed++;
  console.log(`not ok - the whole run finished within ${RUN_MS / 1000} s: stopped`);
  summary();
  try {
    browser?.process()?.kill("SIGKILL");
  } catch {
    // nothing more to do
  }
  process.exit(1);
}, RUN_MS);

const catalog = JSON.parse(readFileSync(join(ROOT, "fixtures", "demo", "catalog.json"), "utf8"));
const SHOTS = join(ROOT, "target", "browser");
mkdirSync(SHOTS, { recursive: true });

/** A fresh incognito context and a Vietnamese page in it. */
async function freshPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.setDefaultNavigationTimeout(WAIT_MS);
  await page.setExtraHTTPHeaders(VI);
  await page.setViewport(viewport);
  return { context, page };
}

/** Clicks the submit button of `form` and waits for the page it leads to. */
async function submit(page, form) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load", timeout: WAIT_MS }),
    page.click(`${form} button[type="submit"]`),
  ]);
  return response;
}

/** Signs in through the portal's form; returns the response of the page it lands on. */
async function signIn(page, username, path = "/portal/login") {
  await page.goto(BASE + path, { waitUntil: "load" });
  await page.waitForSelector("form#login");
  await page.type("#username", username);
  await page.type("#password", PASSWORD);
  return submit(page, "form#login");
}

const pathOf = (page) => new URL(page.url()).pathname;
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

// A real PNG, made by hand: signature, IHDR, one zlib IDAT, IEND, each chunk
// with its CRC-32 (of the type and data).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
/** A `size`×`size` RGB PNG (a colour gradient; `seed` varies the bytes). */
function makePng(size = 8, seed = 0) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // compression, filter and interlace methods: 0
  const rows = Buffer.alloc(size * (1 + 3 * size));
  for (let y = 0; y < size; y++) {
    const at = y * (1 + 3 * size); // rows[at] = 0: filter "none"
    for (let x = 0; x < size; x++) {
      rows[at + 1 + 3 * x] = (x * 32 + seed) & 0xff;
      rows[at + 2 + 3 * x] = (y * 32) & 0xff;
      rows[at + 3 + 3 * x] = (seed >>> 8) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(rows)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
const bodyText = (page) => page.evaluate(() => document.body.innerText);

// ---------------------------------------------------------------------------
// a. The authority's dashboard, on a laptop and on a phone, in both languages.
async function authorityDashboard(page) {
  const first = await page.goto(`${BASE}/portal/dashboard`, { waitUntil: "load" });
  if (
    !(await check("dashboard without a session redirects to /portal/login?next=…", () => {
      const u = new URL(page.url());
      expect(u.pathname === "/portal/login", `landed on ${page.url()} (status ${first?.status()})`);
      expect(u.searchParams.get("next") === "/portal/dashboard", `next=${u.searchParams.get("next")}`);
    }))
  ) {
    return false;
  }
  await page.type("#username", "authority");
  await page.type("#password", PASSWORD);
  const landed = await submit(page, "form#login");
  if (
    !(await check("authority signs in and lands on /portal/dashboard", () => {
      expect(pathOf(page) === "/portal/dashboard", `landed on ${page.url()} (status ${landed?.status()})`);
      expect(landed?.status() === 200, `status ${landed?.status()}`);
    }))
  ) {
    return false;
  }
  await check("dashboard is Vietnamese by default", async () => {
    const lang = await page.$eval("html", (h) => h.lang);
    expect(lang === "vi", `html lang="${lang}"`);
    expect((await bodyText(page)).includes("Lượt quét theo ngày"), "no 'Lượt quét theo ngày'");
  });

  const days = await page.$$eval('svg[data-chart="scans-by-day"] g[data-day]', (gs) =>
    gs.map((g) => {
      const reg = g.querySelector("rect.reg");
      return {
        day: g.dataset.day,
        count: Number(g.dataset.count),
        h: reg ? reg.getBoundingClientRect().height : -1,
      };
    }),
  );
  await check("scans-by-day chart has 30 days (the default period)", () => {
    expect(days.length === 30, `${days.length} g[data-day]`);
  });
  await check("the day chart's counts add up to the scans-total figure", async () => {
    const shown = await page.$eval('[data-stat="scans-total"] b', (b) => b.textContent);
    const total = Number(shown.replace(/\D/g, ""));
    const sum = days.reduce((s, d) => s + d.count, 0);
    expect(shown.replace(/\D/g, "") !== "", `scans-total shows "${shown}"`);
    expect(sum === total, `days add up to ${sum}, the figure says ${total} ("${shown}")`);
    expect(sum > 0, "no scan at all in the demo's last 30 days");
  });
  await check("every day with scans has a drawn bar (rect.reg height > 0)", () => {
    const withScans = days.filter((d) => d.count > 0);
    const flat = withScans.filter((d) => !(d.h > 0));
    expect(withScans.length > 0, "no day with scans");
    expect(
      flat.length === 0,
      `${flat.length} of ${withScans.length} days not drawn: ${flat
        .slice(0, 5)
        .map((d) => `${d.day} (${d.count} scans, height ${d.h})`)
        .join(", ")}`,
    );
  });
  await check("scans-by-province bars: ≥ 6 provinces, each bar with scans drawn", async () => {
    const rows = await page.$$eval('.hbars[data-chart="scans-by-province"] [data-province]', (rs) =>
      rs.map((r) => {
        const bar = r.querySelector(".bar");
        return {
          province: r.dataset.province,
          count: Number(r.dataset.count),
          w: bar ? bar.getBoundingClientRect().width : -1,
        };
      }),
    );
    expect(rows.length >= 6, `${rows.length} provinces`);
    const flat = rows.filter((r) => r.count > 0 && !(r.w > 0));
    expect(flat.length === 0, `bars not drawn: ${flat.map((r) => `${r.province} (width ${r.w})`).join(", ")}`);
  });
  await check("by-province table has ≥ 6 rows", async () => {
    const n = await page.$$eval('table[data-table="by-province"] tbody tr', (rs) => rs.length);
    expect(n >= 6, `${n} rows`);
  });
  await check("screenshot target/browser/dashboard.png", async () => {
    await page.screenshot({ path: join(SHOTS, "dashboard.png"), fullPage: true });
  });

  // The same page on a phone: no sideways scrolling of the page itself.
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await page.goto(`${BASE}/portal/dashboard`, { waitUntil: "load" });
  await check("dashboard on a 390×844 phone does not scroll sideways", async () => {
    const m = await page.evaluate(() => {
      const vw = window.innerWidth;
      const wide = [];
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        const scroller = el.closest(".card")?.querySelector('svg[data-chart="scans-by-day"]');
        if (r.right > vw + 1 && !scroller) {
          wide.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} (right ${Math.round(r.right)})`);
        }
      }
      return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 5) };
    });
    expect(
      m.scroll <= m.vw + 1,
      `scrollWidth ${m.scroll} > innerWidth ${m.vw}; wide: ${m.wide.join(", ") || "?"}`,
    );
  });
  await check("screenshot target/browser/dashboard-phone.png", async () => {
    await page.screenshot({ path: join(SHOTS, "dashboard-phone.png"), fullPage: true });
  });
  await page.setViewport({ width: 1280, height: 900 });

  await page.goto(`${BASE}/portal/dashboard?lang=en`, { waitUntil: "load" });
  await check("dashboard ?lang=en is English", async () => {
    const lang = await page.$eval("html", (h) => h.lang);
    expect(lang === "en", `html lang="${lang}"`);
    expect((await bodyText(page)).includes("Scans per day"), "no 'Scans per day'");
  });
  // Back to Vietnamese (the choice is remembered in a cookie).
  await page.goto(`${BASE}/portal/dashboard?lang=vi`, { waitUntil: "load" });
  await check("dashboard ?lang=vi switches back to Vietnamese", async () => {
    const lang = await page.$eval("html", (h) => h.lang);
    expect(lang === "vi", `html lang="${lang}"`);
  });
  return true;
}

// ---------------------------------------------------------------------------
// b. The authority takes a received complaint through processing to resolved.
async function authorityComplaint(page) {
  await page.goto(`${BASE}/portal/complaints`, { waitUntil: "load" });
  let tracking = null;
  if (
    !(await check("complaint queue lists a received complaint", async () => {
      const row = await page.$('tr[data-complaint][data-status="received"]');
      expect(row, `no tr[data-complaint][data-status="received"] on ${page.url()}`);
      tracking = await row.evaluate((r) => r.dataset.complaint);
    }))
  ) {
    return;
  }
  const opened = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(`tr[data-complaint="${tracking}"] a`),
  ]).then(([r]) => r);
  if (
    !(await check(`complaint ${tracking} opens from the queue`, () => {
      expect(pathOf(page) === `/portal/complaints/${tracking}`, `landed on ${page.url()}`);
      expect(opened?.status() === 200, `status ${opened?.status()}`);
    }))
  ) {
    return;
  }
  for (const [status, note] of [
    ["processing", "Đã chuyển đoàn kiểm tra liên ngành xác minh tại điểm bán."],
    ["resolved", "Đã xác minh: cơ sở thu hồi hàng lỗi và đổi sản phẩm cho người mua."],
  ]) {
    const ok = await check(`complaint moves to ${status} with a Vietnamese note`, async () => {
      await page.waitForSelector("form#move #status");
      const picked = await page.select("form#move #status", status);
      expect(picked.includes(status), `no option "${status}" in #status`);
      await page.type("form#move #note", note);
      const r = await submit(page, "form#move");
      expect(r?.status() === 200, `status ${r?.status()}: ${oneLine(await bodyText(page), 160)}`);
      expect(pathOf(page) === `/portal/complaints/${tracking}`, `landed on ${page.url()}`);
      expect(await page.$(`li[data-history="${status}"]`), `no li[data-history="${status}"]`);
      expect((await bodyText(page)).includes(note), "the note is not in the history");
    });
    if (!ok) return;
  }
  await check("resolved complaint page: badge, history, no more form", async () => {
    expect(await page.$('h1 [data-status="resolved"]'), 'no h1 [data-status="resolved"]');
    expect(await page.$('li[data-history="resolved"]'), 'no li[data-history="resolved"]');
    expect(!(await page.$("form#move")), "form#move is still there");
  });
  await check(`GET /v1/complaints/${tracking} says resolved`, async () => {
    const r = await fetch(`${BASE}/v1/complaints/${encodeURIComponent(tracking)}`, {
      signal: AbortSignal.timeout(WAIT_MS),
      headers: { Accept: "application/json" },
    });
    const text = await r.text();
    expect(r.status === 200, `status ${r.status}: ${text}`);
    const status = JSON.parse(text).status;
    expect(status === "resolved", `status "${status}"`);
  });
}

// ---------------------------------------------------------------------------
// c. An enterprise declares a recall; the consumer page shows it at once.
async function enterpriseRecall() {
  const { context, page } = await freshPage();
  try {
    const landed = await signIn(page, "enterprise", "/portal/login?next=%2Fportal%2Frecalls");
    if (
      !(await check("enterprise signs in to /portal/recalls", () => {
        expect(pathOf(page) === "/portal/recalls", `landed on ${page.url()} (status ${landed?.status()})`);
      }))
    ) {
      return;
    }
    const recalled = new Set(catalog.recalls.flatMap((r) => r.lots.map((l) => `${r.gtin}/${l}`)));
    let gtin = null;
    let lot = null;
    if (
      !(await check("the product list is the company's products, with a demo lot to recall", async () => {
        const options = await page.$$eval("select#gtin option", (os) => os.map((o) => o.value));
        expect(options.length > 0, "select#gtin has no option");
        const products = new Map(catalog.products.map((p) => [p.gtin, p.company]));
        const companies = new Set(options.map((g) => products.get(g)));
        expect(!companies.has(undefined), `GTINs not in the demo catalog: ${options.filter((g) => !products.has(g))}`);
        expect(companies.size === 1, `products of several companies: ${[...companies]}`);
        // The first option that has a lot in the demo catalog (normally the first).
        for (const g of options) {
          const lots = catalog.lots.filter((l) => l.gtin === g).map((l) => l.lot);
          const pick = lots.find((l) => !recalled.has(`${g}/${l}`));
          if (pick) {
            [gtin, lot] = [g, pick];
            break;
          }
        }
        expect(gtin, `no lot in the demo catalog for any of ${options}`);
      }))
    ) {
      return;
    }
    const reason = `Kiểm tra bằng trình duyệt ${Date.now().toString(36)}: phát hiện bao bì bị phồng, nguy cơ nhiễm khuẩn; ngừng sử dụng và đổi trả tại nơi mua.`;
    let id = null;
    if (
      !(await check(`recall of lot ${lot} (${gtin}) is declared`, async () => {
        await page.select("#gtin", gtin);
        await page.type("#lots", lot);
        await page.select("#severity", "high");
        await page.type("#reason_vi", reason);
        const r = await submit(page, "form#recall");
        const declared = await page.$("[data-declared]");
        expect(declared, `no [data-declared] (status ${r?.status()}): ${oneLine(await bodyText(page), 200)}`);
        id = await declared.evaluate((d) => d.dataset.declared);
        expect(id, "[data-declared] is empty");
      }))
    ) {
      return;
    }
    await check(`the recalls table lists ${id} with lot ${lot}`, async () => {
      const rows = await page.$$eval("tr[data-recall]", (rs) =>
        rs.map((r) => ({ id: r.dataset.recall, text: r.innerText })),
      );
      const row = rows.find((r) => r.text.includes(lot));
      expect(row, `no tr[data-recall] lists ${lot} (rows: ${rows.map((r) => r.id)})`);
      expect(row.id === id, `the row of ${lot} is ${row.id}, declared ${id}`);
    });

    // Anyone, not signed in: the consumer page of that lot.
    const other = await freshPage({ width: 390, height: 844, isMobile: true, hasTouch: true });
    try {
      const path = `/01/${gtin}/10/${encodeURIComponent(lot)}`;
      const r = await other.page.goto(BASE + path, { waitUntil: "load" });
      await check(`consumer page ${path} shows the recall and its reason`, async () => {
        expect(r?.status() === 200, `status ${r?.status()}`);
        expect(await other.page.$('[data-warning="recalled"]'), 'no [data-warning="recalled"]');
        const text = await bodyText(other.page);
        expect(text.includes(reason), `the reason is not on the page: ${oneLine(text, 200)}`);
      });
    } finally {
      await other.context.close();
    }
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// d. A consumer account is told to use the phone app.
async function consumerTurnedAway() {
  const { context, page } = await freshPage();
  try {
    const r = await signIn(page, "consumer");
    await check("a consumer signing in gets 403 and is sent to the phone app", async () => {
      expect(r, "no response for the page after signing in");
      expect(r.status() === 403, `status ${r.status()} at ${page.url()}`);
      const text = await bodyText(page);
      expect(/ứng dụng/.test(text) && /điện thoại/.test(text), `no word of the phone app: ${oneLine(text, 200)}`);
    });
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// e. A citizen on a phone, not signed in, reports a problem with a photo: the
// page's script sends the photo to /v1/photos, then files the form with its
// hash; the complaint names that photo. (Anonymous filings and uploads are
// limited per address; this is the run's only anonymous complaint.)
async function citizenReportsWithPhoto() {
  const dir = mkdtempSync(join(tmpdir(), "truyxuat-photo-"));
  const { context, page } = await freshPage({ width: 390, height: 844, isMobile: true, hasTouch: true });
  try {
    // A fresh image each run, so the server stores it anew (201, not 200).
    const png = makePng(8, Date.now() & 0xffff);
    const pngPath = join(dir, "hong-bao-bi.png");
    writeFileSync(pngPath, png);
    const hash = sha256(png);

    const code = "(01)08936675100252(10)TMC500-261004";
    const r = await page.goto(`${BASE}/report?code=${encodeURIComponent(code)}`, { waitUntil: "load" });
    const form = 'form[action="/report"]';
    if (
      !(await check("report page on a phone: Vietnamese form with the code and a photo input", async () => {
        expect(r?.status() === 200, `status ${r?.status()}`);
        const lang = await page.$eval("html", (h) => h.lang);
        expect(lang === "vi", `html lang="${lang}"`);
        expect(await page.$(form), `no ${form}`);
        const shown = await page.$eval("#code", (i) => i.value);
        expect(shown === code, `#code is "${shown}"`);
        expect(await page.$(`${form} input#photo[type="file"]`), "no input#photo[type=file]");
        expect(await page.$(`${form} input#photos[type="hidden"]`), "no hidden input#photos");
      }))
    ) {
      return;
    }

    // What /v1/photos answers the page's script. The page navigates right
    // after, which drops the answer from the inspector's cache, so it is held
    // at the response stage (CDP Fetch), read, then let through.
    const uploads = [];
    const cdp = await page.createCDPSession();
    cdp.on("Fetch.requestPaused", async (ev) => {
      let body = null;
      try {
        if (ev.request.method === "POST") {
          const got = await cdp.send("Fetch.getResponseBody", { requestId: ev.requestId });
          body = Buffer.from(got.body, got.base64Encoded ? "base64" : "utf8").toString("utf8");
        }
      } catch (e) {
        body = `(unread: ${e.message})`;
      } finally {
        if (ev.request.method === "POST") uploads.push({ status: ev.responseStatusCode, body });
        await cdp.send("Fetch.continueRequest", { requestId: ev.requestId }).catch(() => {});
      }
    });
    await cdp.send("Fetch.enable", { patterns: [{ urlPattern: "*/v1/photos", requestStage: "Response" }] });

    const description = "Bao bì bị phồng, có mùi lạ khi mở; chụp ảnh gói hàng mua hôm qua.";
    let tracking = null;
    if (
      !(await check("the form is filled, an 8×8 PNG attached, and sent (photo first, then the form)", async () => {
        const picked = await page.select("#category", "quality_safety");
        expect(picked.includes("quality_safety"), 'no option "quality_safety" in #category');
        await page.type("#description", description);
        const province = await page.select("#province", "01");
        expect(province.includes("01"), 'no option "01" in #province');
        await page.type("#contact", "0912345678");
        const input = await page.$("#photo");
        await input.uploadFile(pngPath);
        const files = await input.evaluate((i) => [...i.files].map((f) => `${f.name} ${f.type} ${f.size}`));
        expect(files.length === 1, `#photo holds ${files.length} files`);
        let res;
        try {
          res = await submit(page, form);
        } catch (e) {
          const err = await page
            .$eval("#photo-error", (p) => (p.hidden ? "" : p.textContent))
            .catch(() => "");
          throw new Error(`${e.message}${err ? `; the page says: ${err}` : ""} (files: ${files})`);
        }
        expect(res?.status() === 201, `status ${res?.status()} at ${page.url()}: ${oneLine(await bodyText(page), 200)}`);
        expect(pathOf(page) === "/report", `landed on ${page.url()}`);
        const done = await page.$("[data-tracking]");
        expect(done, `no [data-tracking]: ${oneLine(await bodyText(page), 200)}`);
        tracking = await done.evaluate((d) => d.dataset.tracking);
        const text = await done.evaluate((d) => d.innerText);
        expect(/^PA-\S+$/.test(tracking || ""), `data-tracking="${tracking}"`);
        expect(text.includes(tracking), `the tracking code is not shown: ${oneLine(text, 160)}`);
      }))
    ) {
      return;
    }
    await check("the page's script sent the PNG to /v1/photos once: 201, 8×8, its SHA-256", async () => {
      expect(uploads.length === 1, `${uploads.length} POST /v1/photos`);
      const { status, body } = uploads[0];
      expect(status === 201, `status ${status}: ${body}`);
      const b = JSON.parse(body);
      expect(b.media_type === "image/png", `media_type ${b.media_type}`);
      expect(b.width === 8 && b.height === 8, `${b.width}×${b.height}`);
      expect(b.hash === hash, `hash ${b.hash}, the PNG's SHA-256 is ${hash}`);
      expect(b.size === png.length, `size ${b.size}, the PNG has ${png.length} bytes`);
    });
    await check(`GET /v1/complaints/${tracking} names the photo by its SHA-256`, async () => {
      const res = await fetch(`${BASE}/v1/complaints/${encodeURIComponent(tracking)}`, {
        signal: AbortSignal.timeout(WAIT_MS),
        headers: { Accept: "application/json" },
      });
      const text = await res.text();
      expect(res.status === 200, `status ${res.status}: ${oneLine(text, 200)}`);
      const c = JSON.parse(text);
      expect(Array.isArray(c.photos), `photos is ${JSON.stringify(c.photos)}`);
      expect(c.photos.length === 1, `${c.photos.length} photos: ${JSON.stringify(c.photos)}`);
      expect(/^[0-9a-f]{64}$/.test(c.photos[0]), `photos[0] "${c.photos[0]}" is not 64 hex digits`);
      expect(c.photos[0] === hash, `photos[0] ${c.photos[0]}, the PNG's SHA-256 is ${hash}`);
      expect(c.status === "received", `status "${c.status}"`);
      expect(c.category === "quality_safety" && c.province === "01", `category ${c.category}, province ${c.province}`);
      expect(c.description === description, `description "${c.description}"`);
      expect(c.contact == null, "the public view shows the contact");
    });
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

async function journey(name, fn) {
  try {
    await fn();
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${oneLine(e && e.message ? e.message : e)}`);
  }
}

async function main() {
  let puppeteer;
  try {
    puppeteer = require("puppeteer-core");
  } catch (e) {
    failed++;
    console.log(`not ok - puppeteer-core loads (npm ci --prefix scripts/browser): ${oneLine(e.message)}`);
    return;
  }
  const launched = await check("Chromium starts headless", async () => {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
      timeout: LAUNCH_MS,
      protocolTimeout: WAIT_MS,
    });
  });
  if (!launched) return;
  try {
    const { context, page } = await freshPage();
    try {
      await journey("authority's dashboard", async () => {
        if (await authorityDashboard(page)) {
          await journey("authority resolves a complaint", () => authorityComplaint(page));
        }
      });
    } finally {
      await context.close();
    }
    await journey("enterprise declares a recall", enterpriseRecall);
    await journey("consumer in the portal", consumerTurnedAway);
    await journey("citizen reports a problem with a photo", citizenReportsWithPhoto);
  } finally {
    const closing = browser.close();
    const timer = new Promise((resolve) => setTimeout(resolve, 10_000, "timeout"));
    if ((await Promise.race([closing.then(() => "closed", () => "closed"), timer])) === "timeout") {
      browser.process()?.kill("SIGKILL");
    }
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`not ok - the run: ${oneLine(e && e.stack ? e.stack : e, 500)}`);
  })
  .finally(() => {
    clearTimeout(guard);
    summary();
    process.exit(failed > 0 ? 1 : 0);
  });
