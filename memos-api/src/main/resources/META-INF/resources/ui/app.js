// memos inspector: a page over the REST API. Every value from the service is put into the page as text
// (textContent, attributes set one by one), never as markup, so a memory holding HTML or script stays inert.
'use strict';

const KEY = 'memos.apiKey';
const main = document.getElementById('main');

/** An element with attributes and children; strings become text nodes. */
function h(tag, attrs, ...children) {
  const svg = ['svg', 'g', 'rect', 'line', 'text', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.substring(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

function fail(error) {
  return h('p', { class: 'error', role: 'alert' }, error.message);
}

/** A call to the REST API with the signed-in key; a problem answer becomes an Error with its status and detail. */
async function api(method, path, body) {
  const key = sessionStorage.getItem(KEY);
  const response = await fetch(path, {
    method,
    headers: Object.assign({ 'Authorization': 'Bearer ' + key, 'Accept': 'application/json' },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(response.status + ' ' + ((json && (json.detail || json.title)) || response.statusText));
    error.status = response.status;
    throw error;
  }
  return json;
}

const seg = encodeURIComponent;

function time(value) {
  return value ? value.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
}

function table(columns, rows, cells) {
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, c)))),
    h('tbody', {}, rows.map(row => h('tr', {}, cells(row).map(c => c instanceof Node && c.tagName === 'TD' ? c : h('td', {}, c))))));
}

// ---- sign-in ----

function signIn(message) {
  const form = document.getElementById('sign-in').content.cloneNode(true);
  show(form);
  const error = document.getElementById('sign-in-error');
  if (message) error.textContent = message;
  document.getElementById('sign-in-form').addEventListener('submit', async event => {
    event.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById('key').value.trim());
    try {
      await whoami();
      route();
    } catch (e) {
      sessionStorage.removeItem(KEY);
      error.textContent = e.status === 401 ? 'That key is not valid.' : e.message;
    }
  });
}

async function whoami() {
  const me = await api('GET', '/v1/principals/me');
  document.getElementById('who').textContent = me.name + (me.admin ? ' (administrator)' : '') + ' · ' + me.id;
  document.getElementById('sign-out').hidden = false;
  return me;
}

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  location.hash = '#/';
  signIn();
});

// ---- spaces ----

async function spaces() {
  const list = (await api('GET', '/v1/spaces')).items;
  show(h('section', { class: 'card', id: 'spaces' },
    h('h1', {}, 'Spaces'),
    list.length === 0 ? h('p', { class: 'muted', id: 'no-spaces' }, 'This key holds no grant on any space.')
      : table(['space', 'your role', 'created', 'description'], list, s => [
        h('a', { href: '#/space/' + seg(s.name), class: 'space-link' }, s.name), s.role, time(s.createdAt),
        s.description || '']),
    h('form', { class: 'inline', id: 'find-cube', onsubmit: e => {
      e.preventDefault();
      location.hash = '#/cube/' + seg(document.getElementById('cube-id').value.trim());
    } }, h('input', { type: 'text', id: 'cube-id', placeholder: 'open a cube by id' }), h('button', {}, 'Open'))));
}

// ---- a space: cubes, search, scheduler log, tiers ----

const TABS = ['cubes', 'search', 'scheduler', 'tiers'];

async function space(name, tab) {
  tab = TABS.includes(tab) ? tab : 'cubes';
  const body = h('div', { id: 'tab-' + tab }, h('p', { class: 'muted' }, 'loading …'));
  show(h('h1', {}, 'Space ', name),
    h('nav', { class: 'tabs' }, TABS.map(t => h('a', {
      href: '#/space/' + seg(name) + '/' + t, class: t === tab ? 'active' : null, id: 'tab-link-' + t }, t))),
    body);
  try {
    body.replaceChildren(await ({ cubes, search, scheduler, tiers })[tab](name));
  } catch (e) {
    body.replaceChildren(fail(e));
  }
}

function cubeRows(items) {
  return table(['id', 'v', 'state', 'tier', 'kind', 'tags', 'text'], items, c => [
    h('a', { href: '#/cube/' + seg(c.id), class: 'cube-link' }, c.id), c.version, c.state, c.tier, c.kind || '',
    (c.tags || []).join(', '), h('td', { class: 'text' }, c.text === undefined ? '' : c.text)]);
}

