// The item browser of jury's HTML report. Reads the embedded JSON, never the network. Every piece of data
// reaches the page through textContent or an attribute value set by the DOM, never as markup.
(function () {
  'use strict';
  var source = document.getElementById('jury-data');
  if (!source) return;
  var D = JSON.parse(source.textContent);
  var S = D.strings;
  var ROW = 34;
  var ROLE = { s: 'system', u: 'user', a: 'assistant', c: 'assistant', t: 'tool', e: 'tool' };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function fmt(x) { return x === null || x === undefined ? '–' : typeof x === 'number' ? (Math.round(x * 100) / 100).toString() : String(x); }

  // Metadata values offered as filters: key=value for scalar values and list members, the most common first.
  var metaCounts = new Map();
  D.items.forEach(function (item) {
    var meta = item[1];
    if (!meta) return;
    Object.keys(meta).forEach(function (key) {
      var values = Array.isArray(meta[key]) ? meta[key] : [meta[key]];
      values.forEach(function (v) {
        if (v === null || typeof v === 'object') return;
        var kv = key + '=' + String(v);
        metaCounts.set(kv, (metaCounts.get(kv) || 0) + 1);
      });
    });
  });

  var $ = function (id) { return document.getElementById(id); };
  var f = { criterion: $('f-criterion'), judge: $('f-judge'), min: $('f-min'), max: $('f-max'), disputed: $('f-disputed'), failed: $('f-failed'), meta: $('f-meta'), text: $('f-text'), count: $('f-count') };
  D.criteria.forEach(function (c, i) { f.criterion.appendChild(el('option', { value: String(i) }, [c.key])); });
  D.judges.forEach(function (j, i) { f.judge.appendChild(el('option', { value: String(i) }, [j])); });
  Array.from(metaCounts.entries()).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); }).slice(0, 300).forEach(function (e) {
    f.meta.appendChild(el('option', { value: e[0] }, [e[0] + ' (' + e[1] + ')']));
  });

  var haystacks = null;
  function haystack(i) {
    if (!haystacks) haystacks = new Array(D.items.length);
    if (haystacks[i] === undefined) {
      var item = D.items[i];
      var parts = [item[0]];
      var t = item[2] >= 0 ? D.transcripts[item[2]] : [];
      t.forEach(function (rows) { rows.forEach(function (r) { parts.push(S[r[1]]); if (r[2] >= 0) parts.push(S[r[2]]); }); });
      haystacks[i] = parts.join('\n').toLowerCase();
    }
    return haystacks[i];
  }

  function metaHas(meta, kv) {
    if (!meta) return false;
    var at = kv.indexOf('=');
    var key = kv.slice(0, at);
    var value = kv.slice(at + 1);
    var v = meta[key];
    return (Array.isArray(v) ? v : [v]).some(function (x) { return x !== null && typeof x !== 'object' && String(x) === value; });
  }

  // An item passes when one of its units (of the chosen criterion) meets every unit filter.
  function passes(i, q) {
    var item = D.items[i];
    if (q.meta && !metaHas(item[1], q.meta)) return false;
    if (q.text && haystack(i).indexOf(q.text) < 0) return false;
    if (q.criterion === null && q.judge === null && q.min === null && q.max === null && !q.disputed && !q.failed) return true;
    return item[3].some(function (u) {
      if (q.criterion !== null && u[0] !== q.criterion) return false;
      var verdicts = q.judge === null ? u[4] : u[4].filter(function (v) { return v[0] === q.judge; });
      if (q.judge !== null && verdicts.length === 0) return false;
      if (q.disputed && !(u[3] > 0)) return false;
      if (q.failed && !verdicts.some(function (v) { return v[5]; })) return false;
      if (q.min !== null || q.max !== null) {
        var scores = q.judge === null ? [u[2]] : verdicts.map(function (v) { return v[2]; });
        var inRange = scores.some(function (s) { return typeof s === 'number' && (q.min === null || s >= q.min) && (q.max === null || s <= q.max); });
        if (!inRange) return false;
      }
      return true;
    });
  }

  var state = { item: null, verdict: null, compare: false };
  var shown = [];
  var list = $('list');
  var spacer = $('list-spacer');

  function query() {
    var num = function (input) { return input.value === '' || isNaN(Number(input.value)) ? null : Number(input.value); };
    return {
      criterion: f.criterion.value === '' ? null : Number(f.criterion.value),
      judge: f.judge.value === '' ? null : Number(f.judge.value),
      min: num(f.min), max: num(f.max),
      disputed: f.disputed.checked, failed: f.failed.checked,
      meta: f.meta.value, text: f.text.value.trim().toLowerCase(),
    };
  }

  function applyFilters() {
    var q = query();
    shown = [];
    for (var i = 0; i < D.items.length; i++) if (passes(i, q)) shown.push(i);
    f.count.textContent = shown.length + ' of ' + D.items.length + ' items';
    spacer.style.height = shown.length * ROW + 'px';
    drawRows(true);
    saveHash();
  }

  // Only the rows in view exist in the page: a list of 100,000 items stays as light as one of 30. Rows that stay
  // in view are kept (not rebuilt), so a click that spans a scroll lands on the row it started on.
  var rows = new Map();
  function drawRows(force) {
    var first = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
    var last = Math.min(shown.length, first + Math.ceil(list.clientHeight / ROW) + 10);
    if (!force && drawRows.range === first + ':' + last) return;
    drawRows.range = first + ':' + last;
    var wanted = new Map();
    for (var k = first; k < last; k++) wanted.set(shown[k], k);
    rows.forEach(function (node, index) { if (!wanted.has(index)) { spacer.removeChild(node); rows.delete(index); } });
    wanted.forEach(function (k, index) {
      var row = rows.get(index);
      if (!row) {
        var item = D.items[index];
        var disputed = item[3].some(function (u) { return u[3] > 0; });
        var failed = item[3].some(function (u) { return u[4].some(function (v) { return v[5]; }); });
        row = el('div', { class: 'row', role: 'option', id: 'row-' + index, 'data-index': index }, [
          el('span', { class: 'flags' }, [(disputed ? '± ' : '') + (failed ? '✖' : '')]),
          item[0],
        ]);
        spacer.appendChild(row);
        rows.set(index, row);
      }
      row.style.top = k * ROW + 'px';
      row.setAttribute('aria-selected', state.item === index ? 'true' : 'false');
    });
  }
  list.addEventListener('scroll', function () { drawRows(false); });
  list.addEventListener('click', function (e) {
    var row = e.target.closest('.row');
    if (row) select(Number(row.getAttribute('data-index')), null);
  });
  list.addEventListener('keydown', function (e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    var at = shown.indexOf(state.item);
    var next = shown[Math.max(0, Math.min(shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next !== undefined) {
      select(next, null);
      var top = shown.indexOf(next) * ROW;
      if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - ROW) list.scrollTop = top - ROW;
    }
  });

  function turnNodes(t, pinned) {
    var out = [];
    t.forEach(function (rows, m) {
      var n = m + 1;
      var box = el('div', { class: 'turn ' + ROLE[rows[0][0]], 'data-turn': n });
      rows.forEach(function (r) {
        var head = [el('span', { class: 'n' }, ['[' + n + ']']), el('span', { class: 'who' }, [r[0] === 'c' ? 'assistant calls ' + S[r[2]] : r[0] === 't' || r[0] === 'e' ? (r[0] === 'e' ? 'tool error' : 'tool result') + (r[2] >= 0 ? ' of ' + S[r[2]] : '') : ROLE[r[0]]])];
        if (r[0] === 'c' || r[0] === 't' || r[0] === 'e') {
          box.appendChild(el('details', null, [el('summary', null, head.concat([r[3] >= 0 ? ' (call ' + S[r[3]] + ')' : ''])), el('pre', null, [S[r[1]]])]));
        } else {
          head.forEach(function (h) { box.appendChild(h); });
          box.appendChild(el('div', { class: 'text' }, [S[r[1]]]));
        }
      });
      out.push(box);
      (pinned[n] || []).forEach(function (u) { out.push(u); });
    });
    return out;
  }

  function unitNode(u, ui, prefix) {
    var c = D.criteria[u[0]] || { key: '?' };
    var spread = u[3];
    var head = el('div', null, [
      el('strong', null, [c.key + (u[1] ? ' (turn ' + u[1] + ')' : '')]),
      ' panel ' + (u[2] === null ? 'unscored' : fmt(u[2])) + ' ',
      el('span', { class: spread > 0 ? 'disputed' : 'note' }, [spread === null ? '' : spread > 0 ? 'spread ' + fmt(spread) : 'judges agree']),
    ]);
    var cards = el('div', { class: 'verdicts' });
    u[4].forEach(function (v) {
      var key = prefix + ui + '.' + v[0] + '.' + v[1];
      var failed = !!v[5];
      var card = el('button', { type: 'button', class: 'verdict' + (failed ? ' failed' : ''), 'data-verdict': key, 'data-cited': failed ? '' : v[4].join(','), 'aria-pressed': state.verdict === key ? 'true' : 'false' }, [
        el('div', null, [el('span', { class: 'score' }, [failed ? '✖' : fmt(v[2])]), ' ' + D.judges[v[0]] + (v[1] ? ' #' + (v[1] + 1) : '')]),
        el('div', { class: 'text' }, [failed ? 'failed: ' + v[5] : S[v[3]]]),
        failed || v[4].length === 0 ? '' : el('div', { class: 'note' }, ['cites turn ' + v[4].join(', ')]),
      ]);
      cards.appendChild(card);
    });
    return el('div', { class: 'unit', 'data-unit': prefix + ui }, [head, cards]);
  }

  function conversation(tIndex, units, transcripts, prefix) {
    var pinned = {};
    var whole = [];
    units.forEach(function (u, ui) {
      var node = unitNode(u, ui, prefix);
      if (u[1]) (pinned[u[1]] = pinned[u[1]] || []).push(el('div', { class: 'pinned' }, [node]));
      else whole.push(node);
    });
    var t = tIndex >= 0 ? transcripts[tIndex] : null;
    var left = el('div', { class: 'transcript' }, t ? turnNodes(t, pinned) : [el('p', { class: 'note' }, ['The transcript is not in this file (give jury view the dataset: --dataset or -c).'])]);
    if (!t) Object.keys(pinned).forEach(function (n) { pinned[n].forEach(function (p) { left.appendChild(p); }); });
    return el('div', { class: 'side' }, [left, el('div', null, whole)]);
  }

  function select(index, verdict) {
    state.item = index;
    state.verdict = verdict;
    var item = D.items[index];
    var detail = $('detail');
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    detail.appendChild(el('h3', null, [item[0]]));
    if (item[1]) {
      var meta = el('dl', { class: 'facts' });
      Object.keys(item[1]).sort().forEach(function (k) { meta.appendChild(el('dt', null, [k])); meta.appendChild(el('dd', null, [typeof item[1][k] === 'object' ? JSON.stringify(item[1][k]) : String(item[1][k])])); });
      detail.appendChild(meta);
    }
    var base = D.baseline && D.baseline.items[item[0]];
    if (base && state.compare) {
      detail.appendChild(el('p', { class: 'note' }, ['Left: ' + D.baseline.label + ' (baseline). Right: ' + D.label + '.']));
      detail.appendChild(el('div', { class: 'side compare' }, [
        el('div', null, [el('h4', null, [D.baseline.label]), conversation(base[0], base[1], D.baseline.transcripts, 'b')]),
        el('div', null, [el('h4', null, [D.label]), conversation(item[2], item[3], D.transcripts, '')]),
      ]));
    } else {
      if (base) detail.appendChild(el('p', null, [el('a', { href: '#item=' + encodeURIComponent(item[0]) + '&compare=1' }, ['Compare with ' + D.baseline.label])]));
      detail.appendChild(conversation(item[2], item[3], D.transcripts, ''));
    }
    highlight();
    drawRows(true);
    saveHash();
  }

  function highlight() {
    var detail = $('detail');
    Array.prototype.forEach.call(detail.querySelectorAll('.turn.cited'), function (n) { n.classList.remove('cited'); });
    Array.prototype.forEach.call(detail.querySelectorAll('.verdict'), function (b) { b.setAttribute('aria-pressed', b.getAttribute('data-verdict') === state.verdict ? 'true' : 'false'); });
    if (!state.verdict) return;
    var card = detail.querySelector('.verdict[aria-pressed="true"]');
    if (!card) return;
    var scope = card.closest('.compare > div') || detail;
    (card.getAttribute('data-cited') || '').split(',').filter(Boolean).forEach(function (n) {
      var turn = scope.querySelector('.turn[data-turn="' + Number(n) + '"]');
      if (turn) turn.classList.add('cited');
    });
  }

  $('detail').addEventListener('click', function (e) {
    var card = e.target.closest('.verdict');
    if (!card) return;
    state.verdict = state.verdict === card.getAttribute('data-verdict') ? null : card.getAttribute('data-verdict');
    highlight();
    saveHash();
  });

  // The view lives in the URL fragment, so a link opens the same item, filters and verdict.
  function saveHash() {
    var p = new URLSearchParams();
    if (state.item !== null) p.set('item', D.items[state.item][0]);
    if (state.compare) p.set('compare', '1');
    if (state.verdict) p.set('v', state.verdict);
    [['c', f.criterion], ['j', f.judge], ['min', f.min], ['max', f.max], ['m', f.meta], ['q', f.text]].forEach(function (e) { if (e[1].value) p.set(e[0], e[1].value); });
    if (f.disputed.checked) p.set('d', '1');
    if (f.failed.checked) p.set('f', '1');
    var hash = '#' + p.toString();
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function loadHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    f.criterion.value = p.get('c') || '';
    f.judge.value = p.get('j') || '';
    f.min.value = p.get('min') || '';
    f.max.value = p.get('max') || '';
    f.meta.value = p.get('m') || '';
    f.text.value = p.get('q') || '';
    f.disputed.checked = p.get('d') === '1';
    f.failed.checked = p.get('f') === '1';
    state.compare = p.get('compare') === '1';
    applyFilters();
    var id = p.get('item');
    if (id !== null) {
      for (var i = 0; i < D.items.length; i++) if (D.items[i][0] === id) {
        // A shared link lands on its item in the list too, not only in the detail.
        var at = shown.indexOf(i);
        if (at >= 0) list.scrollTop = Math.max(0, at * ROW - 3 * ROW);
        select(i, p.get('v'));
        break;
      }
    }
  }

  ['change', 'input'].forEach(function (type) { $('filters').addEventListener(type, applyFilters); });
  window.addEventListener('hashchange', loadHash);
  $('browser').hidden = false;
  loadHash();
})();
