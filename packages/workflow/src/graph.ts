import type { Issue } from '@formwork/metadata';
import type { FlowDefinition, FlowEdge, FlowNode } from './types.js';
import { m } from './validate-schema.js';

/**
 * Graph analysis of a flow: edges by node, which region (parallel branch) each node lives in, the join of
 * each split, reachability from the start and to an end. Shared by the static check and the compiler.
 */

/** A branch of a parallel split: `${splitId}#${branchIndex}`. */
export type RegionPath = string[];

export interface FlowGraph {
  nodes: Map<string, FlowNode>;
  out: Map<string, FlowEdge[]>;
  incoming: Map<string, FlowEdge[]>;
  start: FlowNode | undefined;
  /** Region of every node reachable from the start (top level = []). */
  regionOf: Map<string, RegionPath>;
  joinOf: Map<string, string>;
  splitOf: Map<string, string>;
  /** Nodes from which an end node can be reached. */
  reachesEnd: Set<string>;
  issues: Issue[];
}

export function isApprovedEdge(e: FlowEdge): boolean {
  return e.sourceHandle === undefined || e.sourceHandle === null || e.sourceHandle === 'approved';
}

export function nodeIndex(def: FlowDefinition, id: string): number {
  return def.nodes.findIndex((n) => n.id === id);
}

export function edgeIndex(def: FlowDefinition, id: string): number {
  return def.edges.findIndex((e) => e.id === id);
}

/** The next node on the `approved` (normal) edge of a node, if any. */
export function nextOf(g: FlowGraph, nodeId: string): FlowEdge | undefined {
  return (g.out.get(nodeId) ?? []).find(isApprovedEdge);
}

export function rejectedEdgeOf(g: FlowGraph, nodeId: string): FlowEdge | undefined {
  return (g.out.get(nodeId) ?? []).find((e) => e.sourceHandle === 'rejected');
}

function label(n: FlowNode): string {
  const l = n.data.label;
  if (typeof l === 'string' && l !== '') return `${l} (${n.id})`;
  if (l && typeof l === 'object') {
    const t = l['zh-CN'] ?? l.en;
    if (t) return `${t} (${n.id})`;
  }
  return n.id;
}

export function nodeName(n: FlowNode): string {
  return label(n);
}

