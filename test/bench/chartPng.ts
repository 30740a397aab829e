// The chart as a PNG too: the README can show a PNG, while VS Code's packaging refuses SVG images in it.
import { existsSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const chromiumPath = process.env.VSCODE_TEST_CHROMIUM || '/usr/bin/chromium';

/** Renders `svg` at twice its size with the system Chromium; returns false (and writes nothing) without one. */
export async function writeChartPng(svg: string, pngPath: string): Promise<boolean> {
  if (!existsSync(chromiumPath)) return false;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    // Nothing leaves the page: the chart is self-contained.
    await page.route('**/*', (route) => route.abort('blockedbyclient'));
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const png = await page.locator('svg').first().screenshot({ type: 'png' });
    writeFileSync(pngPath, png);
    return true;
  } finally {
    await browser.close();
  }
}
