import { type AnchorHTMLAttributes, type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

/**
 * A tiny history-API router: five routes do not need a library. `formwork start` answers index.html
 * for every non-API path, so deep links and reloads work.
 */

const CHANGE = 'formwork:navigate';

function subscribe(cb: () => void): () => void {
  globalThis.addEventListener('popstate', cb);
  globalThis.addEventListener(CHANGE, cb);
  return () => {
    globalThis.removeEventListener('popstate', cb);
    globalThis.removeEventListener(CHANGE, cb);
  };
}

const snapshot = () => `${globalThis.location.pathname}${globalThis.location.search}`;

/** The current path with its query string; re-renders on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) globalThis.history.replaceState(null, '', to);
  else globalThis.history.pushState(null, '', to);
  globalThis.dispatchEvent(new Event(CHANGE));
}

/** `/e/:entity/r/:id` against `/e/deal/r/42` → `{ entity: 'deal', id: '42' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const pathname = path.split('?')[0] ?? '';
  const ps = pattern.split('/').filter(Boolean);
  const xs = pathname.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as string;
    const x = xs[i] as string;
    if (p.startsWith(':')) {
      try {
        out[p.slice(1)] = decodeURIComponent(x);
      } catch {
        return null;
      }
    } else if (p !== x) return null;
  }
  return out;
}

export function queryParam(path: string, name: string): string | null {
  const q = path.split('?')[1];
  return q ? new URLSearchParams(q).get(name) : null;
}

/** An `<a>` that navigates without reloading (modified clicks open a new tab as usual). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode }) {
  const { to, onClick, ...rest } = props;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
