/**
 * The report page's script (inline, no dependencies): selects a step (click, keyboard, #step-N in
 * the address) and fills the state panel from the embedded report data (./types.ts ReportData).
 * It builds the panel with DOM calls (never innerHTML), so nothing in the data is parsed as markup.
 *
 * Keys: ArrowDown / ArrowRight / j / n next step; ArrowUp / ArrowLeft / k / p previous; Home / End
 * first / last; v the violation's step; d the first divergence from the base.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var main = data.main, base = data.base, layout = data.layout;
  var last = main.steps.length - 1;
  var current = -1;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function cell(tr, tag, text, attrs) { var c = el(tag, attrs, text); tr.appendChild(c); return c; }

  function stateTable(step, otherStep) {
    var frag = document.createDocumentFragment();
    var changed = {};
    step.changed.forEach(function (k) { changed[k] = true; });
    var v = step.values, o = otherStep ? otherStep.values : null;
    function valueCell(tr, key) {
      var has = Object.prototype.hasOwnProperty.call(v, key);
      var cls = [];
      if (!has) cls.push('absent');
      if (changed[key]) cls.push('chg');
      if (o && has && o[key] !== v[key]) cls.push('diff');
      var title = o && has && o[key] !== v[key] ? 'base: ' + (o[key] === undefined ? '(absent)' : o[key]) : undefined;
      cell(tr, 'td', has ? v[key] : '·', { 'data-k': key, 'class': cls.join(' ') || undefined, title: title });
    }
    frag.appendChild(el('h3', null, 'CPUs'));
    var t = el('table', { 'class': 'state', id: 'cpu-table' });
    var hr = el('tr'); cell(hr, 'th', '');
    layout.cpus.forEach(function (c) { cell(hr, 'th', 'CPU' + c); });
    t.appendChild(hr);
    layout.cpuFields.forEach(function (f) {
      var tr = el('tr'); cell(tr, 'th', f.label);
      layout.cpus.forEach(function (c) { valueCell(tr, 'cpu' + c + '.' + f.key); });
      t.appendChild(tr);
    });
    frag.appendChild(t);
    frag.appendChild(el('h3', null, 'mms'));
    var m = el('table', { 'class': 'state', id: 'mm-table' });
    var mh = el('tr'); cell(mh, 'th', '');
    layout.mms.forEach(function (mm) { cell(mh, 'th', mm); });
    m.appendChild(mh);
    layout.mmFields.forEach(function (f) {
      var tr = el('tr'); cell(tr, 'th', f.label);
      layout.mms.forEach(function (mm) { valueCell(tr, mm + '.' + f.key); });
      m.appendChild(tr);
    });
    frag.appendChild(m);
    return frag;
  }

  function eventsList(step) {
    var ol = el('ol', { 'class': 'events' });
    step.events.forEach(function (e) {
      var isV = main.violation && main.violation.event === e.i;
      ol.appendChild(el('li', { 'class': isV ? 'viol' : undefined }, '[' + e.i + '] ' + e.fn + ': ' + e.text + (isV ? '   <- ' + main.violation.property + ' ' + main.violation.clause : '')));
    });
    return ol;
  }

  function render(s) {
    var step = main.steps[s];
    var panel = document.getElementById('state');
    panel.textContent = '';
    var info = el('div', { 'class': 'stepinfo', id: 'step-info' });
    info.appendChild(el('div', { 'class': 'op' }, 'step ' + s + ' of ' + last + (step.op ? ': ' + step.op : '') + (step.cpu !== null ? '  (CPU' + step.cpu + ')' : '')));
    info.appendChild(el('div', null, step.fn + ': ' + step.text));
    panel.appendChild(info);
    if (main.violation && main.violation.step === s) panel.appendChild(el('p', { 'class': 'verdict bad' }, '✗ ' + main.violation.property + ' ' + main.violation.clause + ' fires here (event ' + main.violation.event + ')'));
    if (base && base.divergence === s) panel.appendChild(el('p', { 'class': 'verdict' }, '≠ first divergence from the base: ' + base.divergenceNote));
    panel.appendChild(eventsList(step));
    var baseStep = base ? base.steps[s] : null;
    panel.appendChild(stateTable(step, baseStep));
    if (base) {
      var note = baseStep ? 'Cells in red differ from the base engine (' + base.engine + ') after the same step; hover for its value.' : 'The base engine (' + base.engine + ') has no step ' + s + ': ' + (base.stopped || 'its run is shorter') + '.';
      panel.appendChild(el('p', { 'class': 'help', id: 'base-note' }, note));
    }
  }

  function select(s, scroll) {
    s = Math.max(0, Math.min(last, s));
    if (s === current) return;
    current = s;
    var rows = document.querySelectorAll('svg.lanes .row');
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var on = Number(r.getAttribute('data-step')) === s;
      if (on) r.classList.add('sel'); else r.classList.remove('sel');
      if (on && scroll && r.scrollIntoView) r.scrollIntoView({ block: 'nearest' });
    }
    document.body.setAttribute('data-selected', String(s));
    render(s);
    if (history.replaceState) history.replaceState(null, '', '#step-' + s);
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    while (t && t !== document && !(t.getAttribute && t.getAttribute('data-step') !== null)) t = t.parentNode;
    if (t && t !== document) select(Number(t.getAttribute('data-step')), false);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var k = ev.key, next = null;
    if (k === 'ArrowDown' || k === 'ArrowRight' || k === 'j' || k === 'n') next = current + 1;
    else if (k === 'ArrowUp' || k === 'ArrowLeft' || k === 'k' || k === 'p') next = current - 1;
    else if (k === 'Home') next = 0;
    else if (k === 'End') next = last;
    else if (k === 'v' && main.violation) next = main.violation.step;
    else if (k === 'd' && base && base.divergence !== null) next = base.divergence;
    if (next === null) return;
    ev.preventDefault();
    select(next, true);
  });
  var prev = document.getElementById('prev'), nextB = document.getElementById('next');
  if (prev) prev.addEventListener('click', function () { select(current - 1, true); });
  if (nextB) nextB.addEventListener('click', function () { select(current + 1, true); });

  var m = /^#step-(\d+)$/.exec(location.hash);
  select(m ? Number(m[1]) : data.initialStep, false);
})();
`;
