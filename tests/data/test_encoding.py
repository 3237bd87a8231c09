"""Decoding of uploaded bytes: UTF-8, BOM, detected legacy encodings, clear errors."""

from __future__ import annotations

import pytest

from finloom.data import read_table
from finloom.data._encoding import decode_bytes
from finloom.errors import InvalidDataError

LATIN = "name;city;amount\nJosé Müller;São Paulo;1,5\nFrançois Ærø;Zürich;2\nZoë;Bogotá;3\n"


def test_decode_bytes_utf8_and_bom():
    assert decode_bytes("é".encode()) == ("é", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfa,b") == ("a,b", "utf-8-sig")


def test_read_table_latin1_csv_loads_with_right_characters(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(LATIN.encode("latin-1"))
    df = read_table(path)
    assert df["name"].tolist() == ["José Müller", "François Ærø", "Zoë"]
    assert df["city"].tolist() == ["São Paulo", "Zürich", "Bogotá"]
    assert df.attrs["source"]["encoding"] == "cp1252"
    assert df.attrs["source"]["sep"] == ";"


def test_read_table_cp1252_euro_sign():
    df = read_table("item,price\nbook,5 €\n“quote”,3 €\n".encode("cp1252"))
    assert df["price"].tolist() == ["5 €", "3 €"]
    assert df.attrs["source"]["encoding"] == "cp1252"


def test_read_table_bom_header_is_clean():
    df = read_table(b"\xef\xbb\xbfid,amount\n1,2\n")
    assert df.columns.tolist() == ["id", "amount"]
    assert df.attrs["source"]["encoding"] == "utf-8-sig"


def test_read_table_explicit_encoding_is_used():
    df = read_table("a\nmañana\n".encode("latin-1"), encoding="latin-1")
    assert df["a"].tolist() == ["mañana"]
    assert df.attrs["source"]["encoding"] == "latin-1"


def test_read_table_undecodable_names_byte_offset():
    data = b"a,b\n" + bytes(range(256)) * 4
    with pytest.raises(InvalidDataError) as info:
        read_table(data)
    assert str(info.value) == (
        "file must be text in UTF-8 or a detectable encoding; got byte 0x80 at offset 132 "
        "that is not valid UTF-8. Save the file as UTF-8 or pass encoding='...' "
        "(for example encoding='cp1252')."
    )


def test_read_table_wrong_explicit_encoding_names_offset():
    with pytest.raises(
        InvalidDataError, match=r"got byte 0xe9 at offset 6 that is not valid utf-8"
    ):
        read_table("a,b\n1,é\n".encode("latin-1"), encoding="utf-8")


def test_read_table_unknown_codec():
    with pytest.raises(InvalidDataError) as info:
        read_table(b"a\n1\n", encoding="utf-99")
    assert str(info.value) == (
        "encoding must be a text encoding Python knows, such as 'utf-8' or 'cp1252'; got 'utf-99'. "
        "Leave it empty to detect the encoding."
    )


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("имя,сумма\nИван Петров,3\nСбербанк России,4\nВнешторгбанк,5\n", "cp1251", "cp1251"),
        ("名称,金额\n工商银行,3\n招商银行,4\n中国平安保险,5\n", "gbk", "gb18030"),
    ],
)
def test_read_table_detects_non_western_encodings(text, encoding, expected):
    df = read_table(text.encode(encoding))
    assert df.attrs["source"]["encoding"] == expected
    assert df.columns.tolist() == text.splitlines()[0].split(",")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "no-such-codec"])
def test_decode_bytes_refuses_non_text_codecs(encoding):
    with pytest.raises(InvalidDataError, match=f"encoding must be a text encoding Python knows.*got '{encoding}'"):
        decode_bytes(b"a,b\n1,2\n", encoding)
