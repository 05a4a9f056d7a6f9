import type { Message } from '@formwork/metadata';
import { resolveAssignees } from './assignees.js';
import type { Directory, Effect, FlowAction, RecordData } from './types.js';
import { evaluateSet, renderMessage } from './values.js';

/** Effects of the simple actions shared by blueprints (on entering a stage) and flows. */
export interface ActionContext {
  record: RecordData;
  directory: Directory;
  now: Date;
  timeZone: string;
  /** Who the `submitter` assignee rule means (the record's creator for blueprints). */
  submitter: string;
  source: 'workflow' | 'automation' | 'blueprint';
  webhookBody: Record<string, unknown>;
}

export function simpleActionEffects(
  actions: readonly FlowAction[],
  ctx: ActionContext,
): { effects: Effect[]; errors: Array<{ index: number; field?: string; message: Message }> } {
  const effects: Effect[] = [];
  const errors: Array<{ index: number; field?: string; message: Message }> = [];
  let record = ctx.record;
  actions.forEach((a, index) => {
    const vc = { record, now: ctx.now, timeZone: ctx.timeZone };
    if (a.type === 'updateRecord') {
      const r = evaluateSet(a.set, vc);
      if (!r.ok) {
        errors.push({ index, field: r.field, message: r.message });
        return;
      }
      record = { ...record, ...r.changes };
      effects.push({ type: 'updateRecord', changes: r.changes, source: ctx.source });
    } else if (a.type === 'notify') {
      const to = resolveAssignees(a.to, { directory: ctx.directory, submitter: ctx.submitter, record });
      if (to.length === 0) return;
      effects.push({
        type: 'notify',
        to,
        kind: 'custom',
        channels: a.channels ?? ['inApp'],
        title: renderMessage(a.title, vc),
        ...(a.body !== undefined ? { body: renderMessage(a.body, vc) } : {}),
      });
    } else {
      effects.push({
        type: 'callWebhook',
        url: a.url,
        method: a.method ?? 'POST',
        headers: a.headers ?? {},
        body: { ...ctx.webhookBody, record },
      });
    }
  });
  return { effects, errors };
}
