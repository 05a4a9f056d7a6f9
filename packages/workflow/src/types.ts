import type { FilterNode, I18nText, Message } from '@formwork/metadata';

/**
 * The workflow contract: flow definitions (what the designer edits), the directory the runtime loads,
 * the events the runtime feeds in and the effects it must carry out. Everything here is plain JSON.
 */

// ---------------------------------------------------------------------------------------------
// Durations and assignees

/** A length of time. At least one part; parts add up (`{ days: 1, hours: 12 }` = 36 h). */
export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
}

/** Who gets a task (or a copy, or a notification). A node's rules are unioned, in order, without repeats. */
export type AssigneeRule =
  | { type: 'member'; members: string[] }
  | { type: 'role'; roles: string[] }
  /** The head of the submitter's main department (`levels: 1`), of its parent (`2`), and so on. */
  | { type: 'departmentHead'; levels?: number; skipSelf?: boolean }
  /** The member(s) held by a member field of the record. */
  | { type: 'field'; field: string }
  | { type: 'submitter' };

/** Per-node access to a record field while the record sits at the node. */
export type FieldAccess = 'editable' | 'readOnly' | 'hidden';

// ---------------------------------------------------------------------------------------------
// Flow definitions (React Flow's shape)

export type NodeKind =
  | 'start'
  | 'approval'
  | 'fillIn'
  | 'condition'
  | 'parallelSplit'
  | 'parallelJoin'
  | 'cc'
  | 'action'
  | 'wait'
  | 'subFlow'
  | 'end';

export type ApprovalMode = 'or' | 'and' | 'sequential' | 'threshold';

/** Where a rejection may send the instance: end it, back to the submitter, or back to an earlier node. */
export type RejectTarget = 'end' | 'submitter' | 'node';

export interface Deadline {
  /** Time allowed from the moment the node is entered. */
  after: Duration;
  /** Reminders to the open tasks' assignees: first after `first` (default `every`), then every `every`. */
  reminders?: { first?: Duration; every?: Duration; max?: number };
  /** What happens when the deadline passes; without it the deadline only notifies. */
  onTimeout?: { action: 'approve' | 'reject' | 'escalate' | 'notify'; to?: AssigneeRule[] };
}

/** What the node does when its assignee rules find no one (default `autoApprove`). */
export type EmptyAssignee = { action: 'autoApprove' } | { action: 'assign'; to: AssigneeRule[] };

export interface ApprovalData {
  label?: I18nText;
  assignees: AssigneeRule[];
  mode?: ApprovalMode;
  /** threshold mode: the share of approvals needed, 0 < ratio ≤ 1 (0.6 = 60%). */
  threshold?: number;
  /** Allowed rejection targets; the first is the default (default `['end']`). */
  rejectTo?: RejectTarget[];
  /** Actions the assignees may take besides approve/reject/comment (default all true). */
  allowTransfer?: boolean;
  allowAddSigner?: boolean;
  /** Field access while the record is at this node; unlisted fields take `defaultAccess` (readOnly). */
  fields?: Record<string, FieldAccess>;
  defaultAccess?: FieldAccess;
  deadline?: Deadline;
  emptyAssignee?: EmptyAssignee;
  /** Require a comment when rejecting (default true) / approving (default false). */
  commentOnReject?: boolean;
  commentOnApprove?: boolean;
}

export interface FillInData {
  label?: I18nText;
  assignees: AssigneeRule[];
  allowTransfer?: boolean;
  fields?: Record<string, FieldAccess>;
  /** Default `editable`. */
  defaultAccess?: FieldAccess;
  deadline?: Deadline;
  emptyAssignee?: EmptyAssignee;
}

export interface StartData {
  label?: I18nText;
  /** Field access for the submitter when the instance is returned to them (default editable). */
  fields?: Record<string, FieldAccess>;
  defaultAccess?: FieldAccess;
}

/** A value for a field: a constant, a formula over the record, or a copy of another field. */
export type ValueSource = { value: unknown } | { formula: string } | { field: string };

export type FlowAction =
  | { type: 'updateRecord'; set: Record<string, ValueSource> }
  | {
      type: 'notify';
      to: AssigneeRule[];
      channels?: Array<'inApp' | 'email'>;
      title: I18nText;
      body?: I18nText;
    }
  | { type: 'webhook'; url: string; method?: 'POST' | 'PUT' | 'PATCH'; headers?: Record<string, string> };

export interface ActionData {
  label?: I18nText;
  actions: FlowAction[];
}

export interface CcData {
  label?: I18nText;
  to: AssigneeRule[];
}

export type WaitData =
  | { label?: I18nText; duration: Duration }
  /** Until the date/date-time in `field` (+ `offset`, negative parts allowed for "before"). */
  | { label?: I18nText; untilField: string; offset?: Duration; direction?: 'before' | 'after' };

