"""A working folder for an office (`kinerja init`) and the blank workbooks of a period
(`kinerja templat`). Neither ever overwrites a file that exists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_batch.config import CONFIG_NAME, config_text
from kinerja_batch.findings import Finding, blocked_nips
from kinerja_batch.fsutil import slug
from kinerja_batch.loading import NoProgress, Progress, load_inbox
from kinerja_batch.model import Employee, Periode
from kinerja_batch.paths import CRITERIA_FILE, INBOX, LOG_FOLDER, ROSTER_FILE
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.forms import write_score_sheet, write_self_report
from kinerja_batch.workbooks.starter import write_starter_criteria, write_starter_roster


@dataclass
class Written:
    """What a command wrote, and what it left alone because it existed already."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def claim(self, path: Path) -> bool:
        """True (and recorded as created) when `path` may be written: it does not exist yet."""
        if path.exists():
            self.kept.append(path)
            return False
        self.created.append(path)
        return True


@dataclass
class Templates(Written):
    """`kinerja templat`: the blank workbooks written, by kind."""

    self_reports: list[Path] = field(default_factory=list)
    score_sheets: list[Path] = field(default_factory=list)


def init_workspace(folder: Path, nama_instansi: str) -> Written:
    """Create `folder` with `inbox/`, `kinerja.toml`, and starter `kriteria.xlsx` and `pegawai.xlsx`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = Written()
    for sub in (INBOX, LOG_FOLDER):
        if (folder / sub).exists():
            written.kept.append(folder / sub)
        else:
            (folder / sub).mkdir()
            written.created.append(folder / sub)

    if written.claim(folder / CONFIG_NAME):
        (folder / CONFIG_NAME).write_text(config_text(nama_instansi), encoding="utf-8")
    if written.claim(folder / CRITERIA_FILE):
        write_starter_criteria(folder / CRITERIA_FILE, nama_instansi)
    if written.claim(folder / ROSTER_FILE):
        write_starter_roster(folder / ROSTER_FILE)
    return written


def write_templates(
    kriteria: Path,
    pegawai: Path,
    periode: Periode,
    out: Path,
    settings: Settings,
    password: str | None = None,
    progress: Progress | None = None,
) -> Templates:
    """Check the criteria and roster like `run` does (RunStopped for what stops a run), then write a
    self-report per employee and a score sheet per supervisor, in one folder per unit."""
    progress = progress or NoProgress()
    loaded = load_inbox(None, settings, progress, standing=[kriteria, pegawai])
    written = Templates(findings=list(loaded.findings))
    blocked = blocked_nips(loaded.findings)
    roster = [e for e in loaded.roster if e.nip not in blocked]
    by_nip = {e.nip: e for e in loaded.roster}
    subordinates: dict[str, list[Employee]] = defaultdict(list)
    for e in roster:
        if e.nip_atasan in by_nip:
            subordinates[e.nip_atasan].append(e)

    def folder_of(employee: Employee) -> Path:
        return out / slug(employee.unit_kerja or "tanpa_unit")

    progress.start(f"Membuat templat {periode.label}", len(roster) + len(subordinates))
    for e in roster:
        path = folder_of(e) / f"laporan_{e.nip}_{slug(e.nama)}.xlsx"
        if written.claim(path):
            atasan = by_nip.get(e.nip_atasan or "")
            write_self_report(path, e, atasan, loaded.criteria, periode, password)
            written.self_reports.append(path)
        progress.advance()
    for nip, team in subordinates.items():
        penilai = by_nip[nip]
        path = folder_of(penilai) / f"penilaian_{penilai.nip}_{slug(penilai.nama)}.xlsx"
        if written.claim(path):
            write_score_sheet(path, penilai, team, loaded.criteria, periode, password)
            written.score_sheets.append(path)
        progress.advance()
    progress.finish()
    return written
