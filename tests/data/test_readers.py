"""read_table / read_sql: formats, sniffing, dtype inference and every bad-input message."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from finloom.data import read_sql, read_table
from finloom.errors import (
    InvalidDataError,
    MissingDependencyError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceError,
)


def _error(source, **kwargs) -> InvalidDataError:
    with pytest.raises(InvalidDataError) as info:
        read_table(source, **kwargs)
    return info.value


def test_read_table_empty_file():
    assert str(_error(b"")) == (
        "the uploaded file must contain a header row and at least one data row; got an empty file."
    )
    assert "got an empty file" in str(_error(b"\n\n  \n"))


def test_read_table_header_only(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("id,amount\n")
    assert str(_error(path)) == (
        "file 'h.csv' must contain at least one data row below the header; got a header only "
        "(columns: id, amount)."
    )


def test_read_table_ragged_rows_name_line_numbers():
    err = _error(b"a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n")
    assert str(err) == (
        "every row of the uploaded file must have 3 fields like the header; got 2 row(s) with a "
        "different number of fields at line(s) 3, 5. Fix those lines or quote values that "
        "contain the delimiter."
    )


def test_read_table_ragged_rows_count_quoted_multiline_records_once():
    err = _error(b'a,b\n1,"x\ny"\n2\n')
    assert "at line(s) 4." in str(err)


def test_read_table_wrong_delimiter_suggests_sep():
    err = _error(b"a;b;c\n1;2;3\n", sep=",")
    assert str(err) == (
        "the uploaded file must have its columns separated by ','; got one column 'a;b;c' that "
        "contains ';'. Pass sep=';'."
    )


def test_read_table_duplicate_and_blank_column_names_in_one_error():
    err = _error(b"a,a,,b\n1,2,3,4\n")
    assert err.problems == [
        "column names must not be blank; got a blank name at position(s) 3 of the header of the "
        "uploaded file. Name every column.",
        "column names must be unique; got 'a' more than once in the header of the uploaded "
        "file. Rename or drop the duplicated columns.",
    ]


def test_read_table_too_large_bytes_path_and_stream(tmp_path):
    with pytest.raises(PayloadTooLargeError) as info:
        read_table(b"x" * 2048, max_bytes=1024)
    assert str(info.value) == (
        "the upload must be at most 1.0 KB (1024 bytes); got 2.0 KB (2048 bytes). Upload a "
        "smaller file (split it or drop columns) or raise the size limit."
    )
    path = tmp_path / "big.csv"
    path.write_bytes(b"a\n" + b"1\n" * 600)
    with pytest.raises(
        PayloadTooLargeError,
        match=r"file 'big.csv' must be at most 100 bytes; got 1.2 KB \(1202 bytes\)",
    ):
        read_table(path, max_bytes=100)
    with pytest.raises(PayloadTooLargeError, match=r"got 1.2 KB \(1202 bytes\)"):
        read_table(io.BytesIO(path.read_bytes()), max_bytes=100)
    assert read_table(path, max_bytes=1202).shape == (600, 1)


def test_read_table_unreadable_parquet(tmp_path):
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 not really parquet")
    err = _error(path)
    assert str(err).startswith(
        "file 'x.parquet' must be a valid Parquet file; got unreadable data ("
    )
    assert str(err).endswith("Re-export the file as Parquet or upload it as CSV.")


def test_read_table_unknown_extension_did_you_mean(tmp_path):
    path = tmp_path / "data.cvs"
    path.write_text("a\n1\n")
    assert str(_error(path)) == (
        "file extension must be one of .csv, .json, .jsonl, .ndjson, .parquet, .pq, .tab, .tsv, "
        ".txt, .xls, .xlsx; got '.cvs' ('data.cvs'). Did you mean '.csv'? Or pass format='csv'."
    )
    assert read_table(path, format="csv").shape == (1, 1)


def test_read_table_unknown_format_did_you_mean():
    assert str(_error(b"a\n1\n", format="parquett")) == (
        "format must be one of csv, tsv, parquet, jsonl, json, excel; got 'parquett'. "
        "Did you mean 'parquet'?"
    )


def test_read_table_missing_path(tmp_path):
    with pytest.raises(NotFoundError, match="file must exist; got '.*nope.csv'. Check the path."):
        read_table(tmp_path / "nope.csv")


def test_read_table_rejects_other_types():
    with pytest.raises(
        TypeError,
        match="source must be a path, bytes, a file object or a pandas DataFrame; got int.",
    ):
        read_table(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("id;amount;note\n1;2,5;x\n2;3,0;y\n", ";"),
        ("id\tamount\tnote\n1\t2.5\tx, y\n2\t3.0\tz\n", "\t"),
        ("id|amount\n1|2\n2|3\n", "|"),
        ('id,note\n1,"a; b"\n2,"c; d"\n', ","),
    ],
)
def test_read_table_sniffs_delimiter(text, sep):
    df = read_table(text.encode())
    assert df.attrs["source"]["sep"] == sep
    assert df["id"].tolist() == [1, 2]


def test_read_table_tsv_extension(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("a\tb\n1\t2\n")
    df = read_table(path)
    assert df.columns.tolist() == ["a", "b"]
    assert df.attrs["source"] == {
        "format": "tsv",
        "encoding": "utf-8",
        "sep": "\t",
        "name": "t.tsv",
    }


def test_read_table_infers_dtypes_and_keeps_leading_zero_ids():
    csv = (
        "id,zip,n,x,ok,maybe,card,word\n"
        "001,02134,1,1.5,True,true,1234567890123456,a\n"
        "002,90210,2,,False,,1234567890123457,b\n"
    )
    df = read_table(csv.encode())
    dtypes = df.dtypes.astype(str).to_dict()
    assert dtypes == {
        "id": "str",
        "zip": "str",
        "n": "int64",
        "x": "float64",
        "ok": "bool",
        "maybe": "boolean",
        "card": "str",
        "word": "str",
    }
    assert df["id"].tolist() == ["001", "002"]
    assert df["card"].iloc[1] == "1234567890123457"


def test_read_table_dataframe_is_copied_and_unchanged():
    original = pd.DataFrame({0: [1, 2], "b": ["x", "y"]})
    snapshot = original.copy()
    df = read_table(original)
    df.iloc[0, 0] = 99
    pd.testing.assert_frame_equal(original, snapshot)
    assert df.columns.tolist() == ["0", "b"]
    assert df.attrs["source"] == {"format": "dataframe"}


def test_read_table_parquet_and_file_objects(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    df.to_parquet(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(read_table(tmp_path / "t.parquet"), df)
    raw = (tmp_path / "t.parquet").read_bytes()
    pd.testing.assert_frame_equal(read_table(raw), df)  # PAR1 magic, no name needed
    pd.testing.assert_frame_equal(read_table(io.BytesIO(raw)), df)
    assert read_table(io.StringIO("a,b\n1,x\n")).shape == (1, 2)


def test_read_table_zero_row_parquet(tmp_path):
    pd.DataFrame({"a": pd.Series([], dtype="int64")}).to_parquet(tmp_path / "e.parquet")
    assert str(_error(tmp_path / "e.parquet")) == (
        "file 'e.parquet' must contain at least one data row; got 0 rows (columns: a)."
    )


def test_read_table_json_lines_and_records():
    df = read_table(b'{"a": "01", "b": 2}\n{"a": "02", "b": 3}\n', format="jsonl")
    assert df["a"].tolist() == ["01", "02"]
    assert read_table(b'[{"a": 1}, {"a": 2}]', format="json")["a"].tolist() == [1, 2]
    assert "must be JSON lines (one object per line); got invalid JSON" in str(
        _error(b"{not json", format="jsonl")
    )


def test_read_table_excel_needs_openpyxl():
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        with pytest.raises(
            MissingDependencyError, match="reading Excel files needs the 'openpyxl' package"
        ):
            read_table(b"PK..", format="excel")
    else:  # pragma: no cover - only when openpyxl is installed
        pytest.skip("openpyxl is installed; the missing-dependency path cannot run")


def test_read_sql_sqlite(tmp_path):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE loans (id INTEGER, amount REAL)"))
        conn.execute(sa.text("INSERT INTO loans VALUES (1, 10.5), (2, 20.0)"))
    df = read_sql("SELECT * FROM loans WHERE amount > :low", engine, params={"low": 5})
    assert df.to_dict("list") == {"id": [1, 2], "amount": [10.5, 20.0]}
    assert read_sql("SELECT id FROM loans", url)["id"].tolist() == [1, 2]
    engine.dispose()


def test_read_sql_errors(tmp_path):
    with pytest.raises(
        InvalidDataError, match="SQL query must run without error; got no such table: nope. Check"
    ):
        read_sql("SELECT * FROM nope", "sqlite://")
    with pytest.raises(
        InvalidDataError, match="SQL query must return at least one row; got 0 rows."
    ):
        read_sql("SELECT 1 AS a WHERE 1 = 0", "sqlite://")
    with pytest.raises(ServiceError, match="database must be reachable"):
        read_sql("SELECT 1", f"sqlite:///{tmp_path / 'missing' / 'x.db'}")


def test_read_table_decimal_comma_in_semicolon_files():
    df = read_table(b"id;amount;big\n1;1,5;1.234,5\n2;2;2.000,25\n")
    assert df.to_dict("list") == {"id": [1, 2], "amount": [1.5, 2.0], "big": [1234.5, 2000.25]}
    kept = read_table(b'id,amount\n1,"1,5"\n2,"2,5"\n')  # comma files keep "1,5" as text
    assert kept["amount"].tolist() == ["1,5", "2,5"]


def test_read_table_utf16_excel_unicode_text():
    df = read_table("a\tb\n1\tZürich\n".encode("utf-16"))
    assert df.to_dict("list") == {"a": [1], "b": ["Zürich"]}
    assert df.attrs["source"]["encoding"] == "utf-16"


def test_read_table_binary_and_malformed_csv():
    assert str(_error(b"a,b\n1,\x002\n")) == (
        "the uploaded file must be a text CSV file; got a NUL character at position 6, so it "
        "looks binary (an Excel workbook or a zip?). Export it as CSV, or pass "
        "format='parquet' or format='excel' if that is what it is."
    )
    assert str(_error(b'a,b\n1,"x\n')) == (
        "the uploaded file must be well-formed CSV; got a parse error (Error tokenizing data. "
        "C error: EOF inside string starting at row 1). Check the quotes around values."
    )


def test_read_table_zip_bytes_are_read_as_excel():
    try:
        import openpyxl  # noqa: F401
    except ImportError:  # the hint names the extra that brings it
        with pytest.raises(MissingDependencyError, match="Install finloom\\[excel\\] to use it."):
            read_table(b"PK\x03\x04rest-of-a-workbook")
        return
    buffer = io.BytesIO()
    pd.DataFrame({"id": [1, 2], "name": ["a", "b"]}).to_excel(buffer, index=False)
    assert read_table(buffer.getvalue()).to_dict("list") == {"id": [1, 2], "name": ["a", "b"]}


def test_read_table_quoted_line_breaks_and_missing_markers():
    df = read_table(b'id,note,v\n1,"two\nlines",NA\n\n2,plain,\n3,"a, b",null\n')
    assert df["note"].tolist() == ["two\nlines", "plain", "a, b"]
    assert df["v"].isna().all()
    assert df["id"].tolist() == [1, 2, 3]


def test_one_table_reader_and_one_encoding_detector():
    """Every area reads tables with data.read_table and detects encodings with data.detect_encoding."""
    import re
    from pathlib import Path

    import finloom.data as data
    from finloom.evaluate import read_table as evaluate_reader
    from finloom.nlp import detect_encoding as nlp_detector

    assert evaluate_reader is data.read_table
    samples = ["café".encode(), "Prêt à taux zéro".encode("latin-1"), "Привет, мир и банк".encode("cp1251")]
    assert [nlp_detector(b) for b in samples] == [data.detect_encoding(b) for b in samples]
    src = Path(data.__file__).resolve().parents[1]
    copies = [
        f"{p.relative_to(src)}:{n}"
        for p in src.rglob("*.py")
        if p.parent.name != "data"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"def _?read_table\(|charset_normalizer|pd\.read_csv\(", line)
    ]
    assert copies == []


def test_engines_read_semicolon_cp1252_files(tmp_path):
    from finloom.synth.tabular._service import run_fit_job

    path = tmp_path / "t.csv"
    rows = "".join(f"{i:03d};Málaga;{i},5;{i % 2}\n" for i in range(1, 13))
    path.write_bytes(("id;city;amount;default\n" + rows).encode("cp1252"))
    result = run_fit_job({"data_path": str(path), "target": "default", "model": "copula"}, out_dir=tmp_path)
    assert (result["rows"], result["columns"]) == (12, 4)


def test_an_encoding_name_with_a_nul_is_refused_clearly():
    assert "encoding must be a text encoding" in str(_error(b"a,b\n1,2\n", encoding="utf\x00-8"))
