#!/usr/bin/env bash
# usage: apt-ensure.sh NAME PATH PACKAGE...
# Exit 0 when PATH exists; otherwise install the Debian PACKAGEs (apt-get update first), as
# root or with passwordless sudo, and check PATH again. Clear messages, never a prompt.
set -euo pipefail
NAME=$1 TARGET=$2
shift 2

[ -e "$TARGET" ] && exit 0
echo "$NAME: $TARGET not found; installing Debian's $*" >&2

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$NAME: apt-get is not available; install $* so that $TARGET exists" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "$NAME: not root and no passwordless sudo; run as root: apt-get update && apt-get install -y $*" >&2
    exit 1
  fi
fi

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"

if [ ! -e "$TARGET" ]; then
  echo "$NAME: $* installed but $TARGET is still missing" >&2
  exit 1
fi
echo "$NAME: installed $* ($TARGET)" >&2
