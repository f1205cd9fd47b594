#!/usr/bin/env bash
# Make sure the Vulkan loader (Debian's libvulkan1) is installed: the `webgpu` npm package
# (Dawn) needs it to reach SwiftShader through VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
# (the ICD ships with the chromium package; scripts/ensure-chromium.sh installs that).
exec bash "$(dirname "$0")/apt-ensure.sh" ensure-vulkan /usr/lib/x86_64-linux-gnu/libvulkan.so.1 libvulkan1
