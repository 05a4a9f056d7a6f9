import {
  type EntityDefinition,
  type FieldDefinition,
  type Issue,
  isSystemFieldKey,
  parseFormula,
  systemFields,
  validateFilter,
} from '@formwork/metadata';
import { resolveRule } from './assignees.js';
import {
  analyseGraph,
  earlierNodes,
  edgeIndex,
  type FlowGraph,
  isApprovedEdge,
  nodeIndex,
  nodeName,
} from './graph.js';
import type {
  AssigneeRule,
  Directory,
  EdgeCondition,
  FlowAction,
  FlowDefinition,
  FlowNode,
  ValueSource,
} from './types.js';
import { m } from './validate-schema.js';

/** What the static check knows about the workspace. Lists that are left out are not checked. */
export interface FlowCheckContext {
  /** The entity the flow runs on: fields named anywhere must exist (and have the right type). */
  entity?: EntityDefinition;
  roles?: readonly string[];
  departments?: readonly string[];
  members?: readonly string[];
  /** Keys of the flows a sub-flow node may start. */
  flows?: readonly string[];
  /** With a directory, rules whose roles have no members are reported as resolving to no one. */
  directory?: Directory;
}

function fieldOf(entity: EntityDefinition, key: string): FieldDefinition | undefined {
  if (isSystemFieldKey(key)) return systemFields[key] as unknown as FieldDefinition;
  return entity.fields.find((f) => f.key === key);
}

class Checker {
  readonly issues: Issue[] = [];
  constructor(
    readonly def: FlowDefinition,
    readonly ctx: FlowCheckContext,
    readonly g: FlowGraph,
  ) {}

  push(field: string, code: string, zh: string, en: string, params?: Record<string, unknown>): void {
    this.issues.push({ field, code, message: m(zh, en), ...(params ? { params } : {}) });
  }

  field(path: string, key: string, where: string, whereEn: string, types?: readonly string[]): void {
    const entity = this.ctx.entity;
    if (!entity) return;
    const f = fieldOf(entity, key);
    if (!f) {
      this.push(
        path,
        'unknownField',
        `${where}引用了不存在的字段 ${key}`,
        `${whereEn} refers to an unknown field ${key}`,
        {
          field: key,
        },
      );
      return;
    }
    if (types && !types.includes(f.type)) {
      this.push(
        path,
        'wrongFieldType',
        `${where}中的字段 ${key} 须为 ${types.join('/')} 类型`,
        `${whereEn}: field ${key} must be of type ${types.join('/')}`,
        { field: key, type: f.type },
      );
    }
  }

  known(
    path: string,
    kind: 'roles' | 'departments' | 'members',
    ids: readonly string[],
    whereZh: string,
    whereEn: string,
  ) {
    const list = this.ctx[kind];
    if (!list) return;
    const words = {
      roles: ['角色', 'role'],
      departments: ['部门', 'department'],
      members: ['成员', 'member'],
    }[kind];
    for (const id of ids) {
      if (!list.includes(id)) {
        this.push(
          path,
          kind === 'roles' ? 'unknownRole' : kind === 'departments' ? 'unknownDepartment' : 'unknownMember',
          `${whereZh}引用了不存在的${words[0]} ${id}`,
          `${whereEn} refers to an unknown ${words[1]} ${id}`,
          { [kind.slice(0, -1)]: id },
        );
      }
    }
  }

  rules(path: string, rules: readonly AssigneeRule[], zh: string, en: string): void {
    rules.forEach((r, i) => {
      const p = `${path}.${i}`;
      if (r.type === 'role') this.known(`${p}.roles`, 'roles', r.roles, zh, en);
      if (r.type === 'member') this.known(`${p}.members`, 'members', r.members, zh, en);
      if (r.type === 'field') this.field(`${p}.field`, r.field, zh, en, ['member']);
    });
  }

  /** Can these rules find no one? `certain` when they surely do (with the directory given). */
  emptiness(rules: readonly AssigneeRule[]): 'never' | 'maybe' | 'certain' {
    let maybe = false;
    let allCertain = true;
    for (const r of rules) {
      if (r.type === 'submitter') return 'never';
      if (r.type === 'member') {
        const active = this.ctx.directory?.members;
        if (!active || r.members.some((id) => active.includes(id))) return 'never';
        continue;
      }
      if (r.type === 'role') {
        const dir = this.ctx.directory;
        if (!dir) {
          maybe = true;
          allCertain = false;
          continue;
        }
        const people = resolveRule(r, { directory: dir, submitter: '', record: {} }).filter(
          (id) => !dir.members || dir.members.includes(id),
        );
        if (people.length > 0) return 'never';
        continue;
      }
      if (r.type === 'field') {
        const f = this.ctx.entity ? fieldOf(this.ctx.entity, r.field) : undefined;
        if (f?.required || r.field === 'ownerId' || r.field === 'createdBy') return 'never';
      }
      maybe = true;
      allCertain = false;
    }
    return allCertain && !maybe ? 'certain' : 'maybe';
  }

