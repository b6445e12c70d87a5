#!/usr/bin/env python3
"""Check that the iOS demo app uses only truyxuat-core API that the generated
Swift bindings declare. Python 3 alone: nothing Swift is compiled.

    check_api.py GENERATED_SWIFT [APP_SOURCES]     the check (exit 1 on a problem)
    check_api.py --uses GENERATED_SWIFT [APP_SOURCES]
                                                   what the app uses, as USED_API lines

Three lists meet here, and each is checked against the others:

  USED_API (below)  the core API the app uses, reviewed by hand. Every entry
                    must be declared in the bindings, with the same argument
                    labels (MISSING), and must be used by the app (STALE).
  the bindings      parsed from the generated Swift: public types, their
                    fields, enum cases, methods and initialisers, and free
                    functions (uniffi's plumbing left out).
  the app sources   scanned for uses of the core (after removing comments and
                    string literals, keeping interpolations): every use must
                    be in USED_API (UNLISTED).

How a use is recognised in the app:
  - a core type's name: `Lookup`, `[Province]`;
  - `Type(label: …)` (an initialiser) and `Type.member…` (`Journal.open(path:)`);
  - `journal.m(…)`, `session.m(…)`, `scanner.m(…)`: the app calls core
    methods only on variables of these names (see RECEIVERS), so the owner
    and the argument labels are known. A core method name called on any other
    receiver fails the check, unless the app declares a member of that name;
  - a free function of the bindings: `parseCode(text:)`;
  - `.name` where `name` is a field or enum case of a core type (`.warnings`,
    `.ageSecs`, `.saved(…)`). Owners are not inferred here: the name must be
    in USED_API under some type, and that entry names its owner. An enum case
    pattern's number of values is checked against the case. Names the app
    also declares as members of its own types, and the platform names in
    PLATFORM_NAMES, are ambiguous: such a use cannot be told from the core's,
    so it is checked only through its USED_API entry.

test_check_api.py makes sure each kind of breakage is caught; check-api.sh
runs both.
"""

import bisect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# --- the reviewed lists ------------------------------------------------------

