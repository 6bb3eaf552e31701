/** A tiny static file server on 127.0.0.1 for the browser tests: `/` is the repository, `/__out/` a temp folder. */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.csv': 'text/csv', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
  '.npy': 'application/octet-stream',
};

export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

function inside(root: string, rel: string): string | null {
  const file = resolve(root, normalize(`.${sep}${rel}`));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** Serves `repoRoot` at `/` and `outDir` at `/__out/`; 404 for anything outside them. */
export async function startStaticServer(repoRoot: string, outDir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    if (path === '/favicon.ico') { res.writeHead(204).end(); return; }
    const file = path.startsWith('/__out/') ? inside(resolve(outDir), path.slice('/__out/'.length)) : inside(resolve(repoRoot), path.slice(1));
    if (file === null) { res.writeHead(404).end(); return; }
    readFile(file).then(
      (body) => { res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body); },
      () => { res.writeHead(404).end(); },
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.close(() => ok()); }),
  };
}

