import { localize } from '@formwork/metadata';
import { Button, Card, Empty, List, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context.js';
import { Link, navigate } from '../router.js';

/** The list of entities; administrators create and design them from here. */
export function HomePage(): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const entities = app.entities.filter((e) => app.can(e.key, 'read') || app.can(e.key, 'create'));
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('entities')}
        </Typography.Title>
        {app.isAdmin && (
          <Button type="primary" data-testid="new-entity" onClick={() => navigate('/admin/entities/new')}>
            {t('newEntity')}
          </Button>
        )}
      </Space>
      {entities.length === 0 ? (
        <Empty description={app.isAdmin ? t('noEntitiesAdmin') : t('noEntities')} />
      ) : (
        <List
          grid={{ gutter: 16, xs: 1, sm: 2, md: 3, lg: 4 }}
          dataSource={entities}
          renderItem={(e) => (
            <List.Item>
              <Card
                title={<Link to={`/e/${e.key}`}>{localize(e.label, app.locale, e.key)}</Link>}
                extra={
                  app.isAdmin && (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => navigate(`/admin/entities/${e.key}/design`)}
                    >
                      {t('design')}
                    </Button>
                  )
                }
              >
                <Typography.Text type="secondary">
                  {localize(e.description, app.locale, e.key)}
                </Typography.Text>
              </Card>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
