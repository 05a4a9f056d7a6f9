import { createHash } from 'node:crypto';
import { DomainError, type FieldDefinition, type Issue, type Message } from '@formwork/metadata';
import { type AnyRoute, defineRoute, type JsonSchema } from './route.js';
import { idParams, noQuery } from './schemas.js';
import type { DbPort, StorePort } from './types.js';

/**
 * Uploaded files (attachments, images, signatures), stored in the database (docs/adr/0010-files-in-the-database.md).
 *
 * `POST /api/files` takes `multipart/form-data` with one `file` part. With `entity` and `field` parts the
 * field's own limits apply too (`maxSize`, `accept`; image and signature fields take images only). The
 * answer is the value an attachment/image field stores: `{ id, name, size, type, url }`.
 * `GET /api/files/{id}` answers the bytes to any signed-in user (ids are random UUIDs, not guessable).
 */

/** The largest file the server accepts, whatever the field says. */
export const FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Types shown inline in the browser; every other type is sent as a download. */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'video/mp4',
]);

const MIME = /^[A-Za-z0-9.+-]+\/[A-Za-z0-9.+-]+$/;

const m = (zh: string, en: string): Message => ({ 'zh-CN': zh, en });

export const storedFileSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    size: { type: 'integer', description: 'Bytes' },
    type: { type: 'string', description: 'MIME type' },
    url: { type: 'string', description: '`/api/files/{id}`' },
  },
  required: ['id', 'name', 'size', 'type', 'url'],
};

/** The signature of the formats whose content we can recognise; a declared type must match its bytes. */
const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  'image/webp': (b) =>
    b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45,
  'application/pdf': (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46,
};

