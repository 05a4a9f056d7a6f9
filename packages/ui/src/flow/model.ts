import type { I18nText, Issue } from '@formwork/metadata';
import {
  type AssigneeRule,
  checkFlow,
  type Deadline,
  type EdgeData,
  type EmptyAssignee,
  type FlowAction,
  type FlowCheckContext,
  type FlowDefinition,
  type FlowEdge,
  type FlowNode,
  type NodeDataByKind,
  type NodeKind,
  parseFlowDefinition,
} from '@formwork/workflow';
import { record, redo, undo } from '../history/index.js';

/**
 * The flow designer's state as a pure model: a reducer over commands with undo/redo, the static check
 * mapped onto nodes and edges, and auto-layout. No React, no React Flow: the canvas dispatches commands
 * and renders the state; everything here is tested without a DOM.
 */

export type FlowSelection = { kind: 'flow' } | { kind: 'node'; id: string } | { kind: 'edge'; id: string };

export interface FlowDesignerState {
  /** The draft being designed (exactly the JSON the server stores). */
  def: FlowDefinition;
  /** The definition last saved (null: never saved), for the dirty check. */
  saved: FlowDefinition | null;
  selection: FlowSelection;
  past: FlowDefinition[];
  future: FlowDefinition[];
  /** The coalescing key of the last change (typing into one input is one undo step). */
  lastGroup?: string;
}

export interface Point {
  x: number;
  y: number;
}

/** What the palette offers: a node kind, and for end nodes the outcome. */
export type PaletteItem =
  | { kind: Exclude<NodeKind, 'end'> }
  | { kind: 'end'; outcome: 'approved' | 'rejected' | 'cancelled' };

export type FlowCommand =
  | { type: 'load'; def: FlowDefinition; saved?: boolean }
  | { type: 'markSaved'; def: FlowDefinition }
  | { type: 'select'; selection: FlowSelection }
  | { type: 'updateFlow'; patch: { name?: I18nText }; group?: string }
  | { type: 'addNode'; item: PaletteItem; position?: Point; id?: string }
  | { type: 'moveNodes'; positions: Record<string, Point> }
  /** Replaces a node's data (the property panel sends the whole new data). */
  | { type: 'setNodeData'; id: string; data: FlowNode['data']; group?: string }
  | { type: 'removeNodes'; ids: string[]; edgeIds?: string[] }
  | { type: 'connect'; source: string; target: string; sourceHandle?: string | null }
  | { type: 'setEdgeData'; id: string; data: EdgeData | undefined; group?: string }
  | { type: 'removeEdges'; ids: string[] }
  /** Moves a branch of a condition node up or down in the order branches are tried. */
  | { type: 'moveBranch'; id: string; step: -1 | 1 }
  | { type: 'layout' }
  | { type: 'undo' }
  | { type: 'redo' };

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---------------------------------------------------------------------------------------------
// New flows and nodes

/** The palette, in the order it is shown. */
export const PALETTE: readonly PaletteItem[] = [
  { kind: 'approval' },
  { kind: 'fillIn' },
  { kind: 'cc' },
  { kind: 'condition' },
  { kind: 'parallelSplit' },
  { kind: 'parallelJoin' },
  { kind: 'action' },
  { kind: 'wait' },
  { kind: 'subFlow' },
  { kind: 'end', outcome: 'approved' },
  { kind: 'end', outcome: 'rejected' },
  { kind: 'end', outcome: 'cancelled' },
  { kind: 'start' },
];

/** A stable name for a palette item (`approval`, `end:rejected`), used for drag data and test ids. */
export function paletteKey(item: PaletteItem): string {
  return item.kind === 'end' ? `end:${item.outcome}` : item.kind;
}

export function paletteItemOf(key: string): PaletteItem | null {
  const [kind, outcome] = key.split(':');
  if (kind === 'end') {
    return outcome === 'approved' || outcome === 'rejected' || outcome === 'cancelled'
      ? { kind: 'end', outcome }
      : null;
  }
  return PALETTE.find((p) => p.kind === kind && outcome === undefined) ?? null;
}

/**
 * The data a new node starts with. Approval, fill-in, copy, action and sub-flow nodes start without their
 * required settings (assignees, recipients, actions, the flow): the check names what is missing.
 */
export function defaultNodeData<K extends NodeKind>(
  kind: K,
  outcome?: 'approved' | 'rejected' | 'cancelled',
) {
  const data: { [T in NodeKind]: NodeDataByKind[T] } = {
    start: {},
    approval: { assignees: [], mode: 'or', rejectTo: ['submitter', 'end'] },
    fillIn: { assignees: [] },
    condition: {},
    parallelSplit: {},
    parallelJoin: {},
    cc: { to: [] },
    action: { actions: [] },
    wait: { duration: { days: 1 } },
    subFlow: { flow: '', wait: true },
    end: { outcome: outcome ?? 'approved' },
  };
  return clone(data[kind]) as NodeDataByKind[K];
}

