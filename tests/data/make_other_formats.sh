#!/usr/bin/env bash
# Regenerate the .ods and .xls fixtures: the valid inbox of tests/factories.py, converted by
# LibreOffice (as an office would save them). Needs `soffice` on PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
(cd "$here/.." && python -c "
from pathlib import Path
from factories import valid_inbox, write_with_specials
write_with_specials(valid_inbox(), Path('$work/src'))
")
soffice --headless --convert-to ods --outdir "$here" "$work/src/laporan_e1.xlsx"
soffice --headless --convert-to xls --outdir "$here" "$work/src/penilaian_a.xlsx"
