// A tiny HTTP file server on 127.0.0.1 for artifact tests: Range support, a request log, and injected faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** One request the server answered. */
export interface LoggedRequest {
  path: string;
  range: string | null;
  status: number;
}

/** A running test server. */
export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: LoggedRequest[];
  /** Serves `body` at `urlPath` instead of the file. */
  override(urlPath: string, body: Buffer | string): void;
  /**
   * The next request for `urlPath` sends only the first `bytes` bytes, then cuts the connection once
   * `before` resolves (e.g. when the client has stored them: a cut drops what the client had not read yet).
   */
  cutOnce(urlPath: string, bytes: number, before?: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Serves the files under `root`. */
export async function startFileServer(root: string): Promise<FileServer> {
  const requests: LoggedRequest[] = [];
  const overrides = new Map<string, Buffer>();
  const cuts = new Map<string, { bytes: number; before: () => Promise<void> }>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const range = req.headers.range ?? null;
    const log = (status: number) => requests.push({ path: urlPath, range, status });
    let body: Buffer;
    try {
      body = overrides.get(urlPath) ?? (await readFile(path.join(root, path.normalize(urlPath))));
    } catch {
      log(404);
      res.writeHead(404).end("not found");
      return;
    }
    let start = 0;
    const m = range === null ? null : /^bytes=(\d+)-$/.exec(range);
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        log(416);
        res.writeHead(416, { "Content-Range": `bytes */${body.length}` }).end();
        return;
      }
    }
    const status = m ? 206 : 200;
    log(status);
    res.writeHead(status, {
      "Content-Length": body.length - start,
      "Accept-Ranges": "bytes",
      ...(m ? { "Content-Range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const cut = cuts.get(urlPath);
    if (cut !== undefined) {
      cuts.delete(urlPath);
      res.write(body.subarray(start, start + cut.bytes), () => {
        cut.before().then(
          () => res.destroy(),
          () => res.destroy(),
        );
      });
      return;
    }
    res.end(body.subarray(start));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    override: (urlPath, body) => overrides.set(urlPath, Buffer.from(body)),
    cutOnce: (urlPath, bytes, before = () => Promise.resolve()) => cuts.set(urlPath, { bytes, before }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
