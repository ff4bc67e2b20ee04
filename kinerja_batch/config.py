"""The working folder's configuration file (`kinerja.toml`), written by `kinerja init`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_NAME = "kinerja.toml"


class ConfigError(Exception):
    """The configuration file cannot be used; the message (Bahasa Indonesia) says why."""


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

# [email]
# Pengaturan pengiriman email umpan balik akan ditambahkan di sini.
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
    return WorkspaceConfig(
        root=root,
        nama_instansi=text(instansi, "nama", "instansi", ""),
        granularitas=granularitas,
        inbox=root / text(folder, "masukan", "folder", "inbox"),
        hasil=root / text(folder, "hasil", "folder", "hasil"),
        kriteria=root / text(folder, "kriteria", "folder", "kriteria.xlsx"),
        pegawai=root / text(folder, "pegawai", "folder", "pegawai.xlsx"),
        kata_sandi_templat=password or None,
    )