# The core API the app uses. Change it in the same commit as the app's use of
# the core. `Type` is a type; `Type.name` a field or enum case; `Type.name(a:b:)`
# a method, a static method or an enum case with values (labels as the app
# passes them); `Type.init(a:)` an initialiser; `name(a:)` a free function.
USED_API = """
Scanner.init()
Scanner.decodeFrameAt(address:length:width:height:rowStride:rotation:crop:mode:)
Scanner.decodeImage(bytes:mode:)
Crop.init(left:top:width:height:)
DecodeMode.stream
DecodeMode.thorough
Symbol
Symbol.text
Symbol.symbologyId

Journal.open(path:)
Journal.deviceId()
Journal.counts()
Journal.lastSync()
Journal.verify()
Journal.recordScan(text:symbologyId:location:answerShown:)
Journal.recordHarvest(form:)
Journal.recordFarmDiary(form:)
Journal.recordInspection(form:)
Journal.recordComplaint(form:)
Journal.listRecent(beforeSeq:limit:)
Journal.recalledScans()

Session.init(journal:serverUrl:)
Session.login(username:password:)
Session.signedIn()
Session.signOut()
Session.sync()
Session.resolve(code:)

parseCode(text:)
provinces()
complaintCategories()

HarvestForm.init(product:lot:quantity:unit:harvestDate:gtin:gln:certification:)
FarmDiaryForm.init(inputName:dose:appliedOn:preHarvestIntervalDays:gln:lot:)
InspectionForm.init(code:result:reasons:sampleTaken:notes:marketGln:)
InspectionResult.conformant
InspectionResult.nonConformant
ComplaintForm.init(code:category:description:province:contact:)
Recorded
Recorded.seq
ComplaintReceipt
ComplaintReceipt.trackingCode

Lookup
Lookup.source
Lookup.code
Lookup.product
Lookup.company
Lookup.lot
Lookup.warnings
Lookup.journeySteps
Lookup.chainComplete
LookupSource
LookupSource.online
LookupSource.saved(savedAt:ageSecs:)
LookupSource.local
Warning.code
Warning.vi
Warning.en
CodeInfo.gtin
CodeInfo.lot
CodeInfo.serial
CodeInfo.input
CodeInfo.elementString
CodeInfo.error
CodeInfo.prefixIssuerVi
CodeInfo.prefixIssuerEn
Product.gtin
Product.nameVi
Product.nameEn
Product.brand
Product.originProvince
Company.name
Company.province
Lot.lot
Lot.productionDate
Lot.expiry
ParsedCode
ParsedCode.info
ParsedCode.valid
ParsedCode.hri
Province
Province.code
Province.nameVi
Province.nameEn

JournalEntry
JournalEntry.seq
JournalEntry.kind
JournalEntry.state
JournalEntry.reason
JournalEntry.deviceTime
JournalEntry.payloadJson
JournalEntry.trackingCode
EventKind
EventKind.scan
EventKind.harvest
EventKind.farmDiary
EventKind.inspection
EventKind.shipping
EventKind.receiving
EventKind.transformation
EventKind.complaint
SyncState
SyncState.pending
SyncState.synced
SyncState.rejected
Counts
Counts.pending
Counts.synced
Counts.rejected
RecalledScan
RecalledScan.seq
RecalledScan.gtin
RecalledScan.lot
RecalledScan.scannedAt
RecalledScan.reasonVi
RecalledScan.reasonEn
SyncReport.pushed
SyncReport.pulled
SyncReport.rejected
SyncReport.pending
VerifyReport.ok
VerifyReport.events
VerifyReport.badSeq
VerifyReport.problem
SignedIn
SignedIn.user
SignedIn.role
SignedIn.expiresAt

TruyxuatError
TruyxuatError.InvalidInput(reason:)
TruyxuatError.Storage(reason:)
TruyxuatError.Offline(reason:)
TruyxuatError.SignInRequired
TruyxuatError.Refused(code:reason:)
TruyxuatError.Server(reason:)
"""

# The app calls core methods only on variables with these names.
RECEIVERS = {"journal": "Journal", "session": "Session", "scanner": "Scanner"}

# Members of Apple's types that the app uses and that are also names of core
# fields or cases (`.title` the font, a core `Gs1Element.title` field). Each
# must still be a core name and be used by the app, or it is STALE.
PLATFORM_NAMES = {
    "top": "VerticalAlignment.top (a core Crop field)",
}

# uniffi's plumbing, public only for Swift's sake: not the core's API.
PLUMBING = re.compile(r"^(FfiConverter|Uniffi|uniffi|Rust|ForeignBytes|NoHandle)|Protocol$")

# --- reading Swift ----------------------------------------------------------


def blank_comments_and_strings(src):
    """`src` with comments and string-literal text replaced by spaces (line
    breaks kept, so offsets and line numbers still hold). Interpolated code
    in strings, `"\\(lookup.warnings)"`, is kept: it is code."""
    out = list(src)
    n = len(src)

    def blank(i, j):
        for k in range(i, min(j, n)):
            if out[k] != "\n":
                out[k] = " "

    def code(i, in_interpolation):
        depth = 0
        while i < n:
            if src.startswith("//", i):
                j = src.find("\n", i)
                j = n if j < 0 else j
                blank(i, j)
                i = j
            elif src.startswith("/*", i):
                j, nesting = i + 2, 1
                while j < n and nesting:
                    if src.startswith("/*", j):
                        nesting, j = nesting + 1, j + 2
                    elif src.startswith("*/", j):
                        nesting, j = nesting - 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
            elif src[i] == '"':
                i = string(i)
            elif src.startswith('#"', i):  # a raw string: no escapes, no interpolation
                quote = '"""#' if src.startswith('#"""', i) else '"#'
                j = src.find(quote, i + 2)
                j = n if j < 0 else j + len(quote)
                blank(i, j)
                i = j
            else:
                if in_interpolation:
                    if src[i] == "(":
                        depth += 1
                    elif src[i] == ")":
                        if depth == 0:
                            return i
                        depth -= 1
                i += 1
        return i

    def string(i):
        quote = '"""' if src.startswith('"""', i) else '"'
        i += len(quote)
        while i < n:
            if src.startswith("\\(", i):
                blank(i, i + 1)
                i = code(i + 2, True) + 1
            elif src[i] == "\\":
                blank(i, i + 2)
                i += 2
            elif src.startswith(quote, i):
                return i + len(quote)
            elif quote == '"' and src[i] == "\n":
                return i  # unterminated: give up on this literal
            else:
                blank(i, i + 1)
                i += 1
        return i

    code(0, False)
    return "".join(out)


