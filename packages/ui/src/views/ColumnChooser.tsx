import {
  type EntityDefinition,
  type Locale,
  localize,
  resolveFilterField,
  systemFields,
} from '@formwork/metadata';
import { Button, Checkbox, Popover } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ColumnChooserProps {
  entity: EntityDefinition;
  columns: readonly string[];
  locale: Locale;
  onChange(columns: string[]): void;
}

/** Every column that can be shown: the entity's fields, then the system fields (not `id`). */
export function allColumns(entity: EntityDefinition): string[] {
  return [
    ...entity.fields.map((f) => f.key),
    ...Object.keys(systemFields).filter((k) => k !== 'id' && k !== 'version'),
  ];
}

/** The default columns: the first eight fields (not subforms), then the update time. */
export function defaultColumns(entity: EntityDefinition): string[] {
  return [
    ...entity.fields
      .filter((f) => f.type !== 'subform' && f.type !== 'richText')
      .slice(0, 8)
      .map((f) => f.key),
    'updatedAt',
  ];
}

/** Move `key` one step up (-1) or down (+1) in `list`. */
export function moveColumn(list: readonly string[], key: string, step: -1 | 1): string[] {
  const i = list.indexOf(key);
  const j = i + step;
  if (i < 0 || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j] as string, out[i] as string];
  return out;
}

/** Chooses and orders the visible columns (a checkbox list with up/down buttons; keyboard friendly). */
export function ColumnChooser(p: ColumnChooserProps): ReactNode {
  const { t } = useTranslation('views');
  const shown = new Set(p.columns);
  const hidden = allColumns(p.entity).filter((k) => !shown.has(k));
  const ordered = [...p.columns, ...hidden];
  const content = (
    <div data-testid="column-chooser" style={{ maxHeight: 360, overflow: 'auto', minWidth: 240 }}>
      <div style={{ marginBottom: 8, color: '#8c8c8c' }}>{t('columnsTitle')}</div>
      {ordered.map((key) => {
        const field = resolveFilterField(p.entity, key);
        const label = localize(field?.label, p.locale, key);
        const on = shown.has(key);
        return (
          <div key={key} style={{ display: 'flex', alignItems: 'center', gap: 4, minHeight: 36 }}>
            <Checkbox
              checked={on}
              onChange={(e) =>
                p.onChange(e.target.checked ? [...p.columns, key] : p.columns.filter((c) => c !== key))
              }
              style={{ flex: 1 }}
            >
              {label}
            </Checkbox>
            {on && (
              <>
                <Button
                  size="small"
                  type="text"
                  aria-label={`${t('moveUp')} ${label}`}
                  onClick={() => p.onChange(moveColumn(p.columns, key, -1))}
                >
                  ↑
                </Button>
                <Button
                  size="small"
                  type="text"
                  aria-label={`${t('moveDown')} ${label}`}
                  onClick={() => p.onChange(moveColumn(p.columns, key, 1))}
                >
                  ↓
                </Button>
              </>
            )}
          </div>
        );
      })}
      <Button size="small" type="link" onClick={() => p.onChange(allColumns(p.entity))}>
        {t('showAll')}
      </Button>
    </div>
  );
  return (
    <Popover content={content} trigger="click" placement="bottomLeft">
      <Button data-testid="columns-button">{t('columns')}</Button>
    </Popover>
  );
}
