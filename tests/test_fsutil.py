"""Output file names and atomic writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kinerja_batch.findings import Source
from kinerja_batch.fsutil import atomic_path, slug
from kinerja_batch.model import Employee
from kinerja_batch.paths import pdf_file_name


@pytest.mark.parametrize(
    "nama",
    [
        "../../etc/passwd",
        "..",
        'a/b\\c:d*e?f"g<h>i|j',
        "CON",
        "",
        "   ",
        "名前 テスト",
        "Ni Luh Putu Ayu Kadek Sri Wahyuni Dewi Lestari Kusumawardani Pratiwi " * 5,
        "Dr. Siti Aminah,\tM.Pd.\n",
        "\u202eevil.exe",
    ],
)
def test_pdf_names_cannot_leave_the_folder(nama: str, tmp_path: Path) -> None:
    employee = Employee("198503122010011005", nama, "", "", "", None, None, Source())
    name = pdf_file_name(employee.nip, employee.nama)
    assert re.fullmatch(r"198503122010011005_[A-Za-z0-9_-]{1,60}\.pdf", name), name
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_slug_keeps_names_readable() -> None:
    assert slug("Dr. Siti Aminah, M.Pd.") == "Dr_Siti_Aminah_M_Pd"
    assert slug("Ni Kadek Ayu Puspitasari") == "Ni_Kadek_Ayu_Puspitasari"
    assert slug("José Andrés Müller") == "Jose_Andres_Muller"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "ringkasan.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("stopped halfway")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["ringkasan.xlsx"]


def test_atomic_write_replaces_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.pdf"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".a.pdf.")
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"


def test_os_errors_read_as_what_to_do() -> None:
    import errno

    from kinerja_batch.fsutil import os_error_text

    assert os_error_text(OSError(errno.ENOSPC, "No space left on device")) == "disk penuh"
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied")).startswith(
        "tidak ada izin"
    )
    assert os_error_text(OSError(errno.EIO, "Input/output error")) == "Input/output error"