async function cubes(name, cursor) {
  const box = h('div', { id: 'cubes' });
  async function page(after) {
    const result = await api('GET', '/v1/spaces/' + seg(name) + '/cubes?limit=50' + (after ? '&cursor=' + seg(after) : ''));
    box.append(cubeRows(result.items));
    if (result.nextCursor) {
      const more = h('button', { id: 'more', onclick: () => { more.remove(); page(result.nextCursor); } }, 'more');
      box.append(more);
    }
  }
  await page(cursor);
  return box;
}

async function search(name) {
  const hits = h('div', { id: 'hits' });
  const input = h('input', { type: 'text', id: 'query', placeholder: 'what do you want to recall?' });
  const form = h('form', { class: 'inline', id: 'search-form', onsubmit: async e => {
    e.preventDefault();
    hits.replaceChildren(h('p', { class: 'muted' }, 'searching …'));
    try {
      const result = await api('POST', '/v1/spaces/' + seg(name) + '/search',
        { query: input.value, k: 10, explain: true, consistency: 'read-your-writes' });
      hits.replaceChildren(h('p', { class: 'muted' }, result.hits.length + ' hits in ' + result.tookMs + ' ms'),
        table(['score', 'text', 'keyword rank', 'vector rank', 'context kw / vec', 'fused', 'boosts'], result.hits, hit => {
          const x = hit.explanation || {};
          return [hit.score.toFixed(4),
            h('td', { class: 'text' }, h('a', { href: '#/cube/' + seg(hit.cube.id), class: 'hit-link' }, hit.cube.text || hit.cube.id)),
            x.keywordRank ?? '–', x.vectorRank ?? '–', (x.contextKeywordRank ?? '–') + ' / ' + (x.contextVectorRank ?? '–'),
            x.fused === undefined ? '' : x.fused.toFixed(4),
            ['recency', 'heat', 'priority', 'subject', 'time'].map(b => b + ' ' + (x[b + 'Boost'] || 0).toFixed(3)).join(', ')];
        }));
    } catch (err) {
      hits.replaceChildren(fail(err));
    }
  } }, input, h('button', {}, 'Search'));
  return h('div', {}, form, hits);
}

async function scheduler(name) {
  const log = await api('GET', '/v1/spaces/' + seg(name) + '/scheduler/log?limit=100');
  if (log.items.length === 0) return h('p', { class: 'muted', id: 'scheduler-log' }, 'The scheduler has made no decision here yet.');
  return h('div', { id: 'scheduler-log' }, table(['at', 'decision', 'cube', 'from → to', 'policy', 'reason'], log.items, d => [
    time(d.at), d.type, d.cubeId ? h('a', { href: '#/cube/' + seg(d.cubeId) }, d.cubeId) : '', (d.from || '') + ' → ' + (d.to || ''),
    d.policy || '', d.reason || '']));
}

async function tiers(name) {
  const box = h('div', { id: 'tiers' });
  try {
    const e = await api('GET', '/v1/engine');
    box.append(h('p', { id: 'engine' }, 'Engine: ', e.modelName || e.description, ' (', e.architecture, ', context ',
      e.contextSize, ', KV ', e.kvType, ')'));
  } catch (err) {
    box.append(h('p', { class: 'muted', id: 'engine' }, err.status === 503
      ? 'No inference engine is configured (memos.engine.model): the activation and parameter tiers are off.' : err.message));
  }
  const all = [];
  let cursor = null;
  do {
    const page = await api('GET', '/v1/spaces/' + seg(name) + '/cubes?limit=200' + (cursor ? '&cursor=' + seg(cursor) : ''));
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < 2000);
  const blobs = all.filter(c => c.tier !== 'PLAINTEXT');
  box.append(blobs.length === 0 ? h('p', { class: 'muted' }, 'No activation or parameter cubes in this space.')
    : table(['id', 'tier', 'state', 'model', 'size', 'attributes'], blobs, c => [
      h('a', { href: '#/cube/' + seg(c.id) }, c.id), c.tier, c.state, (c.blob && c.blob.model) || '',
      c.blob ? Math.round(c.blob.size / 1024) + ' KiB' : '',
      c.blob ? Object.entries(c.blob.attributes || {}).map(([k, v]) => k + '=' + v).join(', ') : '']));
  return box;
}

// ---- a cube: its versions with diffs, its lineage, delete ----

