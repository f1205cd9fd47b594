#!/usr/bin/env bash
# Make sure Debian's chromium is installed at /usr/bin/chromium (Playwright drives it
# through launchOptions.executablePath; never `npx playwright install`).
exec bash "$(dirname "$0")/apt-ensure.sh" ensure-chromium /usr/bin/chromium chromium
