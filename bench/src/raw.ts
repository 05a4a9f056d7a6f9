import { searchDocument } from '@formwork/store';

/** The insert `create.raw` and the floor server run: the row the store writes for a deal, minus its audit entry. */
export const RAW_INSERT = `INSERT INTO ws_default.e_deal
  (id, created_at, updated_at, created_by, updated_by, owner_id, version, data, norm, search_text, search_tokens)
  VALUES ($1::uuid, now(), now(), $2::uuid, $2::uuid, $2::uuid, 1, $3::jsonb, '{}'::jsonb, $4::text, $5::text[])`;

/** The search document the store computes for a deal (its text fields). */
export function dealSearch(data: Record<string, unknown>) {
  return searchDocument(
    [data.name, data.phone, data.email, data.notes, data.tags, data.status, data.region].map((value) => ({
      value,
    })),
  );
}
