"""The working folder's configuration file (`kinerja.toml`), written by `kinerja init`."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerja_batch.model import Granularity
from kinerja_batch.paths import (
    CRITERIA_FILE,
    INBOX,
    OUTPUT_FOLDER,
    ROSTER_FILE,
    WorkspacePaths,
)
from kinerja_batch.settings import RATING_METHODS

CONFIG_NAME = "kinerja.toml"
GRANULARITIES = tuple(g.value for g in Granularity)  # [periode] granularitas


class ConfigError(Exception):
    """The configuration file cannot be used; the message (Bahasa Indonesia) says why."""


@dataclass(frozen=True)
class EmailConfig:
    host: str
    port: int
    security: str  # starttls / ssl / tanpa
    user: str
    password_file: Path | None
    sender: str
    contact: str
    per_minute: int
    copy_to_supervisor: bool
    ca_file: Path | None


@dataclass(frozen=True)
class WorkspaceConfig:
    root: Path
    nama_instansi: str
    granularitas: str
    inbox: Path
    hasil: Path
    kriteria: Path
    pegawai: Path
    kata_sandi_templat: str | None
    email: EmailConfig | None = None
    pdf_password_rule: str = ""
    metode_penilaian: str = "bobot"  # [penilaian] metode: Settings.rating_method

    @property
    def paths(self) -> WorkspacePaths:
        return WorkspacePaths(self.root, self.inbox, self.hasil)

    def standing_file(self, key: str) -> Path:
        """The workbook named by `key` (`kriteria` or `pegawai`) of [folder]; ConfigError, naming
        the file and the key, when it is not there."""
        path = {"kriteria": self.kriteria, "pegawai": self.pegawai}[key]
        if not path.is_file():
            named = path.relative_to(self.root) if path.is_relative_to(self.root) else path
            missing = "bukan berkas" if path.exists() else "tidak ada"
            raise ConfigError(
                f"Buku kerja {path} {missing}. Berkas ini disebut di {self.root / CONFIG_NAME}, "
                f'bagian [folder]: {key} = "{named}". Letakkan berkasnya di sana, atau perbaiki '
                "jalurnya di kinerja.toml, lalu jalankan lagi."
            )
        return path

    def standing_files(self) -> list[Path]:
        """The criteria and the roster workbooks (once when both keys name one file)."""
        return list(dict.fromkeys(self.standing_file(key) for key in ("kriteria", "pegawai")))


Value = str | int | bool


@dataclass(frozen=True)
class Key:
    """One key of `kinerja.toml`: its name, the value `kinerja init` writes (and the value used when
    the key is left out), and the remark written after it."""

    name: str
    default: Value
    note: str = ""


@dataclass(frozen=True)
class Section:
    """One `[section]` of `kinerja.toml`, with the remark lines written above its keys."""

    name: str
    notes: tuple[str, ...]
    keys: tuple[Key, ...]


# Every section and key of kinerja.toml, in the order `kinerja init` writes them: `config_text`
# writes this, `load_config` reads it (defaults) and refuses any other name.
SECTIONS = (
    Section(
        "instansi",
        (
            "Nama yang tampil di kop PDF umpan balik bila sheet Pengaturan di kriteria.xlsx tidak "
            "mengisinya.",
        ),
        (Key("nama", ""),),
    ),
    Section(
        "periode",
        (
            'Lama satu periode penilaian: "bulanan" (satu bulan, misalnya 2026-11) atau '
            '"triwulanan"',
            "(satu triwulan, misalnya Triwulan III 2026 atau 2026-Q3; buku kerja yang menulis bulan "
            "atau tanggal",
            "dihitung ke triwulan tempat bulan itu berada).",
        ),
        (Key("granularitas", "bulanan", '"bulanan" atau "triwulanan"'),),
    ),
    Section(
        "penilaian",
        (
            'Cara menghitung rating: "bobot" (nilai berbobot dibandingkan dengan sheet Ambang, '
            "cara lokal),",
            'atau "butir" (cara resmi PermenPANRB 6/2022: setiap butir dibaca di bawah/sesuai/di '
            "atas ekspektasi,",
            "lalu mayoritas; lihat docs/format.md).",
        ),
        (Key("metode", "bobot", '"bobot" atau "butir"'),),
    ),
    Section(
        "folder",
        ("Semua jalur relatif terhadap folder yang berisi berkas ini.",),
        (
            Key("masukan", INBOX, "tempat laporan pegawai dan penilaian atasan diletakkan"),
            Key("hasil", OUTPUT_FOLDER, "PDF umpan balik dan ringkasan per periode"),
            Key(
                "kriteria",
                CRITERIA_FILE,
                "buku kerja kriteria (sheet Kriteria, Ambang, Pengaturan)",
            ),
            Key("pegawai", ROSTER_FILE, "daftar pegawai (sheet Pegawai)"),
        ),
    ),
    Section(
        "templat",
        (
            "Kata sandi proteksi sheet pada buku kerja yang dibuat `kinerja templat`.",
            "Kosong = sheet dikunci tanpa kata sandi (cukup untuk mencegah salah ketik).",
        ),
        (Key("kata_sandi", ""),),
    ),
    Section(
        "email",
        (
            "Pengiriman PDF umpan balik dengan `kinerja kirim`. Kosongkan host bila email tidak "
            "dipakai",
            "(gunakan `kinerja kirim --folder`). Kata sandi SMTP TIDAK ditulis di sini: isi variabel "
            "lingkungan",
            "KINERJA_SMTP_PASSWORD, atau sebutkan berkas yang hanya bisa dibaca pemiliknya "
            "(chmod 600).",
        ),
        (
            Key("host", ""),
            Key("port", 587),
            Key(
                "keamanan",
                "starttls",
                '"starttls", "ssl" (TLS langsung, biasanya port 465), atau "tanpa"',
            ),
            Key("pengguna", "", "nama pengguna SMTP; kosong bila server tidak meminta login"),
            Key("berkas_sandi", "", 'misalnya "/etc/kinerja/smtp-sandi"'),
            Key(
                "pengirim",
                "",
                'misalnya "Bagian Kepegawaian <kepegawaian@contoh.go.id>"',
            ),
            Key("kontak", "", "siapa yang dihubungi bila ada pertanyaan, ditulis di isi email"),
            Key("per_menit", 30, "batas jumlah email per menit"),
            Key(
                "tembusan_atasan",
                False,
                "true: atasan langsung juga menerima salinan PDF bawahannya",
            ),
            Key("sertifikat_ca", "", "berkas CA tambahan untuk server dengan sertifikat sendiri"),
        ),
    ),
    Section(
        "pdf",
        (
            'Kata sandi PDF per pegawai: "" (tanpa), atau "tanggal_lahir" (8 digit pertama NIP).',
            "Kata sandi tidak pernah ditulis di email.",
        ),
        (Key("kata_sandi", ""),),
    ),
)
KNOWN: dict[str, dict[str, Value]] = {s.name: {k.name: k.default for k in s.keys} for s in SECTIONS}
_NOTE_COLUMN = 26  # remarks after a key start in the same column


def _toml_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def config_text(nama_instansi: str) -> str:
    """The commented configuration `kinerja init` writes."""
    lines = [
        "# Konfigurasi kinerja-batch untuk kantor ini.",
        "# Baris yang diawali # adalah keterangan. Simpan berkas ini sebagai UTF-8.",
    ]
    for section in SECTIONS:
        lines += ["", f"[{section.name}]", *(f"# {note}" for note in section.notes)]
        for key in section.keys:
            default = (
                nama_instansi if (section.name, key.name) == ("instansi", "nama") else key.default
            )
            line = f"{key.name} = {_toml_value(default)}"
            lines.append(f"{line:<{_NOTE_COLUMN}} # {key.note}" if key.note else line)
    return "\n".join(lines) + "\n"


def _closest(name: str, known: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _check_names(data: dict[str, Any], path: Path) -> None:
    """Refuse a section or key `kinerja.toml` does not know (a misspelt one would otherwise be
    ignored silently and its default used), suggesting the closest known name."""
    for name, value in data.items():
        if name not in KNOWN and not isinstance(value, dict):  # a key above every [section]
            holders = [s for s, keys in KNOWN.items() if _closest(name, keys)]
            hint = (
                f" Mungkin maksudnya '{_closest(name, KNOWN[holders[0]])}' di bagian [{holders[0]}]?"
                if holders
                else ""
            )
            raise ConfigError(
                f"Kunci '{name}' di {path} tidak berada di bagian mana pun.{hint} Tulis setiap "
                "kunci di bawah judul bagiannya (misalnya [folder]), lalu jalankan lagi."
            )
        if name not in KNOWN:
            closest = _closest(name, KNOWN)
            hint = f" Mungkin maksudnya [{closest}]?" if closest else ""
            known = ", ".join(f"[{s}]" for s in KNOWN)
            raise ConfigError(
                f"Bagian [{name}] di {path} tidak dikenal.{hint} Bagian yang dikenal: {known}. "
                "Perbaiki penulisannya, lalu jalankan lagi."
            )
        if not isinstance(value, dict):
            continue  # reported by load_config: a section must be a table
        for key in value:
            if key not in KNOWN[name]:
                closest = _closest(key, KNOWN[name])
                hint = f" Mungkin maksudnya '{closest}'?" if closest else ""
                known = ", ".join(KNOWN[name])
                raise ConfigError(
                    f"Kunci '{key}' di bagian [{name}] {path} tidak dikenal.{hint} Kunci yang "
                    f"dikenal di [{name}]: {known}. Perbaiki penulisannya, lalu jalankan lagi."
                )


def find_config(start: Path) -> Path | None:
    path = start / CONFIG_NAME
    return path if path.is_file() else None


def load_config(path: Path) -> WorkspaceConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"Berkas konfigurasi {path} tidak bisa dibaca ({e}).") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(
            f"Berkas konfigurasi {path} tidak valid: {e}. Perbaiki penulisannya."
        ) from None
    _check_names(data, path)
    root = path.parent
    for name in KNOWN:
        if not isinstance(data.get(name, {}), dict):
            raise ConfigError(f"Bagian [{name}] di {path} harus berupa tabel.")

    def value(where: str, key: str) -> object:
        return data.get(where, {}).get(key, KNOWN[where][key])

    def text(where: str, key: str) -> str:
        found = value(where, key)
        if not isinstance(found, str):
            raise ConfigError(
                f"'{key}' di bagian [{where}] {path} harus berupa teks dalam tanda kutip."
            )
        return found

    granularitas = text("periode", "granularitas")
    if granularitas not in GRANULARITIES:
        closest = _closest(granularitas, GRANULARITIES)
        hint = f' Mungkin maksudnya "{closest}"?' if closest else ""
        raise ConfigError(
            f'granularitas di bagian [periode] {path} harus "bulanan" atau "triwulanan", bukan '
            f"'{granularitas}'.{hint} Perbaiki penulisannya, lalu jalankan lagi."
        )
    metode = text("penilaian", "metode")
    if metode not in RATING_METHODS:
        closest = _closest(metode, RATING_METHODS)
        hint = f' Mungkin maksudnya "{closest}"?' if closest else ""
        raise ConfigError(
            f'metode di bagian [penilaian] {path} harus "bobot" atau "butir", bukan '
            f"'{metode}'.{hint} Perbaiki penulisannya, lalu jalankan lagi."
        )
    password = text("templat", "kata_sandi")
    rule = text("pdf", "kata_sandi")
    if rule not in ("", "tanggal_lahir"):
        raise ConfigError(
            f'kata_sandi di bagian [pdf] harus "" atau "tanggal_lahir", bukan \'{rule}\'.'
        )
    email_config = None
    if text("email", "host"):
        security = text("email", "keamanan")
        if security not in ("starttls", "ssl", "tanpa"):
            raise ConfigError(
                f"keamanan di bagian [email] harus starttls, ssl, atau tanpa, bukan '{security}'."
            )
        port, per_minute = value("email", "port"), value("email", "per_menit")
        if not isinstance(port, int) or not isinstance(per_minute, int) or per_minute < 1:
            raise ConfigError("port dan per_menit di bagian [email] harus bilangan bulat positif.")
        copy = value("email", "tembusan_atasan")
        if not isinstance(copy, bool):
            raise ConfigError("tembusan_atasan di bagian [email] harus true atau false.")
        password_file = text("email", "berkas_sandi")
        ca_file = text("email", "sertifikat_ca")
        email_config = EmailConfig(
            host=text("email", "host"),
            port=port,
            security=security,
            user=text("email", "pengguna"),
            password_file=root / password_file if password_file else None,
            sender=text("email", "pengirim"),
            contact=text("email", "kontak"),
            per_minute=per_minute,
            copy_to_supervisor=copy,
            ca_file=root / ca_file if ca_file else None,
        )
    return WorkspaceConfig(
        root=root,
        nama_instansi=text("instansi", "nama"),
        granularitas=granularitas,
        inbox=root / text("folder", "masukan"),
        hasil=root / text("folder", "hasil"),
        kriteria=root / text("folder", "kriteria"),
        pegawai=root / text("folder", "pegawai"),
        kata_sandi_templat=password or None,
        email=email_config,
        pdf_password_rule=rule,
        metode_penilaian=metode,
    )
