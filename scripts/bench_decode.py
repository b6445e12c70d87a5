#!/usr/bin/env python3
"""Compare truyxuat's decoder (rxing, via the `decode_bench` example) with
zxing-cpp on the same images, the same 8-bit luma input and one scoring rule.

Written for the truyxuat project. Usually started by scripts/bench-decode.sh,
which sets up the venv (zxing-cpp, numpy, Pillow) and builds the example:

    python3 scripts/bench_decode.py --ours target/release/examples/decode_bench \
        --samples ../shared/decode [--repeat 3] [--json OUT] [--only-zxing]

Sample sets under --samples:
  zxing-cpp-samples/<folder>/<name>.<png|webp|jpg>, expected text in <name>.txt
      (or raw bytes in <name>.bin). Folders ean13* ean8* upca* upce* code128*
      qrcode* datamatrix* rss14* rssexpanded* form the "681 images at 0°";
      falsepositives-* hold no code (every result is a false positive);
      itf-* are reported separately as a bonus.
  camera-dev/dev_NNN.<jpg|png>, expected text in dev_NNN.txt (missing or empty:
      code-free image); manifest.jsonl gives each image's symbology.

Timings exclude image loading and luma conversion: zxing-cpp is timed around
`read_barcodes` alone, min over --repeat calls; ours reports the same min in
its JSON lines.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np
from PIL import Image

IMAGE_EXTS = (".png", ".webp", ".jpg", ".jpeg")

# Folder-name prefix -> family, for the 681-image set (rssexpanded* includes
# rssexpandedstacked*).
FAMILY_PREFIXES = [
    ("rssexpanded", "DataBar"),
    ("rss14", "DataBar"),
    ("ean13", "EAN/UPC"),
    ("ean8", "EAN/UPC"),
    ("upca", "EAN/UPC"),
    ("upce", "EAN/UPC"),
    ("code128", "Code 128"),
    ("qrcode", "QR"),
    ("datamatrix", "DataMatrix"),
]
FAMILY_ORDER = ["EAN/UPC", "Code 128", "QR", "DataMatrix", "DataBar"]

# camera-dev manifest "format" -> family.
CAMERA_FAMILIES = {
    "EAN-13": "EAN/UPC", "EAN-8": "EAN/UPC", "UPC-A": "EAN/UPC", "UPC-E": "EAN/UPC",
    "GS1-128": "Code 128", "Code 128": "Code 128",
    "QR-DigitalLink": "QR", "GS1-QR": "QR", "QR Code": "QR",
    "GS1-DataMatrix": "DataMatrix", "Data Matrix": "DataMatrix",
    "NONE": "code-free",
}

# Scoring switch (--addon-optional): accept an EAN/UPC result that lacks the
# expected add-on. Off by default: the add-on is part of the expected text.
ADDON_OPTIONAL = False

GROUP_MAIN = "zxing-cpp samples (681 images at 0°)"
GROUP_FP = "falsepositives"
GROUP_ITF = "ITF (bonus)"
GROUP_CAMERA = "camera-dev"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Samples


@dataclass
class Sample:
    path: str  # absolute path, also the key for our executable's output
    group: str
    folder: str
    family: str
    expected_text: str | None = None  # from .txt (surrogateescape-decoded)
    expected_bin: bytes | None = None  # from .bin, when there is no .txt
    luma: np.ndarray | None = field(default=None, repr=False)

    @property
    def code_free(self) -> bool:
        return self.expected_text is None and self.expected_bin is None

    @property
    def rel(self) -> str:
        return f"{self.folder}/{os.path.basename(self.path)}"


def _read_expected(stem: str) -> tuple[str | None, bytes | None]:
    """Expected content beside an image: <stem>.txt as text, else <stem>.bin."""
    txt, binf = stem + ".txt", stem + ".bin"
    if os.path.exists(txt):
        with open(txt, "rb") as f:
            data = f.read()
        # Exact bytes; GS1 separators stay as 0x1D. Undecodable bytes survive
        # as surrogates so that nothing is lost.
        return (data.decode("utf-8", errors="surrogateescape") or None), None
    if os.path.exists(binf):
        with open(binf, "rb") as f:
            return None, f.read()
    return None, None


def _images_in(directory: str) -> list[str]:
    return sorted(
        f for f in os.listdir(directory)
        if f.lower().endswith(IMAGE_EXTS) and os.path.isfile(os.path.join(directory, f))
    )


def collect_samples(root: str) -> list[Sample]:
    samples: list[Sample] = []
    zroot = os.path.join(root, "zxing-cpp-samples")
    if os.path.isdir(zroot):
        for folder in sorted(os.listdir(zroot)):
            fdir = os.path.join(zroot, folder)
            if not os.path.isdir(fdir):
                continue
            if folder.startswith("falsepositives"):
                group, family = GROUP_FP, "none"
            elif folder.startswith("itf"):
                group, family = GROUP_ITF, "ITF"
            else:
                family = next((fam for p, fam in FAMILY_PREFIXES if folder.startswith(p)), None)
                if family is None:
                    continue  # a folder outside the benchmark
                group = GROUP_MAIN
            for name in _images_in(fdir):
                path = os.path.join(fdir, name)
                s = Sample(path, group, folder, family)
                if group != GROUP_FP:
                    s.expected_text, s.expected_bin = _read_expected(os.path.splitext(path)[0])
                    if s.code_free:
                        log(f"note: {s.rel} has no expected text; skipped")
                        continue
                samples.append(s)
    else:
        log(f"warning: {zroot} not found")

    croot = os.path.join(root, "camera-dev")
    if os.path.isdir(croot):
        manifest: dict[str, dict] = {}
        mpath = os.path.join(croot, "manifest.jsonl")
        if os.path.exists(mpath):
            with open(mpath, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        entry = json.loads(line)
                        manifest[entry.get("file") or entry.get("name")] = entry
        for name in _images_in(croot):
            path = os.path.join(croot, name)
            text, binary = _read_expected(os.path.splitext(path)[0])
            fmt = manifest.get(name, {}).get("format", "")
            family = "code-free" if text is None and binary is None else CAMERA_FAMILIES.get(fmt, fmt or "other")
            samples.append(Sample(path, GROUP_CAMERA, "camera-dev", family, text, binary))
    else:
        log(f"warning: {croot} not found")
    return samples


def load_luma(samples: list[Sample]) -> list[Sample]:
    """Load every image as 8-bit luma; drop (with a message) those that fail."""
    ok = []
    for s in samples:
        try:
            with Image.open(s.path) as im:
                s.luma = np.ascontiguousarray(np.asarray(im.convert("L"), dtype=np.uint8))
            ok.append(s)
        except Exception as e:  # noqa: BLE001 - any decode failure means "skip"
            log(f"skipped unreadable image {s.rel}: {e}")
    return ok


# --------------------------------------------------------------------------
# Scoring (one function for both decoders)


def _gtin_ok(d: str) -> bool:
    """Mod-10 check digit of a GTIN-8/12/13 (weights 3,1 from the right)."""
    body, check = d[:-1], int(d[-1])
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def upce_to_upca(e: str) -> str:
    """Expand an 8-digit UPC-E (number system, 6 digits, check) to 12-digit UPC-A."""
    s, d, check = e[0], e[1:7], e[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return s + body + check


def ean_upc_keys(text: str) -> set[str]:
    """Canonical forms of an EAN/UPC text: '<GTIN-13>|<add-on>' for each way
    the digits split into a valid main symbol (13, 12 or 8 digits) plus an
    optional 2/5-digit add-on. UPC-A (12) becomes '0'+12; UPC-E (8, number
    system 0/1) is expanded to UPC-A first; EAN-8 keeps its own key space.
    Whitespace (an add-on separator some writers use) is dropped first; the
    text itself is always one of the keys."""
    t = "".join(text.split())
    keys = {"raw:" + t}
    if not t.isdigit():
        return keys
    n = len(t)
    for main_len in (13, 12, 8):
        for add_len in (0, 2, 5):
            if main_len + add_len != n:
                continue
            main, add = t[:main_len], t[main_len:]
            if main_len == 13 and _gtin_ok(main):
                keys.add(f"{main}|{add}")
            elif main_len == 12 and _gtin_ok(main):
                keys.add(f"0{main}|{add}")
            elif main_len == 8:
                if _gtin_ok(main):
                    keys.add(f"ean8:{main}|{add}")
                if main[0] in "01":
                    upca = upce_to_upca(main)
                    if _gtin_ok(upca):
                        keys.add(f"0{upca}|{add}")
    return keys


def _text_matches(sample: Sample, text: str) -> bool:
    if sample.expected_bin is not None:
        # Binary payloads: accept the text as UTF-8 or as one char per byte.
        for enc in ("utf-8", "latin-1"):
            try:
                if text.encode(enc, errors="surrogateescape") == sample.expected_bin:
                    return True
            except UnicodeEncodeError:
                pass
        return False
    assert sample.expected_text is not None
    if text == sample.expected_text:
        return True
    if sample.family == "EAN/UPC":
        if ean_upc_keys(text) & ean_upc_keys(sample.expected_text):
            return True
        return ADDON_OPTIONAL and _is_addon_missing(sample, text)
    return False


def _is_addon_missing(sample: Sample, text: str) -> bool:
    """EAN/UPC result equal to the expected main symbol with its add-on left
    out: incomplete, but not a misread."""
    if sample.family != "EAN/UPC" or sample.expected_text is None:
        return False
    exp = [k.split("|") for k in ean_upc_keys(sample.expected_text) if "|" in k]
    exp_mains = {main for main, add in exp if add}
    got_mains = {k[:-1] for k in ean_upc_keys(text) if k.endswith("|")}
    return bool(exp_mains & got_mains)


@dataclass
class Score:
    correct: bool
    wrong: int  # results that are misreads (code images) or false positives


def score(sample: Sample, results: list[dict] | None) -> Score:
    """Score one decoder's results for one image. None = image not reported."""
    results = results or []
    if sample.code_free:
        return Score(False, len(results))
    texts = [r.get("text", "") for r in results]
    correct = any(_text_matches(sample, t) for t in texts)
    wrong = sum(1 for t in texts if not _text_matches(sample, t) and not _is_addon_missing(sample, t))
    return Score(correct, wrong)


