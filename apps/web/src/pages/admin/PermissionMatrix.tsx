import { type EntityDefinition, localize } from '@formwork/metadata';
import { FilterBuilder } from '@formwork/ui/views';
import {
  Button,
  Checkbox,
  Drawer,
  InputNumber,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTITY_ACTIONS, type Preset, SCOPE_TYPES } from './admin-api.js';
import {
  ALL,
  addLimit,
  applyPreset,
  effectiveRule,
  limitFields,
  type MatrixDraft,
  matchingPreset,
  type RowIssue,
  removeLimit,
  resetRow,
  setFieldAccess,
  setFilter,
  setScope,
  toggleAction,
  updateLimit,
} from './matrix.js';

export interface PermissionMatrixProps {
  entities: readonly EntityDefinition[];
  draft: MatrixDraft;
  onChange(next: MatrixDraft): void;
  presets: readonly Preset[];
  issues: readonly RowIssue[];
  locale: 'zh-CN' | 'en';
  members: Array<{ id: string; name: string }>;
  departments: Array<{ id: string; name: string }>;
  readOnly?: boolean;
}

/**
 * Entities × actions: a row per entity (and `*` for every entity without a rule of its own), a checkbox
 * per action, the data scope, one-click presets; a row opens to its custom scope filter, field
 * permissions (visible / read-only / hidden) and numeric limits.
 */
