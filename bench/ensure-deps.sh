#!/usr/bin/env bash
# What the benchmark needs beyond building and testing: everything scripts/ensure-deps.sh installs,
# plus Debian's NumPy and scikit-learn for /usr/bin/python3 (the workload generator and the peer)
# and GNU time (/usr/bin/time, the native peak memory). Installed through apt as root; otherwise
# prints what to install and fails. Fast and silent when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

missing=()
/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1 || missing+=(python3-numpy)
/usr/bin/python3 -c 'import sklearn' > /dev/null 2>&1 || missing+=(python3-sklearn)
[ -x /usr/bin/time ] || missing+=(time)

bash scripts/apt-install.sh ${missing[@]+"${missing[@]}"}
