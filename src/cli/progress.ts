/**
 * A progress bar on stderr. On a terminal it redraws one line in place; otherwise it prints a line at
 * most every 10 % so logs stay short. Never writes to stdout.
 */
import { termSafe } from '../errors.js';
import type { CliIo } from './io.js';

export interface Progress {
  /** Sets the fraction done in [0, 1] and an optional short message. */
  update(fraction: number, message?: string): void;
  /** Finishes the bar (prints the final state and a newline). */
  done(message?: string): void;
}

export function createProgress(io: CliIo, label: string, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet === true) return { update: () => undefined, done: () => undefined };
  const start = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  const render = (f: number, message: string | undefined): string => {
    const width = 24;
    const clamped = Math.min(1, Math.max(0, f));
    const filled = Math.round(clamped * width);
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}% ${secs}s${message !== undefined ? ` ${termSafe(message)}` : ''}`;
  };
  return {
    update(fraction, message) {
      if (io.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        io.stderr(`\r${render(fraction, message)}\x1b[K`);
        return;
      }
      const decile = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        io.stderr(`${render(fraction, message)}\n`);
      }
    },
    done(message) {
      io.stderr(`${io.isTTY ? '\r' : ''}${render(1, message)}${io.isTTY ? '\x1b[K' : ''}\n`);
    },
  };
}
