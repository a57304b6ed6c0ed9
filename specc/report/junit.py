"""`--format junit`: one test suite, one test case per linted file, one failure per diagnostic.

CI systems that read JUnit XML (GitLab, Jenkins, Azure) then show each spec as a
passing or failing test.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from . import LintReport, relative_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(report: LintReport) -> str:
    """The JUnit XML document for `report`, as text."""
    by_file: dict[str, list] = {relative_path(path): [] for path in report.paths}
    for diagnostic in report.diagnostics:
        by_file.setdefault(relative_path(diagnostic.span.path), []).append(diagnostic)
    failing = sum(1 for found in by_file.values() if found)
    counts = {"tests": str(len(by_file)), "failures": str(failing), "errors": "0", "skipped": "0"}
    root = ElementTree.Element("testsuites", {"name": "specc", **counts})
    suite = ElementTree.SubElement(root, "testsuite", {"name": "specc lint", **counts})
    for path, found in by_file.items():
        shown = _xml_text(path)
        case = ElementTree.SubElement(suite, "testcase", {"classname": "specc.lint", "name": shown, "file": shown})
        for d in found:
            where = f"{path}:{d.span.line or 1}:{d.span.column or 1}"
            failure = ElementTree.SubElement(case, "failure", {
                "type": f"{d.code} {d.rule}", "message": _xml_text(f"{d.code} {d.message}")})
            failure.text = _xml_text(f"{where}: {d.code} [{d.severity.value}] {d.message}")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def render(report: LintReport, out: TextIO, **_: object) -> None:
    out.write(junit_xml(report))
