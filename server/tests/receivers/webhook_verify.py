#!/usr/bin/env python3
"""Checks an Ingot webhook delivery the way a receiver would, with nothing but Python's standard
library (an implementation independent of Ingot's Rust code, for its tests).

    webhook_verify.py SECRET SIGNATURE_HEADER [--now UNIX_SECONDS --tolerance SECONDS] < BODY

SIGNATURE_HEADER is the Ingot-Signature header, `t=UNIX_SECONDS,v1=HEX`. HEX must be the
HMAC-SHA256, keyed with the secret string's UTF-8 bytes, of the timestamp, a full stop, and the
body's bytes exactly as received. With --now and --tolerance, the timestamp must also be within
the tolerance of now (a replayed delivery is refused). Exit 0 when valid, 1 when not.
"""

import hashlib
import hmac
import sys


def verify(secret: str, header: str, body: bytes, now=None, tolerance=None) -> bool:
    fields = {}
    for part in header.split(","):
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip()
    timestamp, given = fields.get("t"), fields.get("v1")
    if not timestamp or not given or not timestamp.isdigit():
        return False
    expected = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), given):
        return False
    if now is not None and tolerance is not None and abs(now - int(timestamp)) > tolerance:
        return False
    return True


def main(argv) -> int:
    if len(argv) not in (3, 7):
        print(__doc__, file=sys.stderr)
        return 2
    now = tolerance = None
    if len(argv) == 7:
        options = dict(zip(argv[3::2], argv[4::2]))
        now, tolerance = int(options["--now"]), int(options["--tolerance"])
    valid = verify(argv[1], argv[2], sys.stdin.buffer.read(), now, tolerance)
    print("valid" if valid else "invalid")
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
