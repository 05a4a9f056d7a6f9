import {
  ApartmentOutlined,
  AuditOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  ExpandOutlined,
  ForkOutlined,
  MergeOutlined,
  PartitionOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  SendOutlined,
  StopOutlined,
  ThunderboltOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import type { EntityDefinition, Issue, Locale } from '@formwork/metadata';
import type { FlowCheckContext, FlowDefinition, FlowNode } from '@formwork/workflow';
import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  MiniMap,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Button, Space, Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import {
  createContext,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { type Directory, edgeText, type NamedOption, nodeSummary, nodeTitle } from './describe.js';
import { type DesignerEnv, EnvContext, useFlowCss } from './editors.js';
import {
  canConnect,
  canRedo,
  canUndo,
  type DesignerIssue,
  type FlowCommand,
  findEdge,
  findNode,
  flowProblems,
  flowReducer,
  type IssueIndex,
  indexIssues,
  initialFlowState,
  isDirty,
  NODE_WIDTH,
  PALETTE,
  type PaletteItem,
  paletteItemOf,
  paletteKey,
  placeServerIssues,
  toDefinition,
} from './model.js';
import { EdgePanel, FlowPanel, NodePanel } from './panels.js';

/** What the host can do with the designer's current draft (rendered in the toolbar). */
export interface FlowDesignerApi {
  /** The draft, normalised (what to save). */
  definition: FlowDefinition;
  dirty: boolean;
  problems: DesignerIssue[];
  /** False while a required setting is missing: the server refuses such a draft. */
  canSave: boolean;
  /** The draft was saved: it is no longer dirty. */
  markSaved(def: FlowDefinition): void;
}

export interface FlowDesignerProps {
  /** The flow to edit; remount (change `key`) to load another. */
  value: FlowDefinition;
  /** Whether `value` is saved already (default true); a new flow is dirty from the start. */
  saved?: boolean;
  /** The entity the flow runs on: its fields feed conditions, permissions and pickers. */
  entity: EntityDefinition;
  locale: Locale;
  /** Who and what can be picked. A list that is left out is not checked by the browser. */
  members?: NamedOption[];
  roles?: NamedOption[];
  departments?: NamedOption[];
  /** Other flows (by key) a sub-flow node may start. */
  flows?: NamedOption[];
  /** Issues the server answered on validate / publish, placed on their nodes and edges. */
  serverIssues?: Issue[];
  onChange?(def: FlowDefinition, info: { dirty: boolean; problems: DesignerIssue[] }): void;
  /** The host's buttons (save, validate, publish…), given the current draft. */
  actions?(api: FlowDesignerApi): ReactNode;
  /** Height of the designer (default `calc(100vh - 180px)`). */
  height?: number | string;
}

type RfNode = Node<{ node: FlowNode }, 'fw'>;
type Dispatch = (cmd: FlowCommand) => void;

interface CanvasShared {
  env: DesignerEnv;
  def: FlowDefinition;
  index: IssueIndex;
  t: TFunction;
}

const CanvasContext = createContext<CanvasShared | null>(null);

const ICONS: Record<string, ReactNode> = {
  start: <PlayCircleOutlined />,
  approval: <AuditOutlined />,
  fillIn: <EditOutlined />,
  condition: <BranchesOutlined />,
  parallelSplit: <ForkOutlined />,
  parallelJoin: <MergeOutlined />,
  cc: <SendOutlined />,
  action: <ThunderboltOutlined />,
  wait: <ClockCircleOutlined />,
  subFlow: <ApartmentOutlined />,
  'end:approved': <CheckCircleOutlined />,
  'end:rejected': <CloseCircleOutlined />,
  'end:cancelled': <StopOutlined />,
};

function iconOf(n: FlowNode): ReactNode {
  return ICONS[n.type === 'end' ? `end:${n.data.outcome}` : n.type];
}

function paletteName(item: PaletteItem, t: TFunction): string {
  if (item.kind !== 'end') return t(`kinds.${item.kind}`);
  return t(
    item.outcome === 'approved'
      ? 'kinds.endApproved'
      : item.outcome === 'rejected'
        ? 'kinds.endRejected'
        : 'kinds.endCancelled',
  );
}

/** One node on the canvas: kind, name, what it does, its problems, and its handles. */
function NodeCard({ id, data, selected }: NodeProps<RfNode>): ReactNode {
  const c = useContext(CanvasContext) as CanvasShared;
  const n = data.node;
  const issues = c.index.nodes.get(id) ?? [];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const twoExits = n.type === 'approval' || n.type === 'subFlow';
  const cls = [
    'fw-flow-node',
    `fw-flow-node-${n.type}`,
    n.type === 'end' ? `fw-flow-end-${n.data.outcome}` : '',
    errors > 0 ? 'fw-has-error' : issues.length > 0 ? 'fw-has-warning' : '',
    selected ? 'fw-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const summary = nodeSummary(c.def, n, c.env.entity, c.env.dir, c.env.locale, c.t);
  return (
    <div
      className={cls}
      data-testid={`flow-node-${id}`}
      data-kind={n.type}
      data-errors={errors}
      title={issues.map((i) => i.message[c.env.locale]).join('\n') || undefined}
      style={{ width: NODE_WIDTH }}
    >
      {n.type !== 'start' && <Handle type="target" position={Position.Top} />}
      <div className="fw-flow-node-kind">
        {iconOf(n)} <span>{c.t(`kinds.${n.type}`)}</span>
      </div>
      <div className="fw-flow-node-title">{nodeTitle(n, c.env.locale, c.t)}</div>
      {summary && <div className="fw-flow-node-summary">{summary}</div>}
      {issues.length > 0 && (
        <span
          className={`fw-flow-node-badge ${errors > 0 ? 'fw-error' : 'fw-warning'}`}
          role="img"
          aria-label={c.t('canvas.problems', { count: issues.length })}
        >
          {issues.length}
        </span>
      )}
      {n.type !== 'end' &&
        (twoExits ? (
          <>
            <Handle
              type="source"
              id="approved"
              position={Position.Bottom}
              style={{ left: '30%' }}
              className="fw-handle-approved"
            />
            <Handle
              type="source"
              id="rejected"
              position={Position.Bottom}
              style={{ left: '70%' }}
              className="fw-handle-rejected"
            />
            <div className="fw-flow-exits" aria-hidden>
              <span>{c.t('canvas.approved')}</span>
              <span className="fw-rejected">{c.t('canvas.rejected')}</span>
            </div>
          </>
        ) : (
          <Handle type="source" position={Position.Bottom} />
        ))}
    </div>
  );
}

const NODE_TYPES = { fw: NodeCard };
const DRAG_TYPE = 'application/x-formwork-flow-node';

/**
 * The visual flow designer: a React Flow canvas over the flow definition JSON, a palette of node kinds,
 * a property panel per node kind, the static check live on the nodes and edges, undo/redo and auto-layout.
 */
export function FlowDesigner(props: FlowDesignerProps): ReactNode {
  useFlowCss();
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

function DesignerInner(props: FlowDesignerProps): ReactNode {
  const { t } = useTranslation('flow');
  const [state, dispatch] = useReducer(flowReducer, props, (p) =>
    initialFlowState(p.value, p.saved !== false),
  );
  const rf = useReactFlow<RfNode, Edge>();
  const dir: Directory = useMemo(
    () => ({
      ...(props.members ? { members: props.members } : {}),
      ...(props.roles ? { roles: props.roles } : {}),
      ...(props.departments ? { departments: props.departments } : {}),
      ...(props.flows ? { flows: props.flows } : {}),
    }),
    [props.members, props.roles, props.departments, props.flows],
  );
  const env: DesignerEnv = useMemo(
    () => ({ entity: props.entity, locale: props.locale, dir }),
    [props.entity, props.locale, dir],
  );
  const checkCtx: FlowCheckContext = useMemo(
    () => ({
      entity: props.entity,
      ...(props.roles ? { roles: props.roles.map((r) => r.id) } : {}),
      ...(props.departments ? { departments: props.departments.map((d) => d.id) } : {}),
      ...(props.members && props.members.length > 0 ? { members: props.members.map((m) => m.id) } : {}),
      ...(props.flows ? { flows: [...props.flows.map((f) => f.id), state.def.key] } : {}),
    }),
    [props.entity, props.roles, props.departments, props.members, props.flows, state.def.key],
  );
  const problems = useMemo(() => {
    const own = flowProblems(state.def, checkCtx);
    const server = placeServerIssues(state.def, props.serverIssues ?? []).filter(
      (s) => !own.some((o) => o.code === s.code && o.node === s.node && o.edge === s.edge),
    );
    return [...own, ...server];
  }, [state.def, checkCtx, props.serverIssues]);
  const index = useMemo(() => indexIssues(problems), [problems]);
  const dirty = isDirty(state);

  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: report changes of the draft only
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    onChange.current?.(toDefinition(state), { dirty: isDirty(state), problems });
  }, [state.def]);

  // --- canvas state: React Flow keeps measured sizes and drag positions on its own copies of the nodes.
  const [nodes, setNodes] = useState<RfNode[]>([]);
  const selectedNode = state.selection.kind === 'node' ? state.selection.id : null;
  const selectedEdge = state.selection.kind === 'edge' ? state.selection.id : null;
  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      return state.def.nodes.map((n) => {
        const old = byId.get(n.id);
        const rfNode: RfNode = {
          id: n.id,
          type: 'fw',
          position: n.position,
          data: { node: n },
          selected: n.id === selectedNode,
          deletable: n.type !== 'start',
        };
        if (old?.measured) rfNode.measured = old.measured;
        return rfNode;
      });
    });
  }, [state.def.nodes, selectedNode]);
  const edges: Edge[] = useMemo(
    () =>
      state.def.edges.map((e) => {
        const source = findNode(state.def, e.source);
        const rejected = e.sourceHandle === 'rejected';
        const errors = (index.edges.get(e.id) ?? []).filter((i) => i.severity === 'error').length;
        const two = source?.type === 'approval' || source?.type === 'subFlow';
        const stroke =
          errors > 0 ? '#ff4d4f' : rejected ? '#fa8c16' : e.id === selectedEdge ? '#1677ff' : '#8c8c8c';
        const label = edgeText(state.def, e, props.entity, dir, props.locale, t);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          ...(two ? { sourceHandle: rejected ? 'rejected' : 'approved' } : {}),
          type: 'smoothstep',
          selected: e.id === selectedEdge,
          markerEnd: { type: MarkerType.ArrowClosed, color: stroke },
          style: { stroke, strokeWidth: e.id === selectedEdge ? 2.5 : 1.5 },
          ...(label ? { label } : {}),
          labelBgPadding: [6, 3] as [number, number],
          labelBgBorderRadius: 4,
          labelStyle: { fontSize: 12, fill: errors > 0 ? '#cf1322' : '#262626' },
          className: errors > 0 ? 'fw-edge-error' : '',
          ariaLabel: label || `${e.source} → ${e.target}`,
        } satisfies Edge;
      }),
    [state.def, index, selectedEdge, props.entity, props.locale, dir, t],
  );

  const onNodesChange = useCallback((changes: NodeChange<RfNode>[]) => {
    setNodes((nds) => applyNodeChanges(changes, nds));
  }, []);
  const onConnect = useCallback(
    (c: Connection) =>
      dispatch({ type: 'connect', source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }),
    [],
  );
  const isValidConnection = useCallback(
    (c: Connection | Edge) => canConnect(state.def, c.source, c.target, c.sourceHandle ?? null),
    [state.def],
  );

  const wrapper = useRef<HTMLElement>(null);
  const addAt = (item: PaletteItem, position?: { x: number; y: number }) =>
    dispatch({ type: 'addNode', item, ...(position ? { position } : {}) });
  const onDrop = (e: DragEvent<HTMLElement>) => {
    const key = e.dataTransfer.getData(DRAG_TYPE);
    const item = key ? paletteItemOf(key) : null;
    if (!item) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addAt(item, { x: p.x - NODE_WIDTH / 2, y: p.y - 20 });
  };

  const fitSoon = () => requestAnimationFrame(() => void rf.fitView({ padding: 0.2, duration: 200 }));
  const deleteSelected = () => {
    const ids = nodes.filter((n) => n.selected).map((n) => n.id);
    if (selectedNode && !ids.includes(selectedNode)) ids.push(selectedNode);
    if (ids.length > 0) dispatch({ type: 'removeNodes', ids });
    else if (selectedEdge) dispatch({ type: 'removeEdges', ids: [selectedEdge] });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = e.target as HTMLElement;
    if (el.closest('input, textarea, [contenteditable="true"], .ant-select')) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) {
      e.preventDefault();
      dispatch({ type: 'undo' });
    } else if (mod && (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey))) {
      e.preventDefault();
      dispatch({ type: 'redo' });
    }
  };

  const api: FlowDesignerApi = {
    definition: toDefinition(state),
    dirty,
    problems,
    canSave: !problems.some((p) => p.blocksSave),
    markSaved: (def) => dispatch({ type: 'markSaved', def }),
  };
  const selected =
    state.selection.kind === 'node'
      ? findNode(state.def, state.selection.id)
      : state.selection.kind === 'edge'
        ? findEdge(state.def, state.selection.id)
        : undefined;
  const shared: CanvasShared = useMemo(() => ({ env, def: state.def, index, t }), [env, state.def, index, t]);

  return (
    <EnvContext.Provider value={env}>
      <CanvasContext.Provider value={shared}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: undo/redo shortcuts for everything inside */}
        <div
          className="fw-flow-designer"
          style={{ height: props.height ?? 'calc(100vh - 180px)' }}
          onKeyDown={onKeyDown}
          data-testid="flow-designer"
          data-dirty={dirty}
        >
          <div className="fw-flow-toolbar">
            <Space wrap>
              <Tooltip title={`${t('toolbar.undo')} (Ctrl+Z)`}>
                <Button
                  icon={<UndoOutlined />}
                  aria-label={t('toolbar.undo')}
                  disabled={!canUndo(state)}
                  onClick={() => dispatch({ type: 'undo' })}
                />
              </Tooltip>
              <Tooltip title={`${t('toolbar.redo')} (Ctrl+Shift+Z)`}>
                <Button
                  icon={<RedoOutlined />}
                  aria-label={t('toolbar.redo')}
                  disabled={!canRedo(state)}
                  onClick={() => dispatch({ type: 'redo' })}
                />
              </Tooltip>
              <Button
                icon={<PartitionOutlined />}
                onClick={() => {
                  dispatch({ type: 'layout' });
                  fitSoon();
                }}
                data-testid="auto-layout"
              >
                {t('toolbar.layout')}
              </Button>
              <Button icon={<ExpandOutlined />} aria-label={t('toolbar.fit')} onClick={fitSoon} />
              <Button
                icon={<DeleteOutlined />}
                aria-label={t('toolbar.delete')}
                disabled={
                  (!selectedNode || selectedNode === 'start') &&
                  !selectedEdge &&
                  !nodes.some((n) => n.selected && n.deletable)
                }
                onClick={deleteSelected}
              />
              <button
                type="button"
                className="fw-flow-linklike"
                onClick={() => dispatch({ type: 'select', selection: { kind: 'flow' } })}
                data-testid="problem-count"
                data-errors={index.errors}
              >
                {index.errors === 0 && index.warnings === 0 ? (
                  <Tag color="success">{t('toolbar.noProblems')}</Tag>
                ) : (
                  <>
                    {index.errors > 0 && (
                      <Tag color="error">{t('toolbar.errors', { count: index.errors })}</Tag>
                    )}
                    {index.warnings > 0 && (
                      <Tag color="warning">{t('toolbar.warnings', { count: index.warnings })}</Tag>
                    )}
                  </>
                )}
              </button>
            </Space>
            <div className="fw-flow-host-actions">{props.actions?.(api)}</div>
          </div>
          <div className="fw-flow-body">
            <Palette
              t={t}
              onAdd={(item) => addAt(item)}
              hasStart={state.def.nodes.some((n) => n.type === 'start')}
            />
            <section
              className="fw-flow-canvas"
              ref={wrapper}
              onDragOver={(e) => {
                if (e.dataTransfer.types.includes(DRAG_TYPE)) {
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                }
              }}
              onDrop={onDrop}
              aria-label={t('canvas.label')}
            >
              <ReactFlow<RfNode, Edge>
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                onNodesChange={onNodesChange}
                onConnect={onConnect}
                isValidConnection={isValidConnection}
                onNodeClick={(_, n) => dispatch({ type: 'select', selection: { kind: 'node', id: n.id } })}
                onEdgeClick={(_, e) => dispatch({ type: 'select', selection: { kind: 'edge', id: e.id } })}
                onPaneClick={() => dispatch({ type: 'select', selection: { kind: 'flow' } })}
                onNodeDragStop={(_, _n, dragged) =>
                  dispatch({
                    type: 'moveNodes',
                    positions: Object.fromEntries(dragged.map((d) => [d.id, d.position])),
                  })
                }
                onDelete={({ nodes: ns, edges: es }) =>
                  dispatch({ type: 'removeNodes', ids: ns.map((n) => n.id), edgeIds: es.map((e) => e.id) })
                }
                deleteKeyCode={['Backspace', 'Delete']}
                fitView
                fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
                minZoom={0.2}
                maxZoom={2}
                snapToGrid
                snapGrid={[10, 10]}
              >
                <Background gap={20} />
                <Controls showInteractive={false} />
                <MiniMap
                  pannable
                  zoomable
                  position="top-right"
                  style={{ width: 140, height: 90 }}
                  ariaLabel={t('canvas.label')}
                />
              </ReactFlow>
            </section>
            <aside className="fw-flow-panel" data-testid="flow-properties">
              {selected && state.selection.kind === 'node' ? (
                <NodePanel
                  key={(selected as FlowNode).id}
                  def={state.def}
                  node={selected as FlowNode}
                  dispatch={dispatch}
                  issues={index.nodes.get((selected as FlowNode).id) ?? []}
                />
              ) : selected && state.selection.kind === 'edge' ? (
                <EdgePanel
                  key={selected.id}
                  def={state.def}
                  edge={findEdge(state.def, selected.id) as NonNullable<ReturnType<typeof findEdge>>}
                  dispatch={dispatch}
                  issues={index.edges.get(selected.id) ?? []}
                />
              ) : (
                <FlowPanel def={state.def} dispatch={select(dispatch, rf)} issues={problems} />
              )}
            </aside>
          </div>
        </div>
      </CanvasContext.Provider>
    </EnvContext.Provider>
  );
}

