"""After the operation: storage, notice to collect, handover (all or some items, with the
recipient's identity and signature), refusal; signatures on the inventory list and the
record (R24, R26); and the documents, rendered on a worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.demolition.documents import DemolitionDocument, DemolitionDocuments
from app.demolition.inventory import HANDED_OVER, state_label
from ui.pages.demolition_base import DemolitionContext, DemolitionTab
from ui.widgets.signature_pad import SignaturePad
from ui.widgets.document_panel import DocumentPanel
from ui.workers import Job, database_pool


class CustodyTab(DemolitionTab):
    fills_page = True  # the items list and the forms beside it scroll each on its own

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("执行结束后：移交保管、通知领取、向当事人移交（可部分移交，接收人签名）或记录拒收；"
                                 "财物登记清单一式两份，双方签名。"), parent)
        body = QHBoxLayout()
        self.items = QListWidget()
        self.items.setMaximumWidth(260)  # the forms and signature pads beside it need their width
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("勾选要办理的财物")))
        left.addWidget(self.items, 1)
        body.addLayout(left, 2)
        right = QVBoxLayout()
        store = QGroupBox(self.tr("保管与通知"))
        sf = QFormLayout(store)
        sf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.storage = QLineEdit()
        self.store = QPushButton(self.tr("移交保管"))
        self.store.clicked.connect(self._store)
        self.notice_no = QLineEdit()
        self.collect_by = QDateEdit()
        self.collect_by.setCalendarPopup(True)
        self.collect_by.setDisplayFormat("yyyy-MM-dd")
        self.notify = QPushButton(self.tr("登记领取通知"))
        self.notify.clicked.connect(self._notify)
        sf.addRow(self.tr("保管地点"), self.storage)
        sf.addRow(self.store)
        sf.addRow(self.tr("通知书文号"), self.notice_no)
        sf.addRow(self.tr("领取期限"), self.collect_by)
        sf.addRow(self.notify)
        right.addWidget(store)
        hand = QGroupBox(self.tr("移交给当事人 / 拒收"))
        hf = QFormLayout(hand)
        hf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.recipient = QLineEdit()
        self.recipient_id = QLineEdit()
        self.recipient_pad = SignaturePad()
        self.recipient_pad.setMinimumHeight(90)
        self.hand_over = QPushButton(self.tr("移交并由接收人签收"))
        self.hand_over.setObjectName("primary")
        self.hand_over.clicked.connect(self._hand_over)
        self.refusal = QLineEdit()
        self.refuse = QPushButton(self.tr("记录拒收"))
        self.refuse.clicked.connect(self._refuse)
        hf.addRow(self.tr("接收人"), self.recipient)
        hf.addRow(self.tr("身份证号码"), self.recipient_id)
        hf.addRow(self.tr("接收人签名"), self.recipient_pad)
        hf.addRow(self.hand_over)
        hf.addRow(self.tr("拒收情况"), self.refusal)
        hf.addRow(self.refuse)
        right.addWidget(hand)
        sign = QGroupBox(self.tr("文书签名"))
        gf = QFormLayout(sign)
        gf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.document = QComboBox()
        self.document.addItem(self.tr("财物登记清单"), "inventory")
        self.document.addItem(self.tr("强制拆除现场笔录"), "record")
        self.role = QComboBox()
        self.role.addItem(self.tr("执法人员"), "officer")
        self.role.addItem(self.tr("当事人"), "party")
        self.role.addItem(self.tr("见证人"), "witness")
        self.signer = QLineEdit()
        self.signer.setPlaceholderText(self.tr("签名人姓名（执法人员为当前登录人）"))
        self.sign_pad = SignaturePad()
        self.sign_pad.setMinimumHeight(90)
        self.sign = QPushButton(self.tr("保存签名"))
        self.sign.clicked.connect(self._sign)
        for caption, w in ((self.tr("文书"), self.document), (self.tr("身份"), self.role),
                           (self.tr("姓名"), self.signer), (self.tr("签名"), self.sign_pad)):
            gf.addRow(caption, w)
        gf.addRow(self.sign)
        self.refusal_reason = QLineEdit()
        self.refusal_reason.setPlaceholderText(self.tr("当事人拒绝签名的情况（见证人须先签名）"))
        self.record_refusal = QPushButton(self.tr("记录当事人拒签"))
        self.record_refusal.clicked.connect(self._refuse_to_sign)
        gf.addRow(self.tr("拒签"), self.refusal_reason)
        gf.addRow(self.record_refusal)
        self.signed = QLabel()
        self.signed.setWordWrap(True)
        gf.addRow(self.signed)
        right.addWidget(sign)
        forms = QWidget()
        forms.setLayout(right)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(forms)
        body.addWidget(scroll, 3)
        self.layout_.addLayout(body, 1)
        self.finish_layout()
        self.last_handover: int | None = None

    def load(self, ctx: DemolitionContext) -> None:
        super().load(ctx)
        inv = ctx.service.inventory
        states = inv.states(ctx.case.id)
        self.items.clear()
        for v in inv.items(ctx.case.id):
            item = QListWidgetItem(f"{v.item_no}. {v.name}  {v.label_no}  [{state_label(states[v.item_no])}]")
            item.setData(Qt.ItemDataRole.UserRole, v.item_no)
            done = states[v.item_no] == HANDED_OVER
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.NoItemFlags if done else Qt.ItemFlag.ItemIsUserCheckable))
            if not done:
                item.setCheckState(Qt.CheckState.Unchecked)
            self.items.addItem(item)
        closed = ctx.case.status in ("ended", "abandoned")
        # Custody and the signatures of the list and record (R26) come once the inventory is sealed.
        for w in (self.store, self.notify, self.hand_over, self.refuse, self.sign, self.record_refusal):
            w.setEnabled(closed)
        self.collect_by.setDate(QDate(ctx.service.now().date() + timedelta(days=14)))
        sigs = inv.signatures(ctx.case.id)
        self.signed.setText("\n".join([f"{s.document}/{s.role}: {s.signer_name}" for s in sigs] +
                                      [f"{r.document}: {self.tr('当事人拒签')} {r.reason}"
                                       for r in inv.refusals(ctx.case.id)]))
        handovers = [c for c in inv.custody(ctx.case.id) if c.kind == "handover"]
        self.last_handover = handovers[-1].id if handovers else None

    def check(self, item_nos: list[int] | None = None) -> None:
        """Tick the given items (all that can be ticked when None)."""
        for n in range(self.items.count()):
            item = self.items.item(n)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                on = item_nos is None or item.data(Qt.ItemDataRole.UserRole) in item_nos
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked(self) -> list[int]:
        return [self.items.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.items.count())
                if self.items.item(n).checkState() == Qt.CheckState.Checked]

    def _store(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.inventory.store(ctx.case.id, self.checked(), storage_place=self.storage.text(),
                                                         actor=ctx.actor))

    def _notify(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.inventory.notify_collect(
            ctx.case.id, notice_no=self.notice_no.text(), collect_by=self.collect_by.date().toPython(), actor=ctx.actor))

    def _hand_over(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        png = b"" if self.recipient_pad.is_empty() else self.recipient_pad.to_png()
        if self.attempt(lambda: ctx.service.inventory.hand_over(
                ctx.case.id, self.checked(), recipient_name=self.recipient.text(),
                recipient_id_no=self.recipient_id.text(), signature_png=png, actor=ctx.actor)) is not None:
            self.recipient_pad.clear()

    def _refuse(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.inventory.refuse(ctx.case.id, self.checked(), note=self.refusal.text(),
                                                          actor=ctx.actor))

    def _sign(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        role = self.role.currentData()
        png = b"" if self.sign_pad.is_empty() else self.sign_pad.to_png()
        if self.attempt(lambda: ctx.service.inventory.sign(
                ctx.case.id, document=self.document.currentData(), role=role, signer_name=self.signer.text(),
                signer_ref=ctx.actor.id if role == "officer" else "", image_png=png, actor=ctx.actor)) is not None:
            self.sign_pad.clear()
            self.signer.clear()


    def _refuse_to_sign(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        if self.attempt(lambda: ctx.service.inventory.record_refusal(
                ctx.case.id, document=self.document.currentData(), reason=self.refusal_reason.text(),
                actor=ctx.actor)) is not None:
            self.refusal_reason.clear()


class DocumentsTab(DemolitionTab):
    """The four documents; each is rendered on the database worker and previewed."""

    fills_page = True  # the list and the preview scroll by themselves

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("文书与执法检查文书同一标准：内嵌字体、中文自动换行、页码。"), parent)
        self.panel = DocumentPanel(self.tr("生成"))
        self.kinds, self.generate, self.state = self.panel.kinds, self.panel.generate, self.panel.state
        self.pdf, self.view = self.panel.pdf, self.panel.view
        for kind, caption in ((DemolitionDocument.INVENTORY, self.tr("财物登记清单（一式两份）")),
                              (DemolitionDocument.RECORD, self.tr("强制拆除现场笔录")),
                              (DemolitionDocument.HANDOVER, self.tr("财物移交清单（最近一次）")),
                              (DemolitionDocument.LABELS, self.tr("财物标签（二维码）"))):
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, kind.value)
            self.kinds.addItem(item)
        self.kinds.setCurrentRow(0)
        self.generate.clicked.connect(self.generate_current)
        self.layout_.addWidget(self.panel, 1)
        self.finish_layout()
        self.job: Job | None = None
        self.shown: Path | None = None

    def current_kind(self) -> DemolitionDocument:
        return DemolitionDocument(self.kinds.currentItem().data(Qt.ItemDataRole.UserRole))

    def generate_current(self) -> Job | None:
        ctx = self.ctx
        if ctx is None or (self.job is not None and not self.job.is_done):
            return None
        kind = self.current_kind()
        docs = DemolitionDocuments(ctx.service, session=ctx.actor)
        handovers = [c.id for c in ctx.service.inventory.custody(ctx.case.id) if c.kind == "handover"]
        self.generate.setEnabled(False)
        self.state.setText(self.tr("正在生成…"))
        self.job = Job(docs.render, ctx.case.id, kind, handover_id=handovers[-1] if handovers else None)
        self.job.result.connect(self._done)
        self.job.error.connect(self._failed)
        self.job.finished.connect(lambda: self.generate.setEnabled(True))
        self.job.bind(self).start(database_pool())
        return self.job

    def _done(self, path: Path) -> None:
        self.error.hide()
        self.panel.preview(path, self.ctx.service.ws.master if self.ctx is not None else None)
        self.shown = path
        self.state.setText(self.tr("已生成：%1").replace("%1", path.name))

    def _failed(self, exc: object) -> None:
        self.show_error(exc)
        self.state.setText("")
