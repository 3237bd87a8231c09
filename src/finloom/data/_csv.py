"""CSV parsing with delimiter sniffing, header checks, ragged-row detection and dtype inference."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pandas as pd

from finloom.data._dtypes import NUMBER_PATTERN, infer_dtypes
from finloom.errors import InvalidDataError

__all__ = ["NUMBER_PATTERN", "infer_dtypes", "parse_csv", "sniff_delimiter"]

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64_000
_SAMPLE_LINES = 50
_MAX_LISTED = 5
# pandas' default missing-value markers, given to Arrow's reader so both readers agree
_NA_VALUES = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
              "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]


def _show(sep: str) -> str:
    return "\\t" if sep == "\t" else sep


def _sample_lines(text: str) -> list[str]:
    sample = text[:_SAMPLE_CHARS]
    lines = sample.splitlines()
    if len(text) > _SAMPLE_CHARS and len(lines) > 1:
        lines = lines[:-1]  # drop the line cut in the middle
    return [line for line in lines if line.strip()][:_SAMPLE_LINES]


def _consistent_width(lines: list[str], sep: str) -> int:
    """Fields per row if every sampled row has the same number (> 1) with ``sep``, else 0."""
    widths = {len(row) for row in csv.reader(lines, delimiter=sep)}
    width = widths.pop() if len(widths) == 1 else 0
    return width if width > 1 else 0


def sniff_delimiter(text: str) -> str:
    """Guess the field delimiter among ``, ; TAB |``.

    ``csv.Sniffer`` proposes a delimiter; it is kept when every sampled row then has the same
    number of fields. Otherwise the candidate giving the most consistent columns wins, and
    ``,`` is the fallback for single-column files.

    Examples
    --------
    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n")
    ';'
    >>> sniff_delimiter("a\\tb\\n1\\t2\\n")
    '\\t'
    """
    lines = _sample_lines(text)
    if not lines:
        return ","
    try:
        guess = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        guess = ""
    if guess and _consistent_width(lines, guess):
        return guess
    widths = {sep: _consistent_width(lines, sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: widths[sep])
    return best if widths[best] else ","


def _check_header(header: list[str], sep: str, name: str) -> list[str]:
    problems = []
    blank = [i + 1 for i, col in enumerate(header) if not col.strip()]
    if blank:
        problems.append(
            f"column names must not be blank; got a blank name at position(s) "
            f"{', '.join(map(str, blank))} of the header of {name}. Name every column."
        )
    dupes = [col for col, n in Counter(c.strip() for c in header).items() if n > 1 and col]
    if dupes:
        listed = ", ".join(f"'{c}'" for c in dupes)
        problems.append(
            f"column names must be unique; got {listed} more than once in the header of {name}. "
            "Rename or drop the duplicated columns."
        )
    if len(header) == 1:
        others = [s for s in DELIMITERS if s != sep and s in header[0]]
        if others:
            problems.append(
                f"{name} must have its columns separated by '{_show(sep)}'; got one column "
                f"'{header[0][:60]}' that contains '{_show(others[0])}'. "
                f"Pass sep='{_show(others[0])}'."
            )
    return problems


def _ragged_rows(text: str, sep: str, width: int) -> list[int]:
    """1-based line numbers of records whose field count differs from the header's."""
    bad: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    start = 1
    for row in reader:
        if row and len(row) != width and any(f.strip() for f in row):
            bad.append(start)
        start = reader.line_num + 1
    return bad


def _ragged_problem(bad: list[int], width: int, name: str, like: str = "the header") -> str:
    lines = ", ".join(map(str, bad[:_MAX_LISTED])) + (", ..." if len(bad) > _MAX_LISTED else "")
    return (
        f"every row of {name} must have {width} fields like {like}; got {len(bad)} row(s) "
        f"with a different number of fields at line(s) {lines}. Fix those lines or quote "
        "values that contain the delimiter."
    )


