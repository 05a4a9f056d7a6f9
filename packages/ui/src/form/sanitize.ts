/**
 * Reduce HTML to an allow-list: formatting tags only, no attributes except `href` (http/https/mailto) on
 * links, which open in a new tab without an opener. Scripts, styles, event handlers and unknown tags go
 * (their text is kept). Parsed with `DOMParser`, which runs nothing.
 */

const ALLOWED = new Set([
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'S',
  'P',
  'BR',
  'DIV',
  'SPAN',
  'UL',
  'OL',
  'LI',
  'A',
  'H1',
  'H2',
  'H3',
  'BLOCKQUOTE',
  'CODE',
  'PRE',
]);
const DROP_WITH_CONTENT = new Set([
  'SCRIPT',
  'STYLE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'TEMPLATE',
  'NOSCRIPT',
  'SVG',
  'MATH',
]);

function clean(node: Node, doc: Document): Node[] {
  if (node.nodeType === 3) return [doc.createTextNode(node.textContent ?? '')];
  if (node.nodeType !== 1) return [];
  const el = node as Element;
  const tag = el.tagName.toUpperCase();
  if (DROP_WITH_CONTENT.has(tag)) return [];
  const children = Array.from(el.childNodes).flatMap((c) => clean(c, doc));
  if (!ALLOWED.has(tag)) return children;
  const out = doc.createElement(tag.toLowerCase());
  if (tag === 'A') {
    const href = el.getAttribute('href') ?? '';
    if (/^(https?:|mailto:)/i.test(href.trim())) {
      out.setAttribute('href', href.trim());
      out.setAttribute('target', '_blank');
      out.setAttribute('rel', 'noopener noreferrer');
    }
  }
  for (const c of children) out.appendChild(c);
  return [out];
}

export function sanitizeHtml(html: string): string {
  if (html === '') return '';
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = doc.createElement('div');
  for (const c of Array.from(doc.body.childNodes).flatMap((n) => clean(n, doc))) out.appendChild(c);
  return out.innerHTML;
}
