import { BellOutlined } from '@ant-design/icons';
import { Button, theme } from 'antd';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../router.js';
import { badgeText } from './badge.js';
import { useTasksChanged, useWorkflow } from './common.js';
import type { Notification } from './flow-api.js';

const POLL_MS = 30_000;

const loadPopover = () => import('./NotificationPopover.js');
const NotificationPopover = lazy(loadPopover);
const preloadPopover = () => {
  loadPopover().catch(() => undefined); // a failure shows when the popover itself loads
};

/**
 * A count in antd `Badge`'s small look (red pill, white digits, "99+" past `max`), alone or on the corner of
 * its children; nothing when the count is 0. The shell draws it on every page, so it is a span rather than
 * antd's Badge with its scrolling-number animation.
 */
export function CountBadge(props: {
  count: number | string;
  max?: number;
  title?: string;
  children?: ReactNode;
  'data-testid'?: string;
}): ReactNode {
  const { token } = theme.useToken();
  const n = typeof props.count === 'number' ? props.count : null;
  const text =
    n === null ? String(props.count) : props.max !== undefined && n > props.max ? `${props.max}+` : String(n);
  const show = n === null ? text !== '' : n > 0;
  const pill = show ? (
    <sup
      data-testid={props['data-testid']}
      title={props.title ?? text}
      style={{
        display: 'inline-block',
        boxSizing: 'border-box',
        minWidth: 14,
        height: 14,
        padding: '0 4px',
        borderRadius: 7,
        background: token.colorError,
        color: token.colorTextLightSolid,
        boxShadow: `0 0 0 ${token.lineWidth}px ${token.colorBorderBg}`,
        fontSize: token.fontSizeSM,
        fontWeight: 'normal',
        lineHeight: '14px',
        textAlign: 'center',
        whiteSpace: 'nowrap',
        top: 0,
        ...(props.children
          ? {
              position: 'absolute',
              insetInlineEnd: 4,
              marginTop: 4,
              transform: 'translate(50%, -50%)',
              zIndex: 1,
            }
          : { position: 'relative' }),
      }}
    >
      {text}
    </sup>
  ) : null;
  if (!props.children) return pill;
  return (
    <span style={{ position: 'relative', display: 'inline-block', lineHeight: 1 }}>
      {props.children}
      {pill}
    </span>
  );
}

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
      {n > 0 && <CountBadge count={badgeText(n)} data-testid="nav-tasks-badge" title={String(n)} />}
    </span>
  );
}

/** The bell in the header: unread notifications, newest first; opening one marks it read. */
export function NotificationBell(): ReactNode {
  const { t } = useTranslation('flows');
  const wf = useWorkflow();
  const [open, setOpen] = useState(false);
  const [popoverUsed, setPopoverUsed] = useState(false);
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

  const onOpenChange = (v: boolean) => {
    if (v) setPopoverUsed(true);
    setOpen(v);
    if (v) load();
  };
  // Until the first click the bell is a plain button (`closed`); the click fetches the popover's chunk — the
  // bell shows that it is loading and takes no clicks — and the popover then takes the bell over, open.
  const bell = (state: 'closed' | 'loading' | 'ready') => (
    <CountBadge count={data.unread} max={99}>
      <Button
        icon={<BellOutlined />}
        loading={state === 'loading'}
        aria-label={t('bell.label', { count: data.unread })}
        aria-busy={state === 'loading' || undefined}
        data-testid="notification-bell"
        data-unread={data.unread}
        onClick={state === 'closed' ? () => onOpenChange(true) : undefined}
        // Fetch the popover's chunk as the pointer or the focus reaches the bell, ahead of the click.
        onPointerEnter={state === 'closed' ? preloadPopover : undefined}
        onFocus={state === 'closed' ? preloadPopover : undefined}
      />
    </CountBadge>
  );
  if (!popoverUsed) return bell('closed');
  return (
    <Suspense fallback={bell('loading')}>
      <NotificationPopover
        open={open}
        onOpenChange={onOpenChange}
        data={data}
        unreadOnly={unreadOnly}
        setUnreadOnly={setUnreadOnly}
        markAllRead={async () => {
          await wf.markRead();
          load();
        }}
        openOne={openOne}
      >
        {bell('ready')}
      </NotificationPopover>
    </Suspense>
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
            key: 'g:workflow',
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
