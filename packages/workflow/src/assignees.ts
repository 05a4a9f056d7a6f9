import type { AssigneeRule, Directory, RecordData } from './types.js';

/**
 * Assignee rules → member ids, through the directory the runtime loaded. Pure; the order of the rules
 * and of the members within a rule is kept, repeats are dropped, inactive members (when the directory
 * lists the active ones) are left out.
 */

export interface ResolveContext {
  directory: Directory;
  submitter: string;
  record: RecordData;
}

function memberIdsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(memberIdsOf);
  if (typeof value === 'object' && 'id' in value && typeof (value as { id: unknown }).id === 'string') {
    return [(value as { id: string }).id];
  }
  return [];
}

/** The heads of the submitter's main department `levels` up (1 = own department); skipping the submitter. */
export function departmentHeads(directory: Directory, member: string, levels = 1, skipSelf = true): string[] {
  let dept: string | null | undefined = directory.memberDepartments[member]?.[0];
  let level = 1;
  const guard = new Set<string>();
  while (dept !== null && dept !== undefined && !guard.has(dept)) {
    guard.add(dept);
    const d: { parent: string | null; heads: string[] } | undefined = directory.departments[dept];
    if (!d) return [];
    if (level >= levels) {
      const heads = skipSelf ? d.heads.filter((h) => h !== member) : d.heads;
      if (heads.length > 0) return [...heads];
      // The submitter heads this department themself (or it has no head): go one level further up.
    }
    if (level >= levels && !skipSelf) return [];
    dept = d.parent;
    level += 1;
  }
  return [];
}

export function resolveRule(rule: AssigneeRule, ctx: ResolveContext): string[] {
  switch (rule.type) {
    case 'member':
      return [...rule.members];
    case 'role':
      return rule.roles.flatMap((r) => ctx.directory.roles[r] ?? []);
    case 'departmentHead':
      return departmentHeads(ctx.directory, ctx.submitter, rule.levels ?? 1, rule.skipSelf ?? true);
    case 'field':
      return memberIdsOf(ctx.record[rule.field]);
    case 'submitter':
      return [ctx.submitter];
  }
}

export function isActiveMember(directory: Directory, id: string): boolean {
  return directory.members === undefined || directory.members.includes(id);
}

/** Union of the rules' members, in order, without repeats or inactive members. */
export function resolveAssignees(rules: readonly AssigneeRule[], ctx: ResolveContext): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    for (const id of resolveRule(rule, ctx)) {
      if (!out.includes(id) && isActiveMember(ctx.directory, id)) out.push(id);
    }
  }
  return out;
}

/** True when `dept` is `ancestor` or lies below it. */
export function inDepartment(directory: Directory, dept: string, ancestor: string): boolean {
  let d: string | null | undefined = dept;
  const seen = new Set<string>();
  while (d !== null && d !== undefined && !seen.has(d)) {
    if (d === ancestor) return true;
    seen.add(d);
    d = directory.departments[d]?.parent;
  }
  return false;
}
