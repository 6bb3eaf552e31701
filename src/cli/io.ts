/** The CLI's window on the world: it prints only through this, so commands are tested without spawning. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  readonly isTTY: boolean;
}

/** An io that collects output in strings (for tests). */
export function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}
