import { ReloadOutlined } from '@ant-design/icons';
import { localize } from '@formwork/metadata';
import { formatDateTime } from '@formwork/ui/views';
import { Badge, Button, Card, Empty, List, Space, Table, Tabs, Tag, Typography } from 'antd';
import { type HTMLAttributes, type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordTitle } from '../../api.js';
import { useApp } from '../../context.js';
import { navigate, queryParam, useLocation } from '../../router.js';
import { errorText, flowRef, useFlowInfos, useTasksChanged, useWorkflow } from './common.js';
import type { TaskListItem, TaskView } from './flow-api.js';
import { dueState, flowName, instanceTone, nodeLabel, parseView, TASK_VIEWS, taskTone } from './inbox.js';

const PAGE = 20;

/** The titles of the records behind a page of tasks (one list request per entity). */
function useRecordTitles(items: readonly TaskListItem[]): Map<string, string> {
  const app = useApp();
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const wanted = items.map((i) => `${i.entity}/${i.recordId}`).join(',');
  useEffect(() => {
    let live = true;
    const byEntity = new Map<string, Set<string>>();
    for (const pair of wanted ? wanted.split(',') : []) {
      const [entity, id] = pair.split('/') as [string, string];
      byEntity.set(entity, (byEntity.get(entity) ?? new Set()).add(id));
    }
    void Promise.all(
      [...byEntity].map(async ([entity, ids]) => {
        const def = app.entities.find((e) => e.key === entity);
        if (!def) return [] as Array<[string, string]>;
        try {
          const page = await app.api.client.records.list(entity, {
            filter: { field: 'id', op: 'in', value: [...ids] },
            limit: Math.min(200, ids.size),
          });
          return page.items.map((r) => [r.id, recordTitle(def, r)] as [string, string]);
        } catch {
          return [] as Array<[string, string]>;
        }
      }),
    ).then((lists) => {
      if (live) setTitles(new Map(lists.flat()));
    });
    return () => {
      live = false;
    };
  }, [wanted, app.api, app.entities]);
  return titles;
}