# --------------------------------------------------------------------------
# Decoders


@dataclass
class Outcome:
    ms: float | None  # None: not timed / not reported
    results: list[dict] | None  # None: not reported


def zxing_options(args) -> dict:
    import zxingcpp

    opts = {"text_mode": zxingcpp.TextMode.Plain}
    addon = args.zxing_addon.capitalize()
    if addon != "Ignore":
        opts["ean_add_on_symbol"] = getattr(zxingcpp.EanAddOnSymbol, addon)
    return opts


def family_formats():
    """zxing-cpp formats per family, for --zxing-formats family."""
    import zxingcpp

    return {"EAN/UPC": zxingcpp.EANUPC, "Code 128": zxingcpp.Code128, "QR": zxingcpp.QRCode,
            "DataMatrix": zxingcpp.DataMatrix, "DataBar": zxingcpp.DataBar, "ITF": zxingcpp.ITF}


def run_zxing(samples: list[Sample], repeat: int, opts: dict, per_family: bool = False) -> dict[str, Outcome]:
    import zxingcpp

    fam_formats = family_formats() if per_family else {}
    out: dict[str, Outcome] = {}
    for i, s in enumerate(samples, 1):
        call_opts = dict(opts)
        if s.family in fam_formats:
            call_opts["formats"] = fam_formats[s.family]
        best = float("inf")
        found = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            found = zxingcpp.read_barcodes(s.luma, **call_opts)
            best = min(best, time.perf_counter() - t0)
        results = []
        for b in found:
            try:
                text = b.text
            except UnicodeDecodeError:
                text = b.bytes.decode("utf-8", errors="surrogateescape")
            results.append({"format": str(b.format), "text": text})
        out[s.path] = Outcome(best * 1000.0, results)
        if i % 200 == 0:
            log(f"  zxing-cpp: {i}/{len(samples)}")
    return out


