/**
 * Dataset specs as typed on the command line: `fashion-mnist:test`, `fashion-mnist:train`,
 * `fashion-mnist-subset:test`, `coloured-fmnist:SET[:seed=N]`, `opencv-digits`, `sklearn-digits`,
 * `folder:PATH`, `csv:PATH`.
 */
import { CalibraError } from '../errors.js';
import { COLOURED_SETS, type ColouredSet } from './coloured.js';

/** A parsed dataset spec. */
export type DatasetSpec =
  | { readonly kind: 'fashion-mnist'; readonly split: 'train' | 'test'; readonly subsetOnly: boolean }
  | { readonly kind: 'coloured-fmnist'; readonly set: ColouredSet; readonly seed: number; readonly subsetOnly: boolean }
  | { readonly kind: 'opencv-digits' }
  | { readonly kind: 'sklearn-digits' }
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'csv'; readonly path: string };

/** The spec forms accepted, for help texts and errors. */
export const DATASET_SPEC_FORMS: readonly string[] = [
  'fashion-mnist:test', 'fashion-mnist:train', 'fashion-mnist-subset:test', 'fashion-mnist-subset:train',
  `coloured-fmnist:{${COLOURED_SETS.join('|')}}[:seed=N]`, 'coloured-fmnist-subset:SET',
  'opencv-digits', 'sklearn-digits', 'folder:PATH', 'csv:PATH',
];

/**
 * Parses a dataset spec; throws E_OPTION naming the valid forms. O(|text|).
 * @example parseDatasetSpec('fashion-mnist:test') // => { kind: 'fashion-mnist', split: 'test', subsetOnly: false }
 */
export function parseDatasetSpec(text: string): DatasetSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const head = (colon < 0 ? t : t.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? '' : t.slice(colon + 1);
  const fail = (why: string): never => {
    throw new CalibraError('E_OPTION', `dataset '${text}': ${why}`, { fix: `use one of: ${DATASET_SPEC_FORMS.join(', ')}` });
  };
  switch (head) {
    case 'fashion-mnist':
    case 'fashion-mnist-subset':
    case 'fmnist': {
      const split = rest.toLowerCase() === '' ? 'test' : rest.toLowerCase();
      if (split !== 'train' && split !== 'test') return fail(`split must be 'train' or 'test', got '${rest}'`);
      return { kind: 'fashion-mnist', split, subsetOnly: head === 'fashion-mnist-subset' };
    }
    case 'coloured-fmnist':
    case 'colored-fmnist':
    case 'coloured-fmnist-subset':
    case 'colored-fmnist-subset': {
      const parts = rest === '' ? [] : rest.split(':');
      const set = (parts[0] ?? 'test').toLowerCase();
      if (!(COLOURED_SETS as readonly string[]).includes(set)) return fail(`set must be one of ${COLOURED_SETS.join(', ')}, got '${parts[0] ?? ''}'`);
      let seed = 0;
      if (parts.length > 2) return fail('expected coloured-fmnist:SET or coloured-fmnist:SET:seed=N');
      if (parts.length === 2) {
        const m = /^seed=(\d{1,10})$/.exec(parts[1] ?? '');
        const v = m === null ? NaN : Number(m[1]);
        if (!Number.isInteger(v) || v > 2 ** 32 - 1) return fail(`'${parts[1] ?? ''}' is not seed=N with N an integer 0..4294967295`);
        seed = v;
      }
      return { kind: 'coloured-fmnist', set: set as ColouredSet, seed, subsetOnly: head.endsWith('-subset') };
    }
    case 'opencv-digits':
    case 'sklearn-digits':
      if (rest !== '') return fail(`'${head}' takes no ':' argument`);
      return { kind: head };
    case 'folder':
    case 'csv':
      if (rest === '') return fail(`'${head}:' needs a path, e.g. ${head}:./my-images${head === 'csv' ? '/labels.csv' : ''}`);
      return { kind: head, path: rest };
    default:
      return fail(`unknown dataset '${head}'`);
  }
}
