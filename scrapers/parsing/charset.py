"""Page bytes to text: which character encoding a page is in, decided the way browsers decide.

Order: a byte-order mark; the charset of the HTTP Content-Type header; a `<meta charset>` or
`<meta http-equiv="Content-Type">` (or an XML declaration) near the top of the page; then sniffing:
UTF-8 when the bytes are valid UTF-8, windows-1252 otherwise.

Labels are read as the WHATWG Encoding Standard reads them: iso-8859-1, latin1 and us-ascii
mean windows-1252, so a byte 0x80 declared as ISO-8859-1 is "€" and 0x93/0x94 are curly quotes.

One correction browsers do not make: a page declared (by header or meta) in a single-byte
encoding whose bytes are valid UTF-8 with non-ASCII characters in them is read as UTF-8. Servers
that send a wrong legacy default are common; text in windows-1252 that happens to be valid
multi-byte UTF-8 is not (it would need pairs like "Ã¼" throughout).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

PRESCAN_BYTES = 4096  # browsers look at the first 1024; saved pages carry longer heads

# WHATWG labels that Python spells differently or reads differently (the rest go to codecs.lookup).
WINDOWS_1252_LABELS = {
    "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
    "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
    "x-cp1252",
}
LABEL_ALIASES = {
    "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8", "unicode20utf8": "utf-8", "utf8": "utf-8",
    "x-unicode20utf8": "utf-8", "iso-8859-9": "cp1254", "latin5": "cp1254", "iso-8859-11": "cp874",
    "tis-620": "cp874", "windows-874": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "ks_c_5601-1987": "euc-kr", "x-sjis": "shift_jis", "ms932": "shift_jis", "windows-31j": "shift_jis",
    "x-mac-roman": "mac-roman", "macintosh": "mac-roman",
}
# Encodings a declaration of which is overruled by valid multi-byte UTF-8 content.
SINGLE_BYTE = {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
               "cp874", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
               "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
               "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic"}
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)""", re.I)


@dataclass(frozen=True)
class DecodedPage:
    text: str
    encoding: str  # the Python codec used, e.g. "utf-8", "cp1252"
    decided_by: str  # bom | header | meta | sniffed | header+utf8 | meta+utf8 (a wrong declaration)


def _whatwg_c1(error: UnicodeDecodeError) -> tuple[str, int]:
    """windows-1252 as WHATWG defines it: the five bytes Python leaves undefined map to U+0081 etc."""
    return chr(error.object[error.start]), error.start + 1


codecs.register_error("whatwg-c1", _whatwg_c1)


def normalize_label(label: str | None) -> str | None:
    """The Python codec for an encoding label, or None when the label names no known encoding."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    label = LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("utf-16", "utf-16-le"):  # WHATWG: "utf-16" means little-endian
        return "utf-16-le"
    return "cp1252" if name in ("latin-1", "ascii", "iso8859-1") else name


def declared_in_header(content_type: str | None) -> str | None:
    m = HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def declared_in_markup(content: bytes) -> str | None:
    """The encoding a page's own markup declares near its top: an XML declaration, `<meta charset>`
    or `<meta http-equiv="Content-Type" content="...; charset=...">`."""
    head = content[:PRESCAN_BYTES]
    m = XML_ENCODING.search(head) or META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _utf8_state(content: bytes) -> str:
    """'ascii', 'utf-8' (valid, with multi-byte characters) or 'invalid'. A multi-byte character cut
    off at the very end (saved pages are sometimes truncated) does not make the page invalid."""
    if content.isascii():
        return "ascii"
    try:
        content.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(content) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
        return "invalid"


def _decode(content: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        return content.decode("cp1252", errors="whatwg-c1")
    return content.decode(encoding, errors="replace")


def decode_page(content: bytes, content_type: str | None = None) -> DecodedPage:
    """Text of a page from its bytes and its HTTP Content-Type header (which may name a charset)."""
    for bom, encoding in BOMS:
        if content.startswith(bom):
            return DecodedPage(_decode(content[len(bom):], encoding), encoding, "bom")
    utf8 = _utf8_state(content)
    for source, label in (("header", declared_in_header(content_type)), ("meta", declared_in_markup(content))):
        encoding = normalize_label(label)
        if encoding is None:
            continue
        if source == "meta" and encoding.startswith("utf-16"):
            encoding = "utf-8"  # WHATWG: a page that can read its own meta tag is not UTF-16
        if encoding == "utf-8":
            if utf8 != "invalid":
                return DecodedPage(_decode(content, "utf-8"), "utf-8", source)
            continue  # declared UTF-8 but is not: look further
        if encoding in SINGLE_BYTE and utf8 == "utf-8":
            return DecodedPage(_decode(content, "utf-8"), "utf-8", f"{source}+utf8")
        return DecodedPage(_decode(content, encoding), encoding, source)
    if utf8 != "invalid":
        return DecodedPage(_decode(content, "utf-8"), "utf-8", "sniffed")
    return DecodedPage(_decode(content, "cp1252"), "cp1252", "sniffed")
