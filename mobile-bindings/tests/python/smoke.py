"""The phone library through its Python bindings (uniffi): a smoke test that
the same library the apps load decodes a fixture, parses a code, keeps a
journal on disk and refuses bad input with a typed error.

    python3 smoke.py GENERATED_DIR FIXTURES_DIR WORK_DIR

GENERATED_DIR holds the generated `truyxuat_mobile.py` and the library
beside it (`mobile-bindings/test-python.sh` makes it). Prints one line per
check and `N passed, N failed`; exits non-zero on any failure.
"""
import os
import sys

gen, fixtures, work = sys.argv[1:4]
sys.path.insert(0, gen)
import truyxuat_mobile as tx  # noqa: E402

passed = failed = 0


def check(name, ok):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok      {name}")
    else:
        failed += 1
        print(f"FAILED  {name}")


def raises(kind, call):
    try:
        call()
    except kind:
        return True
    except Exception as e:  # another error is a failure, shown
        print(f"        raised {type(e).__name__}: {e}")
        return False
    return False


GTIN, LOT = "08936120900017", "HP07-261126"
png = os.path.join(fixtures, "codes", "stories", f"{GTIN}-{LOT}-qr.png")
with open(png, "rb") as f:
    symbols = tx.Scanner().decode_image(f.read(), tx.DecodeMode.THOROUGH)
check("the story lot's QR fixture decodes",
      len(symbols) == 1 and symbols[0].text == f"https://id.gs1.org/01/{GTIN}/10/{LOT}")
check("its GS1 parse names the GTIN", symbols and symbols[0].gs1 is not None and symbols[0].gs1.gtin == GTIN)
check("a broken image is a typed error, not a crash",
      raises(tx.TruyxuatError.InvalidInput, lambda: tx.Scanner().decode_image(b"\x89PNG broken", tx.DecodeMode.FAST)))

parsed = tx.parse_code(f"(01){GTIN}(10){LOT}")
check("parseCode: a lot code", parsed.valid and parsed.info.lot == LOT)
check("parseCode: a bad check digit is invalid", not tx.parse_code("(01)08936120900018").valid)
check("the 34 provinces", len(tx.provinces()) == 34)

path = os.path.join(work, "python-journal.db")
journal = tx.Journal.open(path)
journal.record_scan(symbols[0].text, symbols[0].symbology_id, None, None)
counts = journal.counts()
check("a scan is kept, pending", counts.total == 1 and counts.pending == 1)
check("the journal's chain verifies", journal.verify().ok)
check("reopened, the scan is still there", tx.Journal.open(path).counts().total == 1)
check("a journal path that cannot be opened is a typed error",
      raises(tx.TruyxuatError.Storage, lambda: tx.Journal.open(os.path.join(work, "no-such-dir", "x.db"))))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
