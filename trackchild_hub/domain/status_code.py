"""A citizen report's reference and one-time status code: random, shown once, the code kept only as a salted hash.

The reference is random too (not a sequence), so references cannot be walked. The code hash is scrypt (memory-hard:
a stolen table does not give the codes up cheaply) with a per-row salt; ``code_matches`` compares in constant time,
and ``DUMMY_SALT``/``DUMMY_HASH`` let a caller do the same work for a reference that does not exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Crockford's base32 without the letters people misread (I, L, O, U): what a family copies from a screen or an SMS.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits
REFERENCE_LENGTH = 10  # 50 bits, after the "CR-" prefix
REFERENCE_PREFIX = "CR-"
_SCRYPT = {"n": 2**11, "r": 8, "p": 1, "dklen": 32}  # a few milliseconds, 2 MiB


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference() -> str:
    return REFERENCE_PREFIX + _random(REFERENCE_LENGTH)


def new_code() -> str:
    return _random(CODE_LENGTH)


def new_salt() -> str:
    return secrets.token_hex(16)


def normalise(text: str) -> str:
    """What a person typed, as the alphabet spells it: case folded, spaces and dashes after the prefix dropped."""
    return "".join(text.split()).upper()


def hash_code(code: str, salt: str) -> str:
    digest = hashlib.scrypt(normalise(code).encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return digest.hex()


def code_matches(code: str, salt: str, expected_hash: str) -> bool:
    """Constant time in what is compared (``hmac.compare_digest``); the same scrypt work whatever the answer."""
    return hmac.compare_digest(hash_code(code, salt), expected_hash)


DUMMY_SALT = "00" * 16
DUMMY_HASH = "ff" * 32  # no code hashes to this (as likely as a 256-bit collision)