export interface SubFlowData {
  label?: I18nText;
  /** The key of the flow to start on the same record. */
  flow: string;
  /** Wait for the child to end (default true); its rejection follows this node's `rejected` edge. */
  wait?: boolean;
}

export interface EndData {
  label?: I18nText;
  outcome: 'approved' | 'rejected' | 'cancelled';
}

export interface ConditionData {
  label?: I18nText;
}

export interface SplitData {
  label?: I18nText;
}

export interface NodeDataByKind {
  start: StartData;
  approval: ApprovalData;
  fillIn: FillInData;
  condition: ConditionData;
  parallelSplit: SplitData;
  parallelJoin: SplitData;
  cc: CcData;
  action: ActionData;
  wait: WaitData;
  subFlow: SubFlowData;
  end: EndData;
}

export type FlowNode = {
  [K in NodeKind]: { id: string; type: K; position: { x: number; y: number }; data: NodeDataByKind[K] };
}[NodeKind];

export type NodeOf<K extends NodeKind> = Extract<FlowNode, { type: K }>;

/** A condition on an edge out of a condition node: all given parts must hold. */
export interface EdgeCondition {
  /** Filter AST over the record's fields. */
  filter?: FilterNode;
  /** A formula that must be true. */
  formula?: string;
  /** The submitter is one of these members / has one of these roles / is in one of these departments (or below). */
  submitter?: { members?: string[]; roles?: string[]; departments?: string[] };
}

export interface EdgeData {
  label?: I18nText;
  /** Condition node: the condition of this branch. */
  condition?: EdgeCondition;
  /** Condition node: the branch taken when no other matches. */
  default?: boolean;
  /** Condition node: lower is tried first (default: edge order). */
  priority?: number;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  /** Approval / subFlow nodes: `approved` (default) or `rejected`. */
  sourceHandle?: string | null;
  targetHandle?: string | null;
  data?: EdgeData;
}

