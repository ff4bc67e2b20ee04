"""The command line, run in-process: exit codes, messages, and what lands in the output folder."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from kinerja_batch.cli import main

from factories import FLAWS, KRITERIA, NIP_E1, valid_inbox, write_with_specials

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def invoke(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_help_is_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "--help")
    assert code == 0
    assert "Penggunaan: kinerja [OPSI] PERINTAH" in out
    assert "Perintah:" in out and "Opsi:" in out
    assert "Usage" not in out and "Options" not in out and "Show this message" not in out
    code, out, _ = invoke(capsys, "run", "--help")
    assert code == 0
    assert "Penggunaan: kinerja run [OPSI] [FOLDER_MASUKAN]" in out
    assert "[required]" not in out
    code, out, _ = invoke(capsys, "templat", "--help")
    assert "[wajib]" in out and "[required]" not in out


def test_every_command_is_documented_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    readme = README.read_text(encoding="utf-8")
    _, out, _ = invoke(capsys, "--help")
    commands = re.findall(r"^  (\w+)  ", out.split("Perintah:")[1], flags=re.M)
    assert commands == ["init", "kirim", "pulihkan", "run", "status", "tahunan", "templat"]
    for command in commands:
        _, help_text, _ = invoke(capsys, command, "--help")
        # The README's CLI reference holds each command's --help text verbatim.
        assert help_text.strip() in readme, "run: python scripts/make_cli_docs.py"
    spec = importlib.util.spec_from_file_location("docs", ROOT / "scripts" / "make_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(readme) == readme, "run: python scripts/make_cli_docs.py"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "/tidak/ada", "--out", "x"], "folder '/tidak/ada' tidak ada"),
        (["run", ".", "--out", "x", "--periode", "13/2026"], "'13/2026' bukan periode"),
        (["run", ".", "--bogus"], "Opsi tidak dikenal: --bogus."),
        (["laporan"], "Perintah tidak dikenal: 'laporan'."),
        (["run", ".", "--out", "x", "--workers", "0"], "0 terlalu kecil; paling sedikit 1."),
        (["run", ".", "--out", "x", "--workers", "dua"], "'dua' bukan bilangan bulat."),
        (["tahunan", "1999"], "1999 di luar rentang 2000 sampai 2999."),
        (["run", ".", "--out", "README.md"], "'README.md' adalah berkas, bukan folder."),
        (["run", ".", "--out", "x", "--kriteria", "tests"], "'tests' adalah folder, bukan berkas."),
    ],
)
def test_bad_arguments_exit_2_with_indonesian_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_run_outside_a_working_folder_needs_an_inbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(capsys, "run")
    assert code == 2
    assert "Sebutkan FOLDER_MASUKAN dan --out" in out and "kinerja init" in out


def test_clean_inbox_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 0, out
    assert "Periode November 2026: 2 pegawai dinilai" in out
    assert "Temuan: 0 galat, 0 peringatan" in out
    pdfs = sorted(p.name for p in (tmp_path / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))
    assert pdfs == ["199002142015032001_Siti_Aminah_S_E.pdf", "199505052020121001_Budi_Hartono.pdf"]


def test_workers_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    code, out, _ = invoke(
        capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"), "--workers", "1"
    )
    assert code == 0, out
    assert len(list((tmp_path / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))) == 2
    code, out, err = invoke(
        capsys, "run", str(inbox), "--out", str(tmp_path / "b"), "--workers", "0"
    )
    assert code == 2
    assert "Nilai tidak valid untuk '--workers': 0 terlalu kecil; paling sedikit 1." in err
    assert not (tmp_path / "b").exists()


def test_without_harfbuzz_subsetting_it_says_so_once_and_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.pdf import fonts

    from kinerja_batch.documents.weasy import SLOW_SUBSETTING_NOTE

    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    code, _, err = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "cepat"))
    assert code == 0 and "libharfbuzz-subset0" not in err  # CI installs it
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without the library
    code, out, err = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "lambat"))
    assert code == 0, out
    assert err.count("libharfbuzz-subset0 tidak terpasang") == 1
    assert " ".join(SLOW_SUBSETTING_NOTE.split()) in " ".join(err.split())
    assert len(list((tmp_path / "lambat" / "2026-11" / "umpan_balik").glob("*.pdf"))) == 2


def test_blocking_finding_exits_1_and_the_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_inbox()
    FLAWS["score_out_of_range"](spec)
    inbox = write_with_specials(spec, tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 1
    assert "[Galat] penilaian_a.xlsx, Nilai!C2 (nilai-di-luar-skala)" in out
    assert "1 pegawai dinilai" in out and "1 diblokir temuan" in out
    pdfs = list((tmp_path / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["199505052020121001_Budi_Hartono.pdf"]


def test_invalid_criteria_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_inbox()
    spec.sheet(KRITERIA, "Kriteria")[2][4] = 50
    inbox = write_with_specials(spec, tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 2
    assert "(bobot-tidak-100)" in out and "bukan 100" in out
    assert "Proses dihentikan" in out
    assert not (tmp_path / "hasil").exists()


def test_no_period_anywhere_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = valid_inbox()
    for name in [n for n in spec.books if n.startswith(("laporan", "penilaian"))]:
        del spec.books[name]
    inbox = write_with_specials(spec, tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 2
    assert "--periode" in out and "(periode-tidak-ada)" in out


def test_each_period_gets_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_inbox()
    spec.sheet("laporan_e1.xlsx", "Identitas")[2][1] = "Oktober 2026"
    inbox = write_with_specials(spec, tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert "Periode Oktober 2026: 0 pegawai dinilai" in out
    assert "Periode November 2026: 2 pegawai dinilai" in out
    assert (tmp_path / "hasil" / "2026-10" / "ringkasan_2026-10.xlsx").is_file()
    assert (tmp_path / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx").is_file()
    assert code == 0


def test_inbox_is_never_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = valid_inbox()
    FLAWS["nip_typed_as_number"](spec)
    inbox = write_with_specials(spec, tmp_path / "inbox")
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    invoke(capsys, "run", str(inbox), "--out", str(inbox / "hasil"))  # output inside the inbox
    after = {p.name: p.read_bytes() for p in inbox.iterdir() if p.is_file()}
    assert after == before
    # a second run does not read its own outputs as inputs
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(inbox / "hasil"))
    assert code == 1  # the planted NIP-as-number is a Galat
    assert "jenis-tidak-dikenal" not in out and "ringkasan" not in out.split("Selesai")[0]


def test_stale_pdf_of_a_now_blocked_employee_is_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "hasil"
    invoke(
        capsys,
        "run",
        str(write_with_specials(valid_inbox(), tmp_path / "a")),
        "--out",
        str(out_dir),
    )
    spec = valid_inbox()
    FLAWS["score_out_of_range"](spec)  # E1 is blocked now
    invoke(capsys, "run", str(write_with_specials(spec, tmp_path / "b")), "--out", str(out_dir))
    names = [p.name for p in (out_dir / "2026-11" / "umpan_balik").glob("*.pdf")]
    assert names == ["199505052020121001_Budi_Hartono.pdf"]


def test_refuses_to_run_without_defusedxml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 2
    assert "defusedxml" in out and "tidak terpasang" in out
    assert not (tmp_path / "hasil").exists()


def test_defusedxml_is_active_in_this_installation() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_a_pdf_that_fails_to_render_costs_only_that_employees_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja_batch.documents.feedback import FeedbackRenderer

    original = FeedbackRenderer.write

    def failing_for_e1(self: FeedbackRenderer, result: Any, path: Path, **kwargs: Any) -> None:
        if result.employee.nip == NIP_E1:
            raise RuntimeError("tata letak gagal")
        original(self, result, path, **kwargs)

    monkeypatch.setattr(FeedbackRenderer, "write", failing_for_e1)  # in this process only
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    argv = ("run", str(inbox), "--out", str(tmp_path / "hasil"), "--workers", "1")
    code, out, _ = invoke(capsys, *argv)
    assert code == 1
    assert "(render-gagal)" in out and "tata letak gagal" in out
    assert "2 pegawai dinilai" in out and "0 diblokir temuan" in out
    assert "1 pegawai dinilai belum punya PDF" in out and "Siti Aminah" in out
    pdfs = [p.name for p in (tmp_path / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf")]
    assert pdfs == ["199505052020121001_Budi_Hartono.pdf"]


def test_empty_criteria_sheet_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = valid_inbox()
    del spec.sheet(KRITERIA, "Kriteria")[2:]
    inbox = write_with_specials(spec, tmp_path / "inbox")
    code, out, _ = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
    assert code == 2
    assert "(kriteria-kosong)" in out


def test_python_dash_m_works(tmp_path: Path) -> None:
    import subprocess
    import sys

    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    done = subprocess.run(
        [sys.executable, "-m", "kinerja_batch", "run", str(inbox), "--out", str(tmp_path / "h")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Periode November 2026: 2 pegawai dinilai" in done.stdout


def test_the_readme_explains_every_exit_code() -> None:
    from kinerja_batch.cli import stops

    codes = sorted({value for name, value in vars(stops).items() if name.startswith("EXIT_")})
    table = README.read_text(encoding="utf-8").split("Arti kode keluar")[1].split("\n\n")[1]
    rows = table.splitlines()[2:]  # below the header and its rule
    assert [int(row.split("|")[1]) for row in rows] == codes
    assert codes == [0, 1, 2, 3, 4, 5, 6, 130, 143]


def _sigterm(*args: object, **kwargs: object) -> Any:
    import os
    import signal
    import time

    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)  # the signal interrupts this


def _ctrl_c(*args: object, **kwargs: object) -> Any:
    raise KeyboardInterrupt


def _prompt_given_up(*args: object, **kwargs: object) -> Any:
    import click

    raise click.Abort  # what click's prompts raise on Ctrl-C


@pytest.mark.parametrize(
    ("stop", "code", "message"),
    [
        pytest.param(_ctrl_c, 130, "Dibatalkan.", id="ctrl-c"),
        pytest.param(_prompt_given_up, 130, "Dibatalkan.", id="prompt"),
        pytest.param(_sigterm, 143, "Dihentikan (SIGTERM).", id="sigterm"),
    ],
)
def test_a_stopped_command_says_so_with_its_own_exit_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stop: Any,
    code: int,
    message: str,
) -> None:
    import signal

    def unhandled(signum: int, frame: object) -> None:
        raise AssertionError("the command installed no SIGTERM handler")  # an exit 3 then

    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    monkeypatch.setattr("kinerja_batch.cli.run.run", stop)
    previous = signal.signal(signal.SIGTERM, unhandled)  # never the test process's death
    try:
        got, out, err = invoke(capsys, "run", str(inbox), "--out", str(tmp_path / "hasil"))
        assert signal.getsignal(signal.SIGTERM) == unhandled  # the command's handler is gone
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert got == code, out + err
    assert err.strip().splitlines()[-1] == message
    assert "kesalahan tak terduga" not in out + err
