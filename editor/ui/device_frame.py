"""The phone around the preview: a rounded device frame with a status-bar strip, its screen
exactly the chosen device's width in CSS pixels (the page wraps where the phone's would), or, with
"Fit the Panel", the page on all of the panel.

The frame is painted by this widget, not drawn in the page: QTextBrowser's rich text has no rounded
corners, and a phone's status bar stays put while the page scrolls. The page's own scroll bar is
hidden (a phone has none to grab); one beside the phone, on the desk, scrolls it."""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollBar, QWidget

from editor.render.style import PreviewLook

#: the View > Preview Device choices: (name, screen width in CSS px); 0 is "Fit the Panel"
DEVICES = (("iPhone SE", 375), ("iPhone 15", 390), ("Pixel 8", 412), ("iPad mini", 744))
FIT = 0
DEFAULT_DEVICE = 390


class DeviceFrame(QWidget):
    BEZEL = 10  # the phone's edge around the screen
    STATUS = 24  # the status-bar strip at the top of the screen
    CHIN = 14  # below the screen: the home indicator
    MARGIN = 10  # desk around the phone
    RADIUS = 30  # the phone's corners (the screen's are RADIUS - BEZEL)

    def __init__(self, screen: QAbstractScrollArea, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Preview device")
        self.screen_widget = screen
        screen.setParent(self)
        self.desk_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.desk_bar.setAccessibleName("Preview scroll")
        inner = screen.verticalScrollBar()
        inner.rangeChanged.connect(self.desk_bar.setRange)
        inner.valueChanged.connect(self.desk_bar.setValue)
        self.desk_bar.valueChanged.connect(inner.setValue)
        inner.rangeChanged.connect(lambda *_: self._place())
        self.device_width = DEFAULT_DEVICE
        self.look = PreviewLook()
        self.setMinimumWidth(120)  # never forces the dock wider: a narrow panel squeezes the phone

    def set_device(self, width: int) -> None:
        self.device_width = width
        self._place()

    def set_look(self, look: PreviewLook) -> None:
        self.look = look
        self.update()

    # ---- geometry ------------------------------------------------------------------------------
    def framed(self) -> bool:
        return self.device_width != FIT

    def phone_rect(self) -> QRect:
        """The whole device, centred on the desk (empty when the page fits the panel)."""
        if not self.framed():
            return QRect()
        bar = self.desk_bar.sizeHint().width()
        room = self.width() - 2 * self.MARGIN - 2 * self.BEZEL - bar
        screen = max(80, min(self.device_width, room))  # a panel narrower than the phone squeezes it
        width = screen + 2 * self.BEZEL
        left = max(self.MARGIN, (self.width() - bar - width) // 2)
        return QRect(left, self.MARGIN, width, max(0, self.height() - 2 * self.MARGIN))

    def status_rect(self) -> QRect:
        phone = self.phone_rect()
        return QRect(phone.left() + self.BEZEL, phone.top() + self.BEZEL, phone.width() - 2 * self.BEZEL, self.STATUS)

    def screen_rect(self) -> QRect:
        if not self.framed():
            return self.rect()
        phone, status = self.phone_rect(), self.status_rect()
        top = status.bottom() + 1
        return QRect(status.left(), top, status.width(), max(0, phone.bottom() - self.CHIN - top + 1))

    def _place(self) -> None:
        screen = self.screen_widget
        framed = self.framed()
        screen.setFrameShape(QFrame.Shape.NoFrame if framed else QFrame.Shape.StyledPanel)
        screen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff if framed
                                          else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        screen.setGeometry(self.screen_rect())
        bar = self.desk_bar
        if framed:
            phone = self.phone_rect()
            width = bar.sizeHint().width()
            bar.setGeometry(min(phone.right() + 4, self.width() - width), self.screen_rect().top(), width,
                            self.screen_rect().height())
        bar.setVisible(framed and bar.maximum() > 0)
        self.update()

    def resizeEvent(self, event):  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._place()

    # ---- painting ------------------------------------------------------------------------------
    def paintEvent(self, event):  # noqa: N802 - Qt's name
        if not self.framed():
            return
        colours = self.look.colours
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(colours["desk"]))
        phone = QRectF(self.phone_rect())
        path = QPainterPath()
        path.addRoundedRect(phone, self.RADIUS, self.RADIUS)
        painter.fillPath(path, QColor(colours["bezel"]))
        screen_area = QRectF(self.status_rect().united(self.screen_rect()))
        screen_area.setBottom(phone.bottom() - self.CHIN)
        inner = QPainterPath()
        inner.addRoundedRect(screen_area, self.RADIUS - self.BEZEL, self.RADIUS - self.BEZEL)
        painter.fillPath(inner, QColor(colours["page"]))
        status = self.status_rect()
        top = QPainterPath()
        top.addRoundedRect(QRectF(status.adjusted(0, 0, 0, self.RADIUS)), self.RADIUS - self.BEZEL,
                           self.RADIUS - self.BEZEL)
        clip = QPainterPath()
        clip.addRect(QRectF(status))
        painter.fillPath(top.intersected(clip), QColor(colours["bar"]))
        painter.setPen(QColor(colours["bar_text"]))
        font = painter.font()
        font.setPixelSize(12)
        font.setBold(True)
        painter.setFont(font)
        text = status.adjusted(18, 0, -18, 0)
        painter.drawText(text, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "9:41")
        painter.drawText(text, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, "\u25ae\u25ae\u25ae  100%")
        indicator = QRectF(phone.center().x() - 40, phone.bottom() - self.CHIN / 2 - 2, 80, 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#8a949c"))
        painter.drawRoundedRect(indicator, 2, 2)
        painter.end()
