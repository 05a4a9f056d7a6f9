import { useCallback } from 'react';
import type { WidgetProps } from '../types.js';
import { fwContext } from './common.js';
import { RemoteSelect } from './remote-select.js';

/** A member (成员) picker searching members as you type. */
export function MemberWidget(props: WidgetProps) {
  const { services } = fwContext(props);
  const search = useCallback(
    async (q: string) => (await services.searchMembers(q)).map((m) => ({ value: m.id, label: m.name })),
    [services],
  );
  const resolve = useCallback(
    async (id: string) => {
      if (id === services.currentUser.id) return services.currentUser.name;
      return (await services.searchMembers(id)).find((m) => m.id === id)?.name;
    },
    [services],
  );
  return <RemoteSelect widget={props} multiple={false} search={search} resolve={resolve} />;
}

/** A department (部门) picker searching departments as you type. */
export function DepartmentWidget(props: WidgetProps) {
  const { services } = fwContext(props);
  const search = useCallback(
    async (q: string) => (await services.searchDepartments(q)).map((d) => ({ value: d.id, label: d.name })),
    [services],
  );
  const resolve = useCallback(
    async (id: string) => (await services.searchDepartments(id)).find((d) => d.id === id)?.name,
    [services],
  );
  return <RemoteSelect widget={props} multiple={false} search={search} resolve={resolve} />;
}
