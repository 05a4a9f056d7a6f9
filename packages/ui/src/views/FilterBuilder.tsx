import {
  type EntityDefinition,
  type FieldDefinition,
  type FilterNode,
  type FilterOp,
  fieldOperators,
  type Locale,
  localize,
  resolveFilterField,
} from '@formwork/metadata';
import { Button, Checkbox, Input, InputNumber, Select, Space } from 'antd';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addChild,
  changeLeaf,
  type DraftGroup,
  type DraftLeaf,
  emptyGroup,
  filterableFields,
  fromDraft,
  newLeaf,
  PERIODS,
  removeNode,
  type ScopeVariable,
  scopeVariablesFor,
  toDraft,
  updateNode,
  type ValueKind,
  valueKind,
} from './filter-model.js';

export interface NamedOption {
  id: string;
  name: string;
}

export interface FilterBuilderProps {
  entity: EntityDefinition;
  /** The filter to start from (the builder keeps its own draft afterwards; remount it to reset). */
  value?: FilterNode | undefined;
  locale: Locale;
  /** Called with the AST of the complete conditions (undefined when there are none). */
  onChange(filter: FilterNode | undefined): void;
  /** People to pick for member fields (createdBy, ownerId, member fields). */
  members?: NamedOption[];
  departments?: NamedOption[];
  /**
   * Offer these variables (with their labels) where they fit — a role's data-scope filter:
   * `{ $user: 'Current user', $department: 'My departments' }`. Off by default (list filters).
   */
  variables?: Partial<Record<ScopeVariable, string>>;
}

/** Edits the whole filter AST: nested and/or groups, negation, every operator, relative dates. */
export function FilterBuilder(props: FilterBuilderProps): ReactNode {
  const { entity, onChange } = props;
  const [draft, setDraft] = useState<DraftGroup>(() => toDraft(props.value));
  // Each change applies to the latest draft, not to the one the editors were drawn with: on a busy machine a
  // second change (a value typed right after picking an operator) can come before the builder has redrawn,
  // and must not undo the first.
  const latest = useRef(draft);
  const commit = (change: (root: DraftGroup) => DraftGroup) => {
    const next = change(latest.current);
    latest.current = next;
    setDraft(next);
    onChange(fromDraft(entity, next));
  };
  return (
    <div className="fw-filter-builder" data-testid="filter-builder">
      <GroupEditor {...props} group={draft} commit={commit} depth={0} />
    </div>
  );
}

interface GroupProps extends FilterBuilderProps {
  group: DraftGroup;
  /** Applies a change to the latest draft (the whole filter). */
  commit(change: (root: DraftGroup) => DraftGroup): void;
  depth: number;
}

function GroupEditor(p: GroupProps): ReactNode {
  const { t } = useTranslation('views');
  const fields = useMemo(() => filterableFields(p.entity), [p.entity]);
  const first = fields[0];
  const { group, commit } = p;
  return (
    <fieldset
      className="fw-filter-group"
      style={{
        border: p.depth === 0 ? 'none' : '1px solid rgba(5,5,5,0.12)',
        borderRadius: 8,
        padding: p.depth === 0 ? 0 : 8,
        margin: 0,
        minWidth: 0,
      }}
    >
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Select
          aria-label={t('matchAll')}
          size="middle"
          value={group.join}
          style={{ minWidth: 120 }}
          options={[
            { value: 'and', label: t('matchAll') },
            { value: 'or', label: t('matchAny') },
          ]}
          onChange={(join: 'and' | 'or') =>
            commit((root) => updateNode(root, group.id, (g) => ({ ...g, join }) as DraftGroup))
          }
        />
        <Checkbox
          checked={group.negate}
          onChange={(e) =>
            commit((root) =>
              updateNode(root, group.id, (g) => ({ ...g, negate: e.target.checked }) as DraftGroup),
            )
          }
        >
          {t('negate')}
        </Checkbox>
        {p.depth > 0 && (
          <Button size="small" danger onClick={() => commit((root) => removeNode(root, group.id))}>
            {t('removeGroup')}
          </Button>
        )}
      </Space>
      {group.children.length === 0 && (
        <div style={{ color: 'rgba(0,0,0,0.45)', marginBottom: 8 }}>{t('noConditions')}</div>
      )}
      {group.children.map((c) =>
        c.kind === 'group' ? (
          <div key={c.id} style={{ marginBottom: 8 }}>
            <GroupEditor {...p} group={c} depth={p.depth + 1} />
          </div>
        ) : (
          <LeafEditor key={c.id} {...p} leaf={c} fields={fields} />
        ),
      )}
      <Space wrap size={8}>
        <Button
          size="small"
          disabled={!first}
          onClick={() => first && commit((root) => addChild(root, group.id, newLeaf(first)))}
        >
          + {t('addCondition')}
        </Button>
        {p.depth < 3 && (
          <Button
            size="small"
            disabled={!first}
            onClick={() =>
              first &&
              commit((root) =>
                addChild(root, group.id, {
                  ...emptyGroup(group.join === 'and' ? 'or' : 'and'),
                  children: [newLeaf(first)],
                }),
              )
            }
          >
            + {t('addGroup')}
          </Button>
        )}
      </Space>
    </fieldset>
  );
}

