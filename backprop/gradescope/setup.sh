#!/usr/bin/env bash
# Gradescope runs this once, as root and with network access, when it builds the autograder's image
# (Ubuntu base image). It installs Python 3.11 and the pinned packages of requirements.txt under
# /opt/backprop, readable by everyone, and creates the unprivileged user student code runs as.
# Settings (for a trial run outside Gradescope):
#   AUTOGRADER_ROOT          the root (default /autograder)
#   BACKPROP_PREFIX          where Python and the packages go (default /opt/backprop)
#   BACKPROP_SANDBOX_USER    the account to create (default backprop-student)
#   BACKPROP_PYTHON_REQUEST  a Python version uv finds or downloads, or an interpreter's path (default 3.11.7,
#                            the version requirements.txt was pinned with: some pins need 3.11.5 or later)
#   BACKPROP_SKIP_APT=1      do not install Ubuntu's python3 and python3-venv (already there)
set -euo pipefail
umask 022

root="${AUTOGRADER_ROOT:-/autograder}"
prefix="${BACKPROP_PREFIX:-/opt/backprop}"
sandbox_user="${BACKPROP_SANDBOX_USER:-backprop-student}"
python_request="${BACKPROP_PYTHON_REQUEST:-3.11.7}"
uv_version="0.13.9"

if [ "${BACKPROP_SKIP_APT:-0}" != 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv ca-certificates
fi

# uv installs the interpreter the pins were made for (Ubuntu's own python3 may be older or newer)
# under the prefix, not under /root, so that the unprivileged user can run it.
mkdir -p "$prefix"
python3 -m venv "$prefix/tools"
"$prefix/tools/bin/pip" install --quiet --disable-pip-version-check "uv==$uv_version"
export UV_PYTHON_INSTALL_DIR="$prefix/python" UV_CACHE_DIR="$prefix/cache"
"$prefix/tools/bin/uv" venv --python "$python_request" "$prefix/venv"
"$prefix/tools/bin/uv" pip install --python "$prefix/venv/bin/python" --requirement "$root/source/requirements.txt"
rm -rf "$prefix/cache"
"$prefix/venv/bin/python" -c "import numpy, nbformat, otter; print('setup.sh: Python and packages ready')"

if ! id -u "$sandbox_user" > /dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$sandbox_user"
fi
chmod -R a+rX "$prefix"
chmod -R go-rwx "$root/source"
echo "setup.sh: student code will run as $sandbox_user; $root/source is readable by root only"