OPEN, CLOSE = "([{", ")]}"


def matching(text, i):
    """Index just past the bracket that closes the one at `text[i]`."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] in OPEN:
            depth += 1
        elif text[j] in CLOSE:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def shallow(text):
    """`text` with everything inside braces blanked: its top-level declarations."""
    out, depth = [], 0
    for c in text:
        if c == "}":
            depth -= 1
        out.append(c if depth == 0 or c == "\n" else " ")
        if c == "{":
            depth += 1
    return "".join(out)


def split_top_level(text, generics=False):
    """Split an argument or parameter list (without its parentheses) at its
    top-level commas. In a declaration's parameters (`generics`), `<…>`
    brackets too; in a call's arguments they may be comparisons."""
    opening, closing = ("([{<", ")]}>") if generics else ("([{", ")]}")
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if text.startswith("->", i):
            i += 2
            continue
        if c in opening:
            depth += 1
        elif c in closing:
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


LABEL = re.compile(r"^`?(\w+)`?(?:\s+`?\w+`?)?\s*:(?!:)")


@dataclass
class Signature:
    labels: list
    defaults: list

    def accepts(self, passed):
        """Whether a call passing `passed` labels (in order) fits: each
        declared parameter is passed, or has a default value."""
        k = 0
        for label, has_default in zip(self.labels, self.defaults):
            if k < len(passed) and passed[k] == label:
                k += 1
            elif not has_default:
                return False
        return k == len(passed)


def parameters(text):
    """The labels and default flags of a declaration's parameter list."""
    labels, defaults = [], []
    for p in split_top_level(text, generics=True):
        m = LABEL.match(p)
        labels.append(m.group(1) if m else "_")
        defaults.append(bool(re.search(r"(?<![=!<>])=(?!=)", p)))
    return Signature(labels, defaults)


def arguments(text):
    """The labels of a call's arguments (`_` for an unlabelled one)."""
    return [m.group(1) if (m := LABEL.match(a)) else "_" for a in split_top_level(text)]


# --- the bindings -------------------------------------------------------------


@dataclass
class TypeDecl:
    kind: str
    fields: set = field(default_factory=set)
    cases: dict = field(default_factory=dict)  # name -> value labels, or None
    methods: dict = field(default_factory=dict)  # name -> [Signature]
    inits: list = field(default_factory=list)


ACCESS = r"(?:public|open|internal|private|fileprivate)(?:\(set\))?"
TYPE_DECL = re.compile(
    rf"(?<![\w.])((?:(?:{ACCESS}|final|indirect)\s+)*)"
    r"(struct|class|enum|protocol|actor|extension)\s+`?([A-Za-z_]\w*)")
MEMBER_DECL = re.compile(
    rf"(?<![\w.])((?:(?:{ACCESS}|static|class|final|override|required|convenience|mutating|"
    r"nonmutating|nonisolated|dynamic|lazy|weak|unowned)\s+)*)"
    r"(var|let|func|init)\b\s*\??\s*`?(\w*)`?")
KEYWORDS = {"var", "let", "func", "init", "case", "in", "where"}


def type_bodies(clean):
    """(kind, name, modifiers, body) of every type and extension declared."""
    for m in TYPE_DECL.finditer(clean):
        kind, name = m.group(2), m.group(3)
        if name in KEYWORDS:
            continue  # `class var`, `class func`
        brace = clean.find("{", m.end())
        if brace < 0:
            continue
        yield kind, name, m.group(1).split(), clean[brace + 1:matching(clean, brace) - 1]


