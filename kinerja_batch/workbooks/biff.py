"""Marks of an `.xls` workbook (Excel 97-2003, BIFF8), read from its records.

python-calamine reads an `.xls` file's values; this reads what it leaves out, the way `marks.py`
does for xlsx and ods: percent-formatted numbers (a cell's XF record -> its number format: the
built-in 9 `0%` and 10 `0.00%`, or a FORMAT record whose code shows a `%`), error values (`#DIV/0!`
as a BOOLERR record or a formula's cached result) and hidden rows and columns (ROW and COLINFO).

The file is an OLE compound file; only the `Workbook` stream is read, with every sector chain
bounded. Older BIFF versions (Excel 95 and before) and files this minimal reader does not
understand give no marks (calamine's values stand alone, as before): the scan never rejects a file
calamine could read.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path

from kinerja_batch.workbooks.marks import BUILTIN_PERCENT_FORMATS, Marks, Size, is_percent_format

END_OF_CHAIN = 0xFFFFFFFE
FREE_SECTOR = 0xFFFFFFFF

# BIFF8 record types.
BOF, EOF, BOUNDSHEET, FORMAT, XF = 0x0809, 0x000A, 0x0085, 0x041E, 0x00E0
NUMBER, RK, MULRK, FORMULA, BOOLERR = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0205
ROW, COLINFO = 0x0208, 0x007D
BIFF8 = 0x0600

ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}


class NotUnderstood(Exception):
    """The file is not a BIFF8 workbook this reader can walk."""


def scan_xls(path: Path, sizes: Mapping[str, Size]) -> dict[str, Marks]:
    """Marks of the named sheets; none when the file cannot be walked."""
    try:
        stream = _workbook_stream(path.read_bytes())
        return _scan_biff(stream, sizes)
    except (NotUnderstood, struct.error, IndexError, ValueError, OSError):
        return {}


# --- the compound file ----------------------------------------------------------------------------


def _workbook_stream(data: bytes) -> bytes:
    """The bytes of the `Workbook` stream of an OLE compound file."""
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise NotUnderstood("not a compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise NotUnderstood("unusual sector size")
    sector = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 44)
    mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 56
    )
    per_sector = sector // 4

    def read_sector(n: int) -> bytes:
        start = (n + 1) * sector
        if start >= len(data):
            raise NotUnderstood("sector out of range")
        return data[start : start + sector]  # the last one may be short

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < END_OF_CHAIN]
    difat, seen = first_difat, 0
    while difat < END_OF_CHAIN and seen < min(n_difat, len(data) // sector):  # a loop ends too
        entries = struct.unpack(f"<{per_sector}I", read_sector(difat))
        fat_sectors += [s for s in entries[:-1] if s < END_OF_CHAIN]
        difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    enough = len(data) // sector // per_sector + 1  # FAT sectors a file this size can need
    for s in fat_sectors[: min(n_fat, enough)]:
        fat += struct.unpack(f"<{per_sector}I", read_sector(s))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start < END_OF_CHAIN:
            if start >= len(table) or len(out) > len(table):
                raise NotUnderstood("broken chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(read_sector(s) for s in chain(first_dir, fat))
    streams: dict[str, tuple[int, int]] = {}
    root_start, root_size = END_OF_CHAIN, 0
    for offset in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, offset + 64)
        start, size = struct.unpack_from("<IQ", directory, offset + 116)
        name_end = offset + min(max(name_len - 2, 0), 62)  # the length counts the closing NUL
        name = directory[offset:name_end].decode("utf-16-le", "replace")
        if kind == 5:
            root_start, root_size = start, size
        elif kind == 2:
            streams[name.casefold()] = (start, size)
    start, size = streams.get("workbook") or streams.get("book") or (END_OF_CHAIN, 0)
    if not size or size > len(data) * 2:
        raise NotUnderstood("no Workbook stream")
    if size >= mini_cutoff:
        return b"".join(read_sector(s) for s in chain(start, fat))[:size]
    minifat: list[int] = []
    for s in chain(first_minifat, fat)[:n_minifat]:
        minifat += struct.unpack(f"<{per_sector}I", read_sector(s))
    mini_stream = b"".join(read_sector(s) for s in chain(root_start, fat))[:root_size]
    mini = 1 << mini_shift
    return b"".join(mini_stream[s * mini : (s + 1) * mini] for s in chain(start, minifat))[:size]


# --- the records ----------------------------------------------------------------------------------


def _records(stream: bytes, offset: int = 0) -> list[tuple[int, bytes]]:
    """The records of one substream (from its BOF to its EOF)."""
    out = []
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = stream[offset + 4 : offset + 4 + length]
        offset += 4 + length
        out.append((kind, body))
        if kind == EOF:
            break
    return out


def _unicode_string(body: bytes, offset: int, length_bytes: int) -> str:
    """An XLUnicodeString (2-byte length) or ShortXLUnicodeString (1 byte) at `offset`."""
    count = body[offset] if length_bytes == 1 else struct.unpack_from("<H", body, offset)[0]
    flags = body[offset + length_bytes]
    start = offset + length_bytes + 1
    if flags & 1:
        return body[start : start + 2 * count].decode("utf-16-le", "replace")
    return body[start : start + count].decode("latin-1")


def _scan_biff(stream: bytes, sizes: Mapping[str, Size]) -> dict[str, Marks]:
    globals_ = _records(stream)
    if (
        not globals_
        or globals_[0][0] != BOF
        or struct.unpack_from("<H", globals_[0][1])[0] != BIFF8
    ):
        raise NotUnderstood("not BIFF8")
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, body in globals_:
        if kind == FORMAT:
            formats[struct.unpack_from("<H", body)[0]] = _unicode_string(body, 2, 2)
        elif kind == XF:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == BOUNDSHEET:
            position = struct.unpack_from("<I", body)[0]
            sheets.append((_unicode_string(body, 6, 1), position))
    percent_xfs = {
        i
        for i, fmt in enumerate(xf_formats)
        if (is_percent_format(formats[fmt]) if fmt in formats else fmt in BUILTIN_PERCENT_FORMATS)
    }
    out: dict[str, Marks] = {}
    for name, position in sheets:
        if name in sizes:
            out[name] = _scan_sheet(_records(stream, position), sizes[name], percent_xfs)
    return out


def _scan_sheet(records: list[tuple[int, bytes]], size: Size, percent_xfs: set[int]) -> Marks:
    marks = Marks()
    height, width = size

    def number(row: int, col: int, xf: int) -> None:
        if xf in percent_xfs and row < height and col < width:
            marks.percent.add((row, col))

    for kind, body in records:
        if kind in (NUMBER, RK):
            number(*struct.unpack_from("<HHH", body))
        elif kind == MULRK:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                number(row, first + i, struct.unpack_from("<H", body, 4 + 6 * i)[0])
        elif kind == FORMULA:
            row, col, xf = struct.unpack_from("<HHH", body)
            result = body[6:14]
            if result[6:8] != b"\xff\xff":
                number(row, col, xf)
            elif result[0] == 2:  # an error value
                marks.bad_cells[(row, col)] = ERRORS.get(result[2], "#N/A")
        elif kind == BOOLERR:
            row, col, _, value, is_error = struct.unpack_from("<HHHBB", body)
            if is_error:
                marks.bad_cells[(row, col)] = ERRORS.get(value, "#N/A")
        elif kind == ROW:
            row = struct.unpack_from("<H", body)[0]
            if struct.unpack_from("<I", body, 12)[0] & 0x20:
                marks.hidden_rows.add(row)
        elif kind == COLINFO:
            first, last, _, _, flags = struct.unpack_from("<HHHHH", body)
            if flags & 1:
                marks.hidden_cols.update(range(first, min(last + 1, width)))
    return marks
