"""Templates filled in a real spreadsheet program, as people fill them, and read back exactly.

`kinerja templat` writes the blank workbooks of a three-person office; LibreOffice (headless, one
process for the whole test session, driven through UNO by `libreoffice_fill.py` under the
system Python) types into every input cell under the `id-ID` locale (Indonesian decimals `85,5`,
percents `95%`, dates `15/12/2026`, long texts) and saves each workbook as .xlsx, .ods and .xls.
`kinerja run` then reads each format: every value must come back as typed, field by field, and
the feedback PDF must show it. The same LibreOffice prints the templates and the status workbook.

Skipped, with the reason, where `soffice` or the UNO bridge is missing; `.ci/run` installs both.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from kinerja_batch.findings import Severity
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Rating, ScoreSheet, SelfReport, Status
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.status import StatusRow, write_status
from kinerja_batch.validate.reports import read_score_sheet
from kinerja_batch.workbooks.contract import (
    CAPAIAN,
    NILAI,
    RENCANA_PERBAIKAN,
    TANTANGAN,
    UMPAN_BALIK,
    TableSheet,
)
from kinerja_batch.workbooks.reader import open_workbook

from factories import CRITERIA_ROWS, NIP_A, NIP_E1, NIP_E2, NIP_H, NIP_PPPK, Book, run_cli

FILLER = Path(__file__).resolve().parent / "libreoffice_fill.py"
SYSTEM_PYTHON = "/usr/bin/python3"
FORMATS = {  # suffix -> LibreOffice's filter
    "xlsx": "Calc MS Excel 2007 XML",
    "ods": "calc8",
    "xls": "MS Excel 97",
}
PERIODE = "2026-11"

# What LibreOffice reads as typing under id-ID: the profile's locale setting.
LOCALE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>id-ID</value></prop></item>
</oor:items>
"""


# --- one LibreOffice for the session --------------------------------------------------------------


