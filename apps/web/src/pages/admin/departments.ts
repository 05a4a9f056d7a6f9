import type { Department, Member } from './admin-api.js';

/** The department tree, pure: nesting, subtrees, paths and member filtering for the people screen. */

export interface DepartmentNode {
  key: string;
  title: string;
  department: Department;
  children: DepartmentNode[];
}

const bySortThenName = (a: Department, b: Department) =>
  a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);

/**
 * Nests the flat list (parentId) into a tree, siblings by `sort` then name. A department whose parent is
 * missing becomes a root, so nothing disappears from view.
 */
export function buildTree(departments: readonly Department[]): DepartmentNode[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<string | null, Department[]>();
  for (const d of departments) {
    const parent = d.parentId && ids.has(d.parentId) && d.parentId !== d.id ? d.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(d);
    children.set(parent, list);
  }
  const seen = new Set<string>();
  const walk = (parent: string | null): DepartmentNode[] =>
    (children.get(parent) ?? [])
      .slice()
      .sort(bySortThenName)
      .filter((d) => !seen.has(d.id))
      .map((d) => {
        seen.add(d.id);
        return { key: d.id, title: d.name, department: d, children: walk(d.id) };
      });
  return walk(null);
}

/** The department and every department below it. */
export function subtreeIds(departments: readonly Department[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/** "销售部 / 华东组": the names from the root down to the department. */
export function departmentPath(departments: readonly Department[], id: string): string {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const names: string[] = [];
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    names.unshift(cur.name);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return names.join(' / ');
}

/** Where a department may move: anywhere except into itself or below itself. */
export function moveTargets(departments: readonly Department[], id: string): Department[] {
  const below = subtreeIds(departments, id);
  return departments.filter((d) => !below.has(d.id));
}

export interface MemberFilter {
  /** null: every member. */
  departmentId: string | null;
  includeSubDepartments: boolean;
  search: string;
  status: 'all' | Member['status'];
}

/** The members shown for the selected department, search text and status. */
export function filterMembers(
  members: readonly Member[],
  departments: readonly Department[],
  f: MemberFilter,
): Member[] {
  const within =
    f.departmentId === null
      ? null
      : f.includeSubDepartments
        ? subtreeIds(departments, f.departmentId)
        : new Set([f.departmentId]);
  const q = f.search.trim().toLowerCase();
  return members.filter(
    (m) =>
      (f.status === 'all' || m.status === f.status) &&
      (within === null || m.departmentIds.some((d) => within.has(d))) &&
      (q === '' || m.name.toLowerCase().includes(q) || m.email.toLowerCase().includes(q)),
  );
}

/**
 * The departments and primary department to send for a member: the primary must be one of the
 * departments (the first when none is chosen or the chosen one was removed).
 */
export function normaliseMembership(
  departmentIds: readonly string[],
  primary: string | null | undefined,
): { departmentIds: string[]; primaryDepartmentId?: string } {
  const ids = [...new Set(departmentIds)];
  const p = primary && ids.includes(primary) ? primary : ids[0];
  return { departmentIds: ids, ...(p ? { primaryDepartmentId: p } : {}) };
}
