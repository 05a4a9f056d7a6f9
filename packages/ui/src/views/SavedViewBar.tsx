import { Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedView } from './types.js';

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
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
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
      <Select
        aria-label={t('views')}
        showSearch
        optionFilterProp="label"
        style={{ minWidth: 160 }}
        value={p.current ?? ''}
        options={options}
        onChange={(v: string) => p.onSelect(v === '' ? null : v)}
      />
      {current?.canEdit && p.dirty && (
        <Button loading={busy} onClick={() => run(() => p.onUpdate(current.id))}>
          {t('updateView')}
        </Button>
      )}
      <Button onClick={() => setOpen(true)} data-testid="save-view">
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
      <Modal
        open={open}
        title={t('saveView')}
        okButtonProps={{ loading: busy }}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          let values: { name: string; shared: boolean };
          try {
            values = await form.validateFields();
          } catch {
            return; // the form shows what is missing
          }
          await run(async () => {
            await p.onSaveAs({ name: values.name.trim(), shared: values.shared === true });
            setOpen(false);
            form.resetFields();
          });
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ name: '', shared: false }}>
          <Form.Item
            name="name"
            label={t('viewName')}
            rules={[{ required: true, whitespace: true, message: t('viewNameRequired') }]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
          {p.canShare && (
            <Form.Item name="shared" valuePropName="checked">
              <Checkbox>{t('shareView')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
