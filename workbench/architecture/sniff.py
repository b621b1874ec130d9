"""Recognise files that are not architecture text at all (a Parquet file, a zip, a pickle...) from their bytes.

Why
    People pick the wrong file in an upload dialog or a shell.  A YAML parser fed a Parquet file answers
    "unacceptable character #x0000", which names neither the file nor the fix; the magic bytes do.  The
    signatures are the published ones (Gary Kessler's "File Signatures" table; the Parquet, ZIP (PKWARE
    APPNOTE 4.3.7), gzip (RFC 1952 §2.3.1), PDF (ISO 32000-1 §7.5.2), PNG (ISO 15948 §5.2), SQLite
    ("Database File Format" §1.3) and Python pickle (PEP 3154, PROTO opcode 0x80) specifications).
    Nothing is decoded or executed: only the first bytes are compared.
"""

from __future__ import annotations

# (kind, test) in order: the first match wins.  ``kind`` names the catalogue key
# ``errors.architecture.file_type.<kind>``.
_PREFIXES: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("parquet", (b"PAR1",)),
    ("gzip", (b"\x1f\x8b",)),
    ("bzip2", (b"BZh91AY&SY", b"BZh11AY&SY", b"BZh51AY&SY")),
    ("xz", (b"\xfd7zXZ\x00",)),
    ("zstd", (b"\x28\xb5\x2f\xfd",)),
    ("seven_zip", (b"7z\xbc\xaf\x27\x1c",)),
    ("pdf", (b"%PDF-",)),
    ("png", (b"\x89PNG\r\n\x1a\n",)),
    ("jpeg", (b"\xff\xd8\xff",)),
    ("gif", (b"GIF87a", b"GIF89a")),
    ("ole2", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),  # legacy Excel .xls, Word .doc
    ("sqlite", (b"SQLite format 3\x00",)),
    ("elf", (b"\x7fELF",)),
    ("utf16", (b"\xff\xfe", b"\xfe\xff")),
)


def _zip_kind(head: bytes) -> str:
    """Office Open XML files are zips whose first entries name their parts."""
    if b"xl/" in head:
        return "excel"
    if b"word/" in head:
        return "word"
    return "zip"


def binary_kind(data: bytes) -> str | None:
    """The kind of a binary file (``"parquet"``, ``"zip"``, ``"pickle"``...), or None when it may be text."""
    head = data[:4096]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(head)
    for kind, prefixes in _PREFIXES:
        if head.startswith(prefixes):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"II*\x00", b"MM\x00*", b"BM")) and b"\x00" in head[:64]:
        return "image"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"  # protocol 2+ pickles start with PROTO <n>
    if len(data) > 262 and data[257:262] == b"ustar":
        return "tar"
    if b"\x00" in head[:1024] and head.count(b"\x00") > 4:
        return "binary"  # NUL bytes never occur in YAML or JSON text
    return None