/** Word-level differences of two texts: [op, words] with op ' ', '-' or '+'. */
function diff(a, b) {
  const x = (a || '').split(/(\s+)/), y = (b || '').split(/(\s+)/);
  if (x.length * y.length > 4_000_000) return [['-', a || ''], ['+', b || '']];
  const n = x.length, m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
    lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  const push = (op, w) => out.length && out[out.length - 1][0] === op ? out[out.length - 1][1] += w : out.push([op, w]);
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { push(' ', x[i]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('-', x[i++]);
    else push('+', y[j++]);
  }
  while (i < n) push('-', x[i++]);
  while (j < m) push('+', y[j++]);
  return out;
}

function diffView(a, b) {
  return h('div', { class: 'diff text' }, diff(a, b).map(([op, words]) =>
    op === ' ' ? words : h(op === '+' ? 'ins' : 'del', {}, words)));
}

async function cube(id) {
  let live;
  try {
    live = await api('GET', '/v1/cubes/' + seg(id));
  } catch (e) {
    show(h('h1', {}, 'Cube'), e.status === 404 ? h('p', { class: 'error', id: 'not-found' },
      'No cube ' + id + ' that this key may read.') : fail(e));
    return;
  }
  const versions = (await api('GET', '/v1/cubes/' + seg(id) + '/versions')).items;
  const g = live.governance || {}, p = live.provenance || {}, t = live.time || {};
  show(
    h('section', { class: 'card', id: 'cube' },
      h('h1', {}, 'Cube ', h('a', { href: '#/space/' + seg(live.space) }, live.space), ' / ', live.id),
      h('p', { class: 'cube-text text', id: 'cube-text' }, live.text === undefined ? '(no text)' : live.text),
      table(['version', 'state', 'tier', 'kind', 'tags', 'source', 'recorded', 'valid', 'subject', 'labels'], [live], c => [
        c.version, c.state, c.tier, c.kind || '', (c.tags || []).join(', '), (p.source || '') + (p.sourceRef ? ' ' + p.sourceRef : ''),
        time(t.recordedAt), time(t.validFrom) + ' … ' + time(t.validTo), g.subject || '', (g.sensitivity || []).join(', ')]),
      h('p', {}, h('button', { class: 'danger', id: 'delete-cube', onclick: () => erase(live) }, 'Delete and erase'))),
    h('section', { class: 'card', id: 'versions' }, h('h2', {}, 'History'),
      versions.map((v, i) => h('div', { class: 'version', 'data-version': v.version },
        h('h3', {}, 'version ', v.version, ' · ', (v.provenance || {}).operation || '', ' · ', time((v.time || {}).recordedAt)),
        i === 0 ? h('div', { class: 'text' }, v.text || '') : diffView(versions[i - 1].text, v.text)))),
    h('section', { class: 'card', id: 'lineage' }, h('h2', {}, 'Lineage'), h('p', { class: 'muted' }, 'loading …')));
  try {
    const graph = await api('GET', '/v1/cubes/' + seg(id) + '/lineage?depth=5');
    document.getElementById('lineage').replaceChildren(h('h2', {}, 'Lineage'), lineagePicture(graph));
  } catch (e) {
    document.getElementById('lineage').replaceChildren(h('h2', {}, 'Lineage'), fail(e));
  }
}

/** The lineage graph as a picture: nodes in columns by their distance from the live version, edges labelled. */
function lineagePicture(graph) {
  const adjacent = new Map(graph.nodes.map(n => [n.ref, []]));
  for (const e of graph.edges) {
    if (adjacent.has(e.from) && adjacent.has(e.to)) { adjacent.get(e.from).push(e.to); adjacent.get(e.to).push(e.from); }
  }
  const depth = new Map([[graph.root, 0]]);
  const queue = [graph.root];
  while (queue.length) {
    const ref = queue.shift();
    for (const next of adjacent.get(ref) || []) if (!depth.has(next)) { depth.set(next, depth.get(ref) + 1); queue.push(next); }
  }
  const columns = new Map();
  for (const n of graph.nodes) {
    const d = depth.has(n.ref) ? depth.get(n.ref) : 0;
    if (!columns.has(d)) columns.set(d, []);
    columns.get(d).push(n);
  }
  const W = 220, H = 54, GX = 70, GY = 22, at = new Map();
  let rows = 1;
  for (const [d, nodes] of columns) {
    nodes.forEach((n, i) => at.set(n.ref, { x: 10 + d * (W + GX), y: 10 + i * (H + GY) }));
    rows = Math.max(rows, nodes.length);
  }
  const width = 20 + columns.size * (W + GX), height = 20 + rows * (H + GY);
  const svg = h('svg', { class: 'lineage', viewBox: '0 0 ' + width + ' ' + height, height: height, role: 'img',
    'aria-label': 'lineage of ' + graph.root });
  for (const e of graph.edges) {
    const a = at.get(e.from), b = at.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + W / 2, y1 = a.y + H / 2, x2 = b.x + W / 2, y2 = b.y + H / 2;
    svg.append(h('g', { class: 'edge', 'data-type': e.type },
      h('line', { x1, y1, x2, y2 }),
      h('text', { class: 'edge', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle' }, e.type)));
  }
  for (const n of graph.nodes) {
    const p = at.get(n.ref);
    const label = n.redacted ? '[redacted]' : (n.text || '').substring(0, 34);
    const node = h('g', { class: 'node', 'data-ref': n.ref },
      h('title', {}, n.redacted ? n.ref + ' (a cube you may not read)' : n.ref + '\n' + (n.text || '')),
      h('rect', { x: p.x, y: p.y, width: W, height: H, rx: 5,
        class: n.redacted ? 'redacted' : n.ref === graph.root ? 'root' : null }),
      h('text', { x: p.x + 8, y: p.y + 18 }, n.ref.length > 34 ? n.ref.substring(0, 10) + '…' + n.ref.substring(n.ref.length - 12) : n.ref),
      h('text', { x: p.x + 8, y: p.y + 36 }, (n.state || '') + ' ' + (n.operation || '').toLowerCase()),
      h('text', { x: p.x + 8, y: p.y + 50 }, label));
    if (!n.redacted && n.id) {
      node.addEventListener('click', () => { location.hash = '#/cube/' + seg(n.id); });
    }
    svg.append(node);
  }
  return svg;
}

async function erase(live) {
  if (!confirm('Delete cube ' + live.id + ' and erase its content everywhere memos keeps it?')) return;
  try {
    const erasure = await api('DELETE', '/v1/cubes/' + seg(live.id));
    location.hash = '#/erasure/' + seg(erasure.id);
  } catch (e) {
    document.getElementById('cube').append(fail(e));
  }
}

async function erasureReport(id) {
  let report = await api('GET', '/v1/erasures/' + seg(id));
  const box = h('section', { class: 'card', id: 'erasure-report' });
  show(box);
  for (;;) {
    box.replaceChildren(h('h1', {}, 'Erasure ', report.id),
      h('p', {}, 'Status: ', h('strong', { id: 'erasure-status' }, report.status), ' · ', report.scope, ' ', report.target,
        ' · ', report.cubeCount, ' cubes · requested ', time(report.requestedAt), ' · due ', time(report.dueAt)),
      report.derivedKept && report.derivedKept.length ? h('p', {}, 'Derived cubes kept: ', report.derivedKept.join(', ')) : '',
      table(['place', 'removed', 'checked by', 'passed'], report.checks || [], c => [c.place, c.action, c.check, c.passed ? 'yes' : 'NO']));
    if (report.status !== 'PENDING' || !location.hash.startsWith('#/erasure/')) return;
    await new Promise(resolve => setTimeout(resolve, 500));
    report = await api('GET', '/v1/erasures/' + seg(id));
  }
}

// ---- routing ----

// One view at a time: a route that starts while another renders waits for it, so the last one asked for is shown.
let routing = Promise.resolve();

function route() {
  routing = routing.then(render, render);
  return routing;
}

async function render() {
  if (!sessionStorage.getItem(KEY)) { signIn(); return; }
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    if (document.getElementById('sign-out').hidden) await whoami();
    if (parts[0] === 'space' && parts[1]) await space(parts[1], parts[2]);
    else if (parts[0] === 'cube' && parts[1]) await cube(parts[1]);
    else if (parts[0] === 'erasure' && parts[1]) await erasureReport(parts[1]);
    else await spaces();
  } catch (e) {
    if (e.status === 401) { sessionStorage.removeItem(KEY); signIn('The key was refused; sign in again.'); }
    else show(fail(e));
  }
}

window.addEventListener('hashchange', route);
route();
