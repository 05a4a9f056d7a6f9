// antd's Select on its own, for `LazySelect` (lazy-select.tsx): a static re-export, so the chunk holds the
// Select and not the rest of antd.
export { Select as default } from 'antd';
