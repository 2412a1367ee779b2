"""IOS password encodings, type 7 (reversible XOR) and type 5 (MD5-crypt), and the one check
of a typed password against a stored one (password_matches)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..textutil import is_number

if TYPE_CHECKING:
    from .model import Secret

_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_CRYPT64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class BadSecret(ValueError):
    """A type 7 or type 5 string that IOS would not accept."""


def type7_decode(encoded: str) -> str:
    if len(encoded) < 4 or len(encoded) % 2 or not is_number(encoded[:2]):
        raise BadSecret("Invalid encrypted password")
    salt = int(encoded[:2])
    try:
        data = bytes.fromhex(encoded[2:])
    except ValueError:
        raise BadSecret("Invalid encrypted password") from None
    plain = bytes(b ^ ord(_XLAT[(salt + i) % len(_XLAT)]) for i, b in enumerate(data))
    return plain.decode("utf-8", "surrogateescape")


def _bytes(plain: str) -> bytes:
    """A password as the router holds it, bytes: UTF-8, and any byte a configuration file or
    a terminal gave that is not UTF-8 as itself (iosfw.commands.loader.decode_config)."""
    return plain.encode("utf-8", "surrogateescape")


def type7_encode(plain: str, salt: int | None = None) -> str:
    """Deterministic unless a salt is given, so that the same config always renders the same."""
    data = _bytes(plain)
    if salt is None:
        salt = sum(data) % 16
    body = "".join("%02X" % (b ^ ord(_XLAT[(salt + i) % len(_XLAT)])) for i, b in enumerate(data))
    return "%02d%s" % (salt, body)


def _to64(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        out.append(_CRYPT64[value & 0x3F])
        value >>= 6
    return "".join(out)


def md5_crypt(plain: str, salt: str) -> str:
    """The FreeBSD MD5-crypt that IOS uses for `enable secret 5` ($1$salt$hash)."""
    import hashlib  # here: loading OpenSSL costs every start-up a few ms, and few runs hash
    pw, salt_b = _bytes(plain), _bytes(salt)[:8]
    alt = hashlib.md5(pw + salt_b + pw).digest()
    ctx = hashlib.md5(pw + b"$1$" + salt_b)
    for i in range(len(pw), 0, -16):
        ctx.update(alt[:min(16, i)])
    i = len(pw)
    while i:
        ctx.update(b"\0" if i & 1 else pw[:1])
        i >>= 1
    final = ctx.digest()
    for n in range(1000):
        step = hashlib.md5()
        step.update(pw if n & 1 else final)
        if n % 3:
            step.update(salt_b)
        if n % 7:
            step.update(pw)
        step.update(final if n & 1 else pw)
        final = step.digest()
    f = final
    encoded = "".join(_to64((f[a] << 16) | (f[b] << 8) | f[c], 4)
                      for a, b, c in ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)))
    encoded += _to64(f[11], 2)
    return f"$1${salt_b.decode('utf-8', 'surrogateescape')}${encoded}"


def type5_hash(plain: str) -> str:
    import hashlib
    salt = "".join(_CRYPT64[b % 64] for b in hashlib.sha1(_bytes(plain)).digest()[:4])
    return md5_crypt(plain, salt)


def type5_check(plain: str, hashed: str) -> bool:
    parts = hashed.split("$")
    if len(parts) != 4 or parts[1] != "1":
        return False
    return md5_crypt(plain, parts[2]) == hashed


def type5_valid(hashed: str) -> bool:
    parts = hashed.split("$")
    return len(parts) == 4 and parts[0] == "" and parts[1] == "1" and 0 < len(parts[2]) <= 8 \
        and len(parts[3]) == 22 and all(c in _CRYPT64 for c in parts[3])


def password_matches(typed: str, secret: Optional[Secret]) -> bool:
    """Whether `typed` opens `secret`, stored as type 0, 7 or 5: the one check behind `enable`
    (its secret, else its password), a line's `password` and a `username`'s. No secret opens
    nothing, and neither does a stored value IOS would not accept."""
    if secret is None:
        return False
    try:
        if secret.type == 5:
            return type5_check(typed, secret.value)
        if secret.type == 7:
            return typed == type7_decode(secret.value)
    except (BadSecret, ValueError):
        return False
    return typed == secret.value