def _read_checked(text: str, sep: str, name: str, header: bool, na: bool) -> pd.DataFrame:
    """Check the header and row widths (all problems at once), then parse every value as text.

    Without a header row the columns are named by position from 1.
    """
    first = next(csv.reader(io.StringIO(text), delimiter=sep))
    names = first if header else [str(i) for i in range(1, len(first) + 1)]
    problems = _check_header(first, sep, name) if header else []
    bad = _ragged_rows(text, sep, len(names))
    if bad:
        problems.append(_ragged_problem(bad, len(names), name, "the header" if header else "the first line"))
    if problems:
        raise InvalidDataError(problems)
    df = _read_strings(text, sep, len(names), header, na)
    df.columns = [c.strip() for c in names]
    return df


def _arrow_strings(text: str, sep: str, width: int, header: bool, na: bool) -> pd.DataFrame:
    """Every value as pandas' string dtype, parsed by Arrow (several times faster than pandas)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1 if header else 0),
        parse_options=pacsv.ParseOptions(delimiter=sep),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),
            null_values=_NA_VALUES if na else [],
            strings_can_be_null=na,
            quoted_strings_can_be_null=na,
        ),
    )
    text_dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    return table.to_pandas(types_mapper={pa.large_string(): text_dtype}.get)


def _read_strings(text: str, sep: str, width: int, header: bool = True, na: bool = True) -> pd.DataFrame:
    """Every value as a string (missing markers as NaN unless ``na`` is false: then exact text, "" when
    empty); Arrow's reader first, it is ~3x faster."""
    import pyarrow as pa

    options: dict[str, object] = {"header": 0 if header else None, "keep_default_na": na}
    if text.count('"') % 2 == 0:  # an odd count may be an unclosed quote: the C parser reports it
        try:
            return _arrow_strings(text, sep, width, header, na)
        except (pa.ArrowInvalid, ValueError):  # e.g. line breaks inside quoted values
            pass
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, skip_blank_lines=True, **options)  # type: ignore[call-overload]


def _check_sep(sep: str) -> str:
    if len(sep) != 1 or sep in "\"\r\n":
        raise InvalidDataError(
            f"sep must be one character other than a quote or a line break, such as ',' or ';'; "
            f"got {sep!r}. Leave it empty to detect the delimiter."
        )
    return sep


def parse_csv(
    text: str, *, sep: str | None = None, name: str = "the CSV file", header: bool = True, dtypes: bool = True
) -> pd.DataFrame:
    """Parse CSV ``text`` into a DataFrame with inferred dtypes, collecting every problem.

    ``header=False`` reads a file without a header row (columns named ``"1"``, ``"2"``, ...);
    ``dtypes=False`` keeps every value as its exact text (``""`` when empty, no NA markers).

    Examples
    --------
    >>> parse_csv("id;amount\\n007;1.5\\n012;2\\n").dtypes.astype(str).tolist()
    ['str', 'float64']
    >>> parse_csv("Sales fell .@negative\\nNA@neutral\\n", sep="@", header=False, dtypes=False).values.tolist()
    [['Sales fell .', 'negative'], ['NA', 'neutral']]
    """
    if not text.strip():
        raise InvalidDataError(
            f"{name} must contain a header row and at least one data row; got an empty file."
        )
    nul = text.find("\x00")
    if nul >= 0:
        raise InvalidDataError(
            f"{name} must be a text CSV file; got a NUL character at position {nul}, so it looks "
            "binary (an Excel workbook or a zip?). Export it as CSV, or pass format='parquet' or "
            "format='excel' if that is what it is."
        )
    sep = _check_sep(sep) if sep else sniff_delimiter(text)
    try:
        df = _read_checked(text, sep, name, header, dtypes)
    except (csv.Error, pd.errors.ParserError) as exc:
        raise InvalidDataError(
            f"{name} must be well-formed CSV; got a parse error ({str(exc).strip()[:200]}). "
            "Check the quotes around values."
        ) from exc
    if df.empty:
        raise InvalidDataError(
            f"{name} must contain at least one data row below the header; got a header only "
            f"(columns: {', '.join(map(str, df.columns))})."
        )
    out = infer_dtypes(df, decimal_comma=sep != ",") if dtypes else df
    out.attrs["sep"] = sep
    return out
