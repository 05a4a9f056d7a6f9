import { Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { withFlowStrings } from '../../i18n.js';
import { matchPath } from '../../router.js';

// Every workflow screen is its own chunk: a staff member filling a form downloads none of them, and only
// the designer pages download React Flow.
const TasksPage = lazy(withFlowStrings(() => import('./TasksPage.js')));
const TaskPage = lazy(withFlowStrings(() => import('./TaskPage.js')));
const WorkflowAdminPage = lazy(withFlowStrings(() => import('./WorkflowAdminPage.js')));
const FlowDesignerPage = lazy(withFlowStrings(() => import('./FlowDesignerPage.js')));
const BlueprintEditorPage = lazy(withFlowStrings(() => import('./BlueprintEditorPage.js')));
const AutomationPage = lazy(withFlowStrings(() => import('./AutomationPage.js')));

const wait = <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;

/**
 * The workflow routes: `/tasks` (my tasks), `/tasks/<instance>` (one flow instance), and for
 * administrators `/admin/flows` (lists), `/admin/flows/<key>` (designer), `/admin/blueprints/<key>`,
 * `/admin/automations/<key>`. Null when the path is none of them.
 */
export function flowRoute(path: string, isAdmin: boolean): ReactNode | null {
  const page = (() => {
    if (matchPath('/tasks', path)) return <TasksPage />;
    const task = matchPath('/tasks/:id', path);
    if (task) return <TaskPage key={task.id} instanceId={task.id ?? ''} />;
    if (!isAdmin) return null;
    if (matchPath('/admin/flows', path)) return <WorkflowAdminPage />;
    const flow = matchPath('/admin/flows/:key', path);
    if (flow) return <FlowDesignerPage key={flow.key} flowKey={flow.key ?? ''} />;
    const bp = matchPath('/admin/blueprints/:key', path);
    if (bp) return <BlueprintEditorPage key={bp.key} blueprintKey={bp.key ?? ''} />;
    const auto = matchPath('/admin/automations/:key', path);
    if (auto) return <AutomationPage key={auto.key} automationKey={auto.key ?? ''} />;
    return null;
  })();
  return page ? <Suspense fallback={wait}>{page}</Suspense> : null;
}
