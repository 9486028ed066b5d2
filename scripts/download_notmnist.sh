#!/usr/bin/env bash
# Downloads notMNIST_small.tar.gz from its original address (Yaroslav Bulatov's notMNIST release)
# into DEST (default ./data/), where notmnist_grid looks for it. Checks that the download is a
# tar.gz of class folders before moving it into place, so a failed or wrong download never
# leaves a file there. NOTMNIST_URL overrides the address (a mirror, or a local test server).
#   usage: scripts/download_notmnist.sh [DEST]
set -euo pipefail
url=${NOTMNIST_URL:-http://yaroslavvb.com/upload/notMNIST/notMNIST_small.tar.gz}
dest=${1:-data}
target="$dest/notMNIST_small.tar.gz"
if [ -e "$target" ]; then
  echo "$target already exists; nothing to do"
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp "$dest/.notMNIST_small.tar.gz.XXXXXX")
trap 'rm -f "$tmp"' EXIT

echo "downloading $url"
if command -v curl >/dev/null; then
  curl -fL --retry 3 --silent --show-error -o "$tmp" "$url"
elif command -v wget >/dev/null; then
  wget -q --tries=3 -O "$tmp" "$url"
else
  python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$tmp"
fi

# Listed into a variable first: `tar | grep -q` fails under pipefail when grep exits early.
listing=$(tar -tzf "$tmp" 2>/dev/null || true)
if ! grep -q '^notMNIST_small/[A-J]/.*\.png$' <<<"$listing"; then
  echo "error: $url did not give a tar.gz with notMNIST_small/<letter>/*.png inside" >&2
  exit 1
fi
mv "$tmp" "$target"
trap - EXIT
echo "saved $target ($(wc -c <"$target") bytes)"