def run_ours(exe: str, samples: list[Sample], repeat: int, mode: str) -> tuple[dict[str, Outcome], bool]:
    """Run decode_bench once over all paths (on stdin); returns outcomes by
    path and whether the run ended cleanly."""
    cmd = [exe, "--mode", mode, "--repeat", str(repeat), "--stdin"]
    stdin = "".join(s.path + "\n" for s in samples)
    try:
        proc = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, text=True,
                              encoding="utf-8", errors="surrogateescape")
    except OSError as e:
        log(f"error: cannot run {exe}: {e}")
        return {}, False
    by_real = {os.path.realpath(s.path): s.path for s in samples}
    out: dict[str, Outcome] = {}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
            key = rec["file"]
        except (json.JSONDecodeError, KeyError, TypeError):
            log(f"warning: unexpected output from decode_bench: {line[:200]}")
            continue
        path = key if key in by_real.values() else by_real.get(os.path.realpath(key))
        if path is None:
            log(f"warning: decode_bench reported an unknown file: {key}")
            continue
        ms = rec.get("ms")
        out[path] = Outcome(float(ms) if ms is not None else None, list(rec.get("results") or []))
    missing = len(samples) - len(out)
    if missing:
        log(f"warning: decode_bench did not report {missing} image(s); counted as not decoded")
    if proc.returncode != 0:
        log(f"error: decode_bench exited with status {proc.returncode}")
        return out, False
    return out, True


