import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './types.js';

export interface RunningServer {
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

/** Listens on `port` (0 = any free port) with @hono/node-server. */
export function createServer(
  app: Hono<AppEnv>,
  port: number,
  opts: { hostname?: string } = {},
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port, ...(opts.hostname ? { hostname: opts.hostname } : {}) },
      (info: AddressInfo) => {
        resolve({
          port: info.port,
          close: (graceMs = 10_000) =>
            new Promise<void>((done, fail) => {
              const http = server as Server;
              const force = setTimeout(() => http.closeAllConnections?.(), graceMs);
              force.unref();
              http.close((err) => {
                clearTimeout(force);
                if (err) fail(err);
                else done();
              });
              http.closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
