/**
 * The floor of the scroll benchmark: a page that is nothing but a virtual list of `rows` records like the
 * benchmark's (the same fields, system fields included), drawn in plain JavaScript — no framework, no app,
 * a JavaScript heap of about 3 MB against the app's 14 — with the rows and cells of the app's table (a
 * checkbox, four cells, a tag; the same sizes and CSS containment). It is scrolled exactly as the app's list
 * is, so the frames it drops are this machine's and this browser's, and the app's figure is read against it.
 */
export function floorPage(opts: { rows: number; height: number }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; font: 14px -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif; }
.scroll { height: ${opts.height}px; overflow: auto; position: relative; margin: 180px 24px 0; }
.body { position: relative; }
.win { position: absolute; top: 0; left: 0; width: 100%; }
.row { position: relative; width: 100%; height: 44px; box-sizing: border-box; border-bottom: 1px solid #f0f0f0;
  background: #fff; contain: strict; display: grid; grid-template-columns: 44px repeat(4, minmax(168px, 1fr));
  align-items: center; }
.cell { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-inline: 12px; }
.tag { display: inline-block; padding: 0 7px; font-size: 12px; line-height: 20px; border-radius: 4px;
  border: 1px solid #d9d9d9; background: #fafafa; }
</style></head><body>
<div class="scroll" data-testid="record-table-scroll"><div class="body"><div class="win"></div></div></div>
<script>
const N = ${opts.rows}, H = 44, OVERSCAN = 3;
const hex = (i, n) => (i * 2654435761 % 4294967296).toString(16).padStart(8, '0').repeat(5).slice(0, n);
const uuid = (i) => hex(i, 8) + '-' + hex(i + 1, 4) + '-' + hex(i + 2, 4) + '-' + hex(i + 3, 4) + '-' + hex(i + 4, 12);
const now = new Date().toISOString();
const rows = Array.from({ length: N }, (_, i) => ({
  id: uuid(i), name: 'Record ' + i, amount: i * 10, stage: i % 2 ? 'a' : 'b', closeOn: '2026-11-23',
  createdAt: now.slice(0, 20) + String(i % 1000).padStart(3, '0') + 'Z', updatedAt: now, createdBy: uuid(-1),
  ownerId: uuid(-1), version: 1,
}));
const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const scroller = document.querySelector('.scroll');
const win = document.querySelector('.win');
document.querySelector('.body').style.height = N * H + 'px';
const size = Math.ceil((scroller.clientHeight - 44) / H) + 1 + 2 * OVERSCAN;
const cells = [];
for (let s = 0; s < size; s++) {
  const row = document.createElement('div');
  row.className = 'row';
  row.innerHTML = '<div class="cell"><input type="checkbox"></div><div class="cell"> </div>'
    + '<div class="cell"> </div><div class="cell"><span class="tag"> </span></div><div class="cell"> </div>';
  win.appendChild(row);
  const c = row.children;
  cells.push([row, c[1].firstChild, c[2].firstChild, c[3].firstChild.firstChild, c[4].firstChild]);
}
let first = -1;
function draw() {
  const f = Math.max(0, Math.min(N - size, Math.floor(scroller.scrollTop / H) - OVERSCAN));
  if (f === first) return;
  first = f;
  win.style.transform = 'translateY(' + f * H + 'px)';
  for (let s = 0; s < size; s++) {
    const r = rows[f + s], [row, name, amount, stage, closeOn] = cells[s];
    row.dataset.index = String(f + s);
    name.nodeValue = r.name;
    amount.nodeValue = '¥' + money.format(r.amount);
    stage.nodeValue = r.stage;
    closeOn.nodeValue = r.closeOn;
  }
}
scroller.addEventListener('scroll', draw, { passive: true });
draw();
</script></body></html>`;
}