/** `approval` → `approval1`, `approval2`… (ids match the definition's id pattern). */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  let n = 1;
  while (set.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** A new flow: start → approval by the submitter's department head → end (approved), laid out. */
export function newFlow(input: { key: string; entity: string; name?: I18nText }): FlowDefinition {
  const def: FlowDefinition = {
    key: input.key,
    entity: input.entity,
    ...(input.name !== undefined ? { name: input.name } : {}),
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'approval1',
        type: 'approval',
        position: { x: 0, y: 0 },
        data: {
          label: { 'zh-CN': '部门主管审批', en: 'Department head' },
          assignees: [{ type: 'departmentHead', levels: 1 }],
          mode: 'or',
          rejectTo: ['submitter', 'end'],
          emptyAssignee: { action: 'autoApprove' },
        },
      },
      { id: 'approved', type: 'end', position: { x: 0, y: 0 }, data: { outcome: 'approved' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'approval1' },
      { id: 'e2', source: 'approval1', target: 'approved' },
    ],
  };
  return layoutFlow(def);
}

export function initialFlowState(def: FlowDefinition, saved = true): FlowDesignerState {
  const d = normaliseDefinition(def);
  return { def: d, saved: saved ? clone(d) : null, selection: { kind: 'flow' }, past: [], future: [] };
}

/**
 * The definition as the designer keeps it: React Flow's own extra properties (measured sizes, selection,
 * edge styling, the viewport) are dropped so that saving and the dirty check only see what matters.
 */
export function normaliseDefinition(def: FlowDefinition): FlowDefinition {
  const out: FlowDefinition = {
    key: def.key,
    entity: def.entity,
    ...(def.name !== undefined ? { name: clone(def.name) } : {}),
    nodes: (def.nodes ?? []).map(
      (n) =>
        ({
          id: n.id,
          type: n.type,
          position: { x: Math.round(n.position?.x ?? 0), y: Math.round(n.position?.y ?? 0) },
          data: clone(n.data ?? {}),
        }) as FlowNode,
    ),
    edges: (def.edges ?? []).map((e) => {
      const edge: FlowEdge = { id: e.id, source: e.source, target: e.target };
      if (e.sourceHandle) edge.sourceHandle = e.sourceHandle;
      if (e.data !== undefined && Object.keys(e.data).length > 0) edge.data = clone(e.data);
      return edge;
    }),
  };
  return out;
}

/** The JSON to save: the normalised definition (it round-trips through `parseFlowDefinition`). */
export function toDefinition(state: FlowDesignerState): FlowDefinition {
  return normaliseDefinition(state.def);
}

// ---------------------------------------------------------------------------------------------
// Queries

export const canUndo = (s: FlowDesignerState): boolean => s.past.length > 0;
export const canRedo = (s: FlowDesignerState): boolean => s.future.length > 0;
export const isDirty = (s: FlowDesignerState): boolean =>
  s.saved === null || JSON.stringify(s.saved) !== JSON.stringify(s.def);

export function findNode(def: FlowDefinition, id: string): FlowNode | undefined {
  return def.nodes.find((n) => n.id === id);
}

export function findEdge(def: FlowDefinition, id: string): FlowEdge | undefined {
  return def.edges.find((e) => e.id === id);
}

/** The outgoing edges of a node, condition branches in the order they are tried (priority, then order). */
export function outgoing(def: FlowDefinition, id: string): FlowEdge[] {
  const outs = def.edges.filter((e) => e.source === id);
  const order = new Map(outs.map((e, i) => [e.id, i]));
  return [...outs].sort((a, b) => {
    const pa = a.data?.default ? Number.POSITIVE_INFINITY : (a.data?.priority ?? (order.get(a.id) as number));
    const pb = b.data?.default ? Number.POSITIVE_INFINITY : (b.data?.priority ?? (order.get(b.id) as number));
    return pa - pb || (order.get(a.id) as number) - (order.get(b.id) as number);
  });
}

/** Whether a connection may be drawn: not onto itself, not into a start, not out of an end, not twice. */
export function canConnect(
  def: FlowDefinition,
  source: string,
  target: string,
  sourceHandle?: string | null,
): boolean {
  if (source === target) return false;
  const s = findNode(def, source);
  const t = findNode(def, target);
  if (!s || !t || s.type === 'end' || t.type === 'start') return false;
  if (sourceHandle === 'rejected' && s.type !== 'approval' && s.type !== 'subFlow') return false;
  const handle = normalHandle(s, sourceHandle);
  return !def.edges.some(
    (e) =>
      e.source === source && e.target === target && (e.sourceHandle ?? 'approved') === (handle ?? 'approved'),
  );
}

