/* global fetch, FileReader, Blob */
// calibra's browser example: load a fitted model JSON, read logits (typed CSV, dropped .npy/.csv), and show
// calibrated probabilities plus reliability diagrams before and after. Uses only the browser bundle.
import {
  loadModelJson, parseNpy, toFloat64Array, parseCsvMatrix, softmax, reliabilityBins, summarizeProbs,
  reliabilityDiagramSvg, confidenceHistogramSvg, isCalibraError, formatError, arrayToLabels,
} from '../dist/calibra.browser.js';

const state = { model: null, modelName: '', logits: null, labels: null, probs: null };
const $ = (id) => document.getElementById(id);

function describe(e) {
  return isCalibraError(e) ? formatError(e) : String(e && e.message ? e.message : e);
}

function setStatus(id, text, isError) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', Boolean(isError));
}

function loadModelText(text, name) {
  try {
    state.model = loadModelJson(text, name);
    state.modelName = name;
    setStatus('model-status', `Loaded ${name}: method ${state.model.method}, ${state.model.numClasses} classes.`);
  } catch (e) {
    state.model = null;
    setStatus('model-status', describe(e), true);
  }
}

/** Logits from .npy bytes (2-D float array) as a Float64 matrix. */
function matrixFromNpy(bytes, name) {
  const arr = parseNpy(bytes, { source: name });
  if (arr.kind !== 'numeric') throw new Error(`${name}: expected numbers, got a ${arr.descr} string array`);
  if (arr.shape.length !== 2) throw new Error(`${name}: expected a 2-D array, got shape (${arr.shape.join(', ')})`);
  return { data: toFloat64Array(arr.data), rows: arr.shape[0], cols: arr.shape[1] };
}

/**
 * Labels from .npy bytes, checked by the library's own label reader (integers, exact for int64: 2^63 + 12345
 * is out of range, not 12288; NaN is not an integer, not 0). The class count is checked at calibration.
 */
function labelsFromNpy(bytes, name) {
  const arr = parseNpy(bytes, { source: name });
  if (arr.kind !== 'numeric') throw new Error(`${name}: expected integer labels, got a ${arr.descr} string array`);
  return arrayToLabels(arr, undefined, name);
}

/** Typed labels, as numbers; checked (integers in [0, K)) by arrayToLabels once K is known. */
function parseLabelsText(text) {
  const parts = text.split(/[\s,;]+/).filter((s) => s.length > 0);
  if (parts.length === 0) return null;
  return { shape: [parts.length], data: Float64Array.from(parts, Number) };
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    if (/\.npy$/i.test(file.name)) r.readAsArrayBuffer(file); else r.readAsText(file);
  });
}

async function takeFiles(files) {
  for (const file of files) {
    try {
      const content = await readFile(file);
      if (/\.json$/i.test(file.name)) { loadModelText(content, file.name); continue; }
      const isLabels = /label/i.test(file.name);
      if (/\.npy$/i.test(file.name)) {
        const bytes = new Uint8Array(content);
        if (isLabels) { state.labels = labelsFromNpy(bytes, file.name); $('labels-text').value = Array.from(state.labels).join('\n'); }
        else { state.logits = matrixFromNpy(bytes, file.name); $('logits-text').value = toCsv(state.logits); }
      } else if (isLabels) {
        $('labels-text').value = content;
      } else {
        $('logits-text').value = content;
        state.logits = null;
      }
      setStatus('data-status', `Read ${file.name}.`);
    } catch (e) {
      setStatus('data-status', describe(e), true);
    }
  }
}

function toCsv(m) {
  const lines = [];
  for (let r = 0; r < m.rows; r++) lines.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols), String).join(','));
  return lines.join('\n');
}