function LeafEditor(p: GroupProps & { leaf: DraftLeaf; fields: FieldDefinition[] }): ReactNode {
  const { t } = useTranslation('views');
  const { leaf, commit, entity, locale } = p;
  const field = resolveFilterField(entity, leaf.field);
  const set = (patch: { field?: string; op?: FilterOp; value?: unknown }) =>
    commit((root) =>
      updateNode(root, leaf.id, (n) => (n.kind === 'leaf' ? changeLeaf(entity, n, patch) : n)),
    );
  const ops = field ? fieldOperators(field) : [];
  const variables: NamedOption[] = field
    ? scopeVariablesFor(field, leaf.op).flatMap((v) => {
        const name = p.variables?.[v];
        return name ? [{ id: v, name }] : [];
      })
    : [];
  return (
    <div
      className="fw-filter-condition"
      data-testid="filter-condition"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 8, alignItems: 'center' }}
    >
      <Select
        aria-label={t('field')}
        showSearch
        optionFilterProp="label"
        style={{ minWidth: 140, flex: '1 1 140px' }}
        value={leaf.field}
        options={p.fields.map((f) => ({ value: f.key, label: localize(f.label, locale, f.key) }))}
        onChange={(v: string) => set({ field: v })}
      />
      <Select
        aria-label={t('operator')}
        style={{ minWidth: 120, flex: '1 1 120px' }}
        value={leaf.op}
        options={ops.map((o) => ({ value: o, label: t(`ops.${o}`) }))}
        onChange={(v: FilterOp) => set({ op: v })}
      />
      {field && (
        <div style={{ flex: '2 1 180px', minWidth: 0 }}>
          <ValueEditor
            kind={valueKind(field, leaf.op)}
            field={field}
            value={leaf.value}
            locale={locale}
            members={[
              ...variables,
              ...(field.type === 'department' ? (p.departments ?? []) : (p.members ?? [])),
            ]}
            onChange={(value) => set({ value })}
          />
        </div>
      )}
      <Button
        aria-label={t('removeCondition')}
        title={t('removeCondition')}
        onClick={() => commit((root) => removeNode(root, leaf.id))}
      >
        ×
      </Button>
    </div>
  );
}