def enum_cases(top):
    """name -> value labels (None without values) of the `case` lines in an
    enum's top-level text."""
    cases = {}
    for m in re.finditer(r"(?<![\w.])case\s+", top):
        i = m.end()
        while True:
            name = re.match(r"`?(\w+)`?\s*", top[i:])
            if not name:
                break
            i += name.end()
            labels = None
            if i < len(top) and top[i] == "(":
                end = matching(top, i)
                labels = parameters(top[i + 1:end - 1]).labels
                i = end
            cases[name.group(1)] = labels
            comma = re.match(r"\s*,\s*", top[i:])
            if not comma:
                break
            i += comma.end()
    return cases


def members(top, public_only):
    """Fields, methods and initialisers declared in a body's top-level text."""
    fields, methods, inits = set(), {}, []
    for m in MEMBER_DECL.finditer(top):
        mods, what, name = m.group(1).split(), m.group(2), m.group(3)
        if public_only and not {"public", "open"} & {re.sub(r"\(set\)$", "", x) for x in mods}:
            continue
        if what in ("var", "let"):
            if name:
                fields.add(name)
            continue
        paren = top.find("(", m.end())
        if paren < 0:
            continue
        signature = parameters(top[paren + 1:matching(top, paren) - 1])
        if what == "init":
            inits.append(signature)
        else:
            methods.setdefault(name, []).append(signature)
    return fields, methods, inits


def read_bindings(path):
    """The public API in the generated Swift: (types, free functions)."""
    clean = blank_comments_and_strings(Path(path).read_text(encoding="utf-8"))
    types = {}
    for kind, name, mods, body in type_bodies(clean):
        if PLUMBING.search(name) or (kind != "extension" and not {"public", "open"} & set(mods)):
            continue
        if kind == "extension" and name not in types:
            continue  # an extension of a non-API type
        decl = types.setdefault(name, TypeDecl(kind))
        top = shallow(body)
        fields, methods, inits = members(top, public_only=True)
        decl.fields |= fields
        decl.inits += inits
        for method, signatures in methods.items():
            if not PLUMBING.search(method):
                decl.methods.setdefault(method, []).extend(signatures)
        if kind == "enum":
            decl.cases.update(enum_cases(top))
    functions = {}
    for m in re.finditer(r"(?<![\w.])public\s+func\s+`?(\w+)`?\s*\(", shallow(clean)):
        if not PLUMBING.search(m.group(1)):
            paren = m.end() - 1
            functions.setdefault(m.group(1), []).append(
                parameters(clean[paren + 1:matching(clean, paren) - 1]))
    return types, functions


# --- the reviewed list ----------------------------------------------------------

ENTRY = re.compile(r"^(?:([A-Z]\w*)\.)?(\w+)(?:\(((?:\w+:)*)\))?$")


@dataclass(frozen=True)
class Entry:
    text: str
    kind: str  # type, member, call, init, function
    owner: str
    name: str
    labels: tuple


def parse_entry(text):
    """An entry written as in USED_API, or None if it is not one."""
    m = ENTRY.match(text)
    if not m:
        return None
    owner, name, labels = m.group(1), m.group(2), m.group(3)
    labels = tuple(labels.split(":")[:-1]) if labels is not None else None
    if owner is None:
        kind = "type" if labels is None else "function"
    elif name == "init":
        kind = "init"
    else:
        kind = "member" if labels is None else "call"
    return Entry(text, kind, owner or "", name, labels)


def read_list(text):
    entries = []
    for line in filter(None, (line.strip() for line in text.split("\n"))):
        entry = parse_entry(line)
        if entry is None:
            sys.exit(f"check_api.py: USED_API entry {line!r} is not `Type`, `Type.name`, "
                     "`Type.name(a:)`, `Type.init(a:)` or `name(a:)`")
        entries.append(entry)
    return entries


