"""Text documents are decoded by the one reading layer (jamlik.sources.decoding)."""

from __future__ import annotations

import pytest

from jamlik.prerequisites.extraction import UploadError, extract

TEXT = "Mål och budget 2025: jämlik hälsa i Örebro län.\r\nÅtgärder: fler fritidsgårdar."


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_in_every_encoding_swedish_offices_save(codec: str) -> None:
    assert extract("mal.txt", TEXT.encode(codec)).text == TEXT.replace("\r\n", "\n")


def test_old_mac_line_endings_become_newlines() -> None:
    assert extract("mal.txt", b"rad ett\rrad tv\xe5").text == "rad ett\nrad två"


def test_dos_text_is_read_as_cp850() -> None:
    assert extract("mal.txt", "Åtgärder i Älvsbyn och Åre".encode("cp850")).text == (
        "Åtgärder i Älvsbyn och Åre"
    )


def test_bytes_undefined_in_windows_1252_are_an_upload_error() -> None:
    with pytest.raises(UploadError, match="varken UTF-8 eller Windows-1252"):
        extract("mal.txt", "Åtgärder för ".encode("cp1252") + b"\x81\x8d\x9d")


def test_binary_is_still_refused() -> None:
    with pytest.raises(UploadError, match="binärfil"):
        extract("mal.txt", b"\x00\x01\x02\x03\xff\xfe\x00" * 100)
