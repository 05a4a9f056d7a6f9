import type { Empty as AntEmpty } from 'antd';
import { type ComponentProps, lazy, type ReactNode, Suspense } from 'react';

const Empty = lazy(() => import('antd/es/empty')) as unknown as typeof AntEmpty;

/**
 * antd's `Empty` (its illustration and styles, ~2 kB gzipped), fetched the first time an empty state shows:
 * "no such form", "no forms yet" — states most visits never reach.
 */
export function LazyEmpty(props: ComponentProps<typeof AntEmpty>): ReactNode {
  return (
    <Suspense fallback={null}>
      <Empty {...props} />
    </Suspense>
  );
}
