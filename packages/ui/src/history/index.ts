/**
 * Undo and redo over an immutable document (the form designer's entity, the flow designer's
 * definition): the documents before the present (`past`, oldest first, at most `HISTORY_LIMIT`) and after
 * it (`future`, nearest first). Edits of one group (typing into one property) make one step.
 */
export const HISTORY_LIMIT = 200;

export interface History<T> {
  past: T[];
  future: T[];
  /** The group of the last edit; the next edit of the same group joins its step. */
  lastGroup?: string | undefined;
}

/** The step back from `present`, or null when there is none. */
export function undo<T>(present: T, h: History<T>): (History<T> & { present: T }) | null {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return null;
  return { present: prev, past: h.past.slice(0, -1), future: [present, ...h.future], lastGroup: undefined };
}

/** The step forward from `present`, or null when there is none. */
export function redo<T>(present: T, h: History<T>): (History<T> & { present: T }) | null {
  const next = h.future[0];
  if (next === undefined) return null;
  return { present: next, past: [...h.past, present], future: h.future.slice(1), lastGroup: undefined };
}

/** The history after an edit of `present` (of `group`, when it is one of a run of small edits). */
export function record<T>(present: T, h: History<T>, group: string | undefined): History<T> {
  const coalesce = group !== undefined && group === h.lastGroup && h.past.length > 0;
  return {
    past: coalesce ? h.past : [...h.past, present].slice(-HISTORY_LIMIT),
    future: [],
    lastGroup: group,
  };
}
