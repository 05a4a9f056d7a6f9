import { formatDateTime } from '@formwork/ui/views';
import { Badge, Button, Empty, Popover, Space, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import type { Notification } from './flow-api.js';

/**
 * The bell's popover: the notifications with "only unread" and "mark all read". Its own chunk, fetched when
 * the user first opens the bell — the shell on every page only draws the bell and its count (nav.tsx).
 */
export default function NotificationPopover(p: {
  open: boolean;
  onOpenChange(open: boolean): void;
  data: { items: Notification[]; unread: number };
  unreadOnly: boolean;
  setUnreadOnly(v: boolean): void;
  markAllRead(): Promise<void>;
  openOne(n: Notification): Promise<void>;
  children: ReactNode;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const { data, unreadOnly, setUnreadOnly, openOne } = p;
  const content = (
    <div
      style={{ width: app.mobile ? 300 : 380, maxHeight: 460, overflow: 'auto' }}
      data-testid="notification-list"
    >
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Space size={4}>
          <Switch
            size="small"
            checked={unreadOnly}
            onChange={setUnreadOnly}
            aria-label={t('bell.onlyUnread')}
          />
          <Typography.Text type="secondary">{t('bell.onlyUnread')}</Typography.Text>
        </Space>
        <Button
          size="small"
          type="link"
          disabled={data.unread === 0}
          data-testid="notifications-read-all"
          onClick={() => void p.markAllRead()}
        >
          {t('bell.markAll')}
        </Button>
      </Space>
      {data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} />
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {data.items.map((n) => (
            <li key={n.id} style={{ borderBottom: '1px solid #f5f5f5' }}>
              <button
                type="button"
                onClick={() => void openOne(n)}
                data-testid="notification"
                data-unread={!n.readAt}
                style={{
                  all: 'unset',
                  cursor: 'pointer',
                  display: 'block',
                  width: '100%',
                  padding: '8px 4px',
                  boxSizing: 'border-box',
                }}
              >
                <Space align="start" size={6}>
                  {!n.readAt && <Badge status="processing" />}
                  <span>
                    <div style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title[app.locale]}</div>
                    {n.body && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {n.body[app.locale]}
                      </Typography.Text>
                    )}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(n.createdAt)}
                      </Typography.Text>
                    </div>
                  </span>
                </Space>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <Popover
      open={p.open}
      onOpenChange={p.onOpenChange}
      trigger="click"
      placement="bottomRight"
      title={t('bell.title')}
      content={content}
    >
      {/* A DOM element for the popover to anchor to and to take its clicks (the bell is a component). */}
      <span style={{ display: 'inline-flex' }}>{p.children}</span>
    </Popover>
  );
}