export interface FlowDefinition {
  key: string;
  name?: I18nText;
  /** The entity whose records the flow runs on. */
  entity: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

// ---------------------------------------------------------------------------------------------
// The directory: plain data the runtime loads before a step

export interface Directory {
  /** role id → member ids */
  roles: Record<string, string[]>;
  departments: Record<string, { parent: string | null; heads: string[] }>;
  /** member id → department ids, the main department first */
  memberDepartments: Record<string, string[]>;
  /** Active members; when given, assignees outside it are dropped and transfers to them refused. */
  members?: string[];
}

export type RecordData = Record<string, unknown>;

/** What every step is given by the runtime. `ids` hands out fresh unique ids (task ids). */
export interface StepEnv {
  record: RecordData;
  directory: Directory;
  now: Date;
  ids: () => string;
  /** IANA time zone for formulas and date fields (default `Asia/Shanghai`). */
  timeZone?: string;
}

// ---------------------------------------------------------------------------------------------
// Events

export type FlowEvent =
  | { type: 'approve'; taskId: string; actor: string; comment?: string; fields?: RecordData }
  | {
      type: 'reject';
      taskId: string;
      actor: string;
      comment?: string;
      /** `end`, `submitter` or the id of an earlier node; default: the node's first `rejectTo`. */
      to?: string;
      fields?: RecordData;
    }
  /** Fill-in tasks and the submitter's resubmit task. */
  | { type: 'submit'; taskId: string; actor: string; comment?: string; fields?: RecordData }
  | { type: 'transfer'; taskId: string; actor: string; to: string; comment?: string }
  /** An administrator moves an open task to another member (离职交接); the runtime checks the permission. */
  | { type: 'reassign'; taskId: string; actor: string; to: string; comment?: string }
  | {
      type: 'addSigner';
      taskId: string;
      actor: string;
      members: string[];
      position: 'before' | 'after';
      comment?: string;
    }
  | { type: 'withdraw'; actor: string; comment?: string }
  | { type: 'urge'; actor: string; comment?: string }
  | { type: 'comment'; actor: string; comment: string; taskId?: string }
  | { type: 'timer'; key: string }
  | { type: 'subFlowEnded'; key: string; outcome: 'approved' | 'rejected' | 'cancelled' }
  /** An administrator ends the instance (the runtime checks the permission). */
  | { type: 'cancel'; actor: string; comment?: string };

export type FlowEventType = FlowEvent['type'];

// ---------------------------------------------------------------------------------------------
// Tasks and effects

export type TaskKind = 'approval' | 'fillIn' | 'resubmit';

export type TaskStatus =
  | 'open'
  | 'approved'
  | 'rejected'
  | 'submitted'
  | 'transferred'
  /** Closed because the assignee added a signer before themself. */
  | 'delegated'
  /** Closed without the assignee acting: the node was decided by others, left, withdrawn or timed out. */
  | 'cancelled'
  | 'escalated';

export interface Task {
  id: string;
  nodeId: string;
  kind: TaskKind;
  assignee: string;
  status: TaskStatus;
  createdAt: string;
  closedAt?: string;
  /** Round of the node visit the task belongs to. */
  round: number;
  /** The node's deadline, when it has one (ISO). */
  dueAt?: string;
  /** Why the task exists when it is not an original assignee's: `transfer`, `addSigner`, `escalation`. */
  origin?: 'assignee' | 'transfer' | 'addSigner' | 'escalation' | 'return';
  /** The member whose action created it (transfer / add signer). */
  from?: string;
}

export type HistoryAction =
  | 'start'
  | 'approve'
  | 'reject'
  | 'submit'
  | 'resubmit'
  | 'transfer'
  | 'reassign'
  | 'addSigner'
  | 'withdraw'
  | 'urge'
  | 'comment'
  | 'timeout'
  | 'autoApprove'
  | 'escalate'
  | 'cancel'
  | 'enter'
  | 'end';

/** Effects are instructions for the runtime, in order. The step has done nothing itself. */
export type Effect =
  | { type: 'createTask'; task: Task; fieldAccess: Record<string, FieldAccess>; defaultAccess: FieldAccess }
  | { type: 'closeTask'; taskId: string; status: Exclude<TaskStatus, 'open'>; by?: string }
  | {
      type: 'notify';
      to: string[];
      kind: 'taskCreated' | 'reminder' | 'urge' | 'timeout' | 'ended' | 'returned' | 'comment' | 'custom';
      taskId?: string;
      nodeId?: string;
      channels: Array<'inApp' | 'email'>;
      title: Message;
      body?: Message;
    }
  | { type: 'cc'; to: string[]; nodeId: string }
  | {
      type: 'updateRecord';
      changes: RecordData;
      source: 'workflow' | 'automation' | 'blueprint';
      by?: string;
    }
  /** Deliver `{ type: 'timer', key }` at `at` (ISO). A timer whose key is no longer live is refused. */
  | { type: 'scheduleTimer'; key: string; at: string; nodeId?: string; purpose: TimerPurpose }
  | { type: 'cancelTimer'; key: string }
  | {
      type: 'callWebhook';
      url: string;
      method: 'POST' | 'PUT' | 'PATCH';
      headers: Record<string, string>;
      body: unknown;
    }
  /** Start flow `flow` on the same record; report back `{ type: 'subFlowEnded', key }` if `wait`. */
  | { type: 'startSubFlow'; key: string; flow: string; nodeId: string; wait: boolean }
  | { type: 'instanceEnded'; outcome: 'approved' | 'rejected' | 'cancelled'; nodeId: string | null }
  /** One line of the instance history (流转记录). */
  | {
      type: 'history';
      action: HistoryAction;
      at: string;
      nodeId: string | null;
      actor?: string;
      taskId?: string;
      comment?: string;
      to?: string[];
      changes?: RecordData;
      detail?: Record<string, unknown>;
    }
  // automations
  | { type: 'createRecord'; entity: string; data: RecordData; source: 'automation' }
  | {
      type: 'upsertRecord';
      entity: string;
      match: Record<string, unknown>;
      data: RecordData;
      source: 'automation';
    }
  | { type: 'startFlow'; flow: string; entity: string; recordId: string | null }
  | {
      type: 'sendEmail';
      /** Member ids and plain e-mail addresses; subject and body in both languages (pick the recipient's). */
      to: string[];
      subject: Message;
      body: Message;
    }
  | { type: 'assignmentCursor'; automation: string; cursor: number };

export type EffectType = Effect['type'];

export type TimerPurpose = 'deadline' | 'reminder' | 'wait' | 'sla';

/** Why `step` refused an event. Nothing changed. */
export interface Refusal {
  code: RefusalCode;
  message: Message;
  details?: Record<string, unknown>;
}

export type RefusalCode =
  | 'invalidEvent'
  | 'instanceEnded'
  | 'unknownTask'
  | 'taskClosed'
  | 'notAssignee'
  | 'notSubmitter'
  | 'wrongTaskKind'
  | 'alreadyActed'
  | 'invalidRejectTarget'
  | 'fieldNotEditable'
  | 'staleTimer'
  | 'unknownSubFlow'
  | 'actionNotAllowed'
  | 'unknownMember'
  | 'alreadySigner'
  | 'commentRequired'
  | 'nothingToUrge'
  | 'notParticipant'
  /** The event would make the flow loop without ever waiting (nothing changed). */
  | 'loopDetected';