# --------------------------------------------------------------------------
# Aggregation and report


@dataclass
class Tally:
    images: int = 0
    code_images: int = 0
    correct: dict = field(default_factory=lambda: {"zxing": 0, "ours": 0})
    wrong: dict = field(default_factory=lambda: {"zxing": 0, "ours": 0})  # images with >=1 wrong result
    wrong_results: dict = field(default_factory=lambda: {"zxing": 0, "ours": 0})
    ms: dict = field(default_factory=lambda: {"zxing": [], "ours": []})
    both_ms: list = field(default_factory=list)  # (zx, ours) for images both timed

    def add(self, s: Sample, zx: Outcome | None, ours: Outcome | None) -> None:
        self.images += 1
        self.code_images += 0 if s.code_free else 1
        for side, oc in (("zxing", zx), ("ours", ours)):
            if oc is None:
                continue
            sc = score(s, oc.results)
            self.correct[side] += sc.correct
            self.wrong[side] += sc.wrong > 0
            self.wrong_results[side] += sc.wrong
            if oc.ms is not None:
                self.ms[side].append(oc.ms)
        if zx and ours and zx.ms is not None and ours.ms is not None:
            self.both_ms.append((zx.ms, ours.ms))

    def as_dict(self, have_ours: bool) -> dict:
        def mean(v):
            return sum(v) / len(v) if v else None

        d = {"images": self.images, "code_images": self.code_images}
        for side in ("zxing", "ours") if have_ours else ("zxing",):
            d[side] = {
                "correct": self.correct[side],
                "images_with_wrong": self.wrong[side],
                "wrong_results": self.wrong_results[side],
                "mean_ms": mean(self.ms[side]),
                "timed_images": len(self.ms[side]),
            }
        if have_ours and self.both_ms:
            zx_total = sum(z for z, _ in self.both_ms)
            d["ratio_ours_over_zxing"] = sum(o for _, o in self.both_ms) / zx_total if zx_total else None
        return d


def _fmt_ms(v):
    return f"{v:8.2f}" if v is not None else f"{'-':>8}"


def print_table(title: str, rows: list[tuple[str, Tally]], have_ours: bool) -> None:
    print(f"\n== {title}")
    head = f"{'':28} {'images':>6} {'zx ok':>6} {'our ok':>6} {'zx bad':>6} {'our bad':>7} {'zx ms':>8} {'our ms':>8} {'ours/zx':>7}"
    print(head)
    print("-" * len(head))
    for label, t in rows:
        d = t.as_dict(have_ours)
        z = d["zxing"]
        o = d.get("ours")
        ratio = d.get("ratio_ours_over_zxing")
        images = f"{t.code_images}" if t.code_images == t.images else f"{t.images}({t.images - t.code_images} cf)"
        print(
            f"{label[:28]:28} {images:>6} {z['correct']:>6} {o['correct'] if o else '-':>6} "
            f"{z['images_with_wrong']:>6} {o['images_with_wrong'] if o else '-':>7} "
            f"{_fmt_ms(z['mean_ms'])} {_fmt_ms(o['mean_ms'] if o else None)} "
            f"{f'{ratio:7.2f}' if ratio is not None else '-':>7}"
        )


# --------------------------------------------------------------------------
# Frame benchmark


