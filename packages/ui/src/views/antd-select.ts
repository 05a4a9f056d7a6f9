// antd's Select on its own, for `loadSelect` (deferred-select.tsx): a static re-export, so its chunk holds the
// Select (and what only it uses) and not the rest of antd.
export { Select as default } from 'antd';