def verify(entry, types, functions):
    """Why `entry` is not declared in the bindings, or None when it is."""
    if entry.kind == "type":
        return None if entry.name in types else "no such type"
    if entry.kind == "function":
        signatures = functions.get(entry.name)
        if not signatures:
            return "no such function"
        return None if any(s.accepts(list(entry.labels)) for s in signatures) else "labels do not fit"
    decl = types.get(entry.owner)
    if decl is None:
        return f"no type {entry.owner}"
    if entry.kind == "init":
        if not decl.inits:
            return "no initialiser"
        return None if any(s.accepts(list(entry.labels)) for s in decl.inits) else \
            "no initialiser takes these labels (or one without a default is left out)"
    if entry.kind == "member":
        return None if entry.name in decl.fields or entry.name in decl.cases else \
            f"{entry.owner} has no field or case {entry.name}"
    if entry.name in decl.methods:
        return None if any(s.accepts(list(entry.labels)) for s in decl.methods[entry.name]) else \
            "labels do not fit"
    if decl.cases.get(entry.name) is not None:
        return None if tuple(decl.cases[entry.name]) == entry.labels else \
            f"the case's values are ({''.join(l + ':' for l in decl.cases[entry.name])})"
    what = {"class": "method", "enum": "case with values"}.get(decl.kind, "method or case with values")
    return f"{entry.owner} has no {what} {entry.name}"


# --- the app ------------------------------------------------------------------


@dataclass
class Use:
    kind: str  # type, member, call, init, function, case-values, unattributed
    key: str  # as a USED_API entry would write it
    name: str
    where: str
    values: int = -1  # for case-values: how many the pattern has


