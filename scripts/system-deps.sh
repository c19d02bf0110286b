#!/usr/bin/env bash
# What the tests need from the system, beyond Python, PostgreSQL and Redis: Debian's Chromium for
# the browser tests (never a downloaded browser), the DejaVu fonts for the PDF record, nginx as the
# proxy in front of two instances, npm for axe-core, docker compose to check docker-compose.yml,
# and Voikko with its Finnish dictionary, which the glossary finds inflected words with (the app
# runs without it, matching base forms only; the tests check that it is used).
# As root on Debian it installs what is missing with apt-get; anywhere else it stops at once with
# one message naming each missing piece and the command that installs it. When everything is
# there it installs nothing (a second `make test` runs no apt-get).
set -euo pipefail

missing=()   # Debian package names
explain=()   # what each is for, in the same order

have_compose() {
    command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1
}

[ -x "${AVOIN_CHROMIUM:-/usr/bin/chromium}" ] \
    || { missing+=(chromium); explain+=("Chromium, for the browser tests (/usr/bin/chromium)"); }
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
    || { missing+=(fonts-dejavu-core); explain+=("the DejaVu fonts, for the PDF record"); }
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] \
    || { missing+=(nginx-light); explain+=("nginx, the proxy in front of two instances"); }
command -v npm >/dev/null 2>&1 \
    || { missing+=(npm); explain+=("npm, to install axe-core for the accessibility tests"); }
ldconfig -p 2>/dev/null | grep -q 'libvoikko\.so\.1' \
    || { missing+=(libvoikko1); explain+=("Voikko, Finnish word forms for the glossary"); }
[ -d /usr/lib/voikko/5/mor-standard ] || [ -d /usr/share/voikko/5/mor-standard ] \
    || { missing+=(voikko-fi); explain+=("Voikko's Finnish dictionary, for the glossary"); }
have_compose \
    || { missing+=(docker-compose); explain+=("docker compose, to check docker-compose.yml"); }

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [ -f /etc/debian_version ]; then
    echo "Installing the tests' system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi

{
    echo "The tests need these, and this script can install them only as root on Debian:"
    for i in "${!missing[@]}"; do
        echo "  - ${explain[$i]}"
    done
    echo "Install them with:"
    echo "  sudo apt-get install -y ${missing[*]}"
    echo "(on another system, install the same programs with its package manager;"
    echo " a Chromium elsewhere than /usr/bin/chromium is named by AVOIN_CHROMIUM)"
} >&2
exit 1
