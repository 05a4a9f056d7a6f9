import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon against one route; `body(i)`/`path(i)` vary each request. */
export async function load(opts: {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  path: (i: number) => string;
  body?: (i: number) => unknown;
  onTick?: () => void;
}): Promise<LoadResult> {
  let i = 0;
  const tick = opts.onTick ? setInterval(opts.onTick, 250) : undefined;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        method: opts.method,
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            path: opts.path(n),
            headers: { ...opts.headers, 'content-type': 'application/json' },
            ...(opts.body ? { body: JSON.stringify(opts.body(n)) } : {}),
          };
        },
      },
    ],
  });
  if (tick) clearInterval(tick);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Runs `task` from `concurrency` loops for `seconds`; returns throughput and latency percentiles. */
export async function loop(
  concurrency: number,
  seconds: number,
  task: (i: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let n = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const s = performance.now();
        try {
          await task(i);
          latencies.push(performance.now() - s);
        } catch (e) {
          errors++;
          if (errors === 1) console.error(e);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), errors, non2xx: 0 };
}
