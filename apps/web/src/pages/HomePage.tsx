import { localize } from '@formwork/metadata';
import { Button, Grid, Space, theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LazyEmpty } from '../components/LazyEmpty.js';
import { PageTitle, SecondaryText } from '../components/PageTitle.js';
import { useApp } from '../context.js';
import { Link, navigate } from '../router.js';

/** The list of entities; administrators create and design them from here. */
export function HomePage(): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const entities = app.entities.filter((e) => app.can(e.key, 'read') || app.can(e.key, 'create'));
  // A grid of cards in antd Card's look (1, 2, 3 or 4 columns by width), drawn with plain markup: antd's
  // List, Pagination, Card, Tabs and Skeleton would all be downloaded for this one page otherwise.
  const screens = Grid.useBreakpoint();
  const columns = screens.lg ? 4 : screens.md ? 3 : screens.sm ? 2 : 1;
  const { token } = theme.useToken();
  const card: CSSProperties = {
    background: token.colorBgContainer,
    border: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
    borderRadius: token.borderRadiusLG,
    minWidth: 0,
  };
  const cardHead: CSSProperties = {
    display: 'flex',
    alignItems: 'center',
    gap: token.marginXS,
    minHeight: 56,
    padding: `0 ${token.paddingLG}px`,
    borderBottom: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
  };
  const cardTitle: CSSProperties = {
    flex: 1,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontWeight: token.fontWeightStrong,
    fontSize: token.fontSizeLG,
    color: token.colorTextHeading,
  };
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <PageTitle>{t('entities')}</PageTitle>
        {app.isAdmin && (
          <Button type="primary" data-testid="new-entity" onClick={() => navigate('/admin/entities/new')}>
            {t('newEntity')}
          </Button>
        )}
      </Space>
      {entities.length === 0 ? (
        <LazyEmpty description={app.isAdmin ? t('noEntitiesAdmin') : t('noEntities')} />
      ) : (
        <div
          style={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: 16 }}
          data-testid="entity-cards"
        >
          {entities.map((e) => (
            <section key={e.key} style={card}>
              <div style={cardHead}>
                <span style={cardTitle}>
                  <Link to={`/e/${e.key}`}>{localize(e.label, app.locale, e.key)}</Link>
                </span>
                {app.isAdmin && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() => navigate(`/admin/entities/${e.key}/design`)}
                  >
                    {t('design')}
                  </Button>
                )}
              </div>
              <div style={{ padding: token.paddingLG }}>
                <SecondaryText>{localize(e.description, app.locale, e.key)}</SecondaryText>
              </div>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
