import type { ChangeAnalysis } from '@formwork/client';
import type { EntityDefinition } from '@formwork/metadata';
import { FormDesigner } from '@formwork/ui/designer';
import { App, Result, Spin } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context.js';
import { navigate } from '../router.js';

/** Designs a new entity or changes one (administrators). A lazily loaded chunk with the designer. */
export default function DesignerPage(props: { entityKey: string | null }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const { message } = App.useApp();
  const [entity, setEntity] = useState<EntityDefinition | null | undefined>(
    props.entityKey ? undefined : null,
  );
  useEffect(() => {
    if (props.entityKey) app.api.client.entities.get(props.entityKey).then(setEntity, () => setEntity(null));
  }, [app.api, props.entityKey]);

  if (!app.isAdmin) return <Result status="403" title={t('errors.forbidden')} />;
  if (entity === undefined) return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;

  const isNew = props.entityKey === null;
  return (
    <div data-testid="designer-page">
      <FormDesigner
        entity={entity}
        locale={app.locale}
        knownEntities={app.entities}
        analyse={async (next): Promise<ChangeAnalysis> =>
          isNew ? { destructive: false, changes: [] } : app.api.client.entities.analyse(next.key, next)
        }
        onSave={async (next, confirmDestructive) => {
          if (isNew) await app.api.client.entities.create(next);
          else await app.api.client.entities.update(next.key, next, { confirm: confirmDestructive });
          await app.reloadEntities();
          message.success(t('designer.saved'));
          navigate(`/e/${next.key}`);
        }}
      />
    </div>
  );
}
