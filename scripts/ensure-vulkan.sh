#!/usr/bin/env bash
# Make sure the Vulkan loader (Debian's libvulkan1) is installed: the `webgpu` npm package
# (Dawn) needs it to reach SwiftShader through VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
# (the ICD ships with the chromium package; scripts/ensure-chromium.sh installs that).
set -euo pipefail

LOADER=/usr/lib/x86_64-linux-gnu/libvulkan.so.1

if [ -e "$LOADER" ]; then
  exit 0
fi

echo "ensure-vulkan: $LOADER not found; installing Debian's libvulkan1 package" >&2

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-vulkan: apt-get is not available; install the Vulkan loader (libvulkan1) so that $LOADER exists" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-vulkan: not root and no passwordless sudo; run as root: apt-get update && apt-get install -y libvulkan1" >&2
    exit 1
  fi
fi

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvulkan1

if [ ! -e "$LOADER" ]; then
  echo "ensure-vulkan: libvulkan1 was installed but $LOADER is still missing" >&2
  exit 1
fi
echo "ensure-vulkan: Vulkan loader installed ($LOADER)" >&2
