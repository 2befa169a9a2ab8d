"""The opening entries of the record: certificates shown (R2), recusal asked (R3), the party present."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.pages.onsite_base import OnsiteContext, OnsiteStep


class OpeningStep(OnsiteStep):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("开场：亮证、告知回避、当事人"), self.tr(
            "笔录的第一项为执法人员出示执法证件（《行政处罚法》第五十五条），"
            "随后告知当事人申请回避的权利并记录其答复（《行政处罚法》第四十三条）。"), parent)
        self.cert_box = QGroupBox(self.tr("出示执法证件"))
        self.cert_rows = QVBoxLayout(self.cert_box)
        self.layout_.addWidget(self.cert_box)

        recusal = QGroupBox(self.tr("告知回避权利"))
        rl = QVBoxLayout(recusal)
        question = QLabel(self.tr("“执法人员与你方有直接利害关系或者有其他关系可能影响公正执法的，你方有权申请回避。"
                                  "是否申请回避？”"))
        question.setWordWrap(True)  # read out in full, in either language, without widening the step
        rl.addWidget(question)
        self.no_recusal = QRadioButton(self.tr("不申请回避"))
        self.recusal = QRadioButton(self.tr("申请回避"))
        group = QButtonGroup(self)
        group.addButton(self.no_recusal)
        group.addButton(self.recusal)
        row = QHBoxLayout()
        row.addWidget(self.no_recusal)
        row.addWidget(self.recusal)
        row.addStretch(1)
        rl.addLayout(row)
        self.recusal_statement = QLineEdit()
        self.recusal_statement.setPlaceholderText(self.tr("申请回避的对象和理由"))
        rl.addWidget(self.recusal_statement)
        self.save_recusal = QPushButton(self.tr("记录答复"))
        self.save_recusal.clicked.connect(self._save_recusal)
        rl.addWidget(self.save_recusal)
        self.recusal_state = QLabel()
        self.recusal_state.setObjectName("hint")
        rl.addWidget(self.recusal_state)
        self.layout_.addWidget(recusal)

        party = QGroupBox(self.tr("在场当事人"))
        form = QFormLayout(party)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.party_name = QLineEdit()
        self.party_role = QLineEdit()
        self.party_role.setPlaceholderText(self.tr("法定代表人、负责人、委托代理人…"))
        self.party_id = QLineEdit()
        self.party_absent = QCheckBox(self.tr("当事人不在场（须由见证人签名）"))
        form.addRow(self.tr("姓名"), self.party_name)
        form.addRow(self.tr("身份"), self.party_role)
        form.addRow(self.tr("身份证件号码"), self.party_id)
        form.addRow("", self.party_absent)
        self.save_party = QPushButton(self.tr("保存当事人信息"))
        self.save_party.clicked.connect(self._save_party)
        form.addRow("", self.save_party)
        self.layout_.addWidget(party)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.cert_buttons: dict[str, QPushButton] = {}

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        while self.cert_rows.count():
            item = self.cert_rows.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.cert_buttons = {}
        shown = {o: (cert, at) for o, cert, at in ctx.record.certificates_shown}
        for officer_id in ctx.inspection.officer_ids:
            officer = ctx.service.ws.officers.get(officer_id)
            name = officer.name if officer else officer_id
            cert = officer.cert_no if officer else ""
            if officer_id in shown:
                text = self.tr("✔ %1 已出示执法证 %2（%3）").replace("%1", name).replace("%2", shown[officer_id][0]) \
                    .replace("%3", shown[officer_id][1].strftime("%H:%M"))
                button = QPushButton(text)
                button.setEnabled(False)
            else:
                button = QPushButton(self.tr("%1 出示执法证 %2").replace("%1", name).replace("%2", cert or ""))
                button.clicked.connect(lambda _=False, o=officer_id: self.attempt(
                    lambda: self.ctx.service.show_certificate(self.ctx.inspection.id, o, actor=self.ctx.actor)))
            self.cert_buttons[officer_id] = button
            self.cert_rows.addWidget(button)
        r = ctx.record
        if r.recusal_asked_at is None:
            self.recusal_state.setText(self.tr("尚未记录"))
        else:
            answer = self.tr("申请回避") if r.recusal_requested else self.tr("不申请回避")
            self.recusal_state.setText(self.tr("已记录（%1）：%2").replace("%1", r.recusal_asked_at.strftime("%H:%M"))
                                       .replace("%2", answer + (f"，{r.recusal_statement}" if r.recusal_statement else "")))
            (self.recusal if r.recusal_requested else self.no_recusal).setChecked(True)
            self.recusal_statement.setText(r.recusal_statement)
        self.party_name.setText(r.party_name)
        self.party_role.setText(r.party_role)
        self.party_id.setText(r.party_id_no)
        self.party_absent.setChecked(r.party_absent)

    def _save_recusal(self) -> None:
        if not (self.no_recusal.isChecked() or self.recusal.isChecked()):
            self.error.setText(self.tr("请选择当事人的答复。"))
            self.error.show()
            return
        self.attempt(lambda: self.ctx.service.ask_recusal(
            self.ctx.inspection.id, requested=self.recusal.isChecked(), statement=self.recusal_statement.text(),
            actor=self.ctx.actor))

    def _save_party(self) -> None:
        self.attempt(lambda: self.ctx.service.set_party(
            self.ctx.inspection.id, name=self.party_name.text(), role=self.party_role.text(),
            id_no=self.party_id.text(), absent=self.party_absent.isChecked(), actor=self.ctx.actor))