/** "我的任务 / My tasks": to do, done, started by me, CC'd to me. */
export default function TasksPage(): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const wf = useWorkflow();
  const path = useLocation();
  const view = parseView(queryParam(path, 'view'));
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: TaskListItem[]; total: number } | null>(null);
  const [counts, setCounts] = useState<Partial<Record<TaskView, number>>>({});
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setError(null);
      const r = await wf.tasks(view, { limit: PAGE, offset: (page - 1) * PAGE });
      setData(r);
      setCounts((c) => ({ ...c, [view]: r.total }));
      if (view !== 'todo') {
        const todo = await wf.tasks('todo', { limit: 1 });
        setCounts((c) => ({ ...c, todo: todo.total }));
      }
    } catch (e) {
      setError(errorText(e));
    }
  }, [wf, view, page]);
  useEffect(() => {
    void load();
  }, [load]);
  useTasksChanged(
    useCallback(() => {
      void load();
    }, [load]),
  );

  const items = data?.items ?? [];
  const flows = useFlowInfos(items);
  const flowOf = (i: TaskListItem) => flows.get(flowRef(i.flow, i.version));
  const titles = useRecordTitles(items);
  const now = new Date();

  const entityName = (key: string) => {
    const e = app.entities.find((x) => x.key === key);
    return e ? localize(e.label, app.locale, key) : key;
  };
  const person = (id: string | undefined | null) => (id ? (app.names.get(id) ?? `${id.slice(0, 8)}…`) : '');
  const open = (i: TaskListItem) => navigate(`/tasks/${i.instanceId}${i.id ? `?task=${i.id}` : ''}`);

  const status = (i: TaskListItem) => {
    if ((view === 'todo' || view === 'done') && i.status) {
      return <Tag color={tagColor(taskTone(i.status))}>{t(`status.task.${i.status}`)}</Tag>;
    }
    return (
      <Tag color={tagColor(instanceTone(i.instanceStatus))}>{t(`status.instance.${i.instanceStatus}`)}</Tag>
    );
  };
  const title = (i: TaskListItem) => (
    <span data-testid="task-record">{titles.get(i.recordId) ?? `#${i.recordId.slice(0, 8)}`}</span>
  );
  const when = (i: TaskListItem) =>
    formatDateTime(
      view === 'done'
        ? (i.closedAt ?? i.createdAt ?? i.startedAt)
        : view === 'startedByMe'
          ? i.startedAt
          : (i.createdAt ?? i.startedAt),
    );
  const due = (i: TaskListItem) => {
    const d = dueState({ status: i.status ?? 'open', dueAt: i.dueAt ?? null }, now);
    return d ? <Tag color={d === 'overdue' ? 'red' : 'orange'}>{t(`tasks.due.${d}`)}</Tag> : null;
  };

  const columns = [
    {
      key: 'record',
      title: t('tasks.columns.record'),
      render: (_: unknown, i: TaskListItem) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link onClick={() => open(i)}>{title(i)}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {entityName(i.entity)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'flow',
      title: t('tasks.columns.flow'),
      render: (_: unknown, i: TaskListItem) => (
        <Space orientation="vertical" size={0}>
          <span>{flowName(flowOf(i), i.flow, app.locale)}</span>
          {i.nodeId && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {nodeLabel(flowOf(i), i.nodeId, app.locale)}
              {i.kind ? ` · ${t(`kinds.${i.kind}`)}` : ''}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'submitter',
      title: t('tasks.columns.submitter'),
      render: (_: unknown, i: TaskListItem) => person(i.submitter),
    },
    {
      key: 'when',
      title: t(
        view === 'done'
          ? 'tasks.columns.handled'
          : view === 'startedByMe'
            ? 'tasks.columns.started'
            : 'tasks.columns.received',
      ),
      render: (_: unknown, i: TaskListItem) => (
        <Space size={4} wrap>
          {when(i)}
          {due(i)}
        </Space>
      ),
    },
    { key: 'status', title: t('tasks.columns.status'), render: (_: unknown, i: TaskListItem) => status(i) },
    {
      key: 'open',
      title: '',
      render: (_: unknown, i: TaskListItem) => (
        <Button
          type={view === 'todo' ? 'primary' : 'default'}
          size="small"
          onClick={() => open(i)}
          data-testid="open-task"
        >
          {view === 'todo' ? t('tasks.open') : t('tasks.view')}
        </Button>
      ),
    },
  ];

  const list =
    items.length === 0 ? (
      <Empty description={t(`tasks.empty.${view}`)} />
    ) : app.mobile ? (
      <List
        dataSource={items}
        renderItem={(i) => (
          <List.Item
            key={`${i.id ?? ''}${i.instanceId}`}
            onClick={() => open(i)}
            style={{ cursor: 'pointer' }}
          >
            <Card size="small" style={{ width: '100%' }} data-testid="task-item">
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                  <strong>{title(i)}</strong>
                  {status(i)}
                </Space>
                <span>
                  {flowName(flowOf(i), i.flow, app.locale)}
                  {i.nodeId ? ` · ${nodeLabel(flowOf(i), i.nodeId, app.locale)}` : ''}
                </span>
                <Typography.Text type="secondary">
                  {person(i.submitter)} · {when(i)} {due(i)}
                </Typography.Text>
              </Space>
            </Card>
          </List.Item>
        )}
      />
    ) : (
      <Table
        rowKey={(i) => `${i.id ?? ''}${i.instanceId}`}
        dataSource={items}
        columns={columns}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          showTotal: (n) => t('tasks.total', { count: n }),
          onChange: setPage,
        }}
        onRow={() => ({ 'data-testid': 'task-item' }) as HTMLAttributes<HTMLElement>}
      />
    );

  return (
    <div data-testid="tasks-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('tasks.title')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('tasks.refresh')} />
      </Space>
      <Tabs
        activeKey={view}
        onChange={(k) => {
          setPage(1);
          setData(null);
          navigate(`/tasks?view=${k}`, { replace: true });
        }}
        items={TASK_VIEWS.map((v) => ({
          key: v,
          label: (
            <span data-testid={`tasks-tab-${v}`}>
              {t(`tasks.views.${v}`)}
              {v === 'todo' && (counts.todo ?? 0) > 0 && (
                <Badge
                  count={counts.todo}
                  size="small"
                  style={{ marginInlineStart: 6 }}
                  data-testid="tasks-tab-count"
                />
              )}
            </span>
          ),
        }))}
      />
      {error ? <Empty description={error} /> : list}
    </div>
  );
}

function tagColor(tone: string): string {
  return tone === 'processing'
    ? 'processing'
    : tone === 'success'
      ? 'success'
      : tone === 'error'
        ? 'error'
        : tone === 'warning'
          ? 'warning'
          : 'default';
}
