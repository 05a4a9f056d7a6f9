import type { Issue, Result } from '@formwork/metadata';
import { flowDefinitionSchema } from './schema.js';
import type { FlowDefinition } from './types.js';
import { m, schemaIssues } from './validate-schema.js';

/**
 * Parse a flow definition from untrusted JSON: the JSON Schema, then what a schema cannot say — unique
 * node and edge ids, edges between existing nodes, one start, at least one end. The graph checks
 * (reachability, joins, conditions, fields, roles…) are `checkFlow`'s.
 */
export function parseFlowDefinition(input: unknown): Result<FlowDefinition> {
  const shape = schemaIssues(flowDefinitionSchema, input, m('流程定义', 'The flow definition'));
  if (shape.length > 0) return { ok: false, issues: shape };
  const def = input as FlowDefinition;
  const issues: Issue[] = [];
  const nodeIds = new Map<string, number>();
  def.nodes.forEach((n, i) => {
    if (nodeIds.has(n.id)) {
      issues.push({
        field: `nodes.${i}.id`,
        code: 'duplicateId',
        message: m(`节点标识 ${n.id} 重复`, `Node id ${n.id} is used twice`),
        params: { node: n.id },
      });
    }
    nodeIds.set(n.id, i);
  });
  const edgeIds = new Set<string>();
  def.edges.forEach((e, i) => {
    if (edgeIds.has(e.id)) {
      issues.push({
        field: `edges.${i}.id`,
        code: 'duplicateId',
        message: m(`连线标识 ${e.id} 重复`, `Edge id ${e.id} is used twice`),
        params: { edge: e.id },
      });
    }
    edgeIds.add(e.id);
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(e[end])) {
        issues.push({
          field: `edges.${i}.${end}`,
          code: 'unknownNode',
          message: m(
            `连线 ${e.id} 指向不存在的节点 ${e[end]}`,
            `Edge ${e.id} refers to a missing node ${e[end]}`,
          ),
          params: { edge: e.id, node: e[end] },
        });
      }
    }
    if (e.source === e.target) {
      issues.push({
        field: `edges.${i}`,
        code: 'selfLoop',
        message: m(`连线 ${e.id} 连接节点自身`, `Edge ${e.id} connects a node to itself`),
        params: { edge: e.id },
      });
    }
  });
  const starts = def.nodes.filter((n) => n.type === 'start');
  if (starts.length !== 1) {
    issues.push({
      field: 'nodes',
      code: starts.length === 0 ? 'noStart' : 'severalStarts',
      message:
        starts.length === 0
          ? m('流程缺少发起节点', 'The flow has no start node')
          : m(
              `流程只能有一个发起节点，现有 ${starts.length} 个`,
              `A flow has one start node, found ${starts.length}`,
            ),
    });
  }
  if (!def.nodes.some((n) => n.type === 'end')) {
    issues.push({
      field: 'nodes',
      code: 'noEnd',
      message: m('流程缺少结束节点', 'The flow has no end node'),
    });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: def };
}