/** Picking a problem selects its node or edge and brings it into view. */
function select(dispatch: Dispatch, rf: ReturnType<typeof useReactFlow<RfNode, Edge>>): Dispatch {
  return (cmd) => {
    dispatch(cmd);
    if (cmd.type === 'select' && cmd.selection.kind === 'node') {
      const id = cmd.selection.id;
      requestAnimationFrame(() => void rf.fitView({ nodes: [{ id }], duration: 200, maxZoom: 1.2 }));
    }
  };
}

function Palette(props: { t: TFunction; onAdd(item: PaletteItem): void; hasStart: boolean }): ReactNode {
  const { t } = props;
  return (
    <nav className="fw-flow-palette" aria-label={t('palette.title')} data-testid="flow-palette">
      <h4>{t('palette.title')}</h4>
      <ul>
        {PALETTE.filter((p) => p.kind !== 'start' || !props.hasStart).map((item) => {
          const key = paletteKey(item);
          const name = paletteName(item, t);
          return (
            <li key={key}>
              <button
                type="button"
                draggable
                className="fw-flow-palette-item"
                data-kind={key}
                aria-label={t('palette.add', { kind: name })}
                title={t(`kindHelp.${item.kind}`)}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, key);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => props.onAdd(item)}
              >
                {ICONS[key] ?? ICONS[item.kind]} <span>{name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="fw-flow-help">{t('palette.hint')}</p>
    </nav>
  );
}
