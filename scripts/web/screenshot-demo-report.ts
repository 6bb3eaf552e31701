/**
 * Screenshots the HTML report written by `calibra demo` for the README (docs/screenshots/demo-report*.png: the summary, and the diagrams of TS and CA (robust) on the first test set),
 * in Debian's headless Chromium via playwright-core. Usage: npx tsx scripts/web/screenshot-demo-report.ts [demo-out/report.html]
 */
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const report = resolve(process.argv[2] ?? 'demo-out/report.html');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(pathToFileURL(report).href);
  await page.screenshot({ path: 'docs/screenshots/demo-report.png' });
  const methods = page.locator('section[role="tabpanel"]').nth(0).locator('.method');
  await methods.nth(1).screenshot({ path: 'docs/screenshots/demo-report-ts.png' });
  await methods.nth(8).screenshot({ path: 'docs/screenshots/demo-report-ca.png' });
  if (errors.length > 0) throw new Error(`console errors in ${report}: ${errors.join('; ')}`);
  process.stdout.write(`wrote docs/screenshots/demo-report{,-ts,-ca}.png from ${report}\n`);
} finally {
  await browser.close();
}
