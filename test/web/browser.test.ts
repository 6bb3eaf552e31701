/**
 * Real-browser tests: headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core opens a
 * report written by `calibra report` and the example page, checks that the charts rendered without console
 * errors, and that calibration in the browser bundle equals Node's bit for bit. Screenshots go to
 * docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import { parseCsvMatrix } from '../../src/data/csv.js';
import { encodeNpy } from '../../src/data/npy.js';
import { loadLabels, loadLogits } from '../../src/data/files.js';
import { sliceRows } from '../../src/math/matrix.js';
import { startStaticServer, type StaticServer } from './server.js';
import { requiresFile } from '../support/requires.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'docs', 'screenshots');
const EX = join(ROOT, 'examples', 'report');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshot into docs/screenshots/ only when missing or asked for, so test runs leave the tree clean. */
function shotPath(name: string): string | undefined {
  const file = join(SHOTS, name);
  return process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(file) ? file : undefined;
}

/** Console errors and page errors collected for one page. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe.runIf(requiresFile(CHROMIUM, 'Chromium', 'chromium'))('in headless Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  const out = mkdtempSync(join(tmpdir(), 'calibra-web-'));

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'web', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
    mkdirSync(SHOTS, { recursive: true });
    server = await startStaticServer(ROOT, out);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('opens a report from `calibra report`: every chart rendered with a size, tabs switch, no console errors', async () => {
    const io = memoryIo();
    const code = await runCli(['report', '--val-logits', join(EX, 'val_logits.npy'), '--val-labels', join(EX, 'val_labels.npy'),
      '--test-logits', join(EX, 'test_logits.npy'), '--test-labels', join(EX, 'test_labels.npy'),
      '--test-set', `shifted=${join(EX, 'shifted_logits.npy')},${join(EX, 'shifted_labels.npy')}`,
      '--methods', 'ts,dirichlet-odir,isotonic', '--title', 'calibra report: simulated overconfident classifier (examples/report)', '--out', join(out, 'report.html')], io);
    expect(io.err()).not.toContain('E_');
    expect(code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const errors = watch(page);
    await page.goto(`${server.origin}/__out/report.html`);
    // headline (2) + ranking (1 per test set) + 2 test sets × (1 sweep + 4 methods × (reliability, smooth,
    // confidence, class grid)) = 38 charts.
    expect(await page.locator('svg[role="img"]').count()).toBe(38);
    const panels = page.locator('section[role="tabpanel"]');
    expect(await panels.nth(0).isVisible()).toBe(true);
    expect(await panels.nth(1).isVisible()).toBe(false);
    const sizes = await panels.nth(0).locator('.charts > svg').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
    expect(sizes.length).toBe(1 + 4 * 3);
    for (const [w, h] of sizes) { expect(w).toBeGreaterThan(300); expect(h).toBeGreaterThan(250); }
    expect(await page.locator('td.best').count()).toBeGreaterThan(0);
    const summary = shotPath('report-summary.png');
    if (summary !== undefined) await page.screenshot({ path: summary });
    const method = shotPath('report-diagrams.png');
    if (method !== undefined) await panels.nth(0).locator('.method').nth(1).screenshot({ path: method });
    await page.getByRole('tab', { name: 'shifted' }).click();
    expect(await panels.nth(0).isVisible()).toBe(false);
    expect(await panels.nth(1).isVisible()).toBe(true);
    const grid = panels.nth(1).locator('details').nth(1);
    await grid.locator('summary').click();
    const box = await grid.locator('svg').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    const gridShot = shotPath('report-class-grid.png');
    if (gridShot !== undefined) await grid.screenshot({ path: gridShot });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the example page calibrates the bundled sample exactly as Node does, and draws its diagrams', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 980 } });
    const errors = watch(page);
    await page.goto(`${server.origin}/web/example/index.html`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.click('#sample-model');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.startsWith('Loaded') === true);
    await page.click('#sample-logits');
    await page.waitForFunction(() => (document.getElementById('labels-text') as HTMLTextAreaElement | null)?.value.length !== 0);
    await page.click('#calibrate');
    await page.waitForSelector('body[data-state="calibrated"]');
    const result = await page.evaluate(() => (window as unknown as { calibraResult: { rows: number; cols: number; values: string[] } }).calibraResult);
    const sample = join(ROOT, 'web', 'example', 'sample');
    const model = loadModelJson(readFileSync(join(sample, 'model.json'), 'utf8'), 'model.json');
    const node = model.predictProba({ logits: parseCsvMatrix(readFileSync(join(sample, 'logits.csv'), 'utf8')) });
    expect([result.rows, result.cols]).toEqual([node.rows, node.cols]);
    expect(result.values).toEqual(Array.from(node.data, String));
    expect(await page.locator('#charts svg').count()).toBe(3);
    expect(await page.locator('#probs-table tbody tr').count()).toBe(200);
    const shot = shotPath('example-page.png');
    if (shot !== undefined) await page.screenshot({ path: shot, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the example page reads dropped .npy logits and labels', async () => {
    const logits = sliceRows(loadLogits(join(EX, 'test_logits.npy')), 0, 50);
    const labels = loadLabels(join(EX, 'test_labels.npy')).subarray(0, 50);
    const page = await browser.newPage();
    const errors = watch(page);
    await page.goto(`${server.origin}/web/example/index.html`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.click('#sample-model');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.startsWith('Loaded') === true);
    await page.setInputFiles('#data-file', [
      { name: 'test_logits.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [50, logits.cols], data: logits.data })) },
      { name: 'test_labels.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [50], data: Int32Array.from(labels) })) },
    ]);
    await page.waitForFunction(() => (document.getElementById('data-status')?.textContent ?? '').includes('test_labels.npy'));
    await page.click('#calibrate');
    await page.waitForSelector('body[data-state="calibrated"]');
    const values = await page.evaluate(() => (window as unknown as { calibraResult: { values: string[] } }).calibraResult.values);
    const model = loadModelJson(readFileSync(join(ROOT, 'web', 'example', 'sample', 'model.json'), 'utf8'), 'model.json');
    expect(values).toEqual(Array.from(model.predictProba({ logits }).data, String));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the example page range-checks labels (issue 13, B1): int64 2^63 + 12345, NaN and K are refused, not wrapped to 12288 or 0', async () => {
    const page = await browser.newPage();
    const errors = watch(page);
    await page.goto(`${server.origin}/web/example/index.html`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.click('#sample-model');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.startsWith('Loaded') === true);
    const status = (): Promise<string> => page.evaluate(() => document.getElementById('data-status')?.textContent ?? '');
    const logits = encodeNpy({ shape: [2, 3], data: new Float64Array([1, 2, 3, 3, 2, 1]) });
    // a dropped int64 .npy label of 2^63 + 12345 and a float label NaN
    await page.setInputFiles('#data-file', [
      { name: 'logits.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(logits) },
      { name: 'labels.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [2], data: BigUint64Array.from([0n, 2n ** 63n + 12345n]) })) },
    ]);
    await page.waitForFunction(() => /E_LABEL_RANGE/.test(document.getElementById('data-status')?.textContent ?? ''));
    expect(await status()).toMatch(/labels\.npy: row 1: label 9223372036854788000 is out of range/);
    await page.setInputFiles('#data-file', [{ name: 'labels.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [2], data: new Float64Array([0, NaN]) })) }]);
    await page.waitForFunction(() => /E_LABEL_TYPE/.test(document.getElementById('data-status')?.textContent ?? ''));
    // typed labels: a label equal to K (3 columns) and one past 2^63
    for (const [text, code] of [['0\n3', 'E_LABEL_RANGE'], ['0\n9223372036854788000', 'E_LABEL_RANGE'], ['0\nNaN', 'E_LABEL_TYPE']] as const) {
      await page.fill('#labels-text', text);
      await page.click('#calibrate');
      await page.waitForFunction((c) => (document.getElementById('result-status')?.textContent ?? '').includes(c), code);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the example page at 100 classes keeps its width, draws 15-bin diagrams, and explains file:// instead of doing nothing', async () => {
    const K = 100;
    const n = 300;
    const rngLogits = new Float64Array(n * K);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) { labels[i] = (i * 37) % K; for (let k = 0; k < K; k++) rngLogits[i * K + k] = Math.sin(i * 7.3 + k * 1.1) + (k === labels[i] ? 3 : 0); }
    const model = serializeModel(calibratorSpecs.find((x) => x.id === 'ts')!.fit({ logits: { data: rngLogits, rows: n, cols: K }, labels }, {}, { seed: 0 }).model);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watch(page);
    await page.goto(`${server.origin}/web/example/index.html`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.setInputFiles('#data-file', [
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(model) },
      { name: 'logits.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [n, K], data: rngLogits })) },
      { name: 'labels.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNpy({ shape: [n], data: labels })) },
    ]);
    await page.waitForFunction(() => (document.getElementById('data-status')?.textContent ?? '').includes('labels.npy'));
    await page.click('#calibrate');
    await page.waitForSelector('body[data-state="calibrated"]');
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
    expect(await page.locator('#charts').textContent()).toContain('15 bins');
    expect(errors).toEqual([]);
    const local = await browser.newPage();
    await local.goto(`file://${join(ROOT, 'web', 'example', 'index.html')}`);
    expect(await local.locator('#file-banner').textContent()).toMatch(/file:\/\/ address.*python3 -m http\.server/);
    await local.close();
    await page.close();
  });

  it('every registered logits method predicts bit-identically in the browser bundle and in Node', async () => {
    const val = { logits: loadLogits(join(EX, 'val_logits.npy')), labels: loadLabels(join(EX, 'val_labels.npy')) };
    const test = sliceRows(loadLogits(join(EX, 'shifted_logits.npy')), 0, 100);
    const specs = calibratorSpecs.filter((s) => s.input !== 'views');
    expect(specs.length).toBeGreaterThan(1);
    const models = specs.map((s) => serializeModel(s.fit(val, {}, { seed: 0 }).model));
    const page = await browser.newPage();
    const errors = watch(page);
    await page.goto(`${server.origin}/web/example/index.html`);
    // A string, so vitest does not rewrite the dynamic import inside the page function.
    const fromBrowser = await page.evaluate(`(async () => {
      const lib = await import('/web/dist/calibra.browser.js');
      const models = ${JSON.stringify(models)};
      const logits = { data: Float64Array.from(${JSON.stringify(Array.from(test.data, String))}.map(Number)), rows: ${test.rows}, cols: ${test.cols} };
      return models.map((m, i) => Array.from(lib.loadModelJson(m, 'model ' + i).predictProba({ logits }).data, String));
    })()`) as string[][];
    models.forEach((m, i) => {
      const node = Array.from(loadModelJson(m, `model ${i}`).predictProba({ logits: test }).data, String);
      expect({ method: specs[i]?.id, values: fromBrowser[i] }).toEqual({ method: specs[i]?.id, values: node });
    });
    expect(errors).toEqual([]);
    await page.close();
  });
});