/** `2026-11-23T02:05:00.000Z` ↔ the value of `<input type="datetime-local">` in the browser's zone. */
export function isoToLocalInput(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function localInputToIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

interface ValueEditorProps {
  kind: ValueKind;
  field: FieldDefinition;
  value: unknown;
  locale: Locale;
  members: NamedOption[];
  onChange(value: unknown): void;
}

function ValueEditor(p: ValueEditorProps): ReactNode {
  const { t } = useTranslation('views');
  const { kind, field, value, onChange, locale } = p;
  const label = t('value');
  const options = (field.options ?? []).map((o) => ({
    value: o.value,
    label: localize(o.label, locale, o.value),
  }));
  const people = p.members.map((m) => ({ value: m.id, label: m.name }));
  const pair = (Array.isArray(value) ? value : [undefined, undefined]) as [unknown, unknown];
  const setPair = (i: 0 | 1, v: unknown) => onChange(i === 0 ? [v, pair[1]] : [pair[0], v]);
  switch (kind) {
    case 'none':
      return null;
    case 'text':
      return (
        <Input
          aria-label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'number':
      return (
        <InputNumber
          aria-label={label}
          style={{ width: '100%' }}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(typeof v === 'number' ? v : undefined)}
        />
      );
    case 'date':
      return (
        <Input
          type="date"
          aria-label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
      );
    case 'datetime':
      return (
        <Input
          type="datetime-local"
          aria-label={label}
          value={isoToLocalInput(value)}
          onChange={(e) => onChange(localInputToIso(e.target.value))}
        />
      );
    case 'boolean':
      return (
        <Select
          aria-label={label}
          style={{ width: '100%' }}
          value={typeof value === 'boolean' ? value : undefined}
          options={[
            { value: true, label: t('yes') },
            { value: false, label: t('no') },
          ]}
          onChange={(v: boolean) => onChange(v)}
        />
      );
    case 'option':
    case 'member':
      return (
        <Select
          aria-label={label}
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          value={typeof value === 'string' ? value : undefined}
          options={kind === 'option' ? options : people}
          onChange={(v: string) => onChange(v)}
        />
      );
    case 'options':
    case 'members':
    case 'list':
      return (
        <Select
          aria-label={label}
          mode={kind === 'list' ? 'tags' : 'multiple'}
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          value={Array.isArray(value) ? (value as string[]) : []}
          options={kind === 'options' ? options : kind === 'members' ? people : []}
          onChange={(v: string[]) =>
            onChange(field.type === 'number' || field.key === 'version' ? v.map(Number) : v)
          }
        />
      );
    case 'numberRange':
      return (
        <Space.Compact style={{ width: '100%' }}>
          <InputNumber
            aria-label={t('from')}
            style={{ width: '50%' }}
            value={typeof pair[0] === 'number' ? pair[0] : null}
            onChange={(v) => setPair(0, v ?? undefined)}
          />
          <InputNumber
            aria-label={t('to')}
            style={{ width: '50%' }}
            value={typeof pair[1] === 'number' ? pair[1] : null}
            onChange={(v) => setPair(1, v ?? undefined)}
          />
        </Space.Compact>
      );
    case 'dateRange':
      return (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            type="date"
            aria-label={t('from')}
            value={typeof pair[0] === 'string' ? pair[0] : ''}
            onChange={(e) => setPair(0, e.target.value || undefined)}
          />
          <Input
            type="date"
            aria-label={t('to')}
            value={typeof pair[1] === 'string' ? pair[1] : ''}
            onChange={(e) => setPair(1, e.target.value || undefined)}
          />
        </Space.Compact>
      );
    case 'datetimeRange':
      return (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            type="datetime-local"
            aria-label={t('from')}
            value={isoToLocalInput(pair[0])}
            onChange={(e) => setPair(0, localInputToIso(e.target.value))}
          />
          <Input
            type="datetime-local"
            aria-label={t('to')}
            value={isoToLocalInput(pair[1])}
            onChange={(e) => setPair(1, localInputToIso(e.target.value))}
          />
        </Space.Compact>
      );
    case 'period': {
      const current = typeof value === 'string' ? value : undefined;
      const isLast = current?.startsWith('lastNDays:') ?? false;
      const n = isLast ? Number(current?.slice('lastNDays:'.length)) : 7;
      return (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            aria-label={label}
            style={{ width: isLast ? '60%' : '100%' }}
            value={isLast ? 'lastNDays' : current}
            options={[
              ...PERIODS.map((x) => ({ value: x, label: t(`periods.${x}`) })),
              { value: 'lastNDays', label: t('lastNDays') },
            ]}
            onChange={(v: string) => onChange(v === 'lastNDays' ? `lastNDays:${n}` : v)}
          />
          {isLast && (
            <InputNumber
              aria-label={t('days')}
              min={1}
              max={3650}
              precision={0}
              style={{ width: '40%' }}
              value={n}
              addonAfter={t('days')}
              onChange={(v) =>
                typeof v === 'number' && v >= 1 && onChange(`lastNDays:${Math.min(3650, Math.round(v))}`)
              }
            />
          )}
        </Space.Compact>
      );
    }
  }
}
