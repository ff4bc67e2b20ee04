"""The working folder's configuration file (`kinerja.toml`), written by `kinerja init`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerja_batch.paths import (
    CRITERIA_FILE,
    INBOX,
    OUTPUT_FOLDER,
    ROSTER_FILE,
    WorkspacePaths,
)

CONFIG_NAME = "kinerja.toml"


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

    @property
    def paths(self) -> WorkspacePaths:
        return WorkspacePaths(self.root, self.inbox, self.hasil)


def config_text(nama_instansi: str) -> str:
    """The commented configuration `kinerja init` writes."""
    escaped = nama_instansi.replace("\\", "\\\\").replace('"', '\\"')
    return f"""\
# Konfigurasi kinerja-batch untuk kantor ini.
# Baris yang diawali # adalah keterangan. Simpan berkas ini sebagai UTF-8.

[instansi]
# Nama yang tampil di kop PDF umpan balik bila sheet Pengaturan di kriteria.xlsx tidak mengisinya.
nama = "{escaped}"

[periode]
# Granularitas penilaian. Saat ini hanya "bulanan" (periode = satu bulan, misalnya 2026-11).
granularitas = "bulanan"

[folder]
# Semua jalur relatif terhadap folder yang berisi berkas ini.
masukan = "inbox"          # tempat laporan pegawai dan penilaian atasan diletakkan
hasil = "hasil"            # PDF umpan balik dan ringkasan per periode
kriteria = "kriteria.xlsx" # buku kerja kriteria (sheet Kriteria, Ambang, Pengaturan)
pegawai = "pegawai.xlsx"   # daftar pegawai (sheet Pegawai)

[templat]
# Kata sandi proteksi sheet pada buku kerja yang dibuat `kinerja templat`.
# Kosong = sheet dikunci tanpa kata sandi (cukup untuk mencegah salah ketik).
kata_sandi = ""

[email]
# Pengiriman PDF umpan balik dengan `kinerja kirim`. Kosongkan host bila email tidak dipakai
# (gunakan `kinerja kirim --folder`). Kata sandi SMTP TIDAK ditulis di sini: isi variabel lingkungan
# KINERJA_SMTP_PASSWORD, atau sebutkan berkas yang hanya bisa dibaca pemiliknya (chmod 600).
host = ""
port = 587
keamanan = "starttls"      # "starttls", "ssl" (TLS langsung, biasanya port 465), atau "tanpa"
pengguna = ""              # nama pengguna SMTP; kosong bila server tidak meminta login
berkas_sandi = ""          # misalnya "/etc/kinerja/smtp-sandi"
pengirim = ""              # misalnya "Bagian Kepegawaian <kepegawaian@contoh.go.id>"
kontak = ""                # siapa yang dihubungi bila ada pertanyaan, ditulis di isi email
per_menit = 30             # batas jumlah email per menit
tembusan_atasan = false    # true: atasan langsung juga menerima salinan PDF bawahannya
sertifikat_ca = ""         # berkas CA tambahan untuk server dengan sertifikat sendiri

[pdf]
# Kata sandi PDF per pegawai: "" (tanpa), atau "tanggal_lahir" (8 digit pertama NIP).
# Kata sandi tidak pernah ditulis di email.
kata_sandi = ""
"""


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
    root = path.parent

    def section(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"Bagian [{name}] di {path} harus berupa tabel.")
        return value

    def text(table: dict[str, Any], key: str, where: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(
                f"'{key}' di bagian [{where}] {path} harus berupa teks dalam tanda kutip."
            )
        return value

    instansi, periode, folder, templat = (
        section(n) for n in ("instansi", "periode", "folder", "templat")
    )
    granularitas = text(periode, "granularitas", "periode", "bulanan")
    if granularitas != "bulanan":
        raise ConfigError(
            f"Granularitas '{granularitas}' belum didukung; tulis granularitas = \"bulanan\"."
        )
    password = text(templat, "kata_sandi", "templat", "")
    email, pdf = section("email"), section("pdf")
    rule = text(pdf, "kata_sandi", "pdf", "")
    if rule not in ("", "tanggal_lahir"):
        raise ConfigError(
            f'kata_sandi di bagian [pdf] harus "" atau "tanggal_lahir", bukan \'{rule}\'.'
        )
    email_config = None
    if text(email, "host", "email", ""):
        security = text(email, "keamanan", "email", "starttls")
        if security not in ("starttls", "ssl", "tanpa"):
            raise ConfigError(
                f"keamanan di bagian [email] harus starttls, ssl, atau tanpa, bukan '{security}'."
            )
        port, per_minute = email.get("port", 587), email.get("per_menit", 30)
        if not isinstance(port, int) or not isinstance(per_minute, int) or per_minute < 1:
            raise ConfigError("port dan per_menit di bagian [email] harus bilangan bulat positif.")
        copy = email.get("tembusan_atasan", False)
        if not isinstance(copy, bool):
            raise ConfigError("tembusan_atasan di bagian [email] harus true atau false.")
        password_file = text(email, "berkas_sandi", "email", "")
        ca_file = text(email, "sertifikat_ca", "email", "")
        email_config = EmailConfig(
            host=text(email, "host", "email", ""),
            port=port,
            security=security,
            user=text(email, "pengguna", "email", ""),
            password_file=root / password_file if password_file else None,
            sender=text(email, "pengirim", "email", ""),
            contact=text(email, "kontak", "email", ""),
            per_minute=per_minute,
            copy_to_supervisor=copy,
            ca_file=root / ca_file if ca_file else None,
        )
    return WorkspaceConfig(
        root=root,
        nama_instansi=text(instansi, "nama", "instansi", ""),
        granularitas=granularitas,
        inbox=root / text(folder, "masukan", "folder", INBOX),
        hasil=root / text(folder, "hasil", "folder", OUTPUT_FOLDER),
        kriteria=root / text(folder, "kriteria", "folder", CRITERIA_FILE),
        pegawai=root / text(folder, "pegawai", "folder", ROSTER_FILE),
        kata_sandi_templat=password or None,
        email=email_config,
        pdf_password_rule=rule,
    )
