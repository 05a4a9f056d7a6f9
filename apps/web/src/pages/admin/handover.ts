import type { FilterNode } from '@formwork/metadata';
import type { DeactivateBody, HandoverPreview, HandoverResult, Member } from './admin-api.js';

/**
 * The hand-over wizard (离职交接) as pure state: successor → what to transfer → confirm → result.
 * The server does everything in one transaction (`POST /api/members/{id}/deactivate`); this module only
 * decides what to ask for and how to summarise the answer.
 */

export const STEPS = ['successor', 'transfer', 'confirm', 'result'] as const;
export type Step = 0 | 1 | 2 | 3;

export interface TransferChoice {
  on: boolean;
  /** Only the records matching this filter (besides being the member's). */
  filter?: FilterNode;
}

export interface HandoverState {
  step: Step;
  successorId: string | null;
  /** Deactivate without handing anything over (nobody takes over). */
  noSuccessor: boolean;
  /** Per entity key. */
  transfers: Record<string, TransferChoice>;
}

export function initialState(): HandoverState {
  return { step: 0, successorId: null, noSuccessor: false, transfers: {} };
}

/** Every entity in which the member owns records is handed over by default, unfiltered. */
export function defaultTransfers(preview: HandoverPreview): Record<string, TransferChoice> {
  return Object.fromEntries(preview.records.map((r) => [r.entity, { on: r.count > 0 }]));
}

/** Who can take over: the other active members. */
export function successorCandidates(members: readonly Member[], leaving: string): Member[] {
  return members.filter((m) => m.userId !== leaving && m.status === 'active');
}

export function hasConditions(filter: FilterNode | undefined): boolean {
  if (!filter) return false;
  if ('and' in filter) return filter.and.length > 0;
  if ('or' in filter) return filter.or.length > 0;
  return true;
}

/** Whether the wizard may go on from `state.step`. */
export function canAdvance(state: HandoverState): boolean {
  if (state.step === 0) return state.noSuccessor || state.successorId !== null;
  return state.step < 3;
}

export function next(state: HandoverState): HandoverState {
  if (!canAdvance(state)) return state;
  // Without a successor there is nothing to choose: straight to the confirmation.
  if (state.step === 0 && state.noSuccessor) return { ...state, step: 2 };
  return { ...state, step: (state.step + 1) as Step };
}

export function back(state: HandoverState): HandoverState {
  if (state.step === 0 || state.step === 3) return state;
  if (state.step === 2 && state.noSuccessor) return { ...state, step: 0 };
  return { ...state, step: (state.step - 1) as Step };
}

/** The request body: the successor and the chosen entities (each with its filter, if any). */
export function deactivateBody(state: HandoverState): DeactivateBody {
  if (state.noSuccessor || !state.successorId) return {};
  const transfers = Object.entries(state.transfers)
    .filter(([, c]) => c.on)
    .map(([entity, c]) => ({
      entity,
      ...(hasConditions(c.filter) ? { filter: c.filter as FilterNode } : {}),
    }));
  return { successorId: state.successorId, transfers };
}

/**
 * The records that will move per chosen entity: the member's count, or the count matching the entity's
 * filter once known (`filtered`); undefined while a filtered count is being fetched.
 */
export function plannedCounts(
  state: HandoverState,
  preview: HandoverPreview,
  filtered: Readonly<Record<string, number | undefined>>,
): Array<{ entity: string; count: number | undefined; filtered: boolean }> {
  if (state.noSuccessor) return [];
  return preview.records
    .filter((r) => state.transfers[r.entity]?.on)
    .map((r) => {
      const f = hasConditions(state.transfers[r.entity]?.filter);
      return { entity: r.entity, count: f ? filtered[r.entity] : r.count, filtered: f };
    });
}

export function totalRecords(result: HandoverResult): number {
  return result.transferred.reduce((n, t) => n + t.count, 0);
}
