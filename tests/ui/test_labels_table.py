"""The label table names the domain's enums by class name: each key is a real member, and
every member of the labelled enums has its label (a renamed class or value shows up here)."""

from __future__ import annotations

import app.domain as domain
from ui import labels

LABELLED = ("InspectionSource", "CheckResultValue", "FlexibleMeasure", "NoPenaltyGround", "SignerRole",
            "InspectionStatus", "FilingStatus", "ListStatus", "StaffRole", "CertificateState")


def test_every_key_is_a_member_and_every_member_has_a_label() -> None:
    for cls_name, value in labels._LABELS:
        assert cls_name in LABELLED
        getattr(domain, cls_name)(value)  # raises ValueError for a value the enum no longer has
    for cls_name in LABELLED:
        for member in getattr(domain, cls_name):
            assert (cls_name, member.value) in labels._LABELS, member
            assert labels.label(member) != str(member) or not str(member)


def test_values_shared_by_two_enums_keep_their_own_labels() -> None:
    assert labels.label(domain.ListStatus.NONE) == "—"
    assert labels.label(domain.CertificateState.NONE) == "无执法证"