def frame_bench(args, samples: list[Sample], have_ours: bool, zx_opts: dict) -> dict | None:
    frame = next((s for s in samples if s.group == GROUP_CAMERA and s.luma is not None
                  and s.luma.shape == (720, 1280)), None)
    if frame is None:
        print("\n== frame benchmark: no 1280x720 camera-dev image found; skipped")
        return None
    report: dict = {"file": frame.path, "width": 1280, "height": 720}
    frames = args.frames
    if have_ours:
        try:
            proc = subprocess.run([args.ours, "--frame-bench", frame.path],
                                  stdout=subprocess.PIPE, text=True, check=True)
            line = next(l for l in proc.stdout.splitlines() if l.strip().startswith("{"))
            report["ours"] = json.loads(line)
            frames = int(report["ours"].get("frames") or frames)
        except (OSError, subprocess.CalledProcessError, StopIteration, json.JSONDecodeError) as e:
            log(f"error: decode_bench --frame-bench failed: {e}")
            report["ours_error"] = str(e)

    import zxingcpp

    zxingcpp.read_barcodes(frame.luma, **zx_opts)  # warm-up
    symbols = 0
    t0 = time.perf_counter()
    for _ in range(frames):
        symbols = len(zxingcpp.read_barcodes(frame.luma, **zx_opts))
    elapsed = time.perf_counter() - t0
    report["zxing"] = {"ms_per_frame": elapsed * 1000.0 / frames, "frames": frames, "symbols": symbols}

    print(f"\n== frame benchmark: {frame.rel} (1280x720 luma)")
    z = report["zxing"]
    print(f"   zxing-cpp: {z['ms_per_frame']:.2f} ms/frame over {z['frames']} frames, {z['symbols']} symbol(s)")
    if "ours" in report:
        o = report["ours"]
        print(f"   ours     : {json.dumps(o)}")
        if o.get("ms_per_frame") is not None and z["ms_per_frame"]:
            print(f"   ours/zxing: {float(o['ms_per_frame']) / z['ms_per_frame']:.2f}")
    return report


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", help="path to the decode_bench executable")
    ap.add_argument("--samples", required=True, help="directory holding zxing-cpp-samples/ and camera-dev/")
    ap.add_argument("--repeat", type=int, default=3, help="decode each image N times, keep the min time (default 3)")
    ap.add_argument("--mode", default="thorough", help="decode_bench --mode (default thorough)")
    ap.add_argument("--only-zxing", action="store_true", help="run zxing-cpp alone")
    ap.add_argument("--zxing-addon", choices=["ignore", "read", "require"], default="ignore",
                    help="zxing-cpp ean_add_on_symbol (default ignore, zxing-cpp 3.1.1's default)")
    ap.add_argument("--zxing-formats", choices=["all", "family"], default="all",
                    help="zxing-cpp formats: all (default) or only the folder's family, as zxing-cpp's own tests do")
    ap.add_argument("--addon-optional", action="store_true",
                    help="score an EAN/UPC result without the expected add-on as correct (both decoders)")
    ap.add_argument("--frames", type=int, default=30,
                    help="frames for zxing-cpp's frame benchmark when ours does not say (default 30)")
    ap.add_argument("--filter", help="only images whose '<folder>/<file>' contains this text")
    ap.add_argument("--show-diff", action="store_true", help="list images where the two decoders' correctness differs")
    ap.add_argument("--json", metavar="OUT", help="write the summary (and per-image results) as JSON")
    args = ap.parse_args()

    global ADDON_OPTIONAL
    ADDON_OPTIONAL = args.addon_optional
    have_ours = not args.only_zxing
    if have_ours and not args.ours:
        ap.error("--ours is required unless --only-zxing")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    samples = collect_samples(args.samples)
    if args.filter:
        samples = [s for s in samples if args.filter in s.rel]
    log(f"loading {len(samples)} images ...")
    samples = load_luma(samples)
    if not samples:
        log("error: no images to benchmark")
        return 1

    zx_version = metadata.version("zxing-cpp")
    zx_opts = zxing_options(args)
    log(f"zxing-cpp {zx_version}: decoding {len(samples)} images x{args.repeat} ...")
    zx = run_zxing(samples, args.repeat, zx_opts, per_family=args.zxing_formats == "family")

    ours: dict[str, Outcome] = {}
    ours_ok = True
    if have_ours:
        log(f"ours ({args.ours} --mode {args.mode}): decoding {len(samples)} images x{args.repeat} ...")
        ours, ours_ok = run_ours(args.ours, samples, args.repeat, args.mode)

    def ours_of(s: Sample) -> Outcome | None:
        if not have_ours:
            return None
        return ours.get(s.path) or Outcome(None, [])  # not reported = not decoded

    # Build the tables: per family and per folder for each sample group.
    summary: dict = {
        "zxing_cpp_version": zx_version,
        "zxing_options": {"text_mode": "Plain", "ean_add_on_symbol": args.zxing_addon,
                          "formats": args.zxing_formats,
                          "others": "defaults (try_rotate/try_downscale/try_invert on)"},
        "addon_optional": args.addon_optional,
        "repeat": args.repeat,
        "ours": {"exe": args.ours, "mode": args.mode, "clean_exit": ours_ok} if have_ours else None,
        "groups": {},
    }
    print(f"zxing-cpp {zx_version} (text mode Plain, add-ons: {args.zxing_addon}, formats: {args.zxing_formats});"
          f" repeat {args.repeat}; times are the min per image, decode only, mean over images in ms")
    print("'ok' = images decoded correctly; 'bad' = images with a misread (code images) or a false positive"
          " (code-free images, 'cf'); ours/zx = ratio of summed times over images both timed")
    if args.addon_optional:
        print("scoring: an EAN/UPC result without the expected add-on counts as correct")
    for group in (GROUP_MAIN, GROUP_FP, GROUP_ITF, GROUP_CAMERA):
        members = [s for s in samples if s.group == group]
        if not members:
            continue
        families: dict[str, Tally] = {}
        folders: dict[str, Tally] = {}
        total = Tally()
        for s in members:
            o = ours_of(s)
            families.setdefault(s.family, Tally()).add(s, zx[s.path], o)
            folders.setdefault(s.folder, Tally()).add(s, zx[s.path], o)
            total.add(s, zx[s.path], o)
        fam_rows = sorted(families.items(), key=lambda kv: (FAMILY_ORDER.index(kv[0]) if kv[0] in FAMILY_ORDER else 99, kv[0]))
        rows = []
        if len(families) > 1:
            rows += [(f"family {k}", t) for k, t in fam_rows]
        if len(folders) > 1:
            rows += [(f"  {k}", t) for k, t in sorted(folders.items())]
        if group == GROUP_CAMERA:
            coded = Tally()
            for s in members:
                if not s.code_free:
                    coded.add(s, zx[s.path], ours_of(s))
            rows.append(("TOTAL with code", coded))
            summary["groups"].setdefault(group, {})["total_with_code"] = coded.as_dict(have_ours)
        rows.append(("TOTAL", total))
        print_table(group, rows, have_ours)
        g = summary["groups"].setdefault(group, {})
        g["total"] = total.as_dict(have_ours)
        g["families"] = {k: t.as_dict(have_ours) for k, t in fam_rows}
        g["folders"] = {k: t.as_dict(have_ours) for k, t in sorted(folders.items())}

    summary["frame_bench"] = frame_bench(args, samples, have_ours and ours_ok, zx_opts)

    if args.show_diff and have_ours:
        print("\n== images where correctness differs (zx/ours)")
        for s in samples:
            a, b = score(s, zx[s.path].results).correct, score(s, ours_of(s).results).correct
            if a != b and not s.code_free:
                print(f"   {'zx only  ' if a else 'ours only'}  {s.rel}")

    if args.json:
        per_image = []
        for s in samples:
            item = {"file": s.path, "group": s.group, "folder": s.folder, "family": s.family,
                    "expected": s.expected_text if s.expected_bin is None else s.expected_bin.hex(),
                    "expected_is_hex_bin": s.expected_bin is not None}
            for side, oc in (("zxing", zx[s.path]), ("ours", ours_of(s))):
                if oc is not None:
                    sc = score(s, oc.results)
                    item[side] = {"correct": sc.correct, "wrong": sc.wrong, "ms": oc.ms, "results": oc.results}
            per_image.append(item)
        summary["images"] = per_image
        with open(args.json, "w", encoding="utf-8") as f:
            # surrogateescape'd bytes can't be UTF-8 encoded: escape them.
            json.dump(summary, f, indent=1, ensure_ascii=True)
        log(f"wrote {args.json}")

    return 0 if ours_ok else 1


if __name__ == "__main__":
    sys.exit(main())
