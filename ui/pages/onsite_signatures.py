"""Signatures of officers, party and witness on the pad, and the party's refusal to sign (R9)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import SignerRole
from ui.labels import label
from ui.pages.onsite_base import OnsiteContext, OnsiteStep
from ui.widgets.signature_pad import SignaturePad


class SignatureStep(OnsiteStep):
    fills_page = True  # the list of signatures scrolls by itself; the step is not scrolled

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("签名"), self.tr(
            "现场检查笔录由执法人员和当事人签名；当事人拒绝签名的，注明理由并由见证人签名；当事人不在场的，"
            "由见证人签名（《行政处罚法》第五十五条、《行政强制法》第十八条）。"), parent)
        top = QHBoxLayout()
        form_box = QGroupBox(self.tr("签名人"))
        form = QFormLayout(form_box)
        self.role = QComboBox()
        for r in SignerRole:
            self.role.addItem(label(r), r)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.officer = QComboBox()
        self.name = QLineEdit()
        self.id_no = QLineEdit()
        self.id_no.setPlaceholderText(self.tr("身份证件号码"))
        form.addRow(self.tr("身份"), self.role)
        form.addRow(self.tr("执法人员"), self.officer)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("证件号码"), self.id_no)
        top.addWidget(form_box, 2)
        pad_box = QGroupBox(self.tr("签名板（手写笔、手指或鼠标）"))
        pl = QVBoxLayout(pad_box)
        self.pad = SignaturePad()
        pl.addWidget(self.pad, 1)
        buttons = QHBoxLayout()
        self.clear = QPushButton(self.tr("清除"))
        self.clear.clicked.connect(self.pad.clear)
        self.save = QPushButton(self.tr("保存签名"))
        self.save.clicked.connect(self._save)
        buttons.addStretch(1)
        buttons.addWidget(self.clear)
        buttons.addWidget(self.save)
        pl.addLayout(buttons)
        top.addWidget(pad_box, 3)
        self.layout_.addLayout(top, 1)

        self.signed = QListWidget()
        self.signed.setIconSize(QSize(150, 50))
        self.signed.setMinimumHeight(110)

        refusal = QGroupBox(self.tr("当事人拒绝签名"))
        rf = QFormLayout(refusal)
        rf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("拒签理由或情况"))
        self.witness = QComboBox()
        self.refuse = QPushButton(self.tr("记录拒签（须先由见证人签名）"))
        self.refuse.clicked.connect(self._refuse)
        rf.addRow(self.tr("理由"), self.reason)
        rf.addRow(self.tr("见证人签名"), self.witness)
        rf.addRow("", self.refuse)
        # The signatures so far beside the refusal: the pad above keeps the height for writing.
        bottom = QHBoxLayout()
        bottom.addWidget(self.signed, 1)
        bottom.addWidget(refusal, 1)
        self.layout_.addLayout(bottom)
        self.finish_layout()

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        self.officer.clear()
        # An officer signs only for himself, signed in: the other officer signs in his own session.
        for officer_id in ctx.inspection.officer_ids:
            if officer_id != ctx.actor.id:
                continue
            officer = ctx.service.ws.officers.get(officer_id)
            self.officer.addItem(f"{officer.name}（{officer.cert_no}）" if officer else officer_id, officer_id)
        self.signed.clear()
        self.witness.clear()
        for s in ctx.record.signatures:
            image = QImage.fromData(s.image_png, "PNG")
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)),
                                   f"{label(s.role)}  {s.signer_name}  {s.signed_at.strftime('%H:%M')}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.signed.addItem(item)
            if s.role is SignerRole.WITNESS:
                self.witness.addItem(s.signer_name, s.id)
        for r in ctx.record.refusals:
            self.signed.addItem(self.tr("当事人拒绝签名：%1").replace("%1", r.reason))
        self._role_changed()

    def _role_changed(self) -> None:
        officer = self._role() is SignerRole.OFFICER
        self.officer.setEnabled(officer)
        self.name.setEnabled(not officer)
        self.id_no.setEnabled(not officer)
        if self.ctx and self._role() is SignerRole.PARTY and not self.name.text():
            self.name.setText(self.ctx.record.party_name)
            self.id_no.setText(self.ctx.record.party_id_no)

    def _save(self) -> None:
        png = self.pad.to_png()
        if not png:
            self.error.setText(self.tr("请先在签名板上签名。"))
            self.error.show()
            return
        role = self._role()
        ref = self.officer.currentData() if role is SignerRole.OFFICER else self.id_no.text()
        saved = self.attempt(lambda: self.ctx.service.sign(
            self.ctx.inspection.id, role=role, signer_name=self.name.text(), signer_ref=ref or "",
            image_png=png, actor=self.ctx.actor))
        if saved is not None:
            self.pad.clear()
            self.name.clear()
            self.id_no.clear()

    def _role(self) -> SignerRole:
        # Qt hands enum item data back as plain str.
        return SignerRole(self.role.currentData())

    def _refuse(self) -> None:
        witness = self.witness.currentData()
        self.attempt(lambda: self.ctx.service.record_refusal(
            self.ctx.inspection.id, reason=self.reason.text(), witness_signature_id=witness if witness else -1,
            actor=self.ctx.actor))
