import type { Access } from './permissions/model.js';

/** Who is acting. Every record function takes one; the store turns it into SQL predicates. */
export interface Principal {
  userId: string;
  isAdmin: boolean;
  roles: string[];
  departmentIds: string[];
  tokenId?: string;
  /** Where the request came from (stamped on audit rows of record changes). */
  origin?: { ip?: string; userAgent?: string };
  /**
   * The access to one workspace, as `withAccess()` loaded it for this request. Absent: the store loads
   * it itself (one query) unless the principal is a system administrator.
   */
  access?: Access;
}
