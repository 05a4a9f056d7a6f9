/**
 * The floor of `create` on this machine: a bare `node:http` server that answers
 * `POST /` by parsing the JSON body, computing the same search document as the store and running the
 * same insert as `create.raw` (plus `RETURNING *`, answered as JSON). No routing, authentication,
 * validation, formulas nor audit row: what any Node HTTP front of the same insert costs here.
 *
 * Usage (run.ts spawns it): `node --import tsx src/floor-server.ts <port> <userId> (<databaseUrl> | --data-dir <dir>)`.
 */
import { createServer } from 'node:http';
import { openDb, uuidv7 } from '@formwork/store';
import postgres from 'postgres';
import { dealSearch, RAW_INSERT } from './raw.js';

const [port = '3999', userId = '', target = '', dataDir] = process.argv.slice(2);
type Insert = (
  id: string,
  data: Record<string, unknown>,
  text: string,
  tokens: string[],
) => Promise<unknown[]>;

async function driver(): Promise<{ insert: Insert; close: () => Promise<void> }> {
  const sqlText = `${RAW_INSERT} RETURNING *`;
  if (target === '--data-dir') {
    const db = await openDb({ dataDir });
    return {
      insert: (id, data, text, tokens) => db.query(sqlText, [id, userId, data, text, tokens]),
      close: () => db.close(),
    };
  }
  const sql = postgres(target, { max: 16, onnotice: () => {} });
  return {
    insert: (id, data, text, tokens) =>
      sql.unsafe(sqlText, [id, userId, sql.json(data as never), text, tokens]),
    close: () => sql.end(),
  };
}

const db = await driver();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const search = dealSearch(data);
      const [row] = await db.insert(uuidv7(), data, search.text, search.tokens);
      const body = JSON.stringify(row);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('listening'));
process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));
