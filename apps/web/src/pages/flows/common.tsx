import type { Locale } from '@formwork/metadata';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.js';
import { useApp } from '../../context.js';
import { type WorkflowApi, workflowApi } from './flow-api.js';
import type { FlowInfo, NodeInfo } from './inbox.js';

/** The workflow routes bound to the app's API connection. */
export function useWorkflow(): WorkflowApi {
  const app = useApp();
  return useMemo(() => workflowApi(app.api), [app.api]);
}

/** The message of an error as the server said it (in the user's language), else its text. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fields.map((f) => f.message).filter((m) => m && m !== e.message);
    return fields.length > 0 ? `${e.message}：${fields.join('；')}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

// --- the tasks badge and other lists follow actions taken anywhere in the app ----------------------------

const TASKS_CHANGED = 'formwork:tasks-changed';

/** Tells the badge, the bell and open lists that tasks changed (an action was taken). */
export function announceTasksChanged(): void {
  globalThis.dispatchEvent(new Event(TASKS_CHANGED));
}

export function useTasksChanged(cb: () => void): void {
  useEffect(() => {
    globalThis.addEventListener(TASKS_CHANGED, cb);
    return () => globalThis.removeEventListener(TASKS_CHANGED, cb);
  }, [cb]);
}

// --- flow versions, for node names and node settings ------------------------------------------------------

/** A flow version as a map key: an instance's node names are those of the version it runs on. */
export const flowRef = (key: string, version: number): string => `${key}@${version}`;

/** Published versions never change: each is asked for once per page load. */
const flowCache = new Map<string, Promise<FlowInfo | null>>();

/** The flow versions named by `refs` (their names and node settings) by {@link flowRef}; unknown ones are left out. */
export function useFlowInfos(refs: ReadonlyArray<{ flow: string; version: number }>): Map<string, FlowInfo> {
  const wf = useWorkflow();
  const [infos, setInfos] = useState<Map<string, FlowInfo>>(new Map());
  const wanted = [...new Set(refs.map((r) => flowRef(r.flow, r.version)))].sort().join('\n');
  useEffect(() => {
    let live = true;
    const list = wanted === '' ? [] : wanted.split('\n');
    void Promise.all(
      list.map((ref) => {
        let p = flowCache.get(ref);
        if (!p) {
          const at = ref.lastIndexOf('@');
          const key = ref.slice(0, at);
          p = wf
            .definitions<{ name?: FlowInfo['name']; nodes?: NodeInfo[] }>('flow')
            .version(key, Number(ref.slice(at + 1)))
            .then(
              (v) => ({ key, name: v.definition.name ?? null, nodes: v.definition.nodes ?? [] }),
              () => null,
            );
          flowCache.set(ref, p);
        }
        return p.then((info) => [ref, info] as const);
      }),
    ).then((pairs) => {
      if (!live) return;
      const m = new Map<string, FlowInfo>();
      for (const [ref, info] of pairs) if (info) m.set(ref, info);
      setInfos(m);
    });
    return () => {
      live = false;
    };
  }, [wanted, wf]);
  return infos;
}

/** `2 天 3 小时` / `2 d 3 h` for a number of milliseconds. */
export function spanText(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts: string[] = [];
  if (d) parts.push(t('record.days', { count: d }));
  if (h) parts.push(t('record.hours', { count: h }));
  if (m || parts.length === 0) parts.push(t('record.minutes', { count: m }));
  return parts.slice(0, 2).join(' ');
}

export function textIn(text: unknown, locale: Locale, fallback = ''): string {
  if (typeof text === 'string') return text || fallback;
  if (text && typeof text === 'object') {
    const o = text as Record<string, string | undefined>;
    return o[locale] || o[locale === 'en' ? 'zh-CN' : 'en'] || fallback;
  }
  return fallback;
}
