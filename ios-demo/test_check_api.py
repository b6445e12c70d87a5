#!/usr/bin/env python3
"""Tests of check_api.py: it passes on the app as it is, and fails on each
kind of breakage, in the bindings or in the app (on copies of both).

    python3 test_check_api.py GENERATED_SWIFT [unittest options]
"""

import contextlib
import io
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import check_api

HERE = Path(__file__).resolve().parent
BINDINGS = None  # the generated Swift, from the command line


def replace(old, new):
    """A bindings edit: `old` (which must occur) becomes `new`."""
    def edit(text):
        if old not in text:
            raise AssertionError(f"the bindings have no {old!r}: update the test")
        return text.replace(old, new, 1)
    return edit


def add_swift(code):
    """An app edit: one more source file."""
    def edit(folder):
        (folder / "Mutation.swift").write_text(code, encoding="utf-8")
    return edit


def change_app(file, old, new):
    def edit(folder):
        path = folder / file
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"{file} has no {old!r}: update the test")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return edit


class CheckApiTest(unittest.TestCase):
    def check(self, bindings_edit=None, app_edit=None):
        """check_api.check on copies of the bindings and the app, edited; the
        exit code and the report."""
        with tempfile.TemporaryDirectory() as tmp:
            bindings = Path(tmp) / "TruyxuatCore.swift"
            text = BINDINGS.read_text(encoding="utf-8")
            bindings.write_text(bindings_edit(text) if bindings_edit else text, encoding="utf-8")
            app = Path(tmp) / "app"
            shutil.copytree(HERE / "TruyxuatDemo", app)
            if app_edit:
                app_edit(app)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = check_api.check(bindings, app)
            return code, out.getvalue()

    def assert_fails(self, status, text, **edits):
        code, report = self.check(**edits)
        self.assertEqual(code, 1, report)
        lines = [line for line in report.splitlines() if line.startswith(status) and text in line]
        self.assertTrue(lines, f"no {status} line with {text!r} in:\n{report}")

    def test_the_app_as_it_is(self):
        code, report = self.check()
        self.assertEqual(code, 0, report)
        self.assertNotIn("MISSING", report)

    # --- the bindings change ---------------------------------------------------

    def test_method_renamed(self):
        self.assert_fails("MISSING", "Journal.recordHarvest(form:)",
                          bindings_edit=replace("open func recordHarvest(", "open func recordHarvestEvent("))

    def test_method_label_renamed(self):
        self.assert_fails("MISSING", "Journal.listRecent(beforeSeq:limit:)",
                          bindings_edit=replace("open func listRecent(beforeSeq:", "open func listRecent(before:"))

    def test_static_method_renamed(self):
        self.assert_fails("MISSING", "Journal.open(path:)",
                          bindings_edit=replace("static func `open`(path:", "static func `open`(file:"))

    def test_record_field_renamed(self):
        self.assert_fails("MISSING", "Lookup.journeySteps",
                          bindings_edit=replace("public var journeySteps:", "public var steps:"))

    def test_enum_case_removed(self):
        self.assert_fails("MISSING", "TruyxuatError.SignInRequired",
                          bindings_edit=replace("case SignInRequired", "case LoginNeeded"))

    def test_enum_case_values_renamed(self):
        self.assert_fails("MISSING", "LookupSource.saved(savedAt:ageSecs:)",
                          bindings_edit=replace("ageSecs: UInt64\n", "age: UInt64\n"))

    def test_type_renamed(self):
        self.assert_fails("MISSING", "RecalledScan",
                          bindings_edit=replace("public struct RecalledScan:", "public struct RecallHit:"))

    def test_function_renamed(self):
        self.assert_fails("MISSING", "complaintCategories()",
                          bindings_edit=replace("public func complaintCategories(", "public func complaintKinds("))

    def test_initialiser_gains_a_required_parameter(self):
        self.assert_fails("MISSING", "HarvestForm.init(",
                          bindings_edit=replace("harvestDate: String, gtin:", "harvestDate: String, plot: String, gtin:"))

    def test_initialiser_loses_the_default_of_a_parameter_the_app_leaves_out(self):
        self.assert_fails("MISSING", "HarvestForm.init(",
                          bindings_edit=replace("location: GeoPoint? = nil, certification:",
                                                "location: GeoPoint?, certification:"))

    # --- the app changes ---------------------------------------------------------

    def test_unlisted_method(self):
        self.assert_fails("UNLISTED", "Journal.list(afterSeq:limit:)", app_edit=add_swift(r'''
func more(journal: Journal) throws { _ = try journal.list(afterSeq: 0, limit: 10) }
'''))

    def test_method_that_does_not_exist(self):
        self.assert_fails("UNLISTED", "Session.pushNow()", app_edit=add_swift(r'''
func push(session: Session) throws { try session.pushNow() }
'''))

    def test_core_method_on_another_receiver(self):
        self.assert_fails("UNLISTED", ".recordScan(…)", app_edit=add_swift(r'''
func scan(j: Journal) throws {
    _ = try j.recordScan(text: "x", symbologyId: nil, location: nil, answerShown: nil)
}
'''))

    def test_unlisted_field(self):
        self.assert_fails("UNLISTED", "Lookup.registered", app_edit=add_swift(r'''
func known(_ l: Lookup) -> Bool { l.registered }
'''))

    def test_unlisted_type(self):
        self.assert_fails("UNLISTED", "Gs1Element", app_edit=add_swift(r'''
func count(_ elements: [Gs1Element]) -> Int { elements.count }
'''))

    def test_initialiser_with_other_labels(self):
        self.assert_fails("UNLISTED", "Crop.init(left:top:)", app_edit=add_swift(r'''
let corner = Crop(left: 0, top: 0)
'''))

    def test_case_pattern_with_the_wrong_number_of_values(self):
        self.assert_fails("MISSING", "LookupSource.saved", app_edit=add_swift(r'''
func age(_ s: LookupSource) -> UInt64 {
    if case .saved(let ageSecs) = s { return ageSecs }
    return 0
}
'''))

    def test_listed_symbol_no_longer_used(self):
        self.assert_fails("STALE", "Journal.verify()", app_edit=change_app(
            "AppModel.swift", "try journal.verify()", "try journal.counts()"))

    def test_comments_and_strings_are_not_uses(self):
        code, report = self.check(app_edit=add_swift(r'''
// journal.frobnicate() and Lookup.nothing
/* session.nothing() /* nested */ VerifyReport */
let text = "scanner.nothing() \"Gs1Element\""
let raw = #"journal.nothing() "Gs1Element""#
'''))
        self.assertEqual(code, 0, report)

    def test_interpolated_code_is_a_use(self):
        self.assert_fails("UNLISTED", "Session.refresh()", app_edit=add_swift(r'''
func expiry(session: Session) -> String { "expires \((try? session.refresh()) ?? 0)" }
'''))

    def test_platform_name_no_longer_needed(self):
        saved = dict(check_api.PLATFORM_NAMES)
        check_api.PLATFORM_NAMES["ageSecs"] = "nothing"
        try:
            self.assert_fails("STALE", "ageSecs")
        finally:
            check_api.PLATFORM_NAMES.clear()
            check_api.PLATFORM_NAMES.update(saved)


if __name__ == "__main__":
    if len(sys.argv) < 2 or not Path(sys.argv[1]).is_file():
        sys.exit(__doc__)
    BINDINGS = Path(sys.argv.pop(1))
    unittest.main()
