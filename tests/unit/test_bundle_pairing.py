"""Pairing a device with HQ and the HQ command line: bad input is refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keys_kit import as_
from app import crypto, paths
from app.device import DeviceIdentity
from app.workspace import Workspace
from sync.hq import cli as hq_cli
from sync.hq import keys
from sync.hq.store import HqStore
from sync.pairing import PairingError, current_pairing, pair, pair_with_folder


def test_pairing_pins_keys_and_is_audited(demo_workspace: Workspace, tmp_path: Path) -> None:
    workspace, admin = demo_workspace, as_(demo_workspace, "M01")  # the device administrator pairs
    keys.keygen(tmp_path / "hq")
    pinned = pair_with_folder(workspace, tmp_path / "hq", session=admin)
    assert pinned.recipient == keys.age_recipient(tmp_path / "hq")
    assert current_pairing(workspace) == pinned
    assert any(e.action == "sync.paired" for e in workspace.audit.repo.entries())


@pytest.mark.parametrize("recipient, pem, fragment", [
    ("age1notvalid", None, "recipient"),
    (None, b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "signing public key"),
])
def test_invalid_keys_are_refused(demo_workspace: Workspace, tmp_path: Path, recipient, pem, fragment) -> None:
    workspace, admin = demo_workspace, as_(demo_workspace, "M01")  # the device administrator pairs
    keys.keygen(tmp_path / "hq")
    with pytest.raises(PairingError) as err:
        pair(workspace, recipient=recipient or keys.age_recipient(tmp_path / "hq"),
             signing_pub_pem=pem or (tmp_path / "hq" / keys.SIGNING_PUB).read_bytes(), session=admin)
    assert fragment in err.value.en and "无效" in err.value.zh
    assert current_pairing(workspace) is None


def test_other_hq_keys_need_replace(demo_workspace: Workspace, tmp_path: Path) -> None:
    workspace, admin = demo_workspace, as_(demo_workspace, "M01")  # the device administrator pairs
    keys.keygen(tmp_path / "a")
    keys.keygen(tmp_path / "b")
    pair_with_folder(workspace, tmp_path / "a", session=admin)
    with pytest.raises(PairingError) as err:
        pair_with_folder(workspace, tmp_path / "b", session=admin)
    assert "--replace" in err.value.en
    assert current_pairing(workspace).recipient == keys.age_recipient(tmp_path / "a")
    pair_with_folder(workspace, tmp_path / "a", session=admin)  # the same keys again: fine
    pair_with_folder(workspace, tmp_path / "b", session=admin, replace=True)
    assert current_pairing(workspace).recipient == keys.age_recipient(tmp_path / "b")


def test_missing_hq_folder_is_refused(demo_workspace: Workspace, tmp_path: Path) -> None:
    workspace, admin = demo_workspace, as_(demo_workspace, "M01")  # the device administrator pairs
    with pytest.raises(PairingError) as err:
        pair_with_folder(workspace, tmp_path / "nowhere", session=admin)
    assert "HQ key folder" in err.value.en and "总部密钥目录" in err.value.zh


def test_keygen_adds_the_age_identity_to_an_older_folder(tmp_path: Path) -> None:
    keys.keygen(tmp_path)
    (tmp_path / keys.AGE_KEY).unlink()
    (tmp_path / keys.AGE_PUB).unlink()
    signing = (tmp_path / keys.SIGNING_KEY).read_bytes()
    keys.keygen(tmp_path)
    assert (tmp_path / keys.SIGNING_KEY).read_bytes() == signing
    assert crypto.age_recipient_of(keys.age_identity(tmp_path)) == keys.age_recipient(tmp_path)
    assert (tmp_path / keys.AGE_KEY).stat().st_mode & 0o777 == 0o600


def test_hq_cli_enroll_and_publish(tmp_path: Path, capsys) -> None:
    hq = tmp_path / "hq"
    assert hq_cli.main(["keygen", "--dir", str(hq)]) == 0
    device = DeviceIdentity.generate(tmp_path / "device")
    export = tmp_path / "device.json"
    export.write_text(device.export())
    assert hq_cli.main(["enroll", "--dir", str(hq), str(export)]) == 0  # the export JSON works too
    assert device.device_id in capsys.readouterr().out
    bad_key = tmp_path / "bad.pem"
    bad_key.write_text("not a key")
    assert hq_cli.main(["enroll", "--dir", str(hq), str(bad_key)]) == 2
    assert "cannot enroll" in capsys.readouterr().err
    assert hq_cli.main(["publish", "--dir", str(hq), str(paths.DEMO_REFERENCE)]) == 0
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "nope"}))
    assert hq_cli.main(["publish", "--dir", str(hq), str(broken)]) == 2
    assert "unsupported format" in capsys.readouterr().err
    store = HqStore(hq)
    try:
        assert store.is_enrolled(device.device_id)
        data, signature = store.latest_reference()
        assert data == paths.DEMO_REFERENCE.read_bytes()
        assert crypto.verify_signature(crypto.load_public_key_pem((hq / keys.SIGNING_PUB).read_bytes()),
                                       signature, data)
    finally:
        store.close()


def test_verify_bundle_needs_the_hq_identity(tmp_path: Path, capsys) -> None:
    from cli import main as cli

    bundle = tmp_path / "x.age"
    bundle.write_bytes(b"age-encryption.org/v1\n")
    assert cli.main(["verify", str(bundle)]) == 2
    assert "--hq-identity" in capsys.readouterr().err
