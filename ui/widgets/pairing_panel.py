"""Pairing with HQ on the Sync page: HQ's pairing file or QR code, its fingerprint, a confirmation.

The person signed in (whoever may sync: officers, team leaders, device administrators;
not auxiliary staff) chooses the file HQ wrote (``hq-pairing.json``) or an image of
its QR code (``hq-pairing.png``, or a photo of it), or holds the code before the
camera (OpenCV's QR detector reads the frames on a worker). The offer's signature is checked
at once (:mod:`sync.pairing_offer`); the panel then shows HQ's fingerprint to compare
with the one HQ announces, and pins the keys only on "确认配对". Replacing another HQ's
keys asks again, explicitly: a tick under both fingerprints must be set first. Every
error is said in words and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import access
from app.workspace import Workspace
from local_db.errors import UserFacingError
from sync import pairing_offer
from sync.pairing import HqPairing, PairingError, current_pairing, pair
from sync.pairing_offer import PairingOffer
from ui.workers import Job


def grouped(fingerprint: str) -> str:
    """A fingerprint in groups of four, eight to a line, to read aloud and compare: ``3f2a 9c01 …``."""
    groups = [fingerprint[i:i + 4] for i in range(0, len(fingerprint), 4)]
    return "\n".join(" ".join(groups[i:i + 8]) for i in range(0, len(groups), 8))


def _fingerprint_of(paired: HqPairing) -> str:
    return PairingOffer(paired.recipient, paired.signing_pub_pem).fingerprint


class PairingPanel(QGroupBox):
    paired = Signal()

    def __init__(self, workspace: Workspace, *, session: Callable[[], object], language: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("与总部配对"), parent)
        self.ws = workspace
        self.session = session
        self.language = language
        self.offer: PairingOffer | None = None

        self.state = QLabel()
        self.state.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("选择配对文件或二维码图片"))
        self.choose_button.setMinimumHeight(44)
        self.choose_button.clicked.connect(self.choose)
        self.scan_button = QPushButton(self.tr("摄像头扫描二维码"))
        self.scan_button.setMinimumHeight(44)
        self.scan_button.clicked.connect(lambda _=False: self.scan())
        self.scan_job: Job | None = None

        self.offer_text = QLabel()
        self.offer_text.setWordWrap(True)
        self.replace_box = QCheckBox(self.tr("我确认更换总部配对：此后数据包只加密给新的总部密钥"))
        self.confirm_button = QPushButton(self.tr("确认配对"))
        self.confirm_button.setObjectName("primary")
        self.confirm_button.setMinimumHeight(44)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setMinimumHeight(44)
        self.cancel_button.clicked.connect(self.cancel)
        self.replace_box.toggled.connect(self._update_buttons)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)

        actions = QHBoxLayout()
        actions.addWidget(self.confirm_button, 2)
        actions.addWidget(self.cancel_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        starts = QHBoxLayout()
        starts.addWidget(self.choose_button, 1)
        starts.addWidget(self.scan_button, 1)
        layout.addLayout(starts)
        layout.addWidget(self.offer_text)
        layout.addWidget(self.replace_box)
        layout.addLayout(actions)
        layout.addWidget(self.error)
        layout.addStretch(1)  # the labels keep their wrapped height; the space left goes below
        self.refresh()

    def _say(self, exc: UserFacingError) -> None:
        self.error.setText(exc.message(self.language))
        self.error.setVisible(True)

    def refresh(self) -> None:
        current = current_pairing(self.ws)
        if current is None:
            self.state.setText(self.tr("本设备尚未与总部配对。请选择总部提供的配对文件或配对二维码图片。"))
        else:
            self.state.setText(self.tr("已与总部配对。总部签名公钥指纹：\n%1").replace("%1", grouped(_fingerprint_of(current))))
        pending = self.offer is not None
        self.choose_button.setText(self.tr("选择配对文件或二维码图片") if current is None
                                   else self.tr("更换总部配对…"))
        self.choose_button.setVisible(not pending)
        self.scan_button.setVisible(not pending)
        may = access.can(self.session(), access.Permission.SYNC)  # offered only to whoever may pair
        self.choose_button.setEnabled(may)
        self.scan_button.setEnabled(may and self.scan_job is None)
        if not may:
            self.state.setText(self.state.text() + "\n" + self.tr("您当前的身份不能与总部配对。"))
        self.offer_text.setVisible(pending)
        self.replace_box.setVisible(pending and self._replacing())
        self.confirm_button.setVisible(pending)
        self.cancel_button.setVisible(pending)
        self.error.setVisible(bool(self.error.text()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        replacing = self._replacing()
        self.confirm_button.setText(self.tr("确认更换总部配对") if replacing else self.tr("确认配对"))
        self.confirm_button.setEnabled(self.offer is not None and (not replacing or self.replace_box.isChecked()))

    def _replacing(self) -> bool:
        current = current_pairing(self.ws)
        return current is not None and self.offer is not None and (
            current.recipient, current.signing_pub_pem) != (self.offer.recipient, self.offer.signing_pub_pem)

    # --- the steps -----------------------------------------------------------------------------

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择总部配对文件或二维码图片"), "",
                                              self.tr("配对文件或二维码图片 (*.json *.png *.jpg *.jpeg *.bmp)"))
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read and check the offer in ``path``; show its fingerprint and wait for the confirmation."""
        self.error.setText("")
        self.offer = None
        self.replace_box.setChecked(False)
        try:
            offer = pairing_offer.read(path)
        except UserFacingError as exc:
            self._say(exc)
            self.refresh()
            return
        self._offered(offer)

    def scan(self, source: int | str | None = None) -> Job | None:
        """Look for HQ's QR code in the camera's picture (the first camera, or ``source``) on a worker."""
        if self.scan_job is not None:
            return None
        if source is None:
            from app.evidence.capture import list_cameras

            cameras = list_cameras()
            if not cameras:
                self._say(PairingError("本机没有可用的摄像头，请改为选择配对二维码图片。",
                                       "No camera is available here; choose an image of the pairing QR code instead."))
                return None
            source = cameras[0].index
        self.error.setText(self.tr("正在扫描：请将总部的配对二维码置于摄像头前…"))
        self.error.setVisible(True)
        job = Job(pairing_offer.scan, source)
        job.result.connect(self._offered)
        job.error.connect(lambda exc: self._say(exc) if isinstance(exc, UserFacingError) else (
            self.error.setText(f"{type(exc).__name__}: {exc}")))
        job.finished.connect(self._scan_done)
        self.scan_job = job
        self.scan_button.setEnabled(False)
        return job.bind(self).start()

    def _scan_done(self) -> None:
        self.scan_job = None
        self.refresh()

    def _offered(self, offer: PairingOffer) -> None:
        self.error.setText("")
        self.replace_box.setChecked(False)
        self.offer = offer
        current = current_pairing(self.ws)
        text = self.tr("所选总部签名公钥指纹：\n%1\n请与总部告知的指纹逐组核对，一致后再确认。").replace(
            "%1", grouped(self.offer.fingerprint))
        if current is not None and self._replacing():
            text += "\n" + self.tr("这是另一总部的密钥：确认后，本设备不再使用上面已配对的总部密钥。")
        elif current is not None:
            text += "\n" + self.tr("本设备已与这一总部配对，确认不会改变任何设置。")
        self.offer_text.setText(text)
        self.refresh()

    def confirm(self) -> None:
        offer = self.offer
        if offer is None:
            return
        try:
            self._pin(offer, replace=self._replacing() and self.replace_box.isChecked())
        except UserFacingError as exc:
            self._say(exc)
            return
        self.offer = None
        self.error.setText("")
        self.refresh()
        self.paired.emit()

    def _pin(self, offer: PairingOffer, *, replace: bool) -> None:
        """The one place the page pins HQ's keys: checked for the person signed in, audited."""
        pair(self.ws, recipient=offer.recipient, signing_pub_pem=offer.signing_pub_pem, session=self.session(),
             replace=replace)  # checks the role and audits a refusal itself

    def cancel(self) -> None:
        self.offer = None
        self.error.setText("")
        self.refresh()
