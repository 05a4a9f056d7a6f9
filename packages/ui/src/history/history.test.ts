import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, record, redo, undo } from './index.js';

describe('undo history', () => {
  it('undoes and redoes edits in order', () => {
    let h = record<string>('a', { past: [], future: [] }, undefined); // a → b
    h = record('b', h, undefined); // b → c
    const back = undo('c', h);
    expect(back).toMatchObject({ present: 'b', past: ['a'], future: ['c'] });
    const again = redo('b', back as NonNullable<typeof back>);
    expect(again).toMatchObject({ present: 'c', past: ['a', 'b'], future: [] });
    expect(redo('c', { past: [], future: [] })).toBeNull();
    expect(undo('a', { past: [], future: [] })).toBeNull();
  });

  it('joins edits of one group into one step, and a new edit clears the future', () => {
    let h = record<string>('a', { past: [], future: ['z'] }, 'label:name');
    expect(h.future).toEqual([]);
    h = record('ab', h, 'label:name');
    h = record('abc', h, 'label:name');
    expect(h.past).toEqual(['a']);
    h = record('abcd', h, 'label:phone');
    expect(h.past).toEqual(['a', 'abcd']);
  });

  it(`keeps at most ${HISTORY_LIMIT} steps`, () => {
    let h = { past: [] as number[], future: [] as number[] };
    for (let i = 0; i < HISTORY_LIMIT + 50; i++) h = record(i, h, undefined);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(50);
  });
});
