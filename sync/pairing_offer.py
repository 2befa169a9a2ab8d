"""HQ's pairing offer: its age recipient and signing key, signed, as a file and as a QR code.

``fieldinspect-hq pairing`` writes the offer twice: ``hq-pairing.json`` (to carry on a
USB stick) and ``hq-pairing.png`` (a QR code of the same text, to scan from a screen
or a print-out). The text is compact JSON::

    {"format":"fieldinspect.hq-pairing/1","key":"<32 raw bytes, base64>",
     "recipient":"age1…","sig":"<64 bytes, base64>"}

``sig`` is HQ's Ed25519 signature, by ``key``, over the same JSON without ``sig``
(keys sorted, no spaces). It binds the recipient to the signing key and shows any
damage in transit; whether the key is really HQ's the person pairing decides by
comparing the fingerprint (SHA-256 of the raw key, what ``keygen`` printed) with the
one HQ announces. Nothing here is secret.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from app import crypto
from sync.pairing import PairingError

FORMAT = "fieldinspect.hq-pairing/1"
JSON_NAME = "hq-pairing.json"
PNG_NAME = "hq-pairing.png"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


@dataclass(frozen=True)
class PairingOffer:
    recipient: str
    signing_pub_pem: bytes

    @property
    def fingerprint(self) -> str:
        """SHA-256 of HQ's raw signing public key, as ``fieldinspect-hq keygen`` prints it."""
        return crypto.sha256_hex(crypto.public_key_raw(crypto.load_public_key_pem(self.signing_pub_pem)))


def _signed_part(recipient: str, key_b64: str) -> bytes:
    return json.dumps({"format": FORMAT, "key": key_b64, "recipient": recipient},
                      sort_keys=True, separators=(",", ":")).encode("ascii")


def encode(key: crypto.SigningKey, recipient: str) -> str:
    """The offer's text, signed by HQ's ``key``."""
    key_b64 = base64.b64encode(crypto.public_key_raw(key.public_key())).decode("ascii")
    signature = crypto.sign(key, _signed_part(recipient, key_b64))
    body = json.loads(_signed_part(recipient, key_b64))
    body["sig"] = base64.b64encode(signature).decode("ascii")
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _not_an_offer(detail_zh: str, detail_en: str) -> PairingError:
    return PairingError(f"这不是总部的配对文件：{detail_zh}。请向总部索取其生成的配对文件（hq-pairing.json）或配对二维码。",
                        f"This is not HQ's pairing file: {detail_en}. Ask HQ for the pairing file "
                        "(hq-pairing.json) or pairing QR code it made.")


def decode(text: str) -> PairingOffer:
    """The offer in ``text``, its signature checked; :class:`PairingError` in words otherwise."""
    try:
        body = json.loads(text)
    except (ValueError, TypeError):
        raise _not_an_offer("内容不是配对数据", "its content is not pairing data") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise _not_an_offer("格式不符", "its format is not an HQ pairing offer")
    recipient, key_b64, sig_b64 = body.get("recipient"), body.get("key"), body.get("sig")
    if not all(isinstance(v, str) for v in (recipient, key_b64, sig_b64)):
        raise _not_an_offer("缺少总部公钥或签名", "HQ's key or signature is missing")
    try:
        key = crypto.load_public_key_raw(base64.b64decode(key_b64, validate=True))
        signature = base64.b64decode(sig_b64, validate=True)
    except (binascii.Error, crypto.KeyFormatError):
        raise PairingError("配对数据已损坏：总部签名公钥无法读取。请重新获取配对文件或二维码。",
                           "The pairing data is damaged: HQ's signing key cannot be read. "
                           "Get the pairing file or QR code again.") from None
    if not crypto.verify_signature(key, signature, _signed_part(recipient, key_b64)):
        raise PairingError("配对数据的签名不符：内容在传递中被改动或损坏，不能用于配对。请向总部重新获取。",
                           "The pairing data's signature does not match: it was altered or damaged on the way "
                           "and cannot be used. Get it from HQ again.")
    return PairingOffer(recipient, crypto.public_key_pem(key))


def qr_png(text: str, *, module_px: int = 8) -> bytes:
    """A PNG of the QR code of ``text`` (error correction M, with the standard quiet zone)."""
    import cv2
    import numpy as np

    params = cv2.QRCodeEncoder_Params()
    params.correction_level = cv2.QRCodeEncoder_CORRECT_LEVEL_M
    matrix = cv2.QRCodeEncoder.create(params).encode(text)
    matrix = np.pad(matrix, 2, constant_values=255)  # OpenCV leaves 2 modules; the standard asks for 4
    image = cv2.resize(matrix, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


def _detectors() -> list:
    """OpenCV's two QR readers: the ArUco-based one reads clean codes the classic one misses
    (about one in twelve of these in trials), the classic one some photos the other misses."""
    import cv2

    return [cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()]


def _decoded(detectors: list, image: object) -> str:
    for detector in detectors:
        text, _points, _ = detector.detectAndDecode(image)
        if text:
            return text
    return ""


def read_qr(image_bytes: bytes) -> str:
    """The text of the QR code in an image (a PNG or a photo of the screen)."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise PairingError("无法打开这张图片：文件不是图片或已损坏。", "This image cannot be opened: it is not an "
                           "image or it is damaged.")
    text = _decoded(_detectors(), image)
    if not text:
        raise PairingError("图片中没有可识别的二维码：二维码可能不完整、模糊或已损坏。请重新拍摄或向总部重新获取。",
                           "No QR code can be read in this image: it may be incomplete, blurred or damaged. "
                           "Take it again or get it from HQ again.")
    return text


def scan(source: int | str, *, max_frames: int = 600) -> Generator[int, None, PairingOffer]:
    """Read frames from a camera (its index) or a video file until one shows a readable pairing QR code.

    Yields the number of frames looked at (a job closes the scan at a yield when it is
    cancelled); returns the offer, checked as :func:`decode` checks it. About 20 s of a
    camera at most, then :class:`PairingError`.
    """
    import cv2

    capture = cv2.VideoCapture(source)
    try:
        if not capture.isOpened():
            raise PairingError("无法打开摄像头，请改为选择配对二维码图片。",
                               "The camera cannot be opened; choose an image of the pairing QR code instead.")
        detectors = _detectors()
        for n in range(1, max_frames + 1):
            ok, frame = capture.read()
            if not ok:
                break
            text = _decoded(detectors, frame)
            if text:
                return decode(text)
            yield n
    finally:
        capture.release()
    raise PairingError("摄像头画面中没有可识别的配对二维码：请将二维码完整、清晰地置于画面中后重试。",
                       "No pairing QR code could be read from the camera: hold the whole code clearly in view "
                       "and try again.")


def read(path: Path) -> PairingOffer:
    """The offer in a file HQ wrote: its JSON, or an image of its QR code."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PairingError(f"无法读取文件 {path.name}：{exc.strerror}",
                           f"Cannot read the file {path.name}: {exc.strerror}") from None
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return decode(read_qr(data))
    try:
        return decode(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _not_an_offer("内容不是配对数据", "its content is not pairing data") from None


def write(key: crypto.SigningKey, recipient: str, folder: Path) -> tuple[Path, Path]:
    """Write ``hq-pairing.json`` and ``hq-pairing.png`` into ``folder`` (HQ's side); their paths."""
    text = encode(key, recipient)
    json_path, png_path = folder / JSON_NAME, folder / PNG_NAME
    json_path.write_text(text + "\n", encoding="ascii")
    png_path.write_bytes(qr_png(text))
    return json_path, png_path
