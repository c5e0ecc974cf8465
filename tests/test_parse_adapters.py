"""Parsing real-world pages: character sets."""
from datetime import date
from pathlib import Path

import pytest

from scrapers.charset import decode_page, normalize_label
from scrapers.parse import parse_document

UMLAUT_TITLE = "Flugabwehrsysteme für die Ukraine"


def html(body: str, head: str = "", lang: str = "en") -> bytes:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<html{lang_attr}><head>{head}</head><body>{body}</body></html>".encode()


# --- character sets ------------------------------------------------------------------------------

def test_windows_1252_page_without_any_declaration_decodes_right():
    content = f"<html><body><p>{UMLAUT_TITLE}: Größere Stückzahlen, schnellere Übergabe.</p></body></html>"
    decoded = decode_page(content.encode("windows-1252"), "text/html")
    assert decoded.encoding == "cp1252" and decoded.decided_by == "sniffed"
    assert f"{UMLAUT_TITLE}: Größere Stückzahlen, schnellere Übergabe." in decoded.text


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=iso-8859-1",
                                          "text/html; charset=windows-1252", "text/html;charset=\"latin1\""])
def test_utf8_page_decodes_right_whatever_the_header_says(content_type):
    content = f"<html><body><p>{UMLAUT_TITLE} – 2,7 Mrd. €</p></body></html>".encode("utf-8")
    decoded = decode_page(content, content_type)
    assert decoded.encoding == "utf-8"
    assert f"{UMLAUT_TITLE} – 2,7 Mrd. €" in decoded.text


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "us-ascii", "ascii", "l1", "windows-1252"])
def test_latin1_and_ascii_labels_mean_windows_1252(label):
    content = b"<p>\x80 20 million for \x93Patriot\x94 missiles \x96 caf\xe9</p>"
    decoded = decode_page(content, f"text/html; charset={label}")
    assert decoded.text == "<p>€ 20 million for “Patriot” missiles – café</p>"
    assert normalize_label(label) == "cp1252"


@pytest.mark.parametrize("meta", ['<meta charset="iso-8859-1">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'])
def test_charset_declared_in_the_page_is_read_when_the_header_has_none(meta):
    content = f"<html><head>{meta}</head><body><p>".encode() + b"\x80 5 Mio. f\xfcr \x84Gepard\x93</p></body></html>"
    decoded = decode_page(content, "text/html")
    assert decoded.decided_by == "meta"
    assert "€ 5 Mio. für „Gepard“" in decoded.text


def test_header_charset_comes_before_the_meta_tag():
    content = b'<html><head><meta charset="koi8-r"></head><body><p>Pr\xe4sident</p></body></html>'
    assert "Präsident" in decode_page(content, "text/html; charset=windows-1252").text


def test_a_wrong_utf8_declaration_falls_back_to_sniffing():
    content = f'<html><head><meta charset="utf-8"></head><body><p>{UMLAUT_TITLE}</p></body></html>'
    decoded = decode_page(content.encode("windows-1252"), "text/html; charset=utf-8")
    assert decoded.encoding == "cp1252" and UMLAUT_TITLE in decoded.text


def test_byte_order_mark_and_a_utf8_page_cut_off_mid_character():
    assert decode_page("<p>für</p>".encode("utf-8-sig"), "text/html; charset=latin1").text == "<p>für</p>"
    truncated = f"<p>{UMLAUT_TITLE} und Übergabe".encode("utf-8")[:-len("bergabe".encode()) - 1]
    decoded = decode_page(truncated, None)
    assert decoded.encoding == "utf-8" and decoded.text.startswith(f"<p>{UMLAUT_TITLE} und ")


def test_parse_document_decodes_a_german_windows_1252_page_with_no_declared_charset():
    markup = f"<html><body><h1>{UMLAUT_TITLE}</h1><p>Die Bundesregierung liefert {UMLAUT_TITLE}.</p></body></html>"
    article = parse_document(markup.encode("windows-1252"), "text/html", "https://example.org/x")
    assert article.title == UMLAUT_TITLE and f"liefert {UMLAUT_TITLE}." in article.text


def test_parse_document_reads_a_utf8_page_served_as_latin1():
    markup = "<html><body><p>The UK will spend £245 million on artillery ammunition.</p></body></html>"
    article = parse_document(markup.encode("utf-8"), "text/html; charset=ISO-8859-1", "https://www.gov.uk/x")
    assert "The UK will spend £245 million on artillery ammunition." in article.text
