import { type FormInstance, Select, TreeSelect } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../../api.js';
import type { Department, Member } from './admin-api.js';
import { buildTree, type DepartmentNode } from './departments.js';

/** The message to show for a failed request: its first field error, else its message. */
export function errorText(e: unknown, fallback: string): string {
  if (e instanceof ApiError) return e.fields[0]?.message ?? e.message;
  return fallback;
}

/**
 * Puts the server's field errors (`details.fields`) under the form's fields; `map` renames server fields
 * (`departmentIds.0` → `departmentIds`). Answers whether any error found a field.
 */
export function showFieldErrors(
  form: FormInstance,
  e: unknown,
  fieldNames: readonly string[],
  map: (field: string) => string = (f) => f.split('.')[0] ?? f,
): boolean {
  if (!(e instanceof ApiError)) return false;
  const byField = new Map<string, string[]>();
  for (const f of e.fields) {
    const name = map(f.field);
    if (!fieldNames.includes(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), f.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: DepartmentNode[], disabled?: Set<string>): TreeOption[] {
  return nodes.map((n) => ({
    value: n.key,
    title: n.title,
    ...(disabled?.has(n.key) ? { disabled: true } : {}),
    children: toOptions(n.children, disabled),
  }));
}

/** Picks one or several departments from the tree. */
export function DepartmentPicker(props: {
  departments: readonly Department[];
  value?: string | string[] | null;
  onChange?(v: string | string[] | null): void;
  multiple?: boolean;
  disabled?: Set<string>;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
}): ReactNode {
  return (
    <TreeSelect
      id={props.id}
      aria-label={props['aria-label']}
      style={{ width: '100%' }}
      treeData={toOptions(buildTree(props.departments), props.disabled)}
      value={props.value ?? (props.multiple ? [] : undefined)}
      onChange={(v: string | string[] | undefined) => props.onChange?.(v ?? null)}
      multiple={props.multiple}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      allowClear={props.allowClear}
      placeholder={props.placeholder}
    />
  );
}

/** Picks a member (by name or e-mail). */
export function MemberPicker(props: {
  members: readonly Member[];
  value?: string | null;
  onChange?(v: string | null): void;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
  'data-testid'?: string;
}): ReactNode {
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      data-testid={props['data-testid']}
      style={{ width: '100%' }}
      showSearch
      optionFilterProp="label"
      allowClear={props.allowClear}
      placeholder={props.placeholder}
      value={props.value ?? undefined}
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      options={props.members.map((m) => ({ value: m.userId, label: `${m.name || m.email} · ${m.email}` }))}
    />
  );
}