class App:
    """The core API uses found in the app's Swift sources."""

    def __init__(self, folder, types, functions, entries):
        self.files = sorted(Path(folder).rglob("*.swift"))
        self.uses = []
        self.ambiguous = {}  # name -> first place, for names the app or the platform also has
        self.dotted = set()  # every `.name` of a core name
        texts = {f: blank_comments_and_strings(f.read_text(encoding="utf-8")) for f in self.files}

        self.declared = set()  # member names the app declares on its own types
        for clean in texts.values():
            for kind, _, _, body in type_bodies(clean):
                top = shallow(body)
                fields, methods, _ = members(top, public_only=False)
                self.declared |= fields | set(methods)
                if kind == "enum":
                    self.declared |= set(enum_cases(top))

        # What counts as a core name: what the bindings declare, and what the
        # list says (so that a use of something the bindings lost is seen).
        self.types = types
        self.type_names = (set(types) | {e.owner or e.name for e in entries if e.kind != "function"}) - {""}
        calls = [e for e in entries if e.kind == "call"]
        self.method_names = {m for d in types.values() for m in d.methods} | \
            {e.name for e in calls if not self.is_valued_case(e.owner, e.name)}
        self.valued_cases = {c for d in types.values() for c, values in d.cases.items() if values is not None} | \
            {e.name for e in calls if self.is_valued_case(e.owner, e.name)}
        self.member_names = {n for d in types.values() for n in d.fields | set(d.cases)} | \
            {e.name for e in entries if e.kind == "member"} | self.valued_cases
        self.function_names = set(functions) | {e.name for e in entries if e.kind == "function"}
        for f, clean in texts.items():
            self.scan(f.name, clean)

    def is_valued_case(self, owner, name):
        """Whether `Owner.name(…)` is an enum case with values rather than a
        method. Without the owner in the bindings: methods are only on the
        RECEIVERS classes."""
        decl = self.types.get(owner)
        return decl.cases.get(name) is not None if decl else owner not in RECEIVERS.values()

    def scan(self, name, clean):
        lines = [i for i, c in enumerate(clean) if c == "\n"]

        def where(i):
            return f"{name}:{bisect.bisect_left(lines, i) + 1}"

        def call_labels(i):
            """The labels of the call whose `(` follows `i` (after spaces only), or None."""
            m = re.match(r"\s*\(", clean[i:])
            if not m:
                return None
            paren = i + m.end() - 1
            return arguments(clean[paren + 1:matching(clean, paren) - 1])

        def key(owner, member, labels):
            prefix = f"{owner}." if owner else ""
            return prefix + member + ("" if labels is None else f"({''.join(l + ':' for l in labels)})")

        def member_use(n, at, labels):
            self.uses.append(Use("member", n, n, where(at)))
            if labels is not None:  # a case pattern, `.saved(_, let ageSecs)`
                self.uses.append(Use("case-values", n, n, where(at), len(labels)))

        done = set()  # offsets of member names already attributed

        # `Type`, `Type(…)`, `Type.member…`
        for m in re.finditer(r"(?<![\w.])([A-Z]\w*)\b", clean):
            t = m.group(1)
            if t not in self.type_names:
                continue
            self.uses.append(Use("type", t, t, where(m.start())))
            if clean.startswith("(", m.end()):
                self.uses.append(Use("init", key(t, "init", call_labels(m.end())), "init", where(m.start())))
            member = re.match(r"\s*\.\s*`?(\w+)`?", clean[m.end():])
            if member and member.group(1) not in ("self", "Type"):
                n, at = member.group(1), m.end() + member.start(1)
                done.add(at)
                labels = call_labels(m.end() + member.end())
                if labels is None or self.is_valued_case(t, n):
                    member_use(n, at, labels)
                else:
                    kind = "init" if n == "init" else "call"
                    self.uses.append(Use(kind, key(t, n, labels), n, where(at)))

        # `journal.m(…)`, `session?.m(…)`, `scanner.m(…)`
        receivers = "|".join(RECEIVERS)
        for m in re.finditer(rf"(?<![\w])({receivers})\s*[?!]?\s*\.\s*(\w+)(?=\s*\()", clean):
            done.add(m.start(2))
            owner = RECEIVERS[m.group(1)]
            self.uses.append(Use("call", key(owner, m.group(2), call_labels(m.end())), m.group(2), where(m.start(2))))

        # free functions
        for m in re.finditer(r"(?<![\w.])(\w+)(?=\s*\()", clean):
            f = m.group(1)
            if f in self.function_names and not re.search(r"func\s+$", clean[max(0, m.start() - 10):m.start()]):
                self.uses.append(Use("function", key("", f, call_labels(m.end())), f, where(m.start())))

        # `.name`: core fields and cases, and core methods on other receivers
        for m in re.finditer(r"\.\s*(\w+)", clean):
            n, at = m.group(1), m.start(1)
            labels = call_labels(m.end())
            if labels is None:
                core = n in self.member_names
            else:  # a field is never called: only a case with values or a method
                core = n in self.valued_cases or n in self.method_names
            if at in done or not core:
                continue
            self.dotted.add(n)
            if n in self.declared or n in PLATFORM_NAMES:
                self.ambiguous.setdefault(n, where(at))
            elif labels is not None and n not in self.valued_cases:
                self.uses.append(Use("unattributed", n, n, where(at)))
            else:
                member_use(n, at, labels)


# --- the check ----------------------------------------------------------------


