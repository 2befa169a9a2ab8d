"""Errors of sync: a bundle HQ refuses, and the client-side conditions a person sees."""

from __future__ import annotations

from local_db.errors import UserFacingError

# code → (Chinese, English): why HQ refuses a bundle. Stable codes; docs/FORMATS.md, "Receipt".
REJECTION_REASONS: dict[str, tuple[str, str]] = {
    "not-enrolled": ("设备未在总部登记", "the device is not enrolled at HQ"),
    "not-age": ("不是本总部可解密的 age 加密文件", "not an age file HQ can decrypt"),
    "ciphertext-altered": ("加密数据被改动或不完整", "the encrypted data was altered or cut short"),
    "not-a-bag": ("解密后不是合规的 BagIt 包", "the decrypted content is not a valid BagIt bag"),
    "unsigned": ("包缺少设备签名", "the bag carries no device signature"),
    "bad-signature": ("设备签名无效", "the device signature is invalid"),
    "foreign-device": ("包来自另一台设备", "the bag comes from a different device"),
    "manifest-mismatch": ("文件与清单不符", "a file does not match the manifest"),
    "bad-seal": ("封存记录签名或内容无效", "a seal record's signature or content is invalid"),
    "evidence-mismatch": ("证据文件与封存记录不符", "an evidence file does not match its seal record"),
    "seal-gap": ("封存链不连续：缺少前面的记录", "seal chain gap: earlier records are missing"),
    "seal-fork": ("封存链分叉：与总部已有记录不一致", "seal chain fork: differs from records HQ holds"),
    "audit-gap": ("审计日志不连续", "audit chain gap: earlier entries are missing"),
    "audit-fork": ("审计日志分叉或被改动", "audit chain fork or altered entry"),
    "sequence-reused": ("批次序号已被另一个包使用", "the bundle sequence was already used by a different bundle"),
    "bad-audit": ("审计日志条目缺少设备签名或签名无效", "an audit entry is unsigned or its signature is invalid"),
    "bad-chain-head": ("链头缺失、签名无效或与包内链不符",
                       "the chain head is missing, not signed by the device, or differs from the chains in the bag"),
    "chain-not-extended": ("链未延续总部已接受的链头（链尾被截断或改写）",
                           "the chains do not extend the head HQ last accepted (tail cut or rewritten)"),
    "device-tampered": ("设备自检发现数据被篡改", "the device's own check found its data tampered with"),
    "revoked": ("设备已被总部吊销", "the device was revoked by HQ"),
}


class BundleRejected(UserFacingError):
    """HQ refuses a bundle; nothing of it was stored."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"总部拒收数据包（{code}）：{zh}", f"HQ rejected the bundle ({code}): {en}")
        self.code = code
        self.reason_zh = zh
        self.reason_en = en

    @classmethod
    def of(cls, code: str, detail: str = "") -> BundleRejected:
        zh, en = REJECTION_REASONS[code]
        suffix = f" — {detail}" if detail else ""
        return cls(code, zh + suffix, en + suffix)


class ServerAddressInvalid(UserFacingError, ValueError):
    """The HQ receiver's address is not an http(s) URL with a host."""

    def __init__(self, server: str) -> None:
        super().__init__(f"总部接收端地址“{server}”无效：须为 http:// 或 https:// 开头并带主机名，例如 https://hq.example:8443。",
                         f"The HQ receiver address “{server}” is not usable: it must start with http:// or https:// "
                         "and name a host, e.g. https://hq.example:8443.")
        self.server = server


class NothingToSend(UserFacingError):
    """Everything on the device is already acknowledged by HQ."""

    def __init__(self) -> None:
        super().__init__("没有待同步的数据：所有记录均已被总部确认。",
                         "Nothing to send: HQ has acknowledged every record.")


class AcknowledgedChanged(UserFacingError):
    """A record HQ acknowledged is no longer on the device as HQ acknowledged it: no bundle is made.

    Its seq would otherwise be skipped as already acknowledged, and whatever now
    stands in its place would never reach HQ.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"总部已确认的记录已被改动或删除，不能生成数据包，请联系设备管理员：{detail}",
                         f"A record HQ acknowledged was changed or removed; no bundle is made, "
                         f"call the device administrator: {detail}")


class NotPaired(UserFacingError):
    """The device has no HQ recipient and signing key pinned yet."""

    def __init__(self) -> None:
        super().__init__("本设备尚未与总部配对，请先运行 “fieldinspect pair --hq-dir 目录”。",
                         "This device is not paired with HQ yet; run “fieldinspect pair --hq-dir DIR” first.")


class ReceiptInvalid(UserFacingError):
    """A receipt that does not verify or does not match a bundle of this device; nothing changed."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"回执无效，未标记任何记录为已同步：{zh}", f"Invalid receipt, nothing marked as synced: {en}")


class ReferenceRejected(UserFacingError):
    """Reference data whose HQ signature or format does not check; nothing was loaded."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"基础数据未载入：{zh}", f"Reference data not loaded: {en}")