  source(path: string, source: ValueSource, zh: string, en: string): void {
    if ('field' in source) this.field(`${path}.field`, source.field, zh, en);
    if ('formula' in source) this.formula(`${path}.formula`, source.formula, zh, en);
  }

  formula(path: string, formula: string, zh: string, en: string): void {
    const parsed = parseFormula(formula);
    if (!parsed.ok) {
      this.issues.push({
        field: path,
        code: parsed.issue.code,
        message: m(`${zh}的公式有误：${parsed.issue.message['zh-CN']}`, `${en}: ${parsed.issue.message.en}`),
        params: { position: parsed.issue.position },
      });
      return;
    }
    for (const ref of parsed.refs) {
      const head = ref[0];
      if (head !== undefined && !head.startsWith('$')) this.field(path, head, zh, en);
    }
  }

  actions(path: string, actions: readonly FlowAction[], zh: string, en: string): void {
    actions.forEach((a, i) => {
      const p = `${path}.${i}`;
      if (a.type === 'updateRecord') {
        for (const [key, src] of Object.entries(a.set)) {
          this.field(`${p}.set.${key}`, key, zh, en);
          this.source(`${p}.set.${key}`, src, zh, en);
        }
      }
      if (a.type === 'notify') this.rules(`${p}.to`, a.to, zh, en);
    });
  }

  condition(path: string, c: EdgeCondition, zh: string, en: string): void {
    if (c.filter !== undefined && this.ctx.entity) {
      const r = validateFilter(this.ctx.entity, c.filter);
      if (!r.ok) {
        for (const issue of r.issues) {
          this.issues.push({
            ...issue,
            field: issue.field ? `${path}.filter.${issue.field}` : `${path}.filter`,
          });
        }
      }
    }
    if (c.formula !== undefined) this.formula(`${path}.formula`, c.formula, zh, en);
    if (c.submitter) {
      if (c.submitter.roles) this.known(`${path}.submitter.roles`, 'roles', c.submitter.roles, zh, en);
      if (c.submitter.members)
        this.known(`${path}.submitter.members`, 'members', c.submitter.members, zh, en);
      if (c.submitter.departments)
        this.known(`${path}.submitter.departments`, 'departments', c.submitter.departments, zh, en);
    }
  }

  edgesOf(n: FlowNode): void {
    const p = `nodes.${nodeIndex(this.def, n.id)}`;
    const outs = this.g.out.get(n.id) ?? [];
    const ins = this.g.incoming.get(n.id) ?? [];
    const name = nodeName(n);
    const approved = outs.filter(isApprovedEdge);
    const rejected = outs.filter((e) => e.sourceHandle === 'rejected');
    if (rejected.length > 0 && n.type !== 'approval' && n.type !== 'subFlow') {
      const e = rejected[0] as (typeof rejected)[number];
      this.push(
        `edges.${edgeIndex(this.def, e.id)}.sourceHandle`,
        'invalidHandle',
        `只有审批节点和子流程节点有“驳回”出口（连线 ${e.id}）`,
        `Only approval and sub-flow nodes have a "rejected" exit (edge ${e.id})`,
        { edge: e.id },
      );
    }
    if (n.type === 'start' && ins.length > 0) {
      this.push(
        p,
        'startHasIncoming',
        `发起节点 ${name} 不能有进入的连线`,
        `Start ${name} cannot have incoming edges`,
        {
          node: n.id,
        },
      );
    }
    if (n.type === 'end') {
      if (outs.length > 0)
        this.push(
          p,
          'endHasOutgoing',
          `结束节点 ${name} 不能有出去的连线`,
          `End ${name} cannot have outgoing edges`,
          {
            node: n.id,
          },
        );
      return;
    }
    if (n.type === 'condition') {
      const defaults = outs.filter((e) => e.data?.default === true);
      if (outs.length === 0) {
        this.push(p, 'noOutgoing', `条件节点 ${name} 没有分支`, `Condition ${name} has no branches`, {
          node: n.id,
        });
        return;
      }
      if (defaults.length === 0) {
        this.push(
          p,
          'noDefaultBranch',
          `条件节点 ${name} 缺少默认分支（其他条件都不满足时走的分支）`,
          `Condition ${name} has no default branch (taken when no other condition holds)`,
          { node: n.id },
        );
      }
      if (defaults.length > 1) {
        this.push(
          p,
          'severalDefaultBranches',
          `条件节点 ${name} 有多个默认分支`,
          `Condition ${name} has several default branches`,
          {
            node: n.id,
          },
        );
      }
      for (const e of outs) {
        if (e.data?.default) continue;
        const c = e.data?.condition;
        if (!c || (c.filter === undefined && c.formula === undefined && c.submitter === undefined)) {
          this.push(
            `edges.${edgeIndex(this.def, e.id)}.data.condition`,
            'conditionMissing',
            `条件节点 ${name} 的分支（连线 ${e.id}）没有条件`,
            `The branch of condition ${name} on edge ${e.id} has no condition`,
            { node: n.id, edge: e.id },
          );
        }
      }
      return;
    }
    if (n.type === 'parallelSplit') {
      if (outs.length < 2) {
        this.push(
          p,
          'tooFewBranches',
          `并行分支 ${name} 至少需要两个分支`,
          `Split ${name} needs at least two branches`,
          {
            node: n.id,
          },
        );
      }
      return;
    }
    if (approved.length !== 1) {
      this.push(
        p,
        approved.length === 0 ? 'noOutgoing' : 'severalOutgoing',
        approved.length === 0 ? `节点 ${name} 没有出去的连线` : `节点 ${name} 只能有一条出去的连线`,
        approved.length === 0
          ? `Node ${name} has no outgoing edge`
          : `Node ${name} must have exactly one outgoing edge`,
        { node: n.id },
      );
    }
    if (rejected.length > 1) {
      this.push(
        p,
        'severalOutgoing',
        `节点 ${name} 只能有一条“驳回”连线`,
        `Node ${name} can have only one "rejected" edge`,
        {
          node: n.id,
        },
      );
    }
  }