function normalHandle(source: FlowNode, handle: string | null | undefined): 'rejected' | undefined {
  if (handle === 'rejected' && (source.type === 'approval' || source.type === 'subFlow')) return 'rejected';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The static check, in the browser

/** One problem of the draft, placed on a node, an edge or the flow. */
export interface DesignerIssue extends Issue {
  /** Errors block publishing; warnings (an assignee rule that may find no one) do not. */
  severity: 'error' | 'warning';
  node?: string;
  edge?: string;
  /**
   * The draft cannot even be saved with this problem (the server checks the JSON Schema on every save):
   * a required setting is missing or malformed.
   */
  blocksSave: boolean;
}

const WARNING_CODES = new Set(['assigneesMayBeEmpty']);

const m = (zh: string, en: string) => ({ 'zh-CN': zh, en });

function label(n: FlowNode): string {
  const l = n.data.label;
  const t = typeof l === 'string' ? l : (l?.['zh-CN'] ?? l?.en);
  return t ? `${t} (${n.id})` : n.id;
}

type Gap = { path: string; code: string; zh: string; en: string };

/** A rule is complete when it names someone (members, roles, a field). */
function completeRule(r: AssigneeRule): boolean {
  if (r.type === 'member') return Array.isArray(r.members) && r.members.length > 0;
  if (r.type === 'role') return Array.isArray(r.roles) && r.roles.length > 0;
  if (r.type === 'field') return typeof r.field === 'string' && r.field !== '';
  return true;
}

/** How to say that rules are missing (`empty`) or incomplete (`where`, before "rule N has no…"). */
interface RuleWords {
  emptyZh: string;
  emptyEn: string;
  whereZh: string;
  whereEn: string;
}

/**
 * Rules without their people: a gap per incomplete rule (or one when there are none and some are needed),
 * and the rules a complete node would have in their place.
 */
function ruleGaps(
  rules: AssigneeRule[] | undefined,
  path: string,
  w: RuleWords,
  needed: boolean,
): { gaps: Gap[]; rules: AssigneeRule[] } {
  const list = rules ?? [];
  const gaps: Gap[] = [];
  list.forEach((r, i) => {
    if (!completeRule(r)) {
      const zhKind = r.type === 'member' ? '成员' : r.type === 'role' ? '角色' : '字段';
      const enKind = r.type === 'member' ? 'members' : r.type === 'role' ? 'roles' : 'field';
      gaps.push({
        path: `${path}.${i}`,
        code: 'ruleIncomplete',
        zh: `${w.whereZh}第 ${i + 1} 条规则还没有选择${zhKind}`,
        en: `${w.whereEn}: rule ${i + 1} has no ${enKind} chosen yet`,
      });
    }
  });
  const kept = list.filter(completeRule);
  if (needed && list.length === 0)
    gaps.push({ path, code: 'assigneesMissing', zh: w.emptyZh, en: w.emptyEn });
  return { gaps, rules: kept.length > 0 || !needed ? kept : [{ type: 'submitter' }] };
}

/** Actions without their settings (no fields to set, no title, no recipients, no address). */
function actionGaps(actions: FlowAction[], zh: string, en: string): { gaps: Gap[]; actions: FlowAction[] } {
  const gaps: Gap[] = [];
  const stand: FlowAction[] = [];
  if (actions.length === 0) {
    gaps.push({
      path: 'actions',
      code: 'actionsMissing',
      zh: `${zh}还没有设置操作`,
      en: `${en} has no actions yet`,
    });
  }
  actions.forEach((a, i) => {
    const p = `actions.${i}`;
    const before = gaps.length;
    if (a.type === 'updateRecord') {
      const set = Object.entries(a.set ?? {});
      if (set.length === 0)
        gaps.push({
          path: `${p}.set`,
          code: 'setMissing',
          zh: `${zh}的操作 ${i + 1} 还没有设置字段`,
          en: `${en}: action ${i + 1} sets no field yet`,
        });
      for (const [key, src] of set) {
        const ok =
          src &&
          Object.keys(src).length === 1 &&
          (('formula' in src && typeof src.formula === 'string' && src.formula.trim() !== '') ||
            ('field' in src && typeof src.field === 'string' && src.field !== '') ||
            'value' in src);
        if (!ok || key === '')
          gaps.push({
            path: `${p}.set.${key}`,
            code: 'valueMissing',
            zh: `${zh}的操作 ${i + 1} 中字段 ${key} 的取值未设置`,
            en: `${en}: action ${i + 1} has no value for ${key}`,
          });
      }
    } else if (a.type === 'notify') {
      const r = ruleGaps(
        a.to,
        `${p}.to`,
        {
          emptyZh: `${zh}的通知 ${i + 1} 还没有接收人`,
          emptyEn: `${en}: notification ${i + 1} has no recipients yet`,
          whereZh: `${zh}的通知 ${i + 1} 的接收人`,
          whereEn: `${en}: recipients of notification ${i + 1}`,
        },
        true,
      );
      gaps.push(...r.gaps);
      const title = typeof a.title === 'string' ? a.title : `${a.title?.['zh-CN'] ?? ''}${a.title?.en ?? ''}`;
      if (title.trim() === '')
        gaps.push({
          path: `${p}.title`,
          code: 'titleMissing',
          zh: `${zh}的通知 ${i + 1} 还没有标题`,
          en: `${en}: notification ${i + 1} has no title`,
        });
    } else if (a.type === 'webhook') {
      if (!/^https?:\/\/[^\s]+$/.test(a.url ?? ''))
        gaps.push({
          path: `${p}.url`,
          code: 'urlInvalid',
          zh: `${zh}的 Webhook ${i + 1} 地址须以 http:// 或 https:// 开头`,
          en: `${en}: webhook ${i + 1} needs an http:// or https:// address`,
        });
    }
    stand.push(gaps.length > before ? { type: 'webhook', url: 'https://placeholder.invalid' } : a);
  });
  return {
    gaps,
    actions: stand.length > 0 ? stand : [{ type: 'webhook', url: 'https://placeholder.invalid' }],
  };
}

/**
 * What a node is missing that the JSON Schema requires, said the way a person would, plus the data a
 * complete node would have in its place (so the graph can still be checked while the node is unfinished).
 */
function unfinished(n: FlowNode): { gaps: Gap[]; stand: FlowNode['data'] } | null {
  const name = label(n);
  const zh = `节点 ${name} `;
  const en = `Node ${name}`;
  const gaps: Gap[] = [];
  let stand: Record<string, unknown> = { ...(n.data as Record<string, unknown>) };
  const human = (d: { assignees?: AssigneeRule[]; emptyAssignee?: EmptyAssignee; deadline?: Deadline }) => {
    const a = ruleGaps(
      d.assignees,
      'assignees',
      {
        emptyZh: `${zh}还没有设置处理人`,
        emptyEn: `${en} has no assignees yet`,
        whereZh: `${zh}的处理人`,
        whereEn: `${en}: assignees`,
      },
      true,
    );
    gaps.push(...a.gaps);
    stand.assignees = a.rules;
    if (d.emptyAssignee?.action === 'assign') {
      const e = ruleGaps(
        d.emptyAssignee.to,
        'emptyAssignee.to',
        {
          emptyZh: `${zh}还没有设置“处理人为空时”转交给谁`,
          emptyEn: `${en}: nobody to assign to when no one is found`,
          whereZh: `${zh}“处理人为空时”的转交对象`,
          whereEn: `${en}: assign-when-empty`,
        },
        true,
      );
      gaps.push(...e.gaps);
      stand.emptyAssignee = { action: 'assign', to: e.rules };
    }
    const t = d.deadline?.onTimeout;
    if (t?.action === 'escalate' && t.to !== undefined) {
      const e = ruleGaps(
        t.to,
        'deadline.onTimeout.to',
        {
          emptyZh: `${zh}还没有设置超时升级给谁`,
          emptyEn: `${en}: nobody to escalate to`,
          whereZh: `${zh}的超时升级对象`,
          whereEn: `${en}: escalation`,
        },
        true,
      );
      gaps.push(...e.gaps);
      stand.deadline = { ...d.deadline, onTimeout: { action: 'escalate', to: e.rules } };
    }
  };
  switch (n.type) {
    case 'approval':
    case 'fillIn':
      human(n.data);
      break;
    case 'cc': {
      const r = ruleGaps(
        n.data.to,
        'to',
        {
          emptyZh: `抄送节点 ${name} 还没有设置抄送人`,
          emptyEn: `Copy node ${name} has no recipients yet`,
          whereZh: `抄送节点 ${name} 的抄送人`,
          whereEn: `Copy node ${name}: recipients`,
        },
        true,
      );
      gaps.push(...r.gaps);
      stand.to = r.rules;
      break;
    }
    case 'action': {
      const r = actionGaps(n.data.actions ?? [], `自动操作节点 ${name} `, `Action node ${name}`);
      gaps.push(...r.gaps);
      stand.actions = r.actions;
      break;
    }
    case 'subFlow':
      if (!n.data.flow) {
        gaps.push({
          path: 'flow',
          code: 'flowMissing',
          zh: `子流程节点 ${name} 还没有选择流程`,
          en: `Sub-flow node ${name} has no flow chosen yet`,
        });
        stand.flow = 'placeholder.flow';
      }
      break;
    case 'wait': {
      const d = n.data as { duration?: unknown; untilField?: string };
      if (d.duration === undefined && !d.untilField) {
        gaps.push({
          path: 'duration',
          code: 'waitMissing',
          zh: `等待节点 ${name} 还没有设置等待时长或日期字段`,
          en: `Wait node ${name} needs a duration or a date field`,
        });
        stand = { ...(n.data.label !== undefined ? { label: n.data.label } : {}), duration: { days: 1 } };
      }
      break;
    }
    default:
      break;
  }
  return gaps.length > 0 ? { gaps, stand: stand as FlowNode['data'] } : null;
}

/**
 * Every problem of the draft, on the node or edge it concerns: missing settings first (said plainly),
 * then the JSON Schema, then `checkFlow` with what the browser knows of the workspace (the entity's fields,
 * roles, departments, members, other flows). The server runs the same checks (and the directory) on
 * validate and publish.
 */
export function flowProblems(def: FlowDefinition, ctx: FlowCheckContext = {}): DesignerIssue[] {
  const out: DesignerIssue[] = [];
  const stands = new Map<string, FlowNode['data']>();
  def.nodes.forEach((n, i) => {
    const u = unfinished(n);
    if (!u) return;
    stands.set(n.id, u.stand);
    for (const x of u.gaps) {
      out.push({
        field: `nodes.${i}.data.${x.path}`,
        code: x.code,
        message: m(x.zh, x.en),
        params: { node: n.id },
        severity: 'error',
        node: n.id,
        blocksSave: true,
      });
    }
  });
  const stood: FlowDefinition = {
    ...def,
    nodes: def.nodes.map((n) => (stands.has(n.id) ? ({ ...n, data: stands.get(n.id) } as FlowNode) : n)),
  };
  const parsed = parseFlowDefinition(stood);
  const place = (issue: Issue, blocksSave: boolean): DesignerIssue => {
    const at = locate(def, issue);
    return {
      ...issue,
      severity: WARNING_CODES.has(issue.code) ? 'warning' : 'error',
      ...at,
      blocksSave,
    };
  };
  if (!parsed.ok) {
    // Structure the schema refuses (ids, a missing start or end…): nothing more can be checked.
    const shape = new Set(['duplicateId', 'unknownNode', 'selfLoop', 'noStart', 'severalStarts', 'noEnd']);
    for (const issue of parsed.issues) out.push(place(issue, !shape.has(issue.code)));
    return out;
  }
  for (const issue of checkFlow(stood, ctx)) {
    const at = locate(def, issue);
    // The stand-in flow of an unfinished sub-flow node is not the designer's.
    if ((issue.code === 'unknownFlow' || issue.code === 'subFlowSelf') && at.node && stands.has(at.node))
      continue;
    out.push(place(issue, false));
  }
  return out;
}

/** The node or edge an issue is about, from its `nodes.N…` / `edges.N…` path or its params. */
export function locate(
  def: FlowDefinition,
  issue: Pick<Issue, 'field' | 'params'>,
): { node?: string; edge?: string } {
  const nm = /^nodes\.(\d+)(?:\.|$)/.exec(issue.field);
  if (nm) {
    const n = def.nodes[Number(nm[1])];
    if (n) return { node: n.id };
  }
  const em = /^edges\.(\d+)(?:\.|$)/.exec(issue.field);
  if (em) {
    const e = def.edges[Number(em[1])];
    if (e) return { edge: e.id };
  }
  const p = issue.params ?? {};
  if (typeof p.edge === 'string' && findEdge(def, p.edge)) return { edge: p.edge };
  if (typeof p.node === 'string' && findNode(def, p.node)) return { node: p.node };
  return {};
}

/** Issues the server answered (validate / publish) placed like the designer's own. */
export function placeServerIssues(def: FlowDefinition, issues: readonly Issue[]): DesignerIssue[] {
  return issues.map((i) => ({
    ...i,
    severity: WARNING_CODES.has(i.code) ? 'warning' : 'error',
    ...locate(def, i),
    blocksSave: false,
  }));
}

export interface IssueIndex {
  nodes: Map<string, DesignerIssue[]>;
  edges: Map<string, DesignerIssue[]>;
  flow: DesignerIssue[];
  errors: number;
  warnings: number;
}

export function indexIssues(issues: readonly DesignerIssue[]): IssueIndex {
  const idx: IssueIndex = { nodes: new Map(), edges: new Map(), flow: [], errors: 0, warnings: 0 };
  const seen = new Set<string>();
  for (const i of issues) {
    const k = `${i.node ?? ''}|${i.edge ?? ''}|${i.code}|${i.message.en}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (i.severity === 'error') idx.errors++;
    else idx.warnings++;
    if (i.node) idx.nodes.set(i.node, [...(idx.nodes.get(i.node) ?? []), i]);
    else if (i.edge) idx.edges.set(i.edge, [...(idx.edges.get(i.edge) ?? []), i]);
    else idx.flow.push(i);
  }
  return idx;
}

// ---------------------------------------------------------------------------------------------
// Auto-layout

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
const GAP_X = 60;
const GAP_Y = 70;

/**
 * A layered top-down layout: each node sits one row below its deepest predecessor (back edges of loops
 * ignored), rows are ordered by the average column of their predecessors, and each row is centred.
 * Nodes the start cannot reach go to the rows of their own predecessors, or to the bottom.
 */
export function layoutFlow(def: FlowDefinition): FlowDefinition {
  const ids = def.nodes.map((n) => n.id);
  const outs = new Map<string, FlowEdge[]>(ids.map((id) => [id, []]));
  for (const e of def.edges) outs.get(e.source)?.push(e);
  // Depth-first from the start (then from every unvisited node) marks back edges.
  const back = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const visit = (id: string) => {
    state.set(id, 1);
    for (const e of outs.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 1) back.add(e.id);
      else if (s === undefined && outs.has(e.target)) visit(e.target);
    }
    state.set(id, 2);
  };
  const start = def.nodes.find((n) => n.type === 'start');
  if (start) visit(start.id);
  for (const id of ids) if (!state.has(id)) visit(id);
  // Longest-path ranks over the forward edges (a DAG now).
  const forward = def.edges.filter((e) => !back.has(e.id) && outs.has(e.source) && outs.has(e.target));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of forward) indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  const rank = new Map<string, number>();
  const queue = ids.filter((id) => (indeg.get(id) ?? 0) === 0);
  // The start comes first among the roots; unreachable roots later.
  queue.sort((a, b) => (a === start?.id ? -1 : b === start?.id ? 1 : 0));
  for (const id of queue) rank.set(id, 0);
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of forward.filter((x) => x.source === id)) {
      preds.get(e.target)?.push(id);
      rank.set(e.target, Math.max(rank.get(e.target) ?? 0, (rank.get(id) ?? 0) + 1));
      indeg.set(e.target, (indeg.get(e.target) ?? 1) - 1);
      if (indeg.get(e.target) === 0) queue.push(e.target);
    }
  }
  const reachable = new Set<string>();
  if (start) {
    const stack = [start.id];
    while (stack.length) {
      const id = stack.pop() as string;
      if (reachable.has(id)) continue;
      reachable.add(id);
      for (const e of outs.get(id) ?? []) stack.push(e.target);
    }
  }
  const maxReachableRank = Math.max(0, ...[...reachable].map((id) => rank.get(id) ?? 0));
  // Nodes the start cannot reach (only unreachable nodes lead to them) go below everything else.
  if (start) {
    for (const id of ids) if (!reachable.has(id)) rank.set(id, maxReachableRank + 1 + (rank.get(id) ?? 0));
  }
  const rows = new Map<number, string[]>();
  for (const id of ids) {
    const r = rank.get(id) ?? 0;
    rows.set(r, [...(rows.get(r) ?? []), id]);
  }
  const col = new Map<string, number>();
  for (const r of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(r) as string[];
    const order = new Map(row.map((id, i) => [id, i]));
    const bary = (id: string) => {
      const ps = (preds.get(id) ?? []).filter((p) => col.has(p));
      if (ps.length === 0) return order.get(id) as number;
      // Branches keep the order of their source's outgoing edges.
      const base = ps.reduce((s, p) => s + (col.get(p) as number), 0) / ps.length;
      const p0 = ps[0] as string;
      const sibs = outgoingOrder(def, p0);
      const k = sibs.indexOf(id);
      return base + (k >= 0 ? (k - (sibs.length - 1) / 2) * 0.01 : 0);
    };
    row.sort((a, b) => bary(a) - bary(b) || (order.get(a) as number) - (order.get(b) as number));
    row.forEach((id, i) => {
      col.set(id, i - (row.length - 1) / 2);
    });
    // Nudge a single-node row under its predecessors' mean column (keeps branches visually aligned).
    if (row.length === 1) {
      const only = row[0] as string;
      const ps = (preds.get(only) ?? []).filter((p) => col.has(p) && p !== only);
      if (ps.length > 0) col.set(only, ps.reduce((s, p) => s + (col.get(p) as number), 0) / ps.length);
    }
  }
  return {
    ...def,
    nodes: def.nodes.map(
      (n) =>
        ({
          ...n,
          position: {
            x: Math.round((col.get(n.id) ?? 0) * (NODE_WIDTH + GAP_X)),
            y: Math.round((rank.get(n.id) ?? 0) * (NODE_HEIGHT + GAP_Y)),
          },
        }) as FlowNode,
    ),
  };
}

function outgoingOrder(def: FlowDefinition, id: string): string[] {
  return outgoing(def, id)
    .sort((a, b) => (a.sourceHandle === 'rejected' ? 1 : 0) - (b.sourceHandle === 'rejected' ? 1 : 0))
    .map((e) => e.target);
}

/** Where a node added without a drop point goes: below the selected node, else below everything. */
export function freePosition(def: FlowDefinition, near?: string): Point {
  const anchor = near ? findNode(def, near) : undefined;
  const taken = (p: Point) =>
    def.nodes.some(
      (n) => Math.abs(n.position.x - p.x) < NODE_WIDTH && Math.abs(n.position.y - p.y) < NODE_HEIGHT,
    );
  if (anchor) {
    let p = { x: anchor.position.x, y: anchor.position.y + NODE_HEIGHT + GAP_Y };
    for (let i = 0; i < 50 && taken(p); i++) p = { x: p.x + NODE_WIDTH + GAP_X, y: p.y };
    return p;
  }
  if (def.nodes.length === 0) return { x: 0, y: 0 };
  const maxY = Math.max(...def.nodes.map((n) => n.position.y));
  return { x: 0, y: maxY + NODE_HEIGHT + GAP_Y };
}

// ---------------------------------------------------------------------------------------------
// The reducer

function validSelection(def: FlowDefinition, sel: FlowSelection): FlowSelection {
  if (sel.kind === 'node') return findNode(def, sel.id) ? sel : { kind: 'flow' };
  if (sel.kind === 'edge') return findEdge(def, sel.id) ? sel : { kind: 'flow' };
  return sel;
}

function edit(
  state: FlowDesignerState,
  cmd: FlowCommand,
): { def: FlowDefinition; selection?: FlowSelection } | null {
  const d = state.def;
  switch (cmd.type) {
    case 'updateFlow': {
      const next: FlowDefinition = { ...d };
      if ('name' in cmd.patch) {
        if (cmd.patch.name === undefined) delete next.name;
        else next.name = cmd.patch.name;
      }
      return { def: next };
    }
    case 'addNode': {
      if (cmd.item.kind === 'start' && d.nodes.some((n) => n.type === 'start')) return null;
      const base = cmd.item.kind === 'end' ? cmd.item.outcome : cmd.item.kind;
      const id =
        cmd.id && !findNode(d, cmd.id)
          ? cmd.id
          : uniqueId(
              base,
              d.nodes.map((n) => n.id),
            );
      const position = cmd.position
        ? { x: Math.round(cmd.position.x), y: Math.round(cmd.position.y) }
        : freePosition(d, state.selection.kind === 'node' ? state.selection.id : undefined);
      const node = {
        id,
        type: cmd.item.kind,
        position,
        data: defaultNodeData(cmd.item.kind, cmd.item.kind === 'end' ? cmd.item.outcome : undefined),
      } as FlowNode;
      return { def: { ...d, nodes: [...d.nodes, node] }, selection: { kind: 'node', id } };
    }
    case 'moveNodes': {
      let changed = false;
      const nodes = d.nodes.map((n) => {
        const p = cmd.positions[n.id];
        if (!p) return n;
        const position = { x: Math.round(p.x), y: Math.round(p.y) };
        if (position.x === n.position.x && position.y === n.position.y) return n;
        changed = true;
        return { ...n, position } as FlowNode;
      });
      return changed ? { def: { ...d, nodes } } : null;
    }
    case 'setNodeData': {
      const i = d.nodes.findIndex((n) => n.id === cmd.id);
      if (i < 0) return null;
      const nodes = [...d.nodes];
      nodes[i] = { ...(nodes[i] as FlowNode), data: clone(cmd.data) } as FlowNode;
      return { def: { ...d, nodes } };
    }
    case 'removeNodes': {
      // The start node stays: a flow has exactly one.
      const gone = new Set(cmd.ids.filter((id) => findNode(d, id)?.type !== 'start'));
      const edgesGone = new Set(cmd.edgeIds ?? []);
      if (gone.size === 0 && edgesGone.size === 0) return null;
      return {
        def: {
          ...d,
          nodes: d.nodes.filter((n) => !gone.has(n.id)),
          edges: d.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target) && !edgesGone.has(e.id)),
        },
      };
    }
    case 'connect': {
      if (!canConnect(d, cmd.source, cmd.target, cmd.sourceHandle)) return null;
      const source = findNode(d, cmd.source) as FlowNode;
      const id = uniqueId(
        'e',
        d.edges.map((e) => e.id),
      );
      const edge: FlowEdge = { id, source: cmd.source, target: cmd.target };
      const handle = normalHandle(source, cmd.sourceHandle);
      if (handle) edge.sourceHandle = handle;
      if (source.type === 'condition') {
        // The first branch of a condition is the default ("otherwise") one; later ones need a condition.
        const branches = d.edges.filter((e) => e.source === source.id);
        if (!branches.some((e) => e.data?.default)) edge.data = { default: true };
        else {
          const max = Math.max(
            -1,
            ...branches.filter((e) => !e.data?.default).map((e) => e.data?.priority ?? 0),
          );
          edge.data = { priority: Math.min(1000, max + 1) };
        }
      }
      return { def: { ...d, edges: [...d.edges, edge] }, selection: { kind: 'edge', id } };
    }
    case 'setEdgeData': {
      const i = d.edges.findIndex((e) => e.id === cmd.id);
      if (i < 0) return null;
      const edges = [...d.edges];
      const e = { ...(edges[i] as FlowEdge) };
      if (cmd.data === undefined || Object.keys(cmd.data).length === 0) delete e.data;
      else e.data = clone(cmd.data);
      edges[i] = e;
      // Only one default branch per condition node.
      if (cmd.data?.default) {
        for (let j = 0; j < edges.length; j++) {
          const o = edges[j] as FlowEdge;
          if (j !== i && o.source === e.source && o.data?.default) {
            const { default: _drop, ...rest } = o.data;
            const next = { ...o, data: rest };
            if (Object.keys(rest).length === 0) delete (next as FlowEdge).data;
            edges[j] = next;
          }
        }
      }
      return { def: { ...d, edges } };
    }
    case 'removeEdges': {
      const gone = new Set(cmd.ids);
      const edges = d.edges.filter((e) => !gone.has(e.id));
      return edges.length === d.edges.length ? null : { def: { ...d, edges } };
    }
    case 'moveBranch': {
      const e = findEdge(d, cmd.id);
      if (!e || e.data?.default) return null;
      const branches = outgoing(d, e.source).filter((x) => !x.data?.default);
      const i = branches.findIndex((x) => x.id === cmd.id);
      const j = i + cmd.step;
      if (i < 0 || j < 0 || j >= branches.length) return null;
      const order = [...branches];
      order.splice(i, 1);
      order.splice(j, 0, e);
      const prio = new Map(order.map((x, k) => [x.id, k]));
      return {
        def: {
          ...d,
          edges: d.edges.map((x) =>
            prio.has(x.id) ? { ...x, data: { ...(x.data ?? {}), priority: prio.get(x.id) as number } } : x,
          ),
        },
      };
    }
    case 'layout':
      return { def: layoutFlow(d) };
    default:
      return null;
  }
}

/** The designer's reducer: every command that changes the draft is one undo step (typing coalesces). */
export function flowReducer(state: FlowDesignerState, cmd: FlowCommand): FlowDesignerState {
  switch (cmd.type) {
    case 'load':
      return initialFlowState(cmd.def, cmd.saved !== false);
    case 'markSaved':
      return { ...state, saved: normaliseDefinition(cmd.def), lastGroup: undefined };
    case 'select': {
      const selection = validSelection(state.def, cmd.selection);
      return JSON.stringify(selection) === JSON.stringify(state.selection)
        ? state
        : { ...state, selection, lastGroup: undefined };
    }
    case 'undo':
    case 'redo': {
      const step = (cmd.type === 'undo' ? undo : redo)(state.def, state);
      if (!step) return state;
      const { present, ...history } = step;
      return { ...state, ...history, def: present, selection: validSelection(present, state.selection) };
    }
    default: {
      const r = edit(state, cmd);
      if (!r || JSON.stringify(r.def) === JSON.stringify(state.def)) {
        return r?.selection ? { ...state, selection: validSelection(state.def, r.selection) } : state;
      }
      const group = 'group' in cmd && cmd.group !== undefined ? `${cmd.type}:${cmd.group}` : undefined;
      return {
        ...state,
        ...record(state.def, state, group),
        def: r.def,
        selection: validSelection(r.def, r.selection ?? state.selection),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Words for the canvas

/** The text of a label in a locale (a plain string is the same in both). */
export function textOf(text: I18nText | undefined, locale: 'zh-CN' | 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[locale] || text[locale === 'en' ? 'zh-CN' : 'en'] || '';
}
