import type { Message } from '@formwork/metadata';
import type { RefusalCode } from './types.js';
import { m } from './validate-schema.js';

/** Default messages of the refusals `step` returns. */
export const REFUSAL_MESSAGES: Record<RefusalCode, Message> = {
  invalidEvent: m('事件格式不正确', 'The event is malformed'),
  instanceEnded: m('流程已结束', 'The instance has ended'),
  unknownTask: m('待办不存在', 'No such task in this instance'),
  taskClosed: m('该待办已处理', 'The task is already closed'),
  notAssignee: m('你不是该待办的处理人', 'You are not the assignee of this task'),
  notSubmitter: m('只有发起人可以执行此操作', 'Only the submitter can do this'),
  wrongTaskKind: m('该待办不支持此操作', 'This task does not take that action'),
  alreadyActed: m('已有人处理，不能撤回', 'Someone has already acted; the instance cannot be withdrawn'),
  invalidRejectTarget: m('不能驳回到该节点', 'The instance cannot be rejected to that node'),
  fieldNotEditable: m('当前节点不允许修改该字段', 'This node does not allow editing that field'),
  staleTimer: m('定时器已失效', 'The timer is no longer live'),
  unknownSubFlow: m('子流程不存在或已结束', 'No such running sub-flow'),
  actionNotAllowed: m('当前节点不允许此操作', 'This node does not allow that action'),
  unknownMember: m('成员不存在或已停用', 'No such active member'),
  alreadySigner: m('该成员已是本节点的处理人', 'That member already has a task at this node'),
  commentRequired: m('请填写审批意见', 'A comment is required'),
  nothingToUrge: m('没有可催办的待办', 'There is no open task to urge'),
  notParticipant: m('你不是该流程的参与人', 'You do not take part in this instance'),
  loopDetected: m(
    '流程陷入了没有等待节点的循环（例如处理人为空而自动通过），请检查流程设计',
    'The flow loops without ever waiting (e.g. approvals auto-approved for lack of assignees); check its design',
  ),
};
