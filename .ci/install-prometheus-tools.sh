#!/usr/bin/env bash
# Unpacks the Prometheus and Alertmanager releases the manifests deploy (Prometheus 3.5 from
# Debian sid, Alertmanager 0.28.1 from trixie) into .tools/deployed, and bookworm's
# Alertmanager 0.25 into .tools/legacy for the one compatibility promise that needs it (the
# `alertmanagerVersion` gate of url_file). Nothing is installed system-wide except the
# Alertmanager default templates: Debian's build reads them from a fixed path.
# `sid` moves: the wanted version is asked for first, the suite's current one otherwise; the
# tests print the versions they ran and refuse another major version.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.tools"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

WANT_PROMETHEUS="${WANT_PROMETHEUS:-3.5.3+ds1-6}"
WANT_ALERTMANAGER="${WANT_ALERTMANAGER:-0.28.1+ds-1}"

if ! grep -rqs "sid trixie" /etc/apt/sources.list.d/; then
  $SUDO tee /etc/apt/sources.list.d/ai-monitoring-newer.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # A low pin priority: these suites are only a source of packages to download, never upgrades.
  $SUDO tee /etc/apt/preferences.d/ai-monitoring-newer >/dev/null <<'PIN'
Package: *
Pin: release n=sid
Pin-Priority: 50

Package: *
Pin: release n=trixie
Pin-Priority: 50
PIN
fi
$SUDO apt-get update

dl() { # dl NAME SUITE WANTED_VERSION DEST
  local name="$1" suite="$2" want="$3" dest="$4" tmp
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && apt-get download "$name=$want" 2>/dev/null); then
    echo "note: $name $want is no longer served; taking $suite's current $name" >&2
    (cd "$tmp" && apt-get download "$name/$suite")
  fi
  mkdir -p "$dest"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dest"; echo "unpacked $(basename "$deb") into $dest"; done
  rm -rf "$tmp"
}

rm -rf "$ROOT"
dl prometheus sid "$WANT_PROMETHEUS" "$ROOT/deployed"
dl promtool sid "$WANT_PROMETHEUS" "$ROOT/deployed"
dl prometheus-alertmanager trixie "$WANT_ALERTMANAGER" "$ROOT/deployed"
dl prometheus-alertmanager bookworm "$(apt-cache policy prometheus-alertmanager | awk '/bookworm/{print prev} {prev=$1}' | head -1)" "$ROOT/legacy" \
  || dl prometheus-alertmanager bookworm "" "$ROOT/legacy"

# Debian's Alertmanager loads its default notification templates from this fixed path.
$SUDO mkdir -p /usr/share/prometheus/alertmanager
$SUDO cp "$ROOT/deployed/usr/share/prometheus/alertmanager/"*.tmpl /usr/share/prometheus/alertmanager/

for bin in prometheus promtool prometheus-alertmanager amtool; do
  "$ROOT/deployed/usr/bin/$bin" --version 2>&1 | head -1
done
"$ROOT/legacy/usr/bin/amtool" --version 2>&1 | head -1