def check(bindings, folder):
    types, functions = read_bindings(bindings)
    entries = read_list(USED_API)
    app = App(folder, types, functions, entries)
    problems = 0

    def report(status, kind, text, note=""):
        nonlocal problems
        if status != "OK":
            problems += 1
        print(f"{status:<9}{kind:<9}{text:<68} {note}".rstrip())

    print(f"check-api: {len(app.files)} Swift files in {folder}")
    print(f"           against {bindings}: {len(types)} core types, {len(functions)} functions")
    if not types:
        report("MISSING", "types", str(bindings), "no public types: not uniffi Swift bindings?")

    exact, names = {}, {}  # where each use is, by its exact key / by its name
    for use in app.uses:
        if use.kind in ("member", "case-values"):
            names.setdefault(use.name, use.where)
        else:
            exact.setdefault(use.key, use.where)
    for n, place in app.ambiguous.items():
        names.setdefault(n, place + " (by name)")

    def used(e):
        """Where the app uses entry `e`, or None."""
        if e.kind == "member" or (e.kind == "call" and app.is_valued_case(e.owner, e.name)):
            return exact.get(e.text) or names.get(e.name)  # patterns need not repeat labels
        return exact.get(e.text)

    # 1. Every listed entry is declared in the bindings, and used by the app.
    for e in entries:
        why, place = verify(e, types, functions), used(e)
        if why:
            report("MISSING", e.kind, e.text, why + (f"; used at {place}" if place else ""))
        elif not place:
            report("STALE", e.kind, e.text, "not used by the app: remove it from USED_API")
        else:
            report("OK", e.kind, e.text, place)

    # 2. Every use in the app is listed.
    texts = {e.text for e in entries}
    types_listed = {e.name if e.kind == "type" else e.owner for e in entries} - {""}
    by_name = {}
    for e in entries:
        if e.kind == "member" or e.kind == "call" and app.is_valued_case(e.owner, e.name):
            by_name.setdefault(e.name, e)

    def unlisted(kind, text, place, why):
        known = "declared in the bindings" if why is None else f"and NOT in the bindings: {why}"
        report("UNLISTED", kind, text, f"{place}: {known}; list it in USED_API once reviewed")

    seen = set()
    for use in app.uses:
        if (use.kind, use.key, use.values) in seen:
            continue
        seen.add((use.kind, use.key, use.values))
        if use.kind == "unattributed":
            report("UNLISTED", "call", f".{use.name}(…)",
                   f"{use.where}: a core method called on a variable not named {'/'.join(RECEIVERS)}")
        elif use.kind == "type" and use.key not in types_listed:
            unlisted("type", use.key, use.where, verify(parse_entry(use.key), types, functions))
        elif use.kind == "member" and use.name not in by_name:
            owners = sorted(t for t, d in types.items() if use.name in d.fields or use.name in d.cases)
            unlisted("member", f"{'|'.join(owners) or '?'}.{use.name}", use.where,
                     None if owners else "no core type has this field or case")
        elif use.kind in ("call", "init", "function") and use.key not in texts:
            unlisted(use.kind, use.key, use.where, verify(parse_entry(use.key), types, functions))
        elif use.kind == "case-values" and use.name in by_name:
            e = by_name[use.name]
            values = types.get(e.owner, TypeDecl("")).cases.get(e.name)
            if values is not None and len(values) != use.values:
                report("MISSING", "case", e.text, f"{use.where}: the pattern has {use.values} values")

    # 3. The other two lists are current.
    for cls in sorted(set(RECEIVERS.values())):
        if cls not in types:
            report("MISSING", "receiver", cls, "RECEIVERS names a class the bindings lack")
    for n in sorted(PLATFORM_NAMES):
        if n not in app.member_names:
            report("STALE", "platform", n, "no longer a core name: remove it from PLATFORM_NAMES")
        elif n not in app.dotted:
            report("STALE", "platform", n, "not used by the app: remove it from PLATFORM_NAMES")
        elif n in app.declared:
            report("STALE", "platform", n, "the app declares it too: remove it from PLATFORM_NAMES")

    ambiguous = sorted(set(app.ambiguous) - set(PLATFORM_NAMES))
    if ambiguous:
        print("note: names the app also declares, checked through USED_API only: " + ", ".join(ambiguous))
    print(f"{len(entries)} listed symbols checked: " + (f"{problems} problem(s)" if problems else "all OK"))
    return 1 if problems else 0


def print_uses(bindings, folder):
    types, functions = read_bindings(bindings)
    app = App(folder, types, functions, read_list(USED_API))
    for use in sorted({(u.kind, u.key) for u in app.uses}):
        print(f"{use[0]:<13}{use[1]}")
    print("ambiguous:   " + ", ".join(sorted(app.ambiguous)))


def main(argv):
    uses = argv[:1] == ["--uses"]
    args = argv[1:] if uses else argv
    if len(args) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    bindings = Path(args[0])
    folder = Path(args[1]) if len(args) == 2 else Path(__file__).resolve().parent / "TruyxuatDemo"
    if not bindings.is_file() or not folder.is_dir():
        print(f"check_api.py: no file {bindings} or no folder {folder}", file=sys.stderr)
        return 2
    if uses:
        print_uses(bindings, folder)
        return 0
    return check(bindings, folder)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
