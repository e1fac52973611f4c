#!/usr/bin/env bash
# The rule, service, page and security tests with the whole process's clock set by libfaketime to
# moments where date code breaks, so a test that reads the real date or hour shows up here and not on
# a newcomer's unlucky day. The clock starts at the moment and runs on (31/12 23:58 crosses midnight
# during the run). Moments are Vietnam time: the tests run with TZ=Asia/Ho_Chi_Minh.
# Left out, to stay within about four minutes: the Chromium browser tests, the HTML validator (Java)
# and the POST fuzzer (a minute and a half of nasty values, none of them a date); the full suite runs
# them at the real date.
#
#   scripts/any_date.sh               every moment, one after another
#   scripts/any_date.sh 3             one moment by number (0-4, as listed below)
#   scripts/any_date.sh saturday      one moment by name
#   scripts/any_date.sh 3 -k board   anything after the moment goes to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

MOMENTS=(
  "new-year-eve|2026-12-31 23:58:00"    # two minutes before the year turns
  "tet-friday|2027-01-29 15:30:00"      # last working Friday before the Tết break (04-10/02/2027), after the 15:00 cut-off
  "quarter-morning|2027-04-01 07:30:00" # first morning of a quarter, at opening time
  "saturday|2026-12-05 10:00:00"        # a Saturday, after the Saturday morning opening
  "leap-day|2028-02-29 09:00:00"        # 29/02 of a leap year
)
TESTS=(tests/rules tests/services tests/web tests/security
       --ignore=tests/security/test_html_validator.py --ignore=tests/security/test_fuzz_forms.py)

if ! command -v faketime >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq faketime >/dev/null
fi
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON=python3

chosen=()
if [ $# -gt 0 ]; then
  wanted=$1
  shift
  for index in "${!MOMENTS[@]}"; do
    if [ "$wanted" = "$index" ] || [ "$wanted" = "${MOMENTS[$index]%%|*}" ]; then
      chosen=("${MOMENTS[$index]}")
    fi
  done
  if [ ${#chosen[@]} -eq 0 ]; then
    echo "Unknown moment '$wanted'. Choose a number 0-$((${#MOMENTS[@]} - 1)) or a name:" >&2
    printf '  %s\n' "${MOMENTS[@]}" >&2
    exit 2
  fi
else
  chosen=("${MOMENTS[@]}")
fi

failed=()
for moment in "${chosen[@]}"; do
  name=${moment%%|*}
  at=${moment#*|}
  echo "== $name: $at (Asia/Ho_Chi_Minh)"
  if ! TZ=Asia/Ho_Chi_Minh faketime -f "@$at" "$PYTHON" -m pytest -p no:cacheprovider -q "${TESTS[@]}" "$@"; then
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed at: ${failed[*]}" >&2
  exit 1
fi
echo "Passed at every moment run: ${#chosen[@]}"
