import { localize } from '@formwork/metadata';
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import type { AdminApi, Department, Member, Preset, Role } from './admin-api.js';

/** Members, departments, roles and presets, loaded once for the admin screens and reloaded after changes. */
export interface OrgData {
  loaded: boolean;
  error: string | null;
  members: Member[];
  departments: Department[];
  roles: Role[];
  presets: Preset[];
  reload(what?: Array<'members' | 'departments' | 'roles'>): Promise<void>;
}

export interface OrgState extends OrgData {
  api: AdminApi;
}

export const OrgContext = createContext<OrgState | null>(null);

export function useOrg(): OrgState {
  const s = useContext(OrgContext);
  if (!s) throw new Error('useOrg outside the admin section');
  return s;
}

export function useOrgData(api: AdminApi, enabled: boolean): OrgData {
  const [members, setMembers] = useState<Member[]>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(
    async (what: Array<'members' | 'departments' | 'roles'> = ['members', 'departments', 'roles']) => {
      await Promise.all([
        what.includes('members') ? api.members.list().then(setMembers) : null,
        what.includes('departments') ? api.departments.list().then(setDepartments) : null,
        what.includes('roles') ? api.roles.list().then(setRoles) : null,
      ]);
    },
    [api],
  );

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    Promise.all([reload(), api.presets().then(setPresets)]).then(
      () => live && setLoaded(true),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload, enabled]);

  return { loaded, error, members, departments, roles, presets, reload };
}

/** A role's name in the current language. */
export function roleName(role: Pick<Role, 'name' | 'key'>, locale: 'zh-CN' | 'en'): string {
  return localize(role.name, locale, role.key);
}
