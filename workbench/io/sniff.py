"""Look at raw bytes and decide what they are, safely: size limits, gzip, container, text encoding.

The file name is only a hint (a gzip file is often called ``.csv``); the decision is made from the
magic bytes (gzip ``1f 8b``, Parquet ``PAR1``, ZIP/XLSX ``PK\\x03\\x04``, OLE2/XLS ``d0 cf 11 e0``)
and, for text, from byte-order marks and strict decoding.
"""

from __future__ import annotations

import codecs
import zlib

from workbench.errors import InputError
from workbench.io.models import FileFormat

_GZIP = b"\x1f\x8b"
_PARQUET = b"PAR1"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAMPLE = 64 * 1024


def check_size(size: int, max_bytes: int) -> None:
    """Refuse inputs above the configured limit before doing any work on them."""
    if size > max_bytes:
        raise InputError("errors.io.too_large", size_mb=round(size / 2**20, 1), limit_mb=round(max_bytes / 2**20, 1))


def gunzip_limited(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip (possibly multi-member) but stop as soon as the output exceeds ``max_bytes``.

    Protects against decompression bombs: we never hold more than ``max_bytes`` + one chunk.
    """
    out: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(wbits=31)
            while True:
                chunk = d.decompress(rest, 1024 * 1024)
                total += len(chunk)
                if total > max_bytes:
                    raise InputError("errors.io.decompressed_too_large", limit_mb=round(max_bytes / 2**20, 1))
                out.append(chunk)
                rest = d.unconsumed_tail
                if d.eof or not rest:
                    break
            if not d.eof:
                raise InputError("errors.io.corrupt_gzip")
            rest = d.unused_data.lstrip(b"\x00")
            if rest and not rest.startswith(_GZIP):
                break  # trailing garbage after the last member: ignore, like gzip(1)
    except zlib.error as exc:
        raise InputError("errors.io.corrupt_gzip") from exc
    return b"".join(out)


def detect_format(data: bytes, filename: str) -> FileFormat:
    """The container format of (already decompressed) ``data``."""
    head = data[:8]
    if head.startswith(_PARQUET):
        return FileFormat.parquet
    if head.startswith(_ZIP):
        return FileFormat.excel
    if head.startswith(_OLE2):
        raise InputError("errors.io.xls_unsupported")
    text_start = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_start.startswith(b"{") or (text_start.startswith(b"[") and filename.lower().endswith(".json")):
        return FileFormat.prometheus
    return FileFormat.csv


def _looks_utf16(sample: bytes) -> str | None:
    """UTF-16 without BOM: ASCII text has a NUL in every other byte."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _strict_ok(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=False)  # final=False: the sample may cut a multi-byte char
    except UnicodeDecodeError:
        return False
    return True


def _is_binary(text: str) -> bool:
    """Too many control characters for a CSV: binary garbage decoded by a permissive codec."""
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad > 0.01 * len(text)


def detect_encoding(data: bytes) -> str:
    """Text encoding of CSV bytes: BOM first, then strict UTF-8, UTF-16 by NUL pattern, then GBK/GB18030.

    Returns a Python codec name: 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'utf-8', 'gbk' or
    'gb18030'. Raises ``errors.io.binary`` when the bytes are not text.
    """
    sample = data[:_SAMPLE]
    if sample.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif (u16 := _looks_utf16(sample)) is not None:
        enc = u16
    elif b"\x00" in sample:
        raise InputError("errors.io.binary")
    elif _strict_ok(sample, "utf-8"):
        enc = "utf-8"
    elif _strict_ok(sample, "gbk"):
        enc = "gbk"
    elif _strict_ok(sample, "gb18030"):
        enc = "gb18030"
    else:
        raise InputError("errors.io.binary")
    text = sample.decode(enc, errors="replace")
    if _is_binary(text[:-2] if len(sample) == _SAMPLE else text):
        raise InputError("errors.io.binary")
    return enc
