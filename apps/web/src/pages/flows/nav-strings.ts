/**
 * The part of the `flows` strings that the shell shows on every page (the menu entries, the bell), in both
 * languages: registered at start (src/i18n.ts). The rest of the namespace (strings.ts) is registered when
 * the first workflow screen or record page loads.
 */
export const flowsNavZh = {
  nav: {
    tasks: '我的任务',
    workflow: '流程与自动化',
    flows: '流程',
    blueprints: '蓝图',
    automations: '智能助手',
  },
  bell: {
    title: '通知',
    label: '通知（{{count}} 条未读）',
    empty: '没有通知',
    markAll: '全部已读',
    onlyUnread: '只看未读',
  },
};

export const flowsNavEn: typeof flowsNavZh = {
  nav: {
    tasks: 'My tasks',
    workflow: 'Workflow',
    flows: 'Flows',
    blueprints: 'Blueprints',
    automations: 'Automations',
  },
  bell: {
    title: 'Notifications',
    label: 'Notifications ({{count}} unread)',
    empty: 'No notifications',
    markAll: 'Mark all read',
    onlyUnread: 'Unread only',
  },
};

export const flowsNavResources = { 'zh-CN': { flows: flowsNavZh }, en: { flows: flowsNavEn } } as const;