export function PermissionMatrix(props: PermissionMatrixProps): ReactNode {
  const { t } = useTranslation('admin');
  const { draft, onChange, presets, locale } = props;
  // The row whose custom filter, field permissions and limits are open in the drawer.
  const [detail, setDetail] = useState<string | null>(null);
  const rows = [ALL, ...props.entities.map((e) => e.key)];
  const entityOf = (key: string) => props.entities.find((e) => e.key === key);
  const label = (key: string) =>
    key === ALL ? t('roles.allEntities') : localize(entityOf(key)?.label, locale, key);
  const issuesOf = (key: string) => props.issues.filter((i) => i.row === key);
  const variables = {
    $user: t('roles.varUser'),
    $subordinates: t('roles.varSubordinates'),
    $department: t('roles.varDepartment'),
    $departmentTree: t('roles.varDepartmentTree'),
  };

  const renderDetail = (k: string): ReactNode => {
    const entity = entityOf(k);
    const { rule } = effectiveRule(draft, k);
    const rowIssues = issuesOf(k);
    return (
      <div style={{ display: 'grid', gap: 16, padding: '4px 8px' }} data-testid={`matrix-detail-${k}`}>
        {rule.scope === 'custom' && entity && (
          <section>
            <Typography.Text strong>{t('roles.customFilter')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
              {t('roles.customFilterHint')}
            </Typography.Paragraph>
            <FilterBuilder
              key={`${k}-filter`}
              entity={entity}
              locale={locale}
              value={rule.filter}
              members={props.members}
              departments={props.departments}
              variables={variables}
              onChange={(f) => !props.readOnly && onChange(setFilter(draft, k, f))}
            />
            <Issues issues={rowIssues.filter((i) => i.part === 'scope')} />
          </section>
        )}
        {entity && (
          <section data-testid={`matrix-fields-${k}`}>
            <Typography.Text strong>{t('roles.fieldPermissions')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
              {t('roles.fieldPermissionsHint')}
            </Typography.Paragraph>
            <div style={{ display: 'grid', gap: 6 }}>
              {entity.fields.map((f) => (
                <div
                  key={f.key}
                  style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}
                  data-testid={`field-access-${f.key}`}
                >
                  <span style={{ minWidth: 160 }}>{localize(f.label, locale, f.key)}</span>
                  <Segmented
                    size="small"
                    disabled={props.readOnly}
                    value={rule.fields[f.key] ?? 'visible'}
                    onChange={(v) =>
                      onChange(setFieldAccess(draft, k, f.key, v as 'visible' | 'hidden' | 'readonly'))
                    }
                    options={[
                      { value: 'visible', label: t('roles.visible') },
                      { value: 'readonly', label: t('roles.readonly') },
                      { value: 'hidden', label: t('roles.hidden') },
                    ]}
                  />
                  <Issues issues={rowIssues.filter((i) => i.part === 'fields' && i.field === f.key)} />
                </div>
              ))}
            </div>
          </section>
        )}
        {entity && (
          <section data-testid={`matrix-limits-${k}`}>
            <Typography.Text strong>{t('roles.limits')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
              {t('roles.limitsHint')}
            </Typography.Paragraph>
            {limitFields(entity).length === 0 ? (
              <Typography.Text type="secondary">{t('roles.noNumericFields')}</Typography.Text>
            ) : (
              <div style={{ display: 'grid', gap: 8 }}>
                {rule.limits.map((l) => (
                  <Space key={l.id} wrap>
                    <Select
                      aria-label={t('roles.limitField')}
                      style={{ width: 180 }}
                      disabled={props.readOnly}
                      value={l.field || undefined}
                      placeholder={t('roles.limitField')}
                      options={limitFields(entity).map((f) => ({
                        value: f.key,
                        label: localize(f.label, locale, f.key),
                      }))}
                      onChange={(field: string) => onChange(updateLimit(draft, k, l.id, { field }))}
                    />
                    <InputNumber
                      aria-label={t('roles.limitMin')}
                      placeholder={t('roles.limitMin')}
                      disabled={props.readOnly}
                      value={l.min ?? null}
                      onChange={(v) => onChange(updateLimit(draft, k, l.id, { min: v }))}
                    />
                    <InputNumber
                      aria-label={t('roles.limitMax')}
                      placeholder={t('roles.limitMax')}
                      disabled={props.readOnly}
                      value={l.max ?? null}
                      onChange={(v) => onChange(updateLimit(draft, k, l.id, { max: v }))}
                    />
                    <Button
                      size="small"
                      danger
                      disabled={props.readOnly}
                      onClick={() => onChange(removeLimit(draft, k, l.id))}
                    >
                      {t('delete')}
                    </Button>
                    <Issues issues={rowIssues.filter((i) => i.part === 'limits' && i.field === l.field)} />
                  </Space>
                ))}
                <div>
                  <Button size="small" disabled={props.readOnly} onClick={() => onChange(addLimit(draft, k))}>
                    + {t('roles.addLimit')}
                  </Button>
                </div>
              </div>
            )}
          </section>
        )}
      </div>
    );
  };

  return (
    <>
      <Table<string>
        rowKey={(k) => k}
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 960 }}
        data-testid="permission-matrix"
        onRow={(k) => ({ 'data-testid': `matrix-row-${k === ALL ? 'all' : k}` }) as never}
        columns={[
          {
            key: 'entity',
            title: t('roles.entity'),
            fixed: 'left',
            width: 200,
            render: (_, k) => {
              const { inherited } = effectiveRule(draft, k);
              const own = draft.rules[k];
              const rowIssues = issuesOf(k);
              const n = own ? Object.keys(own.fields).length + own.limits.length : 0;
              return (
                <div>
                  <span>{label(k)}</span>
                  {inherited && draft.rules[ALL] && (
                    <Tooltip title={t('roles.inheritedHint')}>
                      <Tag style={{ marginInlineStart: 6 }}>{t('roles.inherited')}</Tag>
                    </Tooltip>
                  )}
                  <div style={{ display: 'flex', flexWrap: 'wrap', marginInlineStart: -4 }}>
                    {k !== ALL && (
                      <Button
                        size="small"
                        type="link"
                        style={{ paddingInline: 4 }}
                        onClick={() => setDetail(k)}
                      >
                        {t('roles.fieldsAndLimits')}
                        {n > 0 ? ` (${n})` : ''}
                      </Button>
                    )}
                    {own && !props.readOnly && (
                      <Tooltip title={k === ALL ? t('roles.clearAllHint') : t('roles.resetHint')}>
                        <Button
                          size="small"
                          type="text"
                          style={{ paddingInline: 4, color: 'rgba(0,0,0,0.45)' }}
                          onClick={() => onChange(resetRow(draft, k))}
                        >
                          {k === ALL ? t('roles.clear') : t('roles.reset')}
                        </Button>
                      </Tooltip>
                    )}
                  </div>
                  {rowIssues.length > 0 && (
                    <Typography.Text
                      type="danger"
                      style={{ display: 'block', fontSize: 12 }}
                      data-testid="row-error"
                    >
                      {rowIssues[0]?.message}
                    </Typography.Text>
                  )}
                </div>
              );
            },
          },
          {
            key: 'preset',
            title: t('roles.preset'),
            width: 150,
            render: (_, k) => {
              const { rule } = effectiveRule(draft, k);
              return (
                <Select
                  size="small"
                  style={{ width: 138 }}
                  aria-label={`${label(k)} ${t('roles.preset')}`}
                  placeholder={t('roles.presetPlaceholder')}
                  disabled={props.readOnly}
                  value={matchingPreset(rule, presets) ?? null}
                  options={presets.map((p) => ({ value: p.key, label: p.label }))}
                  onChange={(key: string) => {
                    const p = presets.find((x) => x.key === key);
                    if (p) onChange(applyPreset(draft, k, p));
                  }}
                />
              );
            },
          },
          ...ENTITY_ACTIONS.map((a) => ({
            key: a,
            title: <Tooltip title={t(`actionHints.${a}`)}>{t(`actionNames.${a}`)}</Tooltip>,
            width: 64,
            align: 'center' as const,
            render: (_: unknown, k: string) => {
              const { rule, inherited } = effectiveRule(draft, k);
              return (
                <Checkbox
                  aria-label={`${label(k)} ${t(`actionNames.${a}`)}`}
                  disabled={props.readOnly}
                  checked={rule.actions.includes(a)}
                  className={inherited ? 'fw-inherited' : undefined}
                  style={inherited ? { opacity: 0.55 } : undefined}
                  onChange={(e) => onChange(toggleAction(draft, k, a, e.target.checked))}
                />
              );
            },
          })),
          {
            key: 'scope',
            title: t('roles.scope'),
            width: 170,
            render: (_, k) => {
              const { rule } = effectiveRule(draft, k);
              return (
                <Select
                  size="small"
                  style={{ width: 158 }}
                  aria-label={`${label(k)} ${t('roles.scope')}`}
                  disabled={props.readOnly}
                  value={rule.scope}
                  options={SCOPE_TYPES.filter((s) => s !== 'custom' || k !== ALL).map((s) => ({
                    value: s,
                    label: t(`scopes.${s}`),
                  }))}
                  onChange={(s: (typeof SCOPE_TYPES)[number]) => {
                    onChange(setScope(draft, k, s));
                    if (s === 'custom') setDetail(k);
                  }}
                />
              );
            },
          },
        ]}
      />
      <Drawer
        open={detail !== null}
        onClose={() => setDetail(null)}
        size={720}
        title={detail ? t('roles.detailTitle', { entity: label(detail) }) : ''}
        data-testid="matrix-drawer"
      >
        {detail && renderDetail(detail)}
      </Drawer>
    </>
  );
}

function Issues(props: { issues: readonly RowIssue[] }): ReactNode {
  if (props.issues.length === 0) return null;
  return (
    <Typography.Text type="danger" style={{ fontSize: 12 }}>
      {props.issues.map((i) => i.message).join('; ')}
    </Typography.Text>
  );
}
