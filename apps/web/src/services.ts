import type { EntityDefinition } from '@formwork/metadata';
import type { FormServices } from '@formwork/ui/form';
import { type Api, recordTitle } from './api.js';

/** What the FormRenderer needs from the server, for one entity's form. */
export function formServices(opts: {
  api: Api;
  entity: EntityDefinition;
  entities: readonly EntityDefinition[];
  user: { id: string; name: string };
  names: Map<string, string>;
  users: ReadonlyArray<{ id: string; name: string; email: string; status?: string }>;
}): FormServices {
  const { api } = opts;
  const byKey = new Map(opts.entities.map((e) => [e.key, e]));
  const match = (name: string, q: string) => name.toLowerCase().includes(q.trim().toLowerCase());
  let departments: Promise<Array<{ id: string; name: string }>> | undefined;
  return {
    async searchRecords(entity, q) {
      const def = byKey.get(entity) ?? (await api.client.entities.get(entity));
      const page = await api.client.records.list(entity, { ...(q.trim() ? { q: q.trim() } : {}), limit: 20 });
      return page.items.map((r) => {
        const label = recordTitle(def, r);
        opts.names.set(r.id, label);
        return { id: r.id, label, record: r };
      });
    },
    getRecord: (entity, id) => api.client.records.get(entity, id),
    async searchMembers(q) {
      return opts.users
        .filter((u) => u.status !== 'disabled')
        .map((u) => ({ id: u.id, name: u.name || u.email }))
        .filter((u) => q.trim() === '' || match(u.name, q))
        .slice(0, 50);
    },
    async searchDepartments(q) {
      departments ??= api.departments();
      return (await departments).filter((d) => q.trim() === '' || match(d.name, q)).slice(0, 50);
    },
    uploadFile: (file) => api.files.upload(file, file.name),
    async findDuplicates(entity, candidate) {
      const items = await api.client.records.duplicates(entity, candidate);
      return items;
    },
    fileUrl: (id) => `/api/files/${encodeURIComponent(id)}`,
    currentUser: opts.user,
    now: () => new Date(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
