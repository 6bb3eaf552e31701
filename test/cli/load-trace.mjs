// Test helper: `node --import tsx --import ./test/cli/load-trace.mjs ...` appends the URL of every module the
// process loads (sources, packages, node: built-ins) to the file named by CALIBRA_LOAD_TRACE, one a line.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const file = process.env.CALIBRA_LOAD_TRACE;
export async function load(url, context, next) {
  if (file) appendFileSync(file, url + '\\n');
  return next(url, context);
}
`));
