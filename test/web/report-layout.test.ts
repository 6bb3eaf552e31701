/**
 * The report checked as a person would, in headless Chromium (/usr/bin/chromium via playwright-core): at
 * 1 400 px and at 800 px wide the page never scrolls sideways, and no legend or value box covers a bar, a
 * dot or a curve (bounding boxes of `data-role="legend"` / `"annotation"` against `data-role="data"` marks,
 * every tab panel and every collapsed section opened). A report with 10 methods × 9 test sets with long
 * names, the case that overflowed before. The checker is itself tested on pages built to fail.
 * Screenshots go to docs/screenshots/report-{1400,800}.png when missing or with UPDATE_SCREENSHOTS=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'docs', 'screenshots');
const EX = join(ROOT, 'examples', 'report');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

interface Problems { overflow: [number, number]; overlaps: string[]; charts: number }

/**
 * Opens every tab panel and `<details>` in turn and collects: the page's scroll width vs its client width,
 * and every (legend | annotation, data mark) pair of one SVG whose boxes overlap by more than half a pixel
 * both ways.
 */
async function layoutProblems(page: Page): Promise<Problems> {
  return page.evaluate(() => {
    for (const d of Array.from(document.querySelectorAll('details'))) d.open = true;
    const overlaps: string[] = [];
    const seen = new Set<Element>();
    const check = (): void => {
      for (const svg of Array.from(document.querySelectorAll('svg'))) {
        const r = svg.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || seen.has(svg)) continue; // hidden tab: checked when its tab is shown
        seen.add(svg);
        const boxes = Array.from(svg.querySelectorAll('[data-role="legend"], [data-role="annotation"]')).map((e) => e.getBoundingClientRect());
        const marks: Element[] = [];
        for (const g of Array.from(svg.querySelectorAll('[data-role="data"]'))) {
          if (g.children.length === 0) marks.push(g);
          else for (const c of Array.from(g.querySelectorAll('rect, path, circle, line, polygon, polyline'))) marks.push(c);
        }
        for (const b of boxes) {
          for (const m of marks) {
            const q = m.getBoundingClientRect();
            const w = Math.min(b.right, q.right) - Math.max(b.left, q.left);
            const h = Math.min(b.bottom, q.bottom) - Math.max(b.top, q.top);
            if (w > 0.5 && h > 0.5) overlaps.push(`${svg.querySelector('title')?.textContent ?? '?'}: ${m.tagName} at ${Math.round(q.left)},${Math.round(q.top)} under a legend/value box`);
          }
        }
      }
    };
    const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tabs] button'));
    if (tabs.length === 0) check();
    for (const t of tabs) { t.click(); check(); }
    return { overflow: [document.documentElement.scrollWidth, document.documentElement.clientWidth] as [number, number], overlaps, charts: seen.size };
  });
}

describe.skipIf(!existsSync(CHROMIUM))('report layout in headless Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'calibra-layout-'));
  const report = join(dir, 'report.html');

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    // 10 methods × 9 test sets with long names (as `calibra demo`'s model/set names)
    const sets = ['fmnist-mlp/gaussian_noise-3', 'fmnist-cnn/motion_blur-3', 'digits-mlp/sklearn-digits', 'fmnist-softmax/contrast-3', 'fmnist-mlp/jpeg_compression-3', 'fmnist-cnn/pixelate-3', 'digits-mlp/opencv-digits-test', 'fmnist-mlp/shot_noise-3']
      .flatMap((name) => ['--test-set', `${name}=${join(EX, 'shifted_logits.npy')},${join(EX, 'shifted_labels.npy')}`]);
    const io = memoryIo();
    const code = await runCli(['report', '--val-logits', join(EX, 'val_logits.npy'), '--val-labels', join(EX, 'val_labels.npy'),
      '--test-logits', join(EX, 'test_logits.npy'), '--test-labels', join(EX, 'test_labels.npy'), ...sets,
      '--methods', 'ts,ets,vs,platt,beta,histogram,isotonic,irm,spline', '--bootstrap', '0', '--ci-bootstrap', '200', '--quiet', '--out', report], io);
    if (code !== 0) throw new Error(io.err());
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const width of [1400, 800]) {
    it(`at ${width} px: no horizontal page overflow, no legend or value box over data`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`file://${report}`);
      const shot = join(SHOTS, `report-${width}.png`);
      if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(shot)) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: shot, clip: { x: 0, y: 0, width, height: 1400 }, fullPage: true });
      }
      const p = await layoutProblems(page);
      await page.close();
      expect(p.overflow[0]).toBeLessThanOrEqual(p.overflow[1]);
      expect(p.overlaps).toEqual([]);
      // 2 headline + 9 ranking panels + per set (1 sweep + 10 × (reliability, smooth, confidence, class grid))
      expect(p.charts).toBe(2 + 9 + 9 * (1 + 10 * 4));
    });
  }

  it('the checker fails on a legend over a bar and on a table wider than the page', async () => {
    const bad = join(dir, 'bad.html');
    const wide = `<table><tr>${Array.from({ length: 60 }, (_, i) => `<td>column-${i}-value</td>`).join('')}</tr></table>`;
    writeFileSync(bad, `<!DOCTYPE html><html><body>${wide}<svg width="200" height="200"><title>bad</title>`
      + '<g data-role="data"><rect x="20" y="20" width="40" height="150"/></g>'
      + '<g data-role="legend"><rect x="10" y="10" width="80" height="20"/><text x="12" y="24">legend</text></g></svg></body></html>');
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.goto(`file://${bad}`);
    const p = await layoutProblems(page);
    await page.close();
    expect(p.overflow[0]).toBeGreaterThan(p.overflow[1]);
    expect(p.overlaps.length).toBe(1);
  });
});
