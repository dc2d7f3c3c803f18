"""The real Chromium for tests (Debian `chromium`, driven by playwright; no browser is ever downloaded).

The test machine has no CJK system font (office PCs do: YaHei, PingFang, Noto CJK on UOS/Kylin), so the
browser is pointed by fontconfig at the Noto Sans CJK shipped with the noto-cjk-sans-otc package, one of
the families in the pages' font stacks."""

import os
from contextlib import contextmanager
from pathlib import Path

from conftest import require

CHROMIUM = Path("/usr/bin/chromium")
# elements sticking out of the window (outside a scrolling container), and the page's own scroll width
OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      if (a === document.body || a === document.documentElement) return false;
      if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || clipped(el)) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      bad.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  const scroll_px = document.documentElement.scrollWidth;
  if (scroll_px > width) bad.push(`page scrollWidth ${scroll_px}`);
  return bad;
}"""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def fontconfig_file(directory: Path) -> Path:
    from noto_cjk_sans_otc import FONT_PATH

    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{Path(FONT_PATH).parent}</dir>\n"
        f"  <cachedir>{directory / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return conf


@contextmanager
def chromium(font_dir: Path):
    """A launched Chromium (skips locally, fails on CI, when playwright or the browser is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "Python playwright is not installed")
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(font_dir))}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()