  humanNode(n: FlowNode & { type: 'approval' | 'fillIn' }): void {
    const p = `nodes.${nodeIndex(this.def, n.id)}.data`;
    const name = nodeName(n);
    const zh = `节点 ${name} `;
    const en = `Node ${name}`;
    const d = n.data;
    this.rules(`${p}.assignees`, d.assignees, zh, en);
    for (const key of Object.keys(d.fields ?? {})) this.field(`${p}.fields.${key}`, key, zh, en);
    if (d.emptyAssignee === undefined) {
      const e = this.emptiness(d.assignees);
      if (e !== 'never') {
        this.push(
          `${p}.assignees`,
          e === 'certain' ? 'assigneesEmpty' : 'assigneesMayBeEmpty',
          e === 'certain'
            ? `${zh}的处理人规则找不到任何人；请修改规则或设置“处理人为空时”的处理方式`
            : `${zh}的处理人规则可能找不到任何人；请设置“处理人为空时”的处理方式（自动通过或转交）`,
          e === 'certain'
            ? `${en}: the assignee rules resolve to no one; change them or set emptyAssignee`
            : `${en}: the assignee rules can resolve to no one; set emptyAssignee (autoApprove or assign)`,
          { node: n.id },
        );
      }
    } else if (d.emptyAssignee.action === 'assign') {
      const to = (d.emptyAssignee as { to?: AssigneeRule[] }).to;
      if (!to)
        this.push(
          `${p}.emptyAssignee.to`,
          'required',
          `${zh}缺少转交对象`,
          `${en}: emptyAssignee.to is required`,
        );
      else this.rules(`${p}.emptyAssignee.to`, to, zh, en);
    }
    const t = d.deadline?.onTimeout;
    if (t?.action === 'escalate') {
      if (!t.to)
        this.push(
          `${p}.deadline.onTimeout.to`,
          'required',
          `${zh}超时升级缺少升级对象`,
          `${en}: escalation needs "to"`,
        );
      else this.rules(`${p}.deadline.onTimeout.to`, t.to, zh, en);
    }
    if (n.type === 'fillIn' && t?.action === 'reject') {
      this.push(
        `${p}.deadline.onTimeout.action`,
        'enum',
        `${zh}是填写节点，超时不能驳回`,
        `${en} is a fill-in node; a timeout cannot reject it`,
      );
    }
    if (n.type !== 'approval') return;
    const a = n.data;
    if ((a.mode ?? 'or') === 'threshold' && a.threshold === undefined) {
      this.push(
        `${p}.threshold`,
        'required',
        `${zh}按比例通过时须设置通过比例`,
        `${en}: threshold mode needs a threshold`,
      );
    }
    if (a.threshold !== undefined && (a.mode ?? 'or') !== 'threshold') {
      this.push(
        `${p}.threshold`,
        'unusedThreshold',
        `${zh}设置了通过比例但审批方式不是按比例`,
        `${en}: a threshold is set but the mode is not "threshold"`,
      );
    }
    if ((a.rejectTo ?? []).includes('node') && earlierNodes(this.g, n.id).length === 0) {
      this.push(
        `${p}.rejectTo`,
        'noEarlierNode',
        `${zh}允许驳回到之前的节点，但它之前没有审批或填写节点`,
        `${en} allows rejecting to an earlier node, but no approval or fill-in node precedes it`,
        { node: n.id },
      );
    }
  }

