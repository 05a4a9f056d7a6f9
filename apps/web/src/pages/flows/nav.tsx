import { BellOutlined } from '@ant-design/icons';
import { formatDateTime } from '@formwork/ui/views';
import { Badge, Button, Empty, Popover, Space, Switch, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import { navigate } from '../../router.js';
import { useTasksChanged, useWorkflow } from './common.js';
import type { Notification } from './flow-api.js';
import { badgeText } from './inbox.js';

const POLL_MS = 30_000;

/** Calls `cb` now, every `ms` while the page is visible, and when the page becomes visible again. */
function usePolling(cb: () => void, ms: number): void {
  useEffect(() => {
    cb();
    const timer = setInterval(() => {
      if (globalThis.document?.visibilityState !== 'hidden') cb();
    }, ms);
    const onVisible = () => {
      if (globalThis.document?.visibilityState === 'visible') cb();
    };
    globalThis.document?.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      globalThis.document?.removeEventListener('visibilitychange', onVisible);
    };
  }, [cb, ms]);
}

/** The number of open tasks (待办), kept fresh; for the badge in the navigation. */
export function useTodoCount(): number {
  const wf = useWorkflow();
  const [n, setN] = useState(0);
  const load = useCallback(() => {
    wf.tasks('todo', { limit: 1 }).then(
      (r) => setN(r.total),
      () => undefined,
    );
  }, [wf]);
  usePolling(load, POLL_MS);
  useTasksChanged(load);
  return n;
}

/** "我的任务" with the count of open tasks, for the menu. */
export function TasksNavLabel(): ReactNode {
  const { t } = useTranslation('flows');
  const n = useTodoCount();
  return (
    <span data-testid="nav-tasks" style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      {t('nav.tasks')}
      {n > 0 && <Badge count={badgeText(n)} size="small" data-testid="nav-tasks-badge" title={String(n)} />}
    </span>
  );
}

/** The bell in the header: unread notifications, newest first; opening one marks it read. */
export function NotificationBell(): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const wf = useWorkflow();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [data, setData] = useState<{ items: Notification[]; unread: number }>({ items: [], unread: 0 });
  const load = useCallback(() => {
    wf.notifications({ limit: 30, ...(unreadOnly ? { unread: true } : {}) }).then(setData, () => undefined);
  }, [wf, unreadOnly]);
  usePolling(load, POLL_MS);
  useTasksChanged(load);

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) {
      try {
        await wf.markRead([n.id]);
      } finally {
        load();
      }
    }
    if (n.instanceId) navigate(`/tasks/${n.instanceId}${n.taskId ? `?task=${n.taskId}` : ''}`);
    else if (n.entity && n.recordId) navigate(`/e/${n.entity}/r/${n.recordId}`);
  };

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
          onClick={async () => {
            await wf.markRead();
            load();
          }}
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
      open={open}
      onOpenChange={(v) => {
        setOpen(v);
        if (v) load();
      }}
      trigger="click"
      placement="bottomRight"
      title={t('bell.title')}
      content={content}
    >
      <Badge count={data.unread} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          icon={<BellOutlined />}
          aria-label={t('bell.label', { count: data.unread })}
          data-testid="notification-bell"
          data-unread={data.unread}
        />
      </Badge>
    </Popover>
  );
}

/** The menu key of a workflow page (`t:tasks`, `w:flows`…), or null. */
export function flowMenuKey(path: string): string | null {
  const p = path.split('?')[0] ?? '';
  if (p === '/tasks' || p.startsWith('/tasks/')) return 't:tasks';
  if (p.startsWith('/admin/blueprints/')) return 'w:blueprints';
  if (p.startsWith('/admin/automations/')) return 'w:automations';
  if (p.startsWith('/admin/flows')) {
    const tab = new URLSearchParams(path.split('?')[1] ?? '').get('tab');
    return tab === 'blueprints' || tab === 'automations' ? `w:${tab}` : 'w:flows';
  }
  return null;
}

/** Where a workflow menu key leads, or null for other keys. */
export function flowMenuPath(key: string): string | null {
  if (key === 't:tasks') return '/tasks';
  if (key.startsWith('w:')) return `/admin/flows?tab=${key.slice(2)}`;
  return null;
}

/** The menu entries: "My tasks" for everyone; flows, blueprints and automations for administrators. */
export function FlowMenuLabel(props: { item: 'flows' | 'blueprints' | 'automations' }): ReactNode {
  const { t } = useTranslation('flows');
  return <span data-testid={`nav-${props.item}`}>{t(`nav.${props.item}`)}</span>;
}

export function flowMenuItems(isAdmin: boolean, groupLabel: ReactNode) {
  return {
    tasks: { key: 't:tasks', label: <TasksNavLabel /> },
    admin: isAdmin
      ? [
          {
            type: 'group' as const,
            label: groupLabel,
            children: (['flows', 'blueprints', 'automations'] as const).map((k) => ({
              key: `w:${k}`,
              label: <FlowMenuLabel item={k} />,
            })),
          },
        ]
      : [],
  };
}

export function FlowGroupLabel(): ReactNode {
  const { t } = useTranslation('flows');
  return <>{t('nav.workflow')}</>;
}
