// antd's Tag on its own, for the lazily loaded `Tag` of choice.tsx (a static re-export keeps the chunk to Tag).
export { Tag as default } from 'antd';
