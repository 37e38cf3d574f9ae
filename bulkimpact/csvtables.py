"""CSV tables as people save them, Excel included: encoding and separator detected and said.

Inventories (``datasets.csv``, ``fields.csv``) and exchange logs may be CSV
tables. Excel writes them in several ways, each read here and named in a note
(so a reader knows how the file was understood):

- UTF-8 with a byte-order mark ("CSV UTF-8"); UTF-16 ("Unicode text");
- Windows-1252 (cp1252, "CSV" on a Western-European Windows), tried only when
  the bytes are not UTF-8;
- semicolons (or tabs) instead of commas, as Dutch Excel separates fields; in a
  semicolon-separated table a decimal comma (``0,95``) is read as a number.

A file in none of these encodings is refused with the cause and the fix, and
a row with fewer or more values than the header has columns is a located
problem (its line, the columns concerned).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .limits import check_file_size
from .problems import Problem, file_problem

__all__ = ["Table", "read_table"]

_SAVE_AS = "save it from Excel as 'CSV UTF-8 (comma delimited)'"


@dataclass(frozen=True)
class Table:
    """A CSV table: its header, its rows (each with its file line), problems and notes."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    header_line: int = 1
    delimiter: str = ","

    def number(self, text: str) -> str:
        """A number as Python reads it: in a semicolon-separated table (Dutch Excel) a
        decimal comma is a decimal point.

        Examples
        --------
        >>> Table([], [], delimiter=";").number("0,95"), Table([], []).number("0,95")
        ('0.95', '0,95')
        """
        if self.delimiter == ";" and re.fullmatch(r"[-+]?\d*,\d+", text.strip()):
            return text.strip().replace(",", ".")
        return text


def _decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """The text of a CSV file and notes on how it was decoded."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with a byte-order mark"),
                             (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (Excel 'Unicode text')"),
                             (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (Excel 'Unicode text')")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), [f"read as {name}"]
            except UnicodeDecodeError as exc:
                raise file_problem(path, f"starts as {name} but byte {exc.start} is not; "
                                   + _SAVE_AS) from None
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise file_problem(path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line "
                               f"{line}) and not Windows-1252 either; {_SAVE_AS}") from None
        return text, [f"not UTF-8 (first at line {line}), read as Windows-1252 (cp1252), "
                      f"the encoding of Excel's plain 'CSV'; to be sure of every letter, "
                      f"{_SAVE_AS}"]


def _delimiter(header: str) -> str:
    """The separator of a header line: the most frequent of ``,``, ``;`` and tab outside quotes.

    Examples
    --------
    >>> _delimiter("id;name;persons"), _delimiter('id,"a;b",c'), _delimiter("id")
    (';', ',', ',')
    """
    unquoted = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_table(path: str | Path, comments: bool = False) -> Table:
    """Read a CSV table: encoding and separator detected, rows checked against the header.

    Parameters
    ----------
    path : path
    comments : bool
        Skip leading lines that start with ``#`` (and blank lines).

    Raises
    ------
    bulkimpact.problems.InputError
        The file is missing, too large, in no known encoding, or has no header.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "t.csv")
    ...     _ = p.write_bytes("\\ufeffid;name\\na;Café\\nb\\n".encode("utf-8"))
    ...     t = read_table(p)
    >>> t.header, t.rows[0], t.notes
    (['id', 'name'], (2, {'id': 'a', 'name': 'Café'}), ('read as UTF-8 with a byte-order mark', \
'separated by semicolons, decimal commas read as points (as Dutch Excel writes CSV)'))
    >>> print(t.problems[0])  # doctest: +ELLIPSIS
    /.../t.csv: row 3: field 'name': 1 value, but the header has 2 columns (id, name); missing: name
    """
    path = Path(path)
    check_file_size(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise file_problem(path, "file not found") from None
    text, notes = _decode(path, raw)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while comments and skipped < len(lines) and (lines[skipped].startswith("#")
                                                  or not lines[skipped].strip()):
        skipped += 1
    if skipped >= len(lines) or not lines[skipped].strip():
        raise file_problem(path, "no header row (the first line names the columns)")
    delimiter = _delimiter(lines[skipped])
    if delimiter != ",":
        notes.append("separated by semicolons, decimal commas read as points (as Dutch Excel "
                     "writes CSV)" if delimiter == ";"
                     else "separated by tabs")
    reader = csv.reader(io.StringIO("".join(lines[skipped:])), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    problems: list[Problem] = []
    header_line = skipped + 1
    for i, name in enumerate(header):
        if name in header[:i]:
            problems.append(Problem(str(path), f"row {header_line} (header)", name,
                                    "column named twice; name each column once",
                                    has_value=False))
    rows: list[tuple[int, dict[str, str]]] = []
    last = reader.line_num
    for values in reader:
        line, last = skipped + last + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(_width_problem(path, line, values, header))
        rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values)),
                                    strict=False))))
    return Table(header, rows, problems, tuple(notes), header_line, delimiter)


def _width_problem(path: Path, line: int, values: list[str], header: list[str]) -> Problem:
    """A row with fewer or more values than the header has columns."""
    n = len(values)
    said = f"{n} value{'s' if n != 1 else ''}, but the header has {len(header)} columns " \
           f"({', '.join(header)})"
    if n < len(header):
        return Problem(str(path), f"row {line}", header[n],
                       f"{said}; missing: {', '.join(header[n:])}", has_value=False)
    return Problem(str(path), f"row {line}", header[-1],
                   f"{said}; extra values after column {header[-1]!r} (a separator inside a "
                   "value? put the value in double quotes)", [*values[len(header):]])
