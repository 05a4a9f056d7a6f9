/** Who is acting. Every record function takes one; `scope()` turns it into an SQL predicate. */
export interface Principal {
  userId: string;
  isAdmin: boolean;
  roles: string[];
  departmentIds: string[];
  tokenId?: string;
}