@dataclass
class Office:
    """A headless LibreOffice listening on `port`, with its own profile."""

    port: int
    work: Path
    jobs: int = 0

    def run(self, books: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run `libreoffice_fill.py` on `books` (see its docstring); its JSON answer, per book."""
        self.jobs += 1
        job = self.work / f"job-{self.jobs}.json"
        job.write_text(json.dumps({"port": self.port, "books": books}), encoding="utf-8")
        done = subprocess.run(
            [SYSTEM_PYTHON, str(FILLER), str(job)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answer: list[dict[str, Any]] = json.loads(done.stdout)
        return answer

    def pdf(self, source: Path, target: Path) -> PdfReader:
        """`source` printed to PDF, as `soffice --convert-to pdf` prints it."""
        self.run([{"source": str(source), "outputs": [[str(target), "calc_pdf_Export"]]}])
        return PdfReader(target)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _missing_libreoffice() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} (the Python with LibreOffice's UNO bridge) is missing"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60, check=False
    )
    if probe.returncode != 0:
        return "the UNO bridge is not installed for the system Python; .ci/run installs python3-uno"
    return None


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    reason = _missing_libreoffice()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("libreoffice")
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LOCALE_PROFILE, encoding="utf-8")
    port = _free_port()
    soffice = subprocess.Popen(
        [
            str(shutil.which("soffice")),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: soffice starts soffice.bin under it
    )
    try:
        yield Office(port, work)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(soffice.pid, signal.SIGTERM)
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(soffice.pid, signal.SIGKILL)
            soffice.wait(timeout=30)


# --- the office and its templates -----------------------------------------------------------------


def invoke(*argv: str) -> tuple[int, str]:
    return run_cli(*argv)


PEGAWAI_HEADER: list[object] = [
    "NIP",
    "Nama",
    "Jabatan",
    "Unit Kerja",
    "Bidang",
    "NIP Atasan",
    "Email",
]
HEAD_ROW: list[object] = [NIP_H, "Drs. Hadi Santoso", "Sekretaris Daerah", "Setda", "Manajemen"]
A_ROW: list[object] = [NIP_A, "Ayu Lestari, S.Sos.", "Kepala Seksi", "Dukcapil", "Manajemen", NIP_H]


NAMES = {NIP_A: "Ayu Lestari, S.Sos.", NIP_E1: "Siti Aminah, S.E."}


def _staff(nip: str, nama: str) -> list[object]:
    return [nip, nama, "Petugas Loket", "Dukcapil", "Pelayanan Masyarakat", NIP_A]


def write_office(folder: Path, staff: list[list[object]]) -> tuple[Path, Path]:
    """The criteria (HK-PM-02 scored on 0-100) and a roster of the head, Ayu and `staff`."""
    criteria = [list(row) for row in CRITERIA_ROWS]
    criteria[3][5:7] = [0, 100]  # HK-PM-02 Kepuasan masyarakat
    folder.mkdir(parents=True, exist_ok=True)
    kriteria, pegawai = folder / "kriteria.xlsx", folder / "pegawai.xlsx"
    Book({"Kriteria": criteria}).write(kriteria)
    Book({"Pegawai": [PEGAWAI_HEADER, HEAD_ROW, A_ROW, *staff]}).write(pegawai)
    return kriteria, pegawai


def make_templates(folder: Path, staff: list[list[object]]) -> tuple[Path, Path, Path]:
    kriteria, pegawai = write_office(folder / "kantor", staff)
    templates = folder / "templat"
    code, out = invoke(
        "templat", "--periode", PERIODE, "--kriteria", str(kriteria), "--pegawai", str(pegawai),
        "--out", str(templates),
    )  # fmt: skip
    assert code == 0, out
    return kriteria, pegawai, templates


# --- what is typed, and what must be read -----------------------------------------------------------

LONG_TEXT = (
    "Pelayanan KTP elektronik dipercepat dengan antrean daring, jemput bola ke desa terpencil dan "
    "loket khusus lansia serta penyandang disabilitas; waktu tunggu rata-rata turun dari 45 menit "
    "menjadi 20 menit. Seluruh petugas dilatih ulang tentang standar pelayanan, pengaduan ditanggapi "
    "paling lambat satu hari kerja, dan hasil survei kepuasan dipajang di ruang tunggu setiap bulan. "
    "Kendala jaringan di kecamatan diatasi bersama dinas kominfo dengan jalur cadangan."
)
SCORES = {  # (nip, kode) -> (typed, read)
    (NIP_E1, "HK-PM-01"): ("4,5", 4.5),
    (NIP_E1, "HK-PM-02"): ("95%", 95.0),  # a 0-100 scale: the percent shown is the score
    (NIP_E1, "PK-01"): ("5", 5.0),
    (NIP_E1, "PK-02"): ("4", 4.0),
    (NIP_A, "HK-MN-01"): ("3,5", 3.5),
    (NIP_A, "PK-01"): ("4", 4.0),
    (NIP_A, "PK-02"): ("5", 5.0),
}
OVERRIDES = {  # nip -> (Rating Hasil Kerja, Rating Perilaku Kerja) typed
    NIP_E1: (Rating.DI_ATAS, Rating.DI_ATAS),  # as computed
    NIP_A: (Rating.SESUAI, Rating.SESUAI),  # Perilaku computed Di Atas: decided otherwise
}
TARGETS = (  # (Target, read, Realisasi, read, Satuan) per row of Capaian
    ("100", 100.0, "85,5", 85.5, "dokumen"),
    ("90%", 90.0, "85%", 85.0, "%"),
)
TIMES = (  # Target Waktu typed -> read: a date cell in Indonesian, text as typed
    ("15/12/2026", "15 Desember 2026"),
    ("Desember 2026", "1 Desember 2026"),  # LibreOffice makes it a date: it shows 01/12/26
    ("Triwulan I 2027", "Triwulan I 2027"),
    ("2027-01-31", "31 Januari 2027"),
    ("akhir Maret 2027", "akhir Maret 2027"),
)


@dataclass
class Plan:
    """What is typed into one workbook, and the record it must read back as."""

    template: Path
    cells: list[list[str]] = field(default_factory=list)  # [sheet, cell, text]
    expected: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)

    def type(self, sheet: str, ref: str, text: str) -> None:
        self.cells.append([sheet, ref, text])


def table_inputs(ws: Worksheet, declared: TableSheet) -> list[tuple[int, dict[str, str]]]:
    """The rows of a template's table that have input (unlocked) cells: (row, header -> cell)."""
    width = len(declared.headers)
    header = next(
        r
        for r in range(1, 20)
        if tuple(ws.cell(r, c).value for c in range(1, width + 1)) == declared.headers
    )
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        refs = {
            col.header: ws.cell(r, c).coordinate
            for c, col in enumerate(declared.columns, start=1)
            if ws.cell(r, c).protection.locked is False
        }
        if refs:
            rows.append((r, refs))
    return rows


def plan_self_report(path: Path) -> Plan:
    plan = Plan(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[CAPAIAN.name]
    rows = table_inputs(ws, CAPAIAN)
    first_kode = str(ws.cell(rows[0][0], 1).value)
    achievements: list[tuple[object, ...]] = []
    for i, (r, refs) in enumerate(rows):
        kode = str(ws.cell(r, 1).value or first_kode)
        if "Kode Kriteria" in refs:  # an extra row: the code is chosen from the list
            plan.type(CAPAIAN.name, refs["Kode Kriteria"], kode)
        target, target_read, realisasi, realisasi_read, satuan = (
            TARGETS[i] if i < len(TARGETS) else (str(10 + i), 10.0 + i, f"{i},25", i + 0.25, "kali")
        )
        indikator = f"Indikator {i + 1}: layanan selesai tepat waktu"
        uraian = LONG_TEXT if i == 0 else f"Uraian {i + 1}: dikerjakan bersama tim."
        bukti, bukti_read = (
            ("15/12/2026", "15 Desember 2026") if i == 0 else (f"Notula {i + 1}",) * 2
        )
        typed = {
            "Indikator": indikator,
            "Target": target,
            "Realisasi": realisasi,
            "Satuan": satuan,
            "Uraian": uraian,
            "Bukti": bukti,
        }
        assert set(refs) - {"Kode Kriteria"} == set(typed), refs  # every input cell is typed in
        for header, text in typed.items():
            plan.type(CAPAIAN.name, refs[header], text)
        read = (kode, indikator, target_read, realisasi_read, satuan, uraian, bukti_read)
        achievements.append(read)
    plan.expected["achievements"] = achievements
    challenges: list[tuple[object, ...]] = []
    for k, (_, refs) in enumerate(table_inputs(wb[TANTANGAN.name], TANTANGAN)):
        tantangan, dampak = f"Tantangan {k + 1}: server lambat", f"Dampak {k + 1}: antrean"
        plan.type(TANTANGAN.name, refs["Tantangan"], tantangan)
        plan.type(TANTANGAN.name, refs["Dampak"], dampak)
        challenges.append((tantangan, dampak))
    plan.expected["challenges"] = challenges
    plans: list[tuple[object, ...]] = []
    for k, (_, refs) in enumerate(table_inputs(wb[RENCANA_PERBAIKAN.name], RENCANA_PERBAIKAN)):
        rencana = f"Rencana {k + 1}: pelatihan aplikasi"
        waktu, waktu_read = TIMES[k % len(TIMES)]
        plan.type(RENCANA_PERBAIKAN.name, refs["Rencana"], rencana)
        plan.type(RENCANA_PERBAIKAN.name, refs["Target Waktu"], waktu)
        plans.append((rencana, waktu_read))
    plan.expected["plans"] = plans
    return plan


def plan_score_sheet(path: Path) -> Plan:
    plan = Plan(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[NILAI.name]
    scores: list[tuple[object, ...]] = []
    for i, (r, refs) in enumerate(table_inputs(ws, NILAI)):
        nip, kode = str(ws.cell(r, 1).value), str(ws.cell(r, 3).value)
        score, read = SCORES[(nip, kode)]
        catatan = LONG_TEXT if i == 0 else f"Catatan {kode}: konsisten sepanjang bulan."
        assert set(refs) == {"Nilai", "Catatan", "Ekspektasi Khusus"}
        plan.type(NILAI.name, refs["Nilai"], score)
        plan.type(NILAI.name, refs["Catatan"], catatan)
        khusus = f"Harapan pimpinan untuk {kode}: layanan tanpa antre." if i % 2 else ""
        if khusus:
            plan.type(NILAI.name, refs["Ekspektasi Khusus"], khusus)
        scores.append((nip, kode, read, catatan, khusus))
    plan.expected["scores"] = scores
    ub = wb[UMPAN_BALIK.name]
    feedback: list[tuple[object, ...]] = []
    for r, refs in table_inputs(ub, UMPAN_BALIK):
        nip = str(ub.cell(r, 1).value)
        umpan_balik = f"Kinerja terjaga.\n{LONG_TEXT}"
        rekomendasi = "Ikuti pelatihan analisis data; perluas layanan keliling."
        hasil, perilaku = OVERRIDES[nip]
        typed = {
            "Umpan Balik": umpan_balik,
            "Rekomendasi": rekomendasi,
            "Rating Hasil Kerja": hasil.value,
            "Rating Perilaku Kerja": perilaku.value,
        }
        assert set(refs) == set(typed), refs
        for header, text in typed.items():
            plan.type(UMPAN_BALIK.name, refs[header], text)
        feedback.append((nip, umpan_balik, rekomendasi, hasil, perilaku))
    plan.expected["feedback"] = feedback
    return plan


# --- filling, saving, running -------------------------------------------------------------------


@dataclass
class Filled:
    plans: dict[str, Plan]  # by template file name
    answers: dict[str, dict[str, Any]]  # LibreOffice's answer, by template file name
    folder: Path
    kriteria: Path
    pegawai: Path

    def inbox(self, suffix: str) -> Path:
        return self.folder / suffix


@pytest.fixture(scope="module")
def filled(office: Office, tmp_path_factory: pytest.TempPathFactory) -> Filled:
    folder = tmp_path_factory.mktemp("isi")
    kriteria, pegawai, templates = make_templates(folder, [_staff(NIP_E1, "Siti Aminah, S.E.")])
    plans = {}
    for path in sorted(templates.rglob("*.xlsx")):
        plan = plan_score_sheet(path) if path.name.startswith("penilaian_") else None
        plans[path.name] = plan or plan_self_report(path)
    assert len(plans) == 5  # three self-reports, two score sheets (the head's and Ayu's)
    books = [
        {
            "source": str(plan.template),
            "cells": plan.cells,
            "outputs": [
                [str(folder / suffix / (plan.template.stem + "." + suffix)), filter_name]
                for suffix, filter_name in FORMATS.items()
            ],
        }
        for plan in plans.values()
    ]
    for suffix in FORMATS:
        (folder / suffix).mkdir()
    answers = dict(zip(plans, office.run(books), strict=True))
    return Filled(plans, answers, folder, kriteria, pegawai)


def _records(filled: Filled, suffix: str) -> dict[str, SelfReport | ScoreSheet]:
    loaded = load_inbox(
        filled.inbox(suffix), Settings(), NoProgress(), standing=[filled.kriteria, filled.pegawai]
    )
    assert [f for f in loaded.findings if f.severity != Severity.INFO] == []
    records: dict[str, SelfReport | ScoreSheet] = {}
    for person in loaded.person_files:
        assert person.findings == [], person.findings
        assert person.record is not None
        records[Path(person.name).stem + ".xlsx"] = person.record
    return records


def test_libreoffice_read_the_typing_as_a_person_in_indonesia_would(filled: Filled) -> None:
    """The test types what it means to: id-ID decimals and percents, dates."""
    (penilaian,) = [
        a for name, a in filled.answers.items() if name.startswith(f"penilaian_{NIP_A}")
    ]
    shown = set(penilaian["shown"].values())
    assert "4,5" in shown and "95,00%" in shown
    (laporan,) = [a for name, a in filled.answers.items() if name.startswith(f"laporan_{NIP_E1}")]
    assert "85,5" in laporan["shown"].values() and "15/12/26" in laporan["shown"].values()


def test_no_input_cell_is_refused_by_its_validation(filled: Filled) -> None:
    """LibreOffice's Mark Invalid Data: on a blank template only the scores are marked (they must
    be filled; every other input may stay blank), and nothing once every input is typed in."""
    for name, answer in filled.answers.items():
        before = {sheet for sheet, _ in answer["invalid_before"]}
        assert before == ({"Nilai"} if name.startswith("penilaian_") else set()), name
        if name.startswith("penilaian_"):
            scores = filled.plans[name].expected["scores"]
            assert len(answer["invalid_before"]) == len(scores)
        assert answer["invalid_after"] == [], name


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_every_typed_value_reads_back(filled: Filled, suffix: str) -> None:
    records = _records(filled, suffix)
    assert sorted(records) == sorted(filled.plans)
    for name, plan in filled.plans.items():
        record = records[name]
        if isinstance(record, SelfReport):
            achievements = [
                (a.kode, a.indikator, a.target, a.realisasi, a.satuan, a.uraian, a.bukti)
                for a in record.achievements
            ]
            assert achievements == plan.expected["achievements"], (suffix, name)
            challenges = [(c.tantangan, c.dampak) for c in record.challenges]
            assert challenges == plan.expected["challenges"], (suffix, name)
            plans = [(p.rencana, p.target_waktu) for p in record.plans]
            assert plans == plan.expected["plans"], (suffix, name)
        else:
            scores = [
                (s.nip, s.kode, s.nilai, s.catatan, s.ekspektasi_khusus) for s in record.scores
            ]
            assert scores == plan.expected["scores"], (suffix, name)
            feedback = [
                (f.nip, f.umpan_balik, f.rekomendasi, f.override_hasil, f.override_perilaku)
                for f in record.feedback
            ]
            assert feedback == plan.expected["feedback"], (suffix, name)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    out: Path

    def pdf_text(self, nip: str) -> str:
        """The feedback PDF's text, whitespace folded, without the running footer (`Siti Aminah,
        S.E. · NIP ... Halaman 2 dari 4`), so a table split across pages reads as one."""
        (path,) = (self.out / "umpan_balik").glob(f"{nip}_*.pdf")
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
        footer = rf"{re.escape(NAMES[nip])} · NIP [\d ]+ Umpan Balik Kinerja · .*? Halaman \d+ dari \d+ ?"
        return re.sub(footer, "", text)


@pytest.fixture(scope="module")
def runs(filled: Filled) -> dict[str, Run]:
    done = {}
    for suffix in FORMATS:
        out = filled.folder / f"hasil-{suffix}"
        code, stdout = invoke(
            "run", str(filled.inbox(suffix)), "--out", str(out), "--periode", PERIODE,
            "--kriteria", str(filled.kriteria), "--pegawai", str(filled.pegawai),
        )  # fmt: skip
        done[suffix] = Run(code, stdout, out / PERIODE)
    return done


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start) + len(start)
    return text[begin : text.index(end, begin)]


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_the_run_scores_what_was_typed(runs: dict[str, Run], suffix: str) -> None:
    run = runs[suffix]
    assert run.code == 0, run.stdout
    assert "2 pegawai dinilai, 1 belum dinilai" in run.stdout
    # The one warning: Ayu heads Dukcapil (derived from the roster) and the starter criteria
    # workbook sets no Capaian Kinerja Organisasi, so her computed rating stands.
    assert "Temuan: 0 galat, 1 peringatan" in run.stdout
    assert "(capaian-kepala-unit-tidak-ada)" in run.stdout
    wb = openpyxl.load_workbook(run.out / f"ringkasan_{PERIODE}.xlsx")
    rows = list(wb["Pegawai"].iter_rows(values_only=True))
    col = {str(h): i for i, h in enumerate(rows[0])}
    siti = next(r for r in rows[1:] if r[0] == NIP_E1)
    # 60% x (4,5 on 1-5 = 87,5) + 40% x (95% on 0-100 = 95) = 90,5: Di Atas; 0,95 would give 52,9
    assert siti[col["Nilai Hasil Kerja"]] == pytest.approx(90.5)
    assert siti[col["Nilai Perilaku Kerja"]] == pytest.approx(87.5)
    assert siti[col["Predikat"]] == "Sangat Baik"
    ayu = next(r for r in rows[1:] if r[0] == NIP_A)
    assert ayu[col["Rating Perilaku Kerja"]] == "Sesuai Ekspektasi"  # the supervisor's decision
    assert ayu[col["Status"]] == Status.DINILAI


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_the_pdf_shows_what_was_typed(runs: dict[str, Run], filled: Filled, suffix: str) -> None:
    text = runs[suffix].pdf_text(NIP_E1)
    packed = "".join(text.split())  # narrow cells wrap inside words
    assert re.search(r"Kepuasan masyarakat \(HK-PM-02\) Puas 40 95 0-100 95,0", text), text
    assert "90,5" in text and "Sangat Baik" in text
    (report,) = [p for n, p in filled.plans.items() if n.startswith(f"laporan_{NIP_E1}")]
    assert "Waktu layanan" not in text  # (the factories' text: this one is the typed one)
    # Capaian: the percent typed as 90% and 85% reads 90 and 85 (not 0,9), achieved 94,4%.
    assert re.search(r"Indikator 2: layanan selesai tepat waktu \(HK-PM-02\) 90 85 % 94,4%", text)
    assert re.search(r"100 85,5 dokumen 85,5%", text)
    assert "".join(LONG_TEXT.split()) in packed
    assert "Bukti: 15 Desember 2026" in text
    # Tantangan: exactly the ten typed, in order; neither the title nor the name above the table.
    challenges = _between(text, "Tantangan Tantangan Dampak ", " Rencana Perbaikan Rencana")
    typed = " ".join(f"{t} {d}" for t, d in report.expected["challenges"])
    assert challenges == typed
    plans = _between(text, "Rencana Perbaikan Rencana Target Waktu ", " Umpan Balik")
    assert plans == " ".join(f"{r} {w}" for r, w in report.expected["plans"])
    assert "15 Desember 2026" in plans and "31 Januari 2027" in plans
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # never an ISO date
    assert "".join(f"Kinerjaterjaga.{LONG_TEXT}".split()) in packed
    assert "Ikuti pelatihan analisis data; perluas layanan keliling." in text
    ayu = runs[suffix].pdf_text(NIP_A)
    assert "(diputuskan pejabat penilai; hasil hitungan: Di Atas Ekspektasi)" in ayu


def test_summary_numbers_follow_the_readers_locale(
    runs: dict[str, Run], office: Office, tmp_path: Path
) -> None:
    """The summary's one-decimal format (`0.0`) is a pattern, not a text: a spreadsheet program
    shows it with its reader's decimal separator, `90,5` under id-ID."""
    summary = runs["xlsx"].out / f"ringkasan_{PERIODE}.xlsx"
    wb = openpyxl.load_workbook(summary)
    ws = wb["Pegawai"]
    header = [c.value for c in ws[1]]
    column = header.index("Nilai Hasil Kerja") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == NIP_E1)
    ref = ws.cell(row, column).coordinate
    (answer,) = office.run([{"source": str(summary), "read": [["Pegawai", ref]]}])
    assert answer["shown"][f"Pegawai!{ref}"] == "90,5"


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_error_values_and_hidden_rows_are_seen_in_every_format(
    office: Office, filled: Filled, tmp_path: Path, suffix: str
) -> None:
    """`=1/0` typed as a score is `#DIV/0!` at that cell (not a blank); a hidden row and column
    are reported, in xlsx, ods and xls alike."""
    (name,) = [n for n in filled.plans if n.startswith(f"penilaian_{NIP_A}")]
    plan = filled.plans[name]
    cells = [c if c[:2] != ["Nilai", "F4"] else ["Nilai", "F4", "=1/0"] for c in plan.cells]
    target = tmp_path / f"penilaian.{suffix}"
    office.run(
        [
            {
                "source": str(plan.template),
                "cells": cells,
                "hide": [["Nilai", "G5"]],  # row 5 (E1's HK-PM-02) and the Catatan column
                "outputs": [[str(target), FORMATS[suffix]]],
            }
        ]
    )
    book = open_workbook(
        target, target.name, ["Identitas", "Nilai", "Umpan Balik"], Settings().limits
    )
    _, findings = read_score_sheet(book)
    got = {(f.code, f.sheet, f.cell) for f in findings}
    assert got == {
        ("sel-galat-excel", "Nilai", "F4"),
        ("baris-tersembunyi", "Nilai", "A5"),
        ("kolom-tersembunyi", "Nilai", "G3"),
    }
    assert "#DIV/0!" in next(f.message for f in findings if f.code == "sel-galat-excel")


# --- printing ------------------------------------------------------------------------------------

FIVE_STAFF = [
    _staff(NIP_E1, "Siti Aminah, S.E."),
    _staff(NIP_E2, "Budi Hartono"),
    _staff(NIP_PPPK, "Made Wirawan, A.Md."),
    _staff("199103152016031001", "Rudi Setiawan"),
    _staff("199207202017042002", "Dewi Kartika, S.Kom."),
]


def _pages_by_sheet(reader: PdfReader) -> dict[str, list[str]]:
    """Each page's text, by the sheet its footer names (`Nilai - halaman 3 dari 7`)."""
    pages: dict[str, list[str]] = {}
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        m = re.search(r"(\w[\w ]*?) - halaman \d+ dari \d+", text)
        assert m, text
        pages.setdefault(m.group(1), []).append(text)
    return pages


def test_templates_print_on_a4_one_page_wide(office: Office, tmp_path: Path) -> None:
    _, _, templates = make_templates(tmp_path, FIVE_STAFF)
    (penilaian,) = templates.rglob(f"penilaian_{NIP_A}_*.xlsx")
    reader = office.pdf(penilaian, tmp_path / "penilaian.pdf")
    for page in reader.pages:  # A4, landscape or portrait
        size = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
        assert size == [595, 842]
    pages = _pages_by_sheet(reader)
    assert list(pages) == ["Petunjuk", "Identitas", "Nilai", "Umpan Balik"]
    assert all(len(texts) <= 2 for texts in pages.values()), {k: len(v) for k, v in pages.items()}
    for text in pages["Nilai"]:  # the header row on every page, beside the values
        assert "NIP Nama Kode Kriteria Kriteria Skala Nilai Catatan" in text
        assert re.search(r"\d{18} \S", text)
    assert sum(text.count("Berorientasi Pelayanan") for text in pages["Nilai"]) == 5
    for text in pages["Umpan Balik"]:
        assert "NIP Nama Umpan Balik Rekomendasi" in text and "Dewi Kartika" in "".join(
            pages["Umpan Balik"]
        )
    assert "NIP Penilai" in pages["Identitas"][0] and NIP_A in pages["Identitas"][0]
    (laporan,) = templates.rglob(f"laporan_{NIP_E1}_*.xlsx")
    pages = _pages_by_sheet(office.pdf(laporan, tmp_path / "laporan.pdf"))
    assert list(pages) == ["Petunjuk", "Identitas", "Capaian", "Tantangan", "Rencana Perbaikan"]
    assert all(len(texts) == 1 for texts in pages.values()), {k: len(v) for k, v in pages.items()}
    assert (
        "Kode Kriteria Kriteria Indikator Target Realisasi Satuan Uraian Bukti"
        in pages["Capaian"][0]
    )


def test_starter_workbooks_print_on_a4_one_page_wide(office: Office, tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    code, out = invoke("init", str(folder))
    assert code == 0, out
    pages = _pages_by_sheet(office.pdf(folder / "pegawai.xlsx", tmp_path / "pegawai.pdf"))
    assert list(pages) == ["Petunjuk", "Pegawai"]
    assert len(pages["Pegawai"]) == 1  # the 2,000 rows formatted as Text print nothing
    assert "NIP Nama Jabatan Unit Kerja Bidang NIP Atasan Email" in pages["Pegawai"][0]
    pages = _pages_by_sheet(office.pdf(folder / "kriteria.xlsx", tmp_path / "kriteria.pdf"))
    assert list(pages) == ["Petunjuk", "Kriteria", "Ambang", "Pengaturan", "Capaian Organisasi"]
    assert all(len(texts) == 1 for texts in pages.values()), {k: len(v) for k, v in pages.items()}
    # The rows left for HR's own criteria may stay blank: none is marked as invalid data.
    (answer,) = office.run([{"source": str(folder / "kriteria.xlsx")}])
    assert answer["invalid_before"] == []


def test_status_workbook_prints_landscape_with_headers_on_every_page(
    office: Office, tmp_path: Path
) -> None:
    rows = [
        StatusRow(
            f"Unit {i // 20 + 1}",
            f"19900214201503{i:04d}",
            f"Pegawai Nomor {i}",
            "Pengadministrasi Umum",
            "Ayu Lestari, S.Sos.",
            Status.BELUM_DINILAI,
            "Laporan sudah diterima; penilaian atasan belum diterima.",
        )
        for i in range(90)
    ]
    path = tmp_path / "status.xlsx"
    write_status(rows, "Status Penilaian November 2026", path)
    reader = office.pdf(path, tmp_path / "status.pdf")
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
        text = " ".join(page.extract_text().split())
        assert "Unit Kerja NIP Nama Jabatan Atasan Langsung Status Keterangan" in text
        assert "penilaian atasan belum diterima." in text  # the last column is on the page
