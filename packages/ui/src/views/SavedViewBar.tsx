import { Button, Popconfirm, Space } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeferredSelect } from './deferred-select.js';
import type { SavedView } from './types.js';

// The dialog (antd's Modal and Form with its validator) is a chunk of its own, fetched when the user first
// saves a view: the record list does not carry it.
const loadDialog = () => import('./SaveViewDialog.js');
const SaveViewDialog = lazy(loadDialog);

export interface SavedViewBarProps {
  views: readonly SavedView[];
  /** The selected view id; null = all records. */
  current: string | null;
  /** The current settings differ from the selected view's. */
  dirty: boolean;
  /** May create shared views (administrators). */
  canShare: boolean;
  onSelect(id: string | null): void;
  onSaveAs(input: { name: string; shared: boolean }): Promise<void>;
  onUpdate(id: string): Promise<void>;
  onDelete(id: string): Promise<void>;
}

/** Picks a saved view (shared ones first), saves the current settings as a new view or into the selected one. */
export function SavedViewBar(p: SavedViewBarProps): ReactNode {
  const { t } = useTranslation('views');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  // 'idle' until the first "save view"; the button shows 'loading' until the dialog's chunk is there.
  const [dialog, setDialog] = useState<'idle' | 'loading' | 'ready'>('idle');
  const current = p.views.find((v) => v.id === p.current);
  const shared = p.views.filter((v) => v.shared);
  const mine = p.views.filter((v) => !v.shared);
  const options = [
    { value: '', label: t('allRecords') },
    ...(shared.length
      ? [{ label: t('sharedViews'), options: shared.map((v) => ({ value: v.id, label: v.name })) }]
      : []),
    ...(mine.length
      ? [{ label: t('myViews'), options: mine.map((v) => ({ value: v.id, label: v.name })) }]
      : []),
  ];
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap size={8} data-testid="saved-views">
      {/* The picker shows once there is a view to pick (until then "all records" is all there is). */}
      {p.views.length > 0 && (
        <DeferredSelect
          aria-label={t('views')}
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 160 }}
          value={p.current ?? ''}
          options={options}
          onChange={(v: string) => p.onSelect(v === '' ? null : v)}
        />
      )}
      {current?.canEdit && p.dirty && (
        <Button loading={busy} onClick={() => run(() => p.onUpdate(current.id))}>
          {t('updateView')}
        </Button>
      )}
      <Button
        loading={dialog === 'loading'}
        onClick={() => {
          setOpen(true);
          if (dialog !== 'idle') return;
          setDialog('loading');
          loadDialog().then(
            () => setDialog('ready'),
            () => {
              setDialog('idle'); // the next click tries again
              setOpen(false);
            },
          );
        }}
        data-testid="save-view"
      >
        {current ? t('saveAsView') : t('saveView')}
      </Button>
      {current?.canEdit && (
        <Popconfirm
          title={t('deleteViewConfirm', { name: current.name })}
          onConfirm={() => run(() => p.onDelete(current.id))}
        >
          <Button danger>{t('deleteView')}</Button>
        </Popconfirm>
      )}
      {/* Mounted once loaded, then kept mounted so the dialog animates open and closed. */}
      {dialog === 'ready' && (
        <Suspense fallback={null}>
          <SaveViewDialog
            open={open}
            busy={busy}
            canShare={p.canShare}
            onClose={() => setOpen(false)}
            onSave={(input) =>
              run(async () => {
                await p.onSaveAs(input);
                setOpen(false);
              })
            }
          />
        </Suspense>
      )}
    </Space>
  );
}
