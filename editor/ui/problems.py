"""The problems panel: findings of the open entry as you type, or of the whole repository after
a background check (with the open entry's live findings in place of its own), grouped by entry
under its question; activating one opens the entry at the spot."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QProgressBar, QPushButton, QStyle, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from editor.findings import SEVERITIES, Finding, excerpt

SEVERITY_WORD = {"error": "Error", "warning": "Warning", "info": "Note"}  # "info" is a note to the writer
COUNT_WORD = {"error": "error", "warning": "warning", "info": "note"}
SEVERITY_ICON = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                 "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                 "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
SEVERITY_MARK = {"error": "\u2716 Error", "warning": "\u26a0 Warning", "info": "\u2139 Note"}  # where no icon shows
COLUMNS = ("Severity", "Line", "Problem", "Rule")
REPOSITORY_SHOWN = 5_000  # findings of a full check listed, the worst entries first (the counts are of all)
ROW_LIMIT, TIP_LIMIT = 300, 1_000  # characters of a message a row and its tooltip show


def plural(count: int, word: str) -> str:
    """ "1 error", "2 errors", "0 notes"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_text(findings: list[Finding], counts: dict[str, int] | None = None) -> str:
    """The counts in plain words, the worst first, leaving out none but zeros: "1 error, 2 warnings
    and 1 note"; "" for none at all. ``counts`` by severity, when given, are said instead."""
    counts = severity_counts(findings) if counts is None else counts
    parts = [plural(n, COUNT_WORD[s]) for s in SEVERITIES if (n := counts.get(s, 0))]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


def with_live(findings: list[Finding], path: str | None, live: list[Finding]) -> list[Finding]:
    """The findings of a full check with those of ``path`` (the open entry) replaced by ``live``
    (its findings as typed, or None while they are not known yet: the full check's stay)."""
    if path is None or live is None:
        return list(findings)
    return [f for f in findings if f.path != path] + [f for f in live if f.path == path]


def _worst(findings: list[Finding]) -> int:
    return min(SEVERITIES.index(f.severity) for f in findings)


def tooltip(finding: Finding) -> str:
    text = f"{SEVERITY_WORD.get(finding.severity, finding.severity)}, line {finding.line}: " \
           f"{excerpt(finding.message, TIP_LIMIT)}"
    if finding.suggestion:
        text += f"\nSuggestion: {excerpt(finding.suggestion, TIP_LIMIT)}"
    return text + f"\nRule: {finding.category}/{finding.rule}"