export function analyseGraph(def: FlowDefinition): FlowGraph {
  const issues: Issue[] = [];
  const nodes = new Map<string, FlowNode>();
  const out = new Map<string, FlowEdge[]>();
  const incoming = new Map<string, FlowEdge[]>();
  for (const n of def.nodes) {
    nodes.set(n.id, n);
    out.set(n.id, []);
    incoming.set(n.id, []);
  }
  for (const e of def.edges) {
    if (nodes.has(e.source) && nodes.has(e.target)) {
      out.get(e.source)?.push(e);
      incoming.get(e.target)?.push(e);
    }
  }
  const start = def.nodes.find((n) => n.type === 'start');
  const regionOf = new Map<string, RegionPath>();
  const joinOf = new Map<string, string>();
  const splitOf = new Map<string, string>();
  const nodePath = (id: string) => `nodes.${nodeIndex(def, id)}`;
  const targets = (id: string) => (out.get(id) ?? []).map((e) => e.target);
  const reported = new Set<string>();
  const report = (key: string, issue: Issue) => {
    if (reported.has(key)) return;
    reported.add(key);
    issues.push(issue);
  };

  const walk = (from: string[], region: RegionPath, inBranch: boolean, termini: Set<string>): Set<string> => {
    const visited = new Set<string>();
    const stack = [...from];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      const node = nodes.get(id);
      if (!node || visited.has(id)) continue;
      if (node.type === 'parallelJoin' && inBranch && splitOf.get(id) === undefined) {
        termini.add(id);
        continue;
      }
      if (node.type === 'parallelJoin' && !splitOf.has(id)) {
        report(`join:${id}`, {
          field: nodePath(id),
          code: 'joinWithoutSplit',
          message: m(
            `汇聚节点 ${label(node)} 没有对应的并行分支节点`,
            `Join ${label(node)} has no matching parallel split`,
          ),
          params: { node: id },
        });
      }
      const known = regionOf.get(id);
      if (known !== undefined && known.join('/') !== region.join('/')) {
        report(`merge:${id}`, {
          field: nodePath(id),
          code: 'branchesMerge',
          message: m(
            `节点 ${label(node)} 同时属于不同的并行分支（或分支内外）；分支只能在汇聚节点合并`,
            `Node ${label(node)} is reached from different parallel branches (or from inside and outside one); branches may only meet at their join`,
          ),
          params: { node: id },
        });
        continue;
      }
      visited.add(id);
      if (known !== undefined) continue;
      regionOf.set(id, region);
      if (node.type === 'end' && inBranch) {
        report(`endInBranch:${id}`, {
          field: nodePath(id),
          code: 'endInsideBranch',
          message: m(
            `结束节点 ${label(node)} 位于并行分支内；分支必须先汇聚`,
            `End ${label(node)} is inside a parallel branch; branches must reach their join first`,
          ),
          params: { node: id },
        });
      }
      if (node.type === 'parallelSplit') {
        const join = analyseSplit(node, region);
        if (join !== undefined) stack.push(...targets(join));
        continue;
      }
      stack.push(...targets(id));
    }
    return visited;
  };

  const analyseSplit = (split: FlowNode, region: RegionPath): string | undefined => {
    if (joinOf.has(split.id)) return joinOf.get(split.id);
    const branches = out.get(split.id) ?? [];
    const joins = new Set<string>();
    let ok = true;
    branches.forEach((e, i) => {
      const termini = new Set<string>();
      walk([e.target], [...region, `${split.id}#${i}`], true, termini);
      if (termini.size === 0) {
        ok = false;
        report(`nojoin:${e.id}`, {
          field: `edges.${edgeIndex(def, e.id)}`,
          code: 'branchWithoutJoin',
          message: m(
            `并行分支 ${label(split)} 的分支（连线 ${e.id}）没有到达汇聚节点`,
            `The branch of split ${label(split)} on edge ${e.id} never reaches a join`,
          ),
          params: { node: split.id, edge: e.id },
        });
      }
      for (const j of termini) joins.add(j);
    });
    if (joins.size > 1) {
      ok = false;
      report(`joins:${split.id}`, {
        field: nodePath(split.id),
        code: 'splitJoinMismatch',
        message: m(
          `并行分支 ${label(split)} 的各分支汇聚到不同的汇聚节点：${[...joins].join('、')}`,
          `The branches of split ${label(split)} reach different joins: ${[...joins].join(', ')}`,
        ),
        params: { node: split.id, joins: [...joins] },
      });
    }
    if (!ok || joins.size !== 1) return undefined;
    const join = [...joins][0] as string;
    if (splitOf.has(join)) {
      report(`shared:${join}`, {
        field: nodePath(join),
        code: 'joinSharedBySplits',
        message: m(`汇聚节点 ${join} 被多个并行分支节点共用`, `Join ${join} is shared by several splits`),
        params: { node: join },
      });
      return undefined;
    }
    joinOf.set(split.id, join);
    splitOf.set(join, split.id);
    regionOf.set(join, region);
    return join;
  };

  if (start) walk([start.id], [], false, new Set());

  // Nodes from which an end can be reached (reverse search from the ends).
  const reachesEnd = new Set<string>();
  const back = def.nodes.filter((n) => n.type === 'end').map((n) => n.id);
  while (back.length > 0) {
    const id = back.pop() as string;
    if (reachesEnd.has(id)) continue;
    reachesEnd.add(id);
    for (const e of incoming.get(id) ?? []) back.push(e.source);
  }
  return { nodes, out, incoming, start, regionOf, joinOf, splitOf, reachesEnd, issues };
}

/** True when region `a` is `b` or encloses it. */
export function regionEncloses(a: RegionPath, b: RegionPath): boolean {
  return a.length <= b.length && a.every((r, i) => b[i] === r);
}

/** Human nodes (approval / fill-in) a rejection at `nodeId` may return to: ancestors in an enclosing region. */
export function earlierNodes(g: FlowGraph, nodeId: string): string[] {
  const region = g.regionOf.get(nodeId) ?? [];
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const e of g.incoming.get(id) ?? []) {
      if (seen.has(e.source)) continue;
      seen.add(e.source);
      stack.push(e.source);
    }
  }
  const out: string[] = [];
  for (const id of seen) {
    const n = g.nodes.get(id);
    if (!n || id === nodeId || (n.type !== 'approval' && n.type !== 'fillIn')) continue;
    const r = g.regionOf.get(id);
    if (r && regionEncloses(r, region)) out.push(id);
  }
  return out.sort();
}