function renderTable(probs, labels) {
  const rows = Math.min(probs.rows, 200);
  const head = ['#', ...Array.from({ length: probs.cols }, (_, k) => `p${k}`), 'pred', ...(labels ? ['label'] : [])];
  const html = [`<table id="probs-table"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    const cells = [];
    for (let k = 0; k < probs.cols; k++) {
      const v = probs.data[r * probs.cols + k];
      if (v > probs.data[r * probs.cols + best]) best = k;
      cells.push(`<td title="${String(v)}">${v.toFixed(4)}</td>`);
    }
    html.push(`<tr><td>${r}</td>${cells.join('')}<td>${best}</td>${labels ? `<td>${labels[r]}</td>` : ''}</tr>`);
  }
  html.push('</tbody></table>');
  $('probs-wrap').innerHTML = html.join('');
}

function renderCharts(logits, probs, labels) {
  if (!labels) { $('charts').innerHTML = '<span class="status">The diagrams need labels.</span>'; return; }
  const before = summarizeProbs(softmax(logits), labels);
  const after = summarizeProbs(probs, labels);
  const bins = 15; // the CLI's default (calibra evaluate / report)
  const ece = (s) => {
    const b = reliabilityBins(s.confidences, s.correct, { bins, scheme: 'equal-width' });
    return b.reduce((acc, x) => acc + (x.count > 0 ? (x.count / s.n) * Math.abs(x.accuracy - x.meanConfidence) : 0), 0);
  };
  $('charts').innerHTML = [
    reliabilityDiagramSvg(reliabilityBins(before.confidences, before.correct, { bins, scheme: 'equal-width' }), { title: 'Before: softmax of the logits', annotation: `ECE ${ece(before).toFixed(4)} · ${bins} bins` }),
    reliabilityDiagramSvg(reliabilityBins(after.confidences, after.correct, { bins, scheme: 'equal-width' }), { title: `After: ${state.model.method}`, annotation: `ECE ${ece(after).toFixed(4)} · ${bins} bins` }),
    confidenceHistogramSvg(after.confidences, after.correct, { title: 'Calibrated confidence, correct vs wrong' }),
  ].join('');
}

function calibrate() {
  try {
    if (!state.model) throw new Error('load a model first');
    const logits = state.logits ?? parseCsvMatrix($('logits-text').value, { source: 'logits text' });
    const typed = parseLabelsText($('labels-text').value);
    const labels = typed && arrayToLabels(typed, logits.cols, 'labels');
    if (labels && labels.length !== logits.rows) throw new Error(`${logits.rows} logit rows but ${labels.length} labels`);
    const probs = state.model.predictProba({ logits });
    state.logits = logits; state.labels = labels; state.probs = probs;
    // For tests and the console: the exact Float64 values and their shortest round-trip strings.
    window.calibraResult = { rows: probs.rows, cols: probs.cols, values: Array.from(probs.data, String) };
    setStatus('result-status', `${probs.rows} samples × ${probs.cols} classes calibrated with ${state.model.method}${probs.rows > 200 ? ' (first 200 rows shown; download for all)' : ''}.`);
    renderTable(probs, labels);
    renderCharts(logits, probs, labels);
    $('download').hidden = false;
    document.body.dataset.state = 'calibrated';
  } catch (e) {
    setStatus('result-status', describe(e), true);
    document.body.dataset.state = 'error';
  }
}

$('model-file').addEventListener('change', (ev) => takeFiles(ev.target.files));
$('data-file').addEventListener('change', (ev) => takeFiles(ev.target.files));
$('logits-text').addEventListener('input', () => { state.logits = null; });
$('calibrate').addEventListener('click', calibrate);
$('sample-model').addEventListener('click', async () => {
  loadModelText(await (await fetch('./sample/model.json')).text(), 'sample/model.json');
});
$('sample-logits').addEventListener('click', async () => {
  $('logits-text').value = await (await fetch('./sample/logits.csv')).text();
  $('labels-text').value = await (await fetch('./sample/labels.csv')).text();
  state.logits = null;
  setStatus('data-status', 'Loaded sample/logits.csv and sample/labels.csv.');
});
$('download').addEventListener('click', () => {
  const blob = new Blob([toCsv(state.probs)], { type: 'text/csv' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'calibrated.csv';
  a.click();
});
const drop = $('drop');
for (const target of [drop, document.body]) {
  target.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  target.addEventListener('dragleave', () => drop.classList.remove('over'));
  target.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); takeFiles(ev.dataTransfer.files); });
}
document.body.dataset.state = 'ready';