class ProblemsPanel(QWidget):
    findingActivated = Signal(object)
    checkAllRequested = Signal()
    cancelRequested = Signal()
    cancelLinksRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.summary = QLabel("")
        self._said = ""  # the summary of the findings listed, said again when a check ends
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.check_all = QPushButton("Check All Entries")
        self.check_all.clicked.connect(self.checkAllRequested)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel Check All Entries")
        self.cancel.clicked.connect(self.cancelRequested)
        self.cancel.hide()
        self.links_progress = QProgressBar()
        self.links_progress.setMaximumWidth(220)
        self.links_progress.hide()
        self.links_cancel = QPushButton("Cancel")
        self.links_cancel.setAccessibleName("Cancel Check Web Links")
        self.links_cancel.clicked.connect(self.cancelLinksRequested)
        self.links_cancel.hide()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        for widget in (self.links_progress, self.links_cancel, self.progress, self.cancel, self.check_all):
            top.addWidget(widget)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Problems list")
        self.tree.setHeaderLabels(list(COLUMNS))
        for column, width in enumerate((140, 50, 560)):  # the severity word beside its icon, indented
            self.tree.setColumnWidth(column, width)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.data(0, Qt.ItemDataRole.UserRole + 1)))
        self.tree.itemExpanded.connect(lambda item: self._collapsed.discard(item.data(0, Qt.ItemDataRole.UserRole + 1)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.findings: list[Finding] = []  # in the order shown: group by group, line by line
        self.scope = "entry"
        self.question_of: Callable[[str], str | None] = lambda path: None  # an entry's question, if known
        self._collapsed: set[str] = set()  # groups the writer folded stay folded when the list changes
        style = QApplication.style()
        self._icons = {severity: style.standardIcon(pixmap) for severity, pixmap in SEVERITY_ICON.items()}

    def group_name(self, path: str) -> str:
        """An entry's question (its ``### Q:`` heading); a settings file, or an entry not indexed, by path."""
        return self.question_of(path) or path

    def show_findings(self, findings: list[Finding], scope: str, where: str | None = None, hidden: int = 0,
                      counts: dict[str, int] | None = None, checking: bool = False, failure: str = "") -> None:
        """``scope`` is "entry" (the open entry, live) or "repository" (the last full check);
        ``where`` names what was checked, for the summary (by default after the scope). ``hidden``
        findings were left out of the list (``counts`` by severity are of all of them); while
        ``checking``, the open entry's findings are not known yet, and the summary says so."""
        self.scope = scope
        groups: dict[str, list[Finding]] = {}
        for finding in findings:
            groups.setdefault(finding.path, []).append(finding)
        order = sorted(groups, key=lambda path: (_worst(groups[path]), path))
        if scope == "repository" and len(findings) > REPOSITORY_SHOWN:  # the worst entries first, then cut
            counts = counts or severity_counts(findings)
            hidden += len(findings) - REPOSITORY_SHOWN
        scroll = self.tree.verticalScrollBar().value()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self.findings = []
        made: list[QTreeWidgetItem] = []
        for path in order:
            room = REPOSITORY_SHOWN - len(self.findings) if scope == "repository" else len(groups[path])
            if room <= 0:
                break
            members = sorted(groups[path], key=lambda f: (f.line, f.column, SEVERITIES.index(f.severity), f.rule))
            self.findings += members[:room]
            group = QTreeWidgetItem([f"{self.group_name(path)}  \u2014  {count_text(members)}"])
            group.setData(0, Qt.ItemDataRole.UserRole + 1, path)
            group.setToolTip(0, path)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setIcon(0, self._icons[SEVERITIES[_worst(members)]])
            group.addChildren([self._row(finding) for finding in members[:room]])
            made.append(group)
        # the groups added, spanned and unfolded all at once: one at a time, each cost Qt a look at
        # every group before it (3,000 groups: 2.1 s of the UI thread, now 20 ms)
        folded = set(self._collapsed)
        self.tree.addTopLevelItems(made)
        for group in made:
            group.setFirstColumnSpanned(True)
        self.tree.expandAll()
        for group in made:
            if group.data(0, Qt.ItemDataRole.UserRole + 1) in folded:
                group.setExpanded(False)
        self.tree.setUpdatesEnabled(True)
        self.tree.verticalScrollBar().setValue(scroll)
        where = where or ("this entry" if scope == "entry" else "all entries")
        said = f"{count_text(self.findings, counts)} in {where}" if self.findings else f"No problems in {where}"
        if hidden:
            said += f" (the first {len(self.findings):,} are listed)"
        self._said = f"{failure} {said}" if failure else said
        self.set_checking(checking)

    def set_checking(self, checking: bool) -> None:
        """While the open entry is being checked its findings are not known: the summary says
        "Checking\u2026", never "No problems", until the check of that text comes back."""
        if not checking:
            text = self._said
        elif self.scope == "entry":
            text = "Checking\u2026"
        else:
            text = f"Checking this entry\u2026 {self._said}"
        self.summary.setText(text)

    def _row(self, finding: Finding) -> QTreeWidgetItem:
        message = excerpt(finding.message + (f"  \u2192 {finding.suggestion}" if finding.suggestion else ""), ROW_LIMIT)
        item = QTreeWidgetItem([SEVERITY_WORD.get(finding.severity, finding.severity), str(finding.line), message,
                                finding.rule])
        item.setIcon(0, self._icons.get(finding.severity, self._icons["info"]))
        item.setData(0, Qt.ItemDataRole.UserRole, finding)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, SEVERITY_MARK.get(finding.severity, finding.severity))
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        text = tooltip(finding)
        for column in range(len(COLUMNS)):
            item.setToolTip(column, text)
        return item

    def rows(self) -> list[tuple[str, str, int, str, str]]:
        """What the list shows, one (group, path, line, rule, severity word) per finding."""
        found = []
        for number in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(number)
            for child in range(group.childCount()):
                finding = group.child(child).data(0, Qt.ItemDataRole.UserRole)
                found.append((group.text(0), finding.path, finding.line, finding.rule, group.child(child).text(0)))
        return found

    def set_progress(self, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"Checking {done}/{total}")
        self.check_all.setEnabled(done >= total)
        self.cancel.setVisible(done < total)
        if done >= total:
            self.progress.hide()

    def set_links_progress(self, done: int, total: int, running: bool = True) -> None:
        """Check Web Links: ``total`` 0 while the entries are read; ``running`` False when it ended."""
        self.links_progress.setVisible(running)
        self.links_cancel.setVisible(running)
        self.links_progress.setMaximum(total)  # 0: busy
        self.links_progress.setValue(done)
        self.links_progress.setFormat(f"Web links {done}/{total}" if total else "Reading entries\u2026")

    def _clicked(self, item: QTreeWidgetItem) -> None:
        if item.parent() is not None:  # a click on a group folds or unfolds it, no more
            self._activated(item)

    def _activated(self, item: QTreeWidgetItem) -> None:
        if item.parent() is None and item.childCount():  # a group: the entry at its first finding
            item = item.child(0)
        finding = item.data(0, Qt.ItemDataRole.UserRole)
        if finding is not None:
            self.findingActivated.emit(finding)
