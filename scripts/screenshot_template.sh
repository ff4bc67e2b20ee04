#!/usr/bin/env bash
# Regenerate docs/img/templat-penilaian.png: a generated supervisor workbook (from sample_data),
# with two scores typed in, opened in LibreOffice Calc on a virtual screen.
# Needs: Xvfb, xdotool, ImageMagick's `import`, and LibreOffice Calc with its GUI (libreoffice-calc).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
kinerja templat --periode 2026-11 --kriteria "$root/sample_data/kriteria.xlsx" \
  --pegawai "$root/sample_data/pegawai.xlsx" --out "$work/templat" >/dev/null
python - "$work" <<'PY'
import sys
from pathlib import Path

import openpyxl

work = Path(sys.argv[1])
source = next((work / "templat").rglob("penilaian_196812091992082833_*.xlsx"))
wb = openpyxl.load_workbook(source)
wb.active = wb.sheetnames.index("Nilai")
for ws in wb.worksheets:
    ws.sheet_view.tabSelected = ws.title == "Nilai"
ws = wb["Nilai"]
ws["F4"], ws["F5"] = 5, 4
ws["G4"] = "Materi pelatihan dipakai di 12 sekolah binaan."
wb.save(work / "penilaian_contoh.xlsx")
PY
Xvfb :77 -screen 0 1500x820x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 2
DISPLAY=:77 SAL_USE_VCLPLUGIN=gen soffice --calc --norestore \
  "-env:UserInstallation=file://$work/profile" "$work/penilaian_contoh.xlsx" >/dev/null 2>&1 &
sleep 25
wid=$(DISPLAY=:77 xdotool search --name "penilaian_contoh" | head -1)
DISPLAY=:77 xdotool windowsize "$wid" 1500 820 windowmove "$wid" 0 0
sleep 2
DISPLAY=:77 xdotool mousemove 960 489 click 1   # "Did you know?" dialog: OK
sleep 1
DISPLAY=:77 xdotool mousemove 1441 126 click 1  # first-start info bar: close
sleep 1
DISPLAY=:77 xdotool mousemove 1106 300 click 1  # select an empty score cell (shows its prompt)
sleep 2
DISPLAY=:77 import -window root -crop 1500x780+0+0 "$root/docs/img/templat-penilaian.png"
pkill -f "$work/profile" || true