  node(n: FlowNode): void {
    const p = `nodes.${nodeIndex(this.def, n.id)}.data`;
    const name = nodeName(n);
    const zh = `节点 ${name} `;
    const en = `Node ${name}`;
    switch (n.type) {
      case 'start':
        for (const key of Object.keys(n.data.fields ?? {})) this.field(`${p}.fields.${key}`, key, zh, en);
        break;
      case 'approval':
      case 'fillIn':
        this.humanNode(n);
        break;
      case 'cc':
        this.rules(`${p}.to`, n.data.to, zh, en);
        break;
      case 'action':
        this.actions(`${p}.actions`, n.data.actions, zh, en);
        break;
      case 'wait':
        if ('untilField' in n.data)
          this.field(`${p}.untilField`, n.data.untilField, zh, en, ['date', 'datetime']);
        break;
      case 'subFlow':
        if (n.data.flow === this.def.key) {
          this.push(
            `${p}.flow`,
            'subFlowSelf',
            `${zh}不能把本流程作为子流程`,
            `${en} cannot start its own flow as a sub-flow`,
          );
        } else if (this.ctx.flows && !this.ctx.flows.includes(n.data.flow)) {
          this.push(
            `${p}.flow`,
            'unknownFlow',
            `${zh}引用了不存在的流程 ${n.data.flow}`,
            `${en} refers to an unknown flow ${n.data.flow}`,
            {
              flow: n.data.flow,
            },
          );
        }
        break;
      default:
        break;
    }
  }
}

const PASS_THROUGH = new Set(['condition', 'cc', 'action', 'parallelSplit', 'parallelJoin']);

/** Cycles made only of nodes that pass straight through (they would loop forever within one step). */
function passThroughCycles(def: FlowDefinition, g: FlowGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const e of g.out.get(id) ?? []) {
      const t = g.nodes.get(e.target);
      if (!t || !PASS_THROUGH.has(t.type)) continue;
      const s = state.get(t.id);
      if (s === 'open') cycles.push(path.slice(path.indexOf(t.id)));
      else if (s === undefined) visit(t.id);
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const n of def.nodes) if (PASS_THROUGH.has(n.type) && !state.has(n.id)) visit(n.id);
  return cycles;
}

/**
 * Static checks of a parsed flow definition. Every issue names the node or edge (`nodes.3`, `edges.5…`)
 * and says what is wrong in zh-CN and en. An empty list means the flow can be compiled and published.
 */
export function checkFlow(def: FlowDefinition, ctx: FlowCheckContext = {}): Issue[] {
  const g = analyseGraph(def);
  const c = new Checker(def, ctx, g);
  c.issues.push(...g.issues);
  for (const n of def.nodes) {
    c.edgesOf(n);
    c.node(n);
    const p = `nodes.${nodeIndex(def, n.id)}`;
    if (!g.regionOf.has(n.id)) {
      c.push(
        p,
        'unreachable',
        `节点 ${nodeName(n)} 从发起节点无法到达`,
        `Node ${nodeName(n)} cannot be reached from the start`,
        {
          node: n.id,
        },
      );
    } else if (!g.reachesEnd.has(n.id)) {
      c.push(
        p,
        'neverEnds',
        `从节点 ${nodeName(n)} 出发的路径永远到不了结束节点`,
        `No path from node ${nodeName(n)} ever reaches an end`,
        { node: n.id },
      );
    }
  }
  for (const cycle of passThroughCycles(def, g)) {
    c.push(
      `nodes.${nodeIndex(def, cycle[0] as string)}`,
      'loopWithoutWait',
      `节点 ${cycle.join(' → ')} 构成的循环中没有需要等待的节点（审批、填写、等待、子流程），会无限循环`,
      `The loop ${cycle.join(' → ')} has no node that waits (approval, fill-in, wait, sub-flow) and would never stop`,
      { nodes: cycle },
    );
  }
  def.edges.forEach((e, i) => {
    const cond = e.data?.condition;
    const source = g.nodes.get(e.source);
    if (cond) {
      if (source?.type !== 'condition') {
        c.push(
          `edges.${i}.data.condition`,
          'conditionOutsideBranch',
          `只有条件节点的分支可以设置条件（连线 ${e.id}）`,
          `Only branches of a condition node can carry a condition (edge ${e.id})`,
          { edge: e.id },
        );
      }
      c.condition(`edges.${i}.data.condition`, cond, `连线 ${e.id} `, `Edge ${e.id}`);
    }
  });
  return c.issues;
}