function fileIssue(code: string, message: Message, params?: Record<string, unknown>): DomainError {
  const issue: Issue = { field: 'file', code, message, ...(params ? { params } : {}) };
  return new DomainError('VALIDATION_FAILED', {}, [issue]);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} B`;
}

function matchesAccept(type: string, accept: readonly string[]): boolean {
  return accept.some((a) => {
    const [major, minor] = a.toLowerCase().split('/');
    const [tMajor, tMinor] = type.split('/');
    return major === tMajor && (minor === '*' || minor === tMinor);
  });
}

/** The field an upload is for: `field` may name a subform column as `items.photo`. */
function findField(fields: readonly FieldDefinition[], path: string): FieldDefinition | undefined {
  const [head, ...rest] = path.split('.');
  const f = fields.find((x) => x.key === head);
  if (!f || rest.length === 0) return f;
  return findField(f.fields ?? [], rest.join('.'));
}

/** Checks one upload against the server limit and the field's limits; returns the normalised type. */
export function checkUpload(
  file: { name: string; size: number; type: string; head: Uint8Array },
  field?: FieldDefinition,
): string {
  const type = (file.type || 'application/octet-stream').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!MIME.test(type)) throw fileIssue('type', m('文件类型无效', 'The file type is not valid'));
  if (file.size === 0) throw fileIssue('empty', m('文件是空的', 'The file is empty'));
  const max = Math.min(field?.maxSize ?? FILE_MAX_BYTES, FILE_MAX_BYTES);
  if (file.size > max) {
    throw fileIssue(
      'maxSize',
      m(`文件不能超过 ${formatBytes(max)}`, `The file must not be larger than ${formatBytes(max)}`),
      { limit: max },
    );
  }
  if (field) {
    const imagesOnly = field.type === 'image' || field.type === 'signature';
    if (imagesOnly && !type.startsWith('image/'))
      throw fileIssue('type', m('只能上传图片', 'Only images can be uploaded here'), { type });
    if (field.accept && field.accept.length > 0 && !matchesAccept(type, field.accept)) {
      const list = field.accept.join(', ');
      throw fileIssue(
        'accept',
        m(`只接受以下类型的文件：${list}`, `Only these file types are accepted: ${list}`),
        { accept: field.accept, type },
      );
    }
  }
  const magic = MAGIC[type];
  if (magic && !magic(file.head)) {
    throw fileIssue(
      'content',
      m(`文件内容与类型 ${type} 不符`, `The file content does not match its type ${type}`),
      { type },
    );
  }
  return type;
}

/** `Content-Disposition` with an RFC 5987 UTF-8 name (Chinese names survive) and an ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function buildFileRoutes(deps: { store: StorePort; db: DbPort }): AnyRoute[] {
  const { store, db } = deps;
  return [
    defineRoute({
      method: 'POST',
      path: '/api/files',
      operationId: 'uploadFile',
      summary: { en: 'Upload a file (attachment, image, signature)', 'zh-CN': '上传文件' },
      description:
        `One \`file\` part of at most ${FILE_MAX_BYTES / 1024 / 1024} MB. With \`entity\` and \`field\` the ` +
        "field's `maxSize` and `accept` apply too (image and signature fields take images only). A PNG, JPEG, " +
        'GIF, WebP or PDF must really be one. Store the answer in the attachment/image field.',
      tags: ['files'],
      auth: 'user',
      workspace: true,
      query: noQuery,
      bodyLimitBytes: FILE_MAX_BYTES + 64 * 1024,
      rawBody: {
        contentType: 'multipart/form-data',
        schema: {
          type: 'object',
          properties: {
            file: { type: 'string', format: 'binary' },
            entity: { type: 'string', description: 'The entity of the field the file is for' },
            field: { type: 'string', description: 'The field key (`items.photo` inside a subform)' },
          },
          required: ['file'],
        },
      },
      responses: { '201': { description: 'The stored file', schema: storedFileSchema } },
      async handler({ c, ws, principal }) {
        const ct = (c.req.header('content-type') ?? '').toLowerCase();
        if (!ct.startsWith('multipart/form-data')) {
          throw new DomainError(
            'UNSUPPORTED_MEDIA_TYPE',
            {},
            [],
            m('请求体必须是 multipart/form-data', 'The request body must be multipart/form-data'),
          );
        }
        let form: Record<string, string | File | (string | File)[]>;
        try {
          form = await c.req.parseBody({ all: true });
        } catch {
          throw new DomainError(
            'BAD_REQUEST',
            {},
            [],
            m('无法读取上传的表单数据', 'The multipart body could not be read'),
          );
        }
        const part = form.file;
        if (Array.isArray(part))
          throw fileIssue('maxItems', m('一次只能上传一个文件', 'Upload one file at a time'));
        if (!(part instanceof File))
          throw fileIssue('required', m('缺少文件（file）', 'The file part is missing'));
        let field: FieldDefinition | undefined;
        const entityKey = typeof form.entity === 'string' ? form.entity : undefined;
        const fieldKey = typeof form.field === 'string' ? form.field : undefined;
        if (entityKey !== undefined || fieldKey !== undefined) {
          if (!entityKey || !fieldKey) {
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: entityKey ? 'field' : 'entity',
                code: 'required',
                message: m('entity 和 field 须同时提供', 'Give both entity and field'),
              },
            ]);
          }
          const entity = await store.entities.get(ws, entityKey);
          field = findField(entity.fields, fieldKey);
          if (!field || !['attachment', 'image', 'signature'].includes(field.type)) {
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: 'field',
                code: 'unknownField',
                message: m(
                  `表单 ${entityKey} 没有附件或图片字段 ${fieldKey}`,
                  `Entity ${entityKey} has no attachment or image field ${fieldKey}`,
                ),
              },
            ]);
          }
        }
        const bytes = new Uint8Array(await part.arrayBuffer());
        const name = (part.name || 'file').normalize('NFC').slice(0, 255);
        const type = checkUpload(
          { name, size: bytes.byteLength, type: part.type, head: bytes.subarray(0, 16) },
          field,
        );
        const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const sha256 = createHash('sha256').update(buf).digest('hex');
        // base64 text in, decoded by the server: the same on postgres.js and PGlite.
        const rows = await db.query<{ id: string }>(
          `INSERT INTO formwork.files (workspace, name, type, size, sha256, content, created_by)
           VALUES ($1, $2, $3, $4, $5, decode($6, 'base64'), $7) RETURNING id`,
          [ws, name, type, bytes.byteLength, sha256, buf.toString('base64'), principal.userId || null],
        );
        const id = rows[0]?.id;
        if (!id) throw new DomainError('INTERNAL');
        const url = `/api/files/${id}`;
        c.header('Location', url);
        return { status: 201, body: { id, name, size: bytes.byteLength, type, url } };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/api/files/{id}',
      operationId: 'getFile',
      summary: { en: 'Download a file', 'zh-CN': '下载文件' },
      description:
        'Images, PDF and plain text are sent inline, everything else as a download; the content never ' +
        'changes, so it is cached privately for a year (ETag = SHA-256).',
      tags: ['files'],
      auth: 'user',
      params: idParams,
      query: noQuery,
      responses: {
        '200': {
          description: 'The file content with its MIME type',
          headers: {
            'Content-Disposition': {
              description: 'inline or attachment, with the name',
              schema: { type: 'string' },
            },
            ETag: { description: 'SHA-256 of the content', schema: { type: 'string' } },
          },
        },
        '304': { description: 'Not modified (If-None-Match)' },
      },
      async handler({ c, params }) {
        const meta = await db.query<{ name: string; type: string; size: number; sha256: string }>(
          'SELECT name, type, size, sha256 FROM formwork.files WHERE id = $1',
          [params.id],
        );
        const f = meta[0];
        if (!f)
          throw new DomainError('NOT_FOUND', { file: params.id }, [], m('文件不存在', 'File not found'));
        const etag = `"${f.sha256}"`;
        const common = {
          ETag: etag,
          'Cache-Control': 'private, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
        };
        if (c.req.header('if-none-match') === etag)
          return new Response(null, { status: 304, headers: common });
        const rows = await db.query<{ b64: string }>(
          "SELECT encode(content, 'base64') AS b64 FROM formwork.files WHERE id = $1",
          [params.id],
        );
        const b64 = rows[0]?.b64;
        if (b64 === undefined) throw new DomainError('NOT_FOUND', { file: params.id });
        const body = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
        return new Response(body, {
          status: 200,
          headers: {
            ...common,
            'Content-Type': f.type,
            'Content-Length': String(body.byteLength),
            'Content-Disposition': contentDisposition(
              INLINE_TYPES.has(f.type) ? 'inline' : 'attachment',
              f.name,
            ),
          },
        });
      },
    }),
  ];
}
