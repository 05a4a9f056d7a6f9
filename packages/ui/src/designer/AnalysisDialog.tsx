import type { Locale } from '@formwork/metadata';
import { Alert, Button, List, Modal, Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { EntityChangeAnalysis } from './types.js';

const COLORS = { safe: 'green', converting: 'orange', destructive: 'red' } as const;

/** The server's change analysis, with a confirmation that names the data loss when there is one. */
export function AnalysisDialog({
  analysis,
  locale,
  t,
  busy,
  onConfirm,
  onCancel,
}: {
  analysis: EntityChangeAnalysis;
  locale: Locale;
  t: TFunction;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Modal
      open
      title={t('designer.analysisTitle')}
      onCancel={onCancel}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('designer.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={analysis.destructive} loading={busy} onClick={onConfirm}>
          {analysis.destructive ? t('designer.confirmDestructive') : t('designer.confirmSave')}
        </Button>,
      ]}
    >
      {analysis.destructive && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('designer.destructiveWarning')}
          style={{ marginBottom: 12 }}
        />
      )}
      {analysis.changes.length === 0 ? (
        <p>{t('designer.noChanges')}</p>
      ) : (
        <List
          size="small"
          dataSource={analysis.changes}
          renderItem={(c) => (
            <List.Item data-change={c.kind}>
              <Tag color={COLORS[c.classification]}>{t(`designer.classification.${c.classification}`)}</Tag>
              <span>{c.message[locale]}</span>
              {typeof c.affectedCount === 'number' && c.affectedCount > 0 && (
                <Tag style={{ marginInlineStart: 8 }}>
                  {t('designer.affected', { count: c.affectedCount })}
                </Tag>
              )}
            </List.Item>
          )}
        />
      )}
    </Modal>
  );
}
