"""The problems panel: findings of the open entry as you type, or of the whole repository after
a background check; activating one opens the entry at the spot."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from editor.findings import Finding

SEVERITY_MARK = {"error": "\u2716 error", "warning": "\u26a0 warning", "info": "\u2139 info"}


class ProblemsPanel(QWidget):
    findingActivated = Signal(object)
    checkAllRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.summary = QLabel("No problems")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.check_all = QPushButton("Check All Entries")
        self.check_all.clicked.connect(self.checkAllRequested)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel Check All Entries")
        self.cancel.clicked.connect(self.cancelRequested)
        self.cancel.hide()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel)
        top.addWidget(self.check_all)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Problems list")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Severity", "Problem", "Entry", "Line", "Rule"])
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 460)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.findings: list[Finding] = []
        self.scope = "entry"

    def show_findings(self, findings: list[Finding], scope: str) -> None:
        """``scope`` is "entry" (the open entry, live) or "repository" (the last full check)."""
        self.scope = scope
        self.findings = sorted(findings, key=lambda f: (("error", "warning", "info").index(f.severity), f.path,
                                                        f.line, f.column))
        self.tree.clear()
        for finding in self.findings:
            item = QTreeWidgetItem([SEVERITY_MARK.get(finding.severity, finding.severity),
                                    finding.message + (f"  \u2192 {finding.suggestion}" if finding.suggestion else ""),
                                    finding.path, str(finding.line), finding.rule])
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(1, finding.message)
            self.tree.addTopLevelItem(item)
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")}
        where = "this entry" if scope == "entry" else "all entries"
        self.summary.setText(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes "
                             f"in {where}" if self.findings else f"No problems in {where}")

    def set_progress(self, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"Checking {done}/{total}")
        self.check_all.setEnabled(done >= total)
        self.cancel.setVisible(done < total)
        if done >= total:
            self.progress.hide()

    def _activated(self, item: QTreeWidgetItem) -> None:
        finding = item.data(0, Qt.ItemDataRole.UserRole)
        if finding is not None:
            self.findingActivated.emit(finding)
